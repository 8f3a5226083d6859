{#-
    crm.lead from Fivetran's Salesforce table lead. The UTM fields and the MQL and SQL dates are
    custom fields, read under the names salesforce_field() gives (Fivetran lands utm_source__c
    as utm_source_c): null when the org has no such field, or it is a formula field, which
    Fivetran does not sync. The country is the ISO code of country_code, else a two-letter
    country. A lead owned by a queue (owner id not a user's, 005...) reads with no owner.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}
{{ salesforce_check_fields('lead', ['utm_source__c', 'utm_medium__c', 'utm_campaign__c', 'mql_date__c', 'sql_date__c']) }}

with

leads as (

    select * from {{ connector_select('salesforce', 'lead', [
        ['id', 'varchar', 'required'],
        ['first_name', 'varchar'],
        ['last_name', 'varchar'],
        ['email', 'varchar'],
        ['phone', 'varchar'],
        ['company', 'varchar'],
        ['title', 'varchar'],
        ['status', 'varchar'],
        ['lead_source', 'varchar'],
        [salesforce_field('utm_source__c'), 'varchar'],
        [salesforce_field('utm_medium__c'), 'varchar'],
        [salesforce_field('utm_campaign__c'), 'varchar'],
        ['country_code', 'varchar'],
        ['country', 'varchar'],
        ['number_of_employees', 'integer'],
        ['owner_id', 'varchar'],
        ['created_date', 'timestamp', 'required'],
        [salesforce_field('mql_date__c'), 'timestamp'],
        [salesforce_field('sql_date__c'), 'timestamp'],
        ['is_converted', 'boolean'],
        ['converted_date', 'date'],
        ['converted_account_id', 'varchar'],
        ['converted_contact_id', 'varchar'],
        ['converted_opportunity_id', 'varchar'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as leads

),

current_leads as (

    select * from {{ salesforce_current('leads') }} as current_leads

),

final as (

    select
        id,
        first_name,
        last_name,
        email,
        phone,
        company,
        title,
        status,
        lead_source,
        {{ salesforce_field('utm_source__c') }} as utm_source__c,
        {{ salesforce_field('utm_medium__c') }} as utm_medium__c,
        {{ salesforce_field('utm_campaign__c') }} as utm_campaign__c,
        {{ salesforce_country('country_code', 'country') }} as country,
        number_of_employees,
        {{ salesforce_user_id('owner_id') }} as owner_id,
        created_date,
        {{ salesforce_field('mql_date__c') }} as mql_date__c,
        {{ salesforce_field('sql_date__c') }} as sql_date__c,
        is_converted,
        converted_date,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from current_leads

)

select * from final
