{#-
    Every candidate journey event from every system, with its event id and a reason when
    it cannot enter the journey. fct_customer_journey takes the rows without a reason;
    int_journey_quarantine keeps the others. Nothing is dropped in between.
-#}
with

events as (

    select * from {{ ref('int_journey_events_marketing') }}
    union all
    select * from {{ ref('int_journey_events_sales') }}
    union all
    select * from {{ ref('int_journey_events_billing') }}
    union all
    select * from {{ ref('int_journey_events_support') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

opportunity_history as (

    select * from {{ ref('stg_crm__opportunity_history') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

ratings as (

    select * from {{ ref('stg_support__satisfaction_ratings') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

activities as (

    select
        'task' as source_table,
        task_id as activity_id,
        what_id,
        account_id
    from {{ ref('stg_crm__tasks') }}

    union all

    select
        'event' as source_table,
        event_id as activity_id,
        what_id,
        account_id
    from {{ ref('stg_crm__events') }}

),

orphaned_opportunities as (

    select
        opportunities.opportunity_id,
        opportunities.is_deleted or coalesce(accounts.is_deleted, false) as is_orphaned

    from opportunities

    left join accounts
        on opportunities.account_id = accounts.account_id

),

-- records whose parent (account, opportunity or ticket) was deleted in the source
-- (left without an account key: with one, the event stands on its own)
deleted_parent_records as (

    select
        'opportunity' as source_table,
        opportunities.opportunity_id as source_record_id
    from opportunities
    inner join accounts
        on opportunities.account_id = accounts.account_id
    where accounts.is_deleted

    union all

    select
        'opportunity_history' as source_table,
        opportunity_history.opportunity_history_id as source_record_id
    from opportunity_history
    inner join orphaned_opportunities
        on opportunity_history.opportunity_id = orphaned_opportunities.opportunity_id
    where orphaned_opportunities.is_orphaned

    union all

    select
        activities.source_table,
        activities.activity_id as source_record_id
    from activities
    left join orphaned_opportunities
        on activities.what_id = orphaned_opportunities.opportunity_id
    left join accounts
        on activities.account_id = accounts.account_id
    where coalesce(orphaned_opportunities.is_orphaned, false)
        or coalesce(accounts.is_deleted, false)

    union all

    select
        'satisfaction_rating' as source_table,
        cast(ratings.satisfaction_rating_id as {{ dbt.type_string() }}) as source_record_id
    from ratings
    inner join tickets
        on ratings.ticket_id = tickets.ticket_id
    where tickets.is_deleted

),

final as (

    select
        {{ surrogate_key([
            'events.event_type', 'events.source_system', 'events.source_table',
            'events.source_record_id', 'events.event_at'
        ]) }} as event_id,
        events.event_type,
        events.event_at,
        events.account_key,
        events.person_key,
        events.channel,
        events.amount,
        events.owner_user_id,
        events.event_detail,
        events.source_system,
        events.source_table,
        events.source_record_id,
        events.loaded_at,
        case
            when events.event_at is null then 'missing_event_timestamp'
            when events.event_at >= {{ as_of_timestamp_end() }} then 'after_as_of_date'
            when events.account_key is null and deleted_parent_records.source_record_id is not null
                then 'parent_deleted_in_source'
            when events.account_key is null then 'no_account'
        end as quarantine_reason

    from events

    left join deleted_parent_records
        on events.source_table = deleted_parent_records.source_table
            and events.source_record_id = deleted_parent_records.source_record_id

)

select * from final
