{#-
    crm.account from Fivetran's Salesforce table account. The billing country is the ISO code
    of billing_country_code (State and Country picklists), else billing_country when it holds
    two letters: a country name is never taken for a code (null). The last change falls back to
    system_modstamp, then to the History Mode version start.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

with

salesforce_accounts as (

    select * from {{ connector_select('salesforce', 'account', [
        ['id', 'varchar', 'required'],
        ['name', 'varchar', 'required'],
        ['website', 'varchar'],
        ['industry', 'varchar'],
        ['billing_country_code', 'varchar'],
        ['billing_country', 'varchar'],
        ['number_of_employees', 'integer'],
        ['type', 'varchar'],
        ['account_source', 'varchar'],
        ['owner_id', 'varchar'],
        ['created_date', 'timestamp', 'required'],
        ['last_modified_date', 'timestamp'],
        ['system_modstamp', 'timestamp'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as salesforce_accounts

),

current_accounts as (

    select * from {{ salesforce_current('salesforce_accounts') }} as current_accounts

),

final as (

    select
        id,
        name,
        website,
        industry,
        {{ salesforce_country('billing_country_code', 'billing_country') }} as billing_country,
        number_of_employees,
        {{ adapter.quote('type') }},
        account_source,
        owner_id,
        created_date,
        coalesce(last_modified_date, system_modstamp, _fivetran_start) as last_modified_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from current_accounts

)

select * from final
