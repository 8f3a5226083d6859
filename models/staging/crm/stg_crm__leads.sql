{#-
    One row per Salesforce lead (the latest extract row of each id).

    Duplicate rule: among live (not deleted) leads with the same normalized email, the
    canonical lead is the converted one, else the earliest created, else the lowest id.
    The others keep their row with is_duplicate_lead = true and canonical_lead_id set,
    so nothing is lost and the funnel counts a person once.
-#}
with

source as (

    select * from {{ raw_source('crm', 'lead') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('crm', 'lead') }}

),

lead_statuses as (

    {{ vocabulary_map('map_lead_statuses', 'lead_status') }}

),

lead_sources as (

    {{ vocabulary_map('map_lead_sources', 'lead_source') }}

),

utm_mediums as (

    {{ vocabulary_map('map_utm_mediums', 'utm_medium') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as lead_id,
        {{ normalize_email('cast(email as ' ~ dbt.type_string() ~ ')') }} as email,
        {{ is_malformed_email('cast(email as ' ~ dbt.type_string() ~ ')') }} as has_malformed_email,
        nullif(trim(cast(company as {{ dbt.type_string() }})), '') as company_name,
        nullif(trim(cast(title as {{ dbt.type_string() }})), '') as title,
        cast(status as {{ dbt.type_string() }}) as lead_status,
        nullif(trim(cast(lead_source as {{ dbt.type_string() }})), '') as lead_source,
        nullif(lower(trim(cast(utm_source__c as {{ dbt.type_string() }}))), '') as utm_source,
        nullif(lower(trim(cast(utm_medium__c as {{ dbt.type_string() }}))), '') as utm_medium,
        nullif(lower(trim(cast(utm_campaign__c as {{ dbt.type_string() }}))), '') as utm_campaign,
        upper(nullif(trim(cast(country as {{ dbt.type_string() }})), '')) as country_code,
        cast(number_of_employees as integer) as employee_count,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        {{ utc_timestamp('created_date') }} as created_at,
        {{ utc_timestamp('mql_date__c') }} as mql_at,
        {{ utc_timestamp('sql_date__c') }} as sql_at,
        coalesce(cast(is_converted as boolean), false) as is_converted,
        cast(converted_date as date) as converted_date,
        nullif(cast(converted_account_id as {{ dbt.type_string() }}), '') as converted_account_id,
        nullif(cast(converted_contact_id as {{ dbt.type_string() }}), '') as converted_contact_id,
        nullif(cast(converted_opportunity_id as {{ dbt.type_string() }}), '') as converted_opportunity_id,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by lead_id order by loaded_at desc) as load_rank

    from renamed

),

latest as (

    select * from ranked
    where load_rank = 1

),

canonical as (

    select
        *,
        first_value(lead_id) over (
            partition by case when is_deleted or email is null then lead_id else email end
            order by
                case when is_converted then 0 else 1 end,
                created_at,
                lead_id
            rows between unbounded preceding and unbounded following
        ) as canonical_lead_id

    from latest

),

final as (

    select
        canonical.lead_id,
        canonical.canonical_lead_id,
        canonical.lead_id <> canonical.canonical_lead_id as is_duplicate_lead,
        canonical.email,
        canonical.has_malformed_email,
        {{ email_domain('canonical.email') }} as email_domain,
        canonical.company_name,
        canonical.title,
        canonical.lead_status,
        {{ mapped_value('lead_statuses.lead_status_category', 'canonical.lead_status') }} as lead_status_category,
        canonical.lead_source,
        {{ mapped_value('lead_sources.channel', 'canonical.lead_source', 'other') }} as lead_source_channel,
        canonical.utm_source,
        canonical.utm_medium,
        {{ mapped_value('utm_mediums.channel', 'canonical.utm_medium', 'other') }} as utm_medium_channel,
        canonical.utm_campaign,
        canonical.country_code,
        canonical.employee_count,
        {{ segment_from_employees('canonical.employee_count') }} as segment,
        canonical.owner_id,
        canonical.created_at,
        canonical.mql_at,
        canonical.sql_at,
        canonical.is_converted,
        canonical.converted_date,
        canonical.converted_account_id,
        canonical.converted_contact_id,
        canonical.converted_opportunity_id,
        canonical.is_deleted,
        canonical.loaded_at

    from canonical

    left join lead_statuses
        on {{ vocabulary_key('canonical.lead_status') }} = lead_statuses.vocabulary_key

    left join lead_sources
        on {{ vocabulary_key('canonical.lead_source') }} = lead_sources.vocabulary_key

    left join utm_mediums
        on {{ vocabulary_key('canonical.utm_medium') }} = utm_mediums.vocabulary_key

)

select * from final
