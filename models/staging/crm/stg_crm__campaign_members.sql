with

source as (

    select * from {{ raw_source('crm', 'campaign_member') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('crm', 'campaign_member') }}

),

member_statuses as (

    {{ vocabulary_map('map_campaign_member_statuses', 'member_status') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as campaign_member_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        nullif(cast(lead_id as {{ dbt.type_string() }}), '') as lead_id,
        nullif(cast(contact_id as {{ dbt.type_string() }}), '') as contact_id,
        cast(status as {{ dbt.type_string() }}) as member_status,
        coalesce(cast(has_responded as boolean), false) as has_responded,
        {{ utc_timestamp('created_date') }} as created_at,
        cast(first_responded_date as date) as first_responded_date,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by campaign_member_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.campaign_member_id,
        ranked.campaign_id,
        ranked.lead_id,
        ranked.contact_id,
        ranked.member_status,
        {{ mapped_value('member_statuses.member_state', 'ranked.member_status') }} as member_state,
        ranked.has_responded,
        ranked.created_at,
        ranked.first_responded_date,
        ranked.is_deleted,
        ranked.loaded_at

    from ranked

    left join member_statuses
        on {{ vocabulary_key('ranked.member_status') }} = member_statuses.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
