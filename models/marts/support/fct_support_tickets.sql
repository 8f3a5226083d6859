{#-
    One row per support ticket created up to the as-of date (deleted tickets excluded), with
    the customer account of its journey event (ticket_opened) and its reply and resolution
    times as known at the as-of date: a reply or solve after the as-of date has not happened
    yet (null), so a past as-of date shows the ticket as it stood then.
-#}
with

tickets as (

    select * from {{ ref('stg_support__tickets') }}
    where not is_deleted

),

ticket_events as (

    select * from {{ ref('fct_customer_journey') }}
    where
        event_type = 'ticket_opened'
        and source_system = 'support'
        and source_table = 'ticket'

),

tickets_in_scope as (

    select
        tickets.ticket_id,
        ticket_events.account_key,
        {#- The project's levels and kinds (seeds/mappings), not the desk's own words. -#}
        tickets.priority_level as priority,
        tickets.ticket_kind as ticket_type,
        tickets.support_channel as via_channel,
        tickets.created_at,
        case
            when tickets.first_replied_at < {{ as_of_timestamp_end() }} then tickets.first_replied_at
        end as first_replied_at,
        case
            when tickets.first_replied_at < {{ as_of_timestamp_end() }} then tickets.first_reply_hours
        end as first_reply_hours,
        case
            when tickets.solved_at < {{ as_of_timestamp_end() }} then tickets.solved_at
        end as solved_at,
        case
            when tickets.solved_at < {{ as_of_timestamp_end() }} then tickets.resolution_hours
        end as resolution_hours

    from tickets

    left join ticket_events
        on cast(tickets.ticket_id as {{ dbt.type_string() }}) = ticket_events.source_record_id

    where tickets.created_at < {{ as_of_timestamp_end() }}

),

final as (

    select
        ticket_id,
        account_key,
        priority,
        ticket_type,
        via_channel,
        created_at,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as created_month,
        first_replied_at,
        solved_at,
        first_reply_hours,
        resolution_hours,
        first_replied_at is not null as is_replied,
        solved_at is not null as is_solved

    from tickets_in_scope

)

select
    {{ contract_columns('final') }}

from final
