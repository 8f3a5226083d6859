{#-
    billing.customer from Fivetran's Stripe table customer. Test-mode rows (livemode false)
    are left out, as Fivetran's Stripe package does; the rest is a rename.
-#}
{{ config(enabled=connector_enabled('billing', 'stripe')) }}

with

customers as (

    select * from {{ connector_select('stripe', 'customer', [
        ['id', 'varchar', 'required'],
        ['email', 'varchar'],
        ['name', 'varchar'],
        ['description', 'varchar'],
        ['currency', 'varchar'],
        ['address_country', 'varchar'],
        ['metadata', 'varchar'],
        ['created', 'timestamp'],
        ['is_deleted', 'boolean'],
        ['livemode', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as customers

),

final as (

    select
        id,
        email,
        name,
        description,
        currency,
        address_country,
        metadata,
        created,
        coalesce(is_deleted, false) as is_deleted,
        _fivetran_synced

    from customers

    where coalesce(livemode, true)

)

select * from final
