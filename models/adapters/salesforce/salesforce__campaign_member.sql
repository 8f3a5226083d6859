{#-
    crm.campaign_member from Fivetran's Salesforce table campaign_member: the contract's
    columns are Salesforce's own. A member converted from a lead keeps its lead_id and gains a
    contact_id, as Salesforce stores both.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

with

members as (

    select * from {{ connector_select('salesforce', 'campaign_member', [
        ['id', 'varchar', 'required'],
        ['campaign_id', 'varchar', 'required'],
        ['lead_id', 'varchar'],
        ['contact_id', 'varchar'],
        ['status', 'varchar'],
        ['has_responded', 'boolean'],
        ['created_date', 'timestamp'],
        ['first_responded_date', 'date'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as members

),

current_members as (

    select * from {{ salesforce_current('members') }} as current_members

),

final as (

    select
        id,
        campaign_id,
        lead_id,
        contact_id,
        status,
        has_responded,
        created_date,
        first_responded_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from current_members

)

select * from final
