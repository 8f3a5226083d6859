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

final as (

    select
        {{ surrogate_key(['event_type', 'source_system', 'source_table', 'source_record_id', 'event_at']) }}
            as event_id,
        event_type,
        event_at,
        account_key,
        person_key,
        channel,
        amount,
        owner_user_id,
        event_detail,
        source_system,
        source_table,
        source_record_id,
        case
            when event_at is null then 'missing_event_timestamp'
            when event_at >= {{ as_of_timestamp_end() }} then 'after_as_of_date'
            when account_key is null then 'no_account'
        end as quarantine_reason

    from events

)

select * from final
