{#-
    crm.task from Fivetran's Salesforce table task. A task owned by a queue (owner id not a
    user's, 005...) reads with no owner. Archived tasks (Salesforce archives activities after a
    year) and recurring series stay: the contract keeps every row.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

with

salesforce_tasks as (

    select * from {{ connector_select('salesforce', 'task', [
        ['id', 'varchar', 'required'],
        ['who_id', 'varchar'],
        ['what_id', 'varchar'],
        ['account_id', 'varchar'],
        ['owner_id', 'varchar'],
        ['subject', 'varchar'],
        ['type', 'varchar'],
        ['status', 'varchar'],
        ['activity_date', 'date'],
        ['completed_date_time', 'timestamp'],
        ['created_date', 'timestamp', 'required'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as salesforce_tasks

),

current_tasks as (

    select * from {{ salesforce_current('salesforce_tasks') }} as current_tasks

),

final as (

    select
        id,
        who_id,
        what_id,
        account_id,
        {{ salesforce_user_id('owner_id') }} as owner_id,
        subject,
        {{ adapter.quote('type') }},
        status,
        activity_date,
        completed_date_time,
        created_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from current_tasks

)

select * from final
