{#-
    Fivetran's Zendesk ticket_field_history, read once: the status changes (solve times,
    zendesk__ticket) and the satisfaction fields (CSAT, zendesk__satisfaction_rating).
-#}
{{ config(enabled=connector_enabled('support', 'zendesk')) }}

with

field_history as (

    select * from {{ connector_select('zendesk', 'ticket_field_history', [
        ['ticket_id', 'bigint', 'required'],
        ['field_name', 'varchar', 'required'],
        ['updated', 'timestamp', 'required'],
        ['value', 'varchar'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as field_history

    where field_name in ('status', 'satisfaction_score', 'satisfaction_comment')

)

select * from field_history
