{#-
    The public comments of Fivetran's Zendesk ticket_comment, each with its author's role and
    its place on the ticket: what the first reply time is read from (zendesk__ticket).
-#}
{{ config(enabled=connector_enabled('support', 'zendesk')) }}

with

comments as (

    select * from {{ connector_select('zendesk', 'ticket_comment', [
        ['id', 'bigint', 'required'],
        ['ticket_id', 'bigint', 'required'],
        ['user_id', 'bigint'],
        ['created', 'timestamp', 'required'],
        ['public', 'boolean'],
        ['_fivetran_deleted', 'boolean'],
    ]) }} as ticket_comments

    where not coalesce(_fivetran_deleted, false)

),

users as (

    select
        id as user_id,
        lower(trim({{ adapter.quote('role') }})) as user_role

    from {{ ref('zendesk__user') }}

),

final as (

    select
        comments.id as comment_id,
        comments.ticket_id,
        comments.user_id,
        comments.created as created_at,
        coalesce(comments.{{ adapter.quote('public') }}, true) as is_public,
        {#- Zendesk's roles: end-user, agent, admin (a custom role is an agent) -#}
        coalesce(users.user_role in ('agent', 'admin'), false) as is_agent,
        row_number() over (partition by comments.ticket_id order by comments.created, comments.id)
            as comment_number

    from comments

    left join users
        on comments.user_id = users.user_id

)

select * from final
