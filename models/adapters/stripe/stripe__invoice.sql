{#-
    billing.invoice from Fivetran's Stripe table invoice: the paid time is
    status_transitions_paid_at, and the discounts are what the subtotal and tax exceed the
    total by (Stripe's invoice carries no single discount column). Test-mode rows are left out.
-#}
{{ config(enabled=connector_enabled('billing', 'stripe')) }}

with

invoices as (

    select * from {{ connector_select('stripe', 'invoice', [
        ['id', 'varchar', 'required'],
        ['customer_id', 'varchar'],
        ['subscription_id', 'varchar'],
        ['number', 'varchar'],
        ['status', 'varchar'],
        ['currency', 'varchar'],
        ['subtotal', 'bigint'],
        ['tax', 'bigint'],
        ['total', 'bigint'],
        ['amount_paid', 'bigint'],
        ['period_start', 'timestamp'],
        ['period_end', 'timestamp'],
        ['created', 'timestamp'],
        ['status_transitions_paid_at', 'timestamp'],
        ['livemode', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as invoices

),

final as (

    select
        id,
        customer_id,
        subscription_id,
        number,
        status,
        currency,
        subtotal,
        subtotal + coalesce(tax, 0) - total as total_discount_amount,
        total,
        amount_paid,
        period_start,
        period_end,
        created,
        status_transitions_paid_at as paid_at,
        _fivetran_synced

    from invoices

    where coalesce(livemode, true)

)

select * from final
