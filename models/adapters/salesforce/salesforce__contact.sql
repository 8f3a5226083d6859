{#-
    crm.contact from Fivetran's Salesforce table contact: the contract's columns are
    Salesforce's own.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

with

contacts as (

    select * from {{ connector_select('salesforce', 'contact', [
        ['id', 'varchar', 'required'],
        ['account_id', 'varchar'],
        ['first_name', 'varchar'],
        ['last_name', 'varchar'],
        ['email', 'varchar'],
        ['phone', 'varchar'],
        ['title', 'varchar'],
        ['lead_source', 'varchar'],
        ['owner_id', 'varchar'],
        ['created_date', 'timestamp', 'required'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as contacts

),

current_contacts as (

    select * from {{ salesforce_current('contacts') }} as current_contacts

),

final as (

    select
        id,
        account_id,
        first_name,
        last_name,
        email,
        phone,
        title,
        lead_source,
        owner_id,
        created_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from current_contacts

)

select * from final
