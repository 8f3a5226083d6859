with

source as (

    select * from {{ raw_source('crm', 'opportunity_history') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('crm', 'opportunity_history') }}

),

stages as (

    {{ vocabulary_map('map_opportunity_stages', 'stage_name') }}

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
        ranked.opportunity_history_id,
        ranked.opportunity_id,
        ranked.stage_name,
        {{ mapped_value('stages.stage_category', 'ranked.stage_name') }} as stage_category,
        stages.stage_order,
        ranked.amount_local,
        ranked.probability,
        ranked.close_date,
        ranked.changed_by_user_id,
        ranked.changed_at,
        ranked.is_deleted,
        ranked.loaded_at

    from ranked

    left join stages
        on {{ vocabulary_key('ranked.stage_name') }} = stages.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
