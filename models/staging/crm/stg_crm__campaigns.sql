with

source as (

    select * from {{ raw_source('crm', 'campaign') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as campaign_id,
        cast(name as {{ dbt.type_string() }}) as campaign_name,
        lower(replace(trim(cast(type as {{ dbt.type_string() }})), ' ', '_')) as campaign_type,
        cast(status as {{ dbt.type_string() }}) as campaign_status,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by campaign_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        campaign_status,
        start_date,
        end_date,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
