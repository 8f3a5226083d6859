{#-
    One row per event in a customer's life, from first touch to renewal, across
    marketing, CRM, billing and support, up to the as-of date. Every row traces back to
    its raw record through source_system, source_table and source_record_id.
-#}
with

events as (

    select * from {{ ref('int_journey_events_unioned') }}
    where quarantine_reason is null

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
        row_number() over (
            partition by account_key
            order by event_at, event_type, event_id
        ) as account_event_sequence

    from events

)

select * from final
