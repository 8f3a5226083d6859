with

source as (

    select * from {{ raw_source('crm', 'user') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as user_id,
        lower(trim(cast(user_role as {{ dbt.type_string() }}))) as user_role,
        cast(title as {{ dbt.type_string() }}) as title,
        lower(trim(cast(segment as {{ dbt.type_string() }}))) as segment,
        cast(is_active as boolean) as is_active,
        {{ utc_timestamp('created_date') }} as created_at,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by user_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        user_id,
        user_role,
        title,
        segment,
        is_active,
        created_at,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
