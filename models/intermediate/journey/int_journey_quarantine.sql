{#-
    One row per raw record, or candidate journey event, that did not enter the customer
    journey, with the reason. Together with fct_customer_journey it accounts for every raw
    lead, opportunity, subscription and ticket (tests/reconcile_*.sql prove it).

    Reasons:
      duplicate_extract_row   the extract delivered the same id again; the latest load won
      deleted_in_source       the record was deleted in the source system
      duplicate_lead          a later lead of a person who already has one (stg_crm__leads)
      customer_deleted_in_source  the subscription's Stripe customer was deleted
      no_paid_mrr_change      the subscription never changed MRR (free, or started and ended the same day)
      after_as_of_date        the event happened after the as-of date
      missing_event_timestamp the event has no timestamp
      no_account              no customer account could be found for the event
-#}
{%- set extract_tables = [
    ('crm', 'lead', 'id'),
    ('crm', 'opportunity', 'id'),
    ('billing', 'subscription', 'id'),
    ('support', 'ticket', 'id'),
] %}
with

{% for system, table, key in extract_tables %}
    {{ system }}_{{ table }}_extract_rows as (

        select
            cast({{ key }} as {{ dbt.type_string() }}) as source_record_id,
            count(*) - 1 as extra_rows

        from {{ raw_source(system, table) }}

        group by 1

        having count(*) > 1

    ),

{% endfor %}

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

subscriptions as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

customers as (

    select * from {{ ref('stg_billing__customers') }}

),

mrr_changes as (

    select * from {{ ref('int_mrr_changes_classified') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

events as (

    select * from {{ ref('int_journey_events_unioned') }}

),

record_exclusions as (

    {% for system, table, key in extract_tables %}
        select
            '{{ system }}' as source_system,
            '{{ table }}' as source_table,
            source_record_id,
            'duplicate_extract_row' as quarantine_reason,
            extra_rows as raw_rows
        from {{ system }}_{{ table }}_extract_rows

        union all
    {% endfor %}

    select
        'crm',
        'lead',
        lead_id,
        'deleted_in_source',
        1
    from leads
    where is_deleted

    union all

    select
        'crm',
        'lead',
        lead_id,
        'duplicate_lead',
        1
    from leads
    where not is_deleted and is_duplicate_lead

    union all

    select
        'crm',
        'opportunity',
        opportunity_id,
        'deleted_in_source',
        1
    from opportunities
    where is_deleted

    union all

    select
        'billing',
        'subscription',
        subscriptions.subscription_id,
        'customer_deleted_in_source',
        1
    from subscriptions
    inner join customers
        on subscriptions.customer_id = customers.customer_id
    where customers.is_deleted

    union all

    select
        'billing',
        'subscription',
        subscriptions.subscription_id,
        case
            when cast(subscriptions.started_at as date) > {{ as_of_date() }} then 'after_as_of_date'
            else 'no_paid_mrr_change'
        end,
        1
    from subscriptions
    left join customers
        on subscriptions.customer_id = customers.customer_id
    where not coalesce(customers.is_deleted, false)
        and subscriptions.subscription_id not in (select mrr_changes.subscription_id from mrr_changes)

    union all

    select
        'support',
        'ticket',
        cast(ticket_id as {{ dbt.type_string() }}),
        'deleted_in_source',
        1
    from tickets
    where is_deleted

),

event_exclusions as (

    select
        source_system,
        source_table,
        source_record_id,
        quarantine_reason,
        event_type,
        event_at

    from events

    where quarantine_reason is not null

),

final as (

    select
        {{ surrogate_key(['source_system', 'source_table', 'source_record_id', 'quarantine_reason']) }}
            as quarantine_id,
        source_system,
        source_table,
        source_record_id,
        quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as timestamp) as event_at,
        raw_rows

    from record_exclusions

    union all

    select
        {{ surrogate_key(['source_system', 'source_table', 'source_record_id', 'quarantine_reason', 'event_type', 'event_at']) }},
        source_system,
        source_table,
        source_record_id,
        quarantine_reason,
        event_type,
        event_at,
        0 as raw_rows

    from event_exclusions

)

select * from final
