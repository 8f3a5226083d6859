with

source as (

    select * from {{ raw_source('crm', 'event') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as event_id,
        nullif(cast(who_id as {{ dbt.type_string() }}), '') as who_id,
        nullif(cast(what_id as {{ dbt.type_string() }}), '') as what_id,
        nullif(cast(account_id as {{ dbt.type_string() }}), '') as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        lower(trim(cast(type as {{ dbt.type_string() }}))) as event_type,
        {{ utc_timestamp('start_date_time') }} as started_at,
        {{ utc_timestamp('end_date_time') }} as ended_at,
        {{ utc_timestamp('created_date') }} as created_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by event_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        event_id,
        who_id,
        what_id,
        account_id,
        owner_id,
        event_type,
        started_at,
        ended_at,
        created_at,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
