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
        lead_id,
        canonical_lead_id,
        lead_id <> canonical_lead_id as is_duplicate_lead,
        email,
        has_malformed_email,
        {{ email_domain('email') }} as email_domain,
        company_name,
        title,
        lead_status,
        lead_source,
        {{ channel_from_lead_source('lead_source') }} as lead_source_channel,
        utm_source,
        utm_medium,
        utm_campaign,
        country_code,
        employee_count,
        {{ segment_from_employees('employee_count') }} as segment,
        owner_id,
        created_at,
        mql_at,
        sql_at,
        is_converted,
        converted_date,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        is_deleted,
        loaded_at

    from canonical

)

select * from final
