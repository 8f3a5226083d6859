{#-
    support.ticket from Fivetran's Zendesk tables: the ticket carries no first-reply or solve
    time (Zendesk keeps them in ticket metrics, which Fivetran's schema does not land), so
    - first_reply_at is the first public comment by an agent or admin that is not the
      ticket's first comment (the description, whoever wrote it), from ticket_comment;
    - solved_at is the last time the status changed to solved, from ticket_field_history
      (a ticket solved, reopened and solved again is solved at the last solve);
    as Fivetran's dbt_zendesk package reads them (calendar time, no business hours). Without
    ticket_comment or ticket_field_history the times are null, never guessed.
-#}
{{ config(enabled=connector_enabled('support', 'zendesk')) }}

with

tickets as (

    select * from {{ connector_select('zendesk', 'ticket', [
        ['id', 'bigint', 'required'],
        ['requester_id', 'bigint'],
        ['assignee_id', 'bigint'],
        ['organization_id', 'bigint'],
        ['subject', 'varchar'],
        ['status', 'varchar'],
        ['priority', 'varchar'],
        ['type', 'varchar'],
        ['via_channel', 'varchar'],
        ['created_at', 'timestamp', 'required'],
        ['updated_at', 'timestamp'],
        ['_fivetran_deleted', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as tickets

),

solves as (

    select
        ticket_id,
        max(updated) as solved_at

    from {{ ref('zendesk__ticket_field_history') }}

    where field_name = 'status' and lower(trim({{ adapter.quote('value') }})) = 'solved'

    group by ticket_id

),

first_replies as (

    select
        ticket_id,
        min(created_at) as first_reply_at

    from {{ ref('zendesk__ticket_comments') }}

    where is_public and is_agent and comment_number > 1

    group by ticket_id

),

final as (

    select
        tickets.id,
        tickets.requester_id,
        tickets.assignee_id,
        tickets.organization_id,
        tickets.subject,
        tickets.status,
        tickets.priority,
        tickets.{{ adapter.quote('type') }},
        tickets.via_channel,
        tickets.created_at,
        first_replies.first_reply_at,
        solves.solved_at,
        tickets.updated_at,
        coalesce(tickets._fivetran_deleted, false) as _fivetran_deleted,
        tickets._fivetran_synced

    from tickets

    left join first_replies
        on tickets.id = first_replies.ticket_id

    left join solves
        on tickets.id = solves.ticket_id

)

select * from final
