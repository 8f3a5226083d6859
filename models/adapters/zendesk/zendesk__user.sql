{#-
    support.user from Fivetran's Zendesk table user: the contract's columns are Zendesk's own.
-#}
{{ config(enabled=connector_enabled('support', 'zendesk')) }}

with

users as (

    select * from {{ connector_select('zendesk', 'user', [
        ['id', 'bigint', 'required'],
        ['name', 'varchar'],
        ['email', 'varchar'],
        ['phone', 'varchar'],
        ['role', 'varchar'],
        ['organization_id', 'bigint'],
        ['active', 'boolean'],
        ['created_at', 'timestamp'],
        ['updated_at', 'timestamp'],
        ['_fivetran_deleted', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as zendesk_users

),

final as (

    select
        id,
        name,
        email,
        phone,
        {{ adapter.quote('role') }},
        organization_id,
        coalesce(active, true) as active,
        created_at,
        updated_at,
        coalesce(_fivetran_deleted, false) as _fivetran_deleted,
        _fivetran_synced

    from users

)

select * from final
