{{
    config(
        materialized=incremental_or_table(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_accounts_to_refresh() }}",
        post_hook="{{ mark_identity_keys_applied() }}"
    )
}}

{#-
    One row per event in a customer's life, from first touch to renewal, across
    marketing, CRM, billing and support, up to the as-of date. Every row traces back to
    its raw record through source_system, source_table and source_record_id.

    Incremental: a build deletes and rebuilds whole the accounts listed by
    int_journey_accounts_to_refresh (new or late rows, identity moves, deletions), so the
    result equals a full refresh on the same data (tests/test_incremental.py proves it).
-#}
-- depends_on: {{ ref('int_journey_accounts_to_refresh') }}
-- depends_on: {{ ref('int_identity_keys_tracked') }}
{{ require_in_same_run(['int_journey_accounts_to_refresh', 'int_identity_keys_tracked']) }}
with

events as (

    select unioned.*

    from {{ ref('int_journey_events_unioned') }} as unioned

    {{ join_accounts_to_refresh('unioned') }}

    where unioned.quarantine_reason is null

),

final as (

    select
        event_id,
        account_key,
        person_key,
        event_at,
        cast(event_at as date) as event_date,
        event_type,
        case
            when event_type in ('touch', 'form_submitted') then 'marketing'
            when event_type in (
                    'lead_created', 'mql', 'sql', 'opportunity_created', 'opportunity_stage_changed',
                    'sales_activity', 'deal_won', 'deal_lost'
                ) then 'sales'
            when event_type in ('subscription_started', 'expansion', 'contraction', 'churn', 'reactivation')
                then 'billing'
            else 'support'
        end as event_category,
        channel,
        amount,
        owner_user_id,
        event_detail,
        source_system,
        source_table,
        source_record_id,
        loaded_at,
        row_number() over (
            partition by account_key
            order by event_at, event_type, event_id
        ) as account_event_sequence

    from events

)

select
    {{ contract_columns('final') }}

from final
