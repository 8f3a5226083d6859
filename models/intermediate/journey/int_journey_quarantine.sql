{#-
    One row per raw record, or candidate journey event, that did not enter the customer
    journey, with the reason. Together with fct_customer_journey it accounts for every raw
    lead, opportunity, subscription and ticket, and it counts the extra extract rows of
    every raw table (tests/reconcile_*.sql prove both).

    Reasons:
      duplicate_extract_row       the extract delivered a key again; the latest load won
                                  (any raw table; raw_rows counts the extra rows)
      missing_record_id           rows of a raw table without (a part of) their primary key,
                                  one row per table and load time (source_record_id names
                                  both; raw_rows counts the rows): nothing tells them apart
      deleted_in_source           the record was deleted in the source system
      duplicate_lead              a later lead of a person who already has one (stg_crm__leads)
      customer_deleted_in_source  the subscription's Stripe customer was deleted
      fx_rate_missing             an item of the subscription has no FX rate on its first day
      ends_before_start           the subscription ends before it starts: it has no period to
                                  bill (warn test stg_billing__subscriptions_end_not_before_start)
      negative_amount             a subscription item priced below 0 (Stripe allows none): left
                                  out of MRR; its subscription too when it has no other paid item
      no_paid_mrr_change          the subscription never changed MRR in scope (free, or
                                  started and ended the same day)
      after_as_of_date            the record or event is dated after the as-of date
      missing_event_timestamp     the event has no timestamp
      malformed_email             the record has an email that is not a well-formed address:
                                  it entered WITHOUT that email (no match on it), flagged here
                                  with raw_rows 0, since nothing was kept out
      parent_deleted_in_source    the event hangs off a record deleted in the source: its
                                  Salesforce account, its opportunity or its ticket
      no_account                  no customer account could be found for the event
-#}
with

extract_rows as (

    {% for raw in raw_tables() %}
        select
            '{{ raw.system }}' as source_system,
            '{{ raw.table }}' as source_table,
            {{ key_as_text(raw.primary_key) }} as source_record_id,
            count(*) - 1 as extra_rows
        from {{ raw_source(raw.system, raw.table) }}
        where {{ raw_key_present(raw.system, raw.table) }}
        group by 1, 2, 3
        having count(*) > 1
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- rows without (a part of) their primary key, per table and load time: the staging models
-- leave them out, since nothing tells them apart
keyless_rows as (

    {% for raw in raw_tables() %}
        select
            '{{ raw.system }}' as source_system,
            '{{ raw.table }}' as source_table,
            {{ dbt.concat([
                "'no " ~ raw.primary_key | join('/') ~ ", loaded at '",
                "coalesce(cast(" ~ raw.loaded_at ~ " as " ~ dbt.type_string() ~ "), 'an unknown time')",
            ]) }} as source_record_id,
            count(*) as raw_rows
        from {{ raw_source(raw.system, raw.table) }}
        where not {{ raw_key_present(raw.system, raw.table) }}
        group by 1, 2, 3
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

subscriptions as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

subscription_items as (

    select * from {{ ref('stg_billing__subscription_items') }}

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

malformed_emails as (

    select
        'crm' as source_system,
        'lead' as source_table,
        lead_id as source_record_id
    from leads
    where has_malformed_email and not is_deleted
    union all
    select
        'crm',
        'contact',
        contact_id
    from {{ ref('stg_crm__contacts') }}
    where has_malformed_email and not is_deleted
    union all
    select
        'billing',
        'customer',
        customer_id
    from customers
    where has_malformed_email and not is_deleted
    union all
    select
        'support',
        'user',
        cast(support_user_id as {{ dbt.type_string() }})
    from {{ ref('stg_support__users') }}
    where has_malformed_email and not is_deleted
    union all
    select
        'marketing',
        'form_submissions',
        submission_id
    from {{ ref('stg_marketing__form_submissions') }}
    where has_malformed_email

),

events as (

    select * from {{ ref('int_journey_events_unioned') }}

),

negative_items as (

    select
        subscription_item_id,
        subscription_id

    from subscription_items

    where unit_amount_local < 0

),

unpriced_subscriptions as (

    select distinct subscription_items.subscription_id
    from subscription_items
    where subscription_items.quantity * subscription_items.unit_amount_local > 0
        and subscription_items.unit_amount is null

),

subscriptions_without_events as (

    select
        subscriptions.subscription_id,
        case
            when customers.is_deleted then 'customer_deleted_in_source'
            when subscriptions.ended_at < subscriptions.started_at then 'ends_before_start'
            when subscriptions.subscription_id in (select negative_items.subscription_id from negative_items)
                then 'negative_amount'
            when unpriced_subscriptions.subscription_id is not null then 'fx_rate_missing'
            when cast(subscriptions.started_at as date) > {{ as_of_date() }} then 'after_as_of_date'
            else 'no_paid_mrr_change'
        end as quarantine_reason

    from subscriptions

    left join customers
        on subscriptions.customer_id = customers.customer_id

    left join unpriced_subscriptions
        on subscriptions.subscription_id = unpriced_subscriptions.subscription_id

    where subscriptions.subscription_id not in (select mrr_changes.subscription_id from mrr_changes)

),

record_exclusions as (

    select
        source_system,
        source_table,
        source_record_id,
        'duplicate_extract_row' as quarantine_reason,
        extra_rows as raw_rows
    from extract_rows

    union all

    select
        source_system,
        source_table,
        source_record_id,
        'missing_record_id' as quarantine_reason,
        raw_rows
    from keyless_rows

    union all

    select
        'crm' as source_system,
        'lead' as source_table,
        lead_id as source_record_id,
        case when is_deleted then 'deleted_in_source' else 'duplicate_lead' end as quarantine_reason,
        1 as raw_rows
    from leads
    where is_deleted or is_duplicate_lead

    union all

    select
        'crm' as source_system,
        'opportunity' as source_table,
        opportunity_id as source_record_id,
        'deleted_in_source' as quarantine_reason,
        1 as raw_rows
    from opportunities
    where is_deleted

    union all

    select
        'billing' as source_system,
        'subscription' as source_table,
        subscription_id as source_record_id,
        quarantine_reason,
        1 as raw_rows
    from subscriptions_without_events

    union all

    select
        'billing' as source_system,
        'subscription_item' as source_table,
        subscription_item_id as source_record_id,
        'negative_amount' as quarantine_reason,
        1 as raw_rows
    from negative_items

    union all

    select
        'support' as source_system,
        'ticket' as source_table,
        cast(ticket_id as {{ dbt.type_string() }}) as source_record_id,
        'deleted_in_source' as quarantine_reason,
        1 as raw_rows
    from tickets
    where is_deleted

    union all

    select
        source_system,
        source_table,
        source_record_id,
        'malformed_email' as quarantine_reason,
        0 as raw_rows
    from malformed_emails

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
        {{ surrogate_key([
            'source_system', 'source_table', 'source_record_id', 'quarantine_reason', 'event_type', 'event_at'
        ]) }} as quarantine_id,
        source_system,
        source_table,
        source_record_id,
        quarantine_reason,
        event_type,
        event_at,
        0 as raw_rows

    from events

    where quarantine_reason is not null

)

select * from final
