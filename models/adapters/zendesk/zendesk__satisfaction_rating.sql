{#-
    support.satisfaction_rating from Fivetran's Zendesk tables. Where the connector lands a
    satisfaction_rating table it is read as it is. Otherwise (Fivetran's default schema, and
    what Fivetran's dbt_zendesk package reads) each ticket's rating is its satisfaction_score
    field in ticket_field_history: the latest value (offered, unoffered, good or bad) at the
    time it was set, with the latest satisfaction_comment. Zendesk holds one rating per ticket
    and the field history gives it no id of its own, so the rating is named by its ticket id.
-#}
{{ config(enabled=connector_enabled('support', 'zendesk')) }}

{%- set rating_table = connector_table_is_present('zendesk', 'satisfaction_rating') %}

with

rating_table as (

    select * from {{ connector_select('zendesk', 'satisfaction_rating', [
        ['id', 'bigint', 'required'],
        ['ticket_id', 'bigint', 'required'],
        ['requester_id', 'bigint'],
        ['score', 'varchar', 'required'],
        ['comment', 'varchar'],
        ['created_at', 'timestamp'],
        ['updated_at', 'timestamp'],
        ['_fivetran_deleted', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as ratings

),

latest as (

    select
        *,
        row_number() over (
            partition by ticket_id, field_name order by updated desc, {{ adapter.quote('value') }} asc
        ) as change_rank

    from {{ ref('zendesk__ticket_field_history') }}

    where field_name in ('satisfaction_score', 'satisfaction_comment')

),

scores as (

    select * from latest
    where field_name = 'satisfaction_score' and change_rank = 1

),

comments as (

    select * from latest
    where field_name = 'satisfaction_comment' and change_rank = 1

),

tickets as (

    select * from {{ connector_select('zendesk', 'ticket', [
        ['id', 'bigint', 'required'],
        ['requester_id', 'bigint'],
    ]) }} as tickets

),

from_field_history as (

    select
        scores.ticket_id as id,
        scores.ticket_id,
        tickets.requester_id,
        scores.{{ adapter.quote('value') }} as score,
        nullif(trim(comments.{{ adapter.quote('value') }}), '') as {{ adapter.quote('comment') }},
        scores.updated as created_at,
        scores.updated as updated_at,
        false as _fivetran_deleted,
        scores._fivetran_synced

    from scores

    left join comments
        on scores.ticket_id = comments.ticket_id

    left join tickets
        on scores.ticket_id = tickets.id

),

final as (

    select
        id,
        ticket_id,
        requester_id,
        score,
        {{ adapter.quote('comment') }},
        created_at,
        updated_at,
        coalesce(_fivetran_deleted, false) as _fivetran_deleted,
        _fivetran_synced

    from rating_table

    union all

    select * from from_field_history
    -- the field history only where no rating table is landed
    where {{ 'false' if rating_table else 'true' }}

)

select * from final
