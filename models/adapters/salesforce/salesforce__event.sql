{#-
    crm.event from Fivetran's Salesforce table event. An all-day event has no start time: it
    starts at the start of its activity_date (UTC); its end is end_date_time, else the start
    plus duration_in_minutes. An event on a public calendar (owner id not a user's, 005...)
    reads with no owner.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

with

events as (

    select * from {{ connector_select('salesforce', 'event', [
        ['id', 'varchar', 'required'],
        ['who_id', 'varchar'],
        ['what_id', 'varchar'],
        ['account_id', 'varchar'],
        ['owner_id', 'varchar'],
        ['subject', 'varchar'],
        ['type', 'varchar'],
        ['start_date_time', 'timestamp'],
        ['activity_date_time', 'timestamp'],
        ['activity_date', 'date'],
        ['end_date_time', 'timestamp'],
        ['duration_in_minutes', 'integer'],
        ['created_date', 'timestamp'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as events

),

current_events as (

    select * from {{ salesforce_current('events') }} as current_events

),

started as (

    select
        *,
        coalesce(start_date_time, activity_date_time, cast(activity_date as timestamp)) as starts_at

    from current_events

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
        starts_at as start_date_time,
        coalesce(end_date_time, {{ dbt.dateadd('minute', 'duration_in_minutes', 'starts_at') }}) as end_date_time,
        created_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from started

)

select * from final
