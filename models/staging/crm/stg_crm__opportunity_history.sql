with

source as (

    select * from {{ raw_source('crm', 'opportunity_history') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as opportunity_history_id,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(stage_name as {{ dbt.type_string() }}) as stage_name,
        cast(amount as decimal(18, 2)) as amount_local,
        cast(probability as integer) as probability,
        cast(close_date as date) as close_date,
        cast(created_by_id as {{ dbt.type_string() }}) as changed_by_user_id,
        {{ utc_timestamp('created_date') }} as changed_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by opportunity_history_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        opportunity_history_id,
        opportunity_id,
        stage_name,
        {{ stage_order('stage_name') }} as stage_order,
        amount_local,
        probability,
        close_date,
        changed_by_user_id,
        changed_at,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
