{#-
    Every event the staging data implies is in the customer journey or quarantined with a
    reason, so a lost MQL, deal, stage change, solved ticket or rating cannot go unnoticed;
    and every subscription's billing events add up to its items' MRR starts minus ends up
    to the as-of date (to the cent per event). Returns the missing events and the
    subscriptions that do not balance.
-#}
with

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted and not is_duplicate_lead

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted

),

opportunity_history as (

    select
        opportunity_history_id,
        changed_at,
        stage_name,
        lag(stage_name) over (
            partition by opportunity_id order by changed_at, opportunity_history_id
        ) as previous_stage_name
    from {{ ref('stg_crm__opportunity_history') }}
    where not is_deleted

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}
    where not is_deleted

),

ratings as (

    select * from {{ ref('stg_support__satisfaction_ratings') }}
    where not is_deleted and is_rated

),

items as (

    select * from {{ ref('int_subscription_items_priced') }}

),

journey as (

    select * from {{ ref('fct_customer_journey') }}

),

quarantine as (

    select * from {{ ref('int_journey_quarantine') }}

),

expected_events as (

    select
        'lead' as source_table,
        lead_id as source_record_id,
        'lead_created' as event_type
    from leads
    union all
    select
        'lead',
        lead_id,
        'mql'
    from leads
    where mql_at is not null
    union all
    select
        'lead',
        lead_id,
        'sql'
    from leads
    where sql_at is not null
    union all
    select
        'opportunity',
        opportunity_id,
        'opportunity_created'
    from opportunities
    union all
    select
        'opportunity',
        opportunity_id,
        case when is_won then 'deal_won' else 'deal_lost' end
    from opportunities
    where is_closed
    union all
    select
        'opportunity_history',
        opportunity_history_id,
        'opportunity_stage_changed'
    from opportunity_history
    where previous_stage_name is null or previous_stage_name <> stage_name
    union all
    select
        'ticket',
        cast(ticket_id as {{ dbt.type_string() }}),
        'ticket_opened'
    from tickets
    union all
    select
        'ticket',
        cast(ticket_id as {{ dbt.type_string() }}),
        'ticket_solved'
    from tickets
    where solved_at is not null
    union all
    select
        'satisfaction_rating',
        cast(satisfaction_rating_id as {{ dbt.type_string() }}),
        'satisfaction_rated'
    from ratings

),

accounted_events as (

    select
        source_table,
        source_record_id,
        event_type
    from journey
    union all
    select
        source_table,
        source_record_id,
        event_type
    from quarantine
    where event_type is not null
    union all
    -- a record quarantined as a whole accounts for all of its events
    select
        source_table,
        source_record_id,
        '*' as event_type
    from quarantine
    where event_type is null

),

missing_events as (

    select
        'missing_event' as problem,
        expected_events.source_table,
        expected_events.source_record_id,
        expected_events.event_type,
        cast(null as decimal(18, 4)) as expected_amount,
        cast(null as decimal(18, 4)) as journey_amount

    from expected_events

    where not exists (
            select 1
            from accounted_events
            where accounted_events.source_table = expected_events.source_table
                and accounted_events.source_record_id = expected_events.source_record_id
                and accounted_events.event_type in (expected_events.event_type, '*')
        )

),

expected_mrr as (

    select
        subscription_id,
        sum(case when cast(started_at as date) <= {{ as_of_date() }} then mrr else 0 end)
        - sum(case when cast(ended_at as date) <= {{ as_of_date() }} then mrr else 0 end) as expected_amount

    from items

    group by 1

),

journey_mrr as (

    select
        source_record_id as subscription_id,
        sum(amount) as journey_amount,
        count(*) as event_count

    from journey

    where event_category = 'billing'

    group by 1

),

unbalanced_subscriptions as (

    select
        'mrr_does_not_balance' as problem,
        'subscription' as source_table,
        expected_mrr.subscription_id as source_record_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        expected_mrr.expected_amount,
        coalesce(journey_mrr.journey_amount, 0) as journey_amount

    from expected_mrr

    left join journey_mrr
        on expected_mrr.subscription_id = journey_mrr.subscription_id

    -- each event rounds its amount to the cent
    where abs(expected_mrr.expected_amount - coalesce(journey_mrr.journey_amount, 0))
        > 0.005 * coalesce(journey_mrr.event_count, 0) + 0.0001

)

select * from missing_events
union all
select * from unbalanced_subscriptions
