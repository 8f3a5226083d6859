{#-
    crm.campaign from Fivetran's Salesforce table campaign: the contract's columns are
    Salesforce's own.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

with

campaigns as (

    select * from {{ connector_select('salesforce', 'campaign', [
        ['id', 'varchar', 'required'],
        ['name', 'varchar'],
        ['type', 'varchar'],
        ['status', 'varchar'],
        ['start_date', 'date'],
        ['end_date', 'date'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as campaigns

),

current_campaigns as (

    select * from {{ salesforce_current('campaigns') }} as current_campaigns

),

final as (

    select
        id,
        name,
        {{ adapter.quote('type') }},
        status,
        start_date,
        end_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from current_campaigns

)

select * from final
