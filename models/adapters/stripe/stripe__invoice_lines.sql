{#-
    Fivetran's Stripe invoice_line_item, read once for the item history and the contract's
    lines: the price is price_id, else plan_id (older lines); a proration line that charges
    for a new plan or quantity ("Remaining time on ...", not a credit) is is_new_state.
    Temporary line ids (sub_...), replaced by permanent ones in a later sync, and test-mode
    lines are left out, as Fivetran's Stripe package does. Not a contract table.
-#}
{{ config(enabled=connector_enabled('billing', 'stripe')) }}

with

lines as (

    select * from {{ connector_select('stripe', 'invoice_line_item', [
        ['id', 'varchar', 'required'],
        ['invoice_id', 'varchar', 'required'],
        ['subscription_id', 'varchar'],
        ['subscription_item_id', 'varchar'],
        ['price_id', 'varchar'],
        ['plan_id', 'varchar'],
        ['description', 'varchar'],
        ['quantity', 'integer'],
        ['amount', 'bigint'],
        ['discount_amount', 'bigint'],
        ['currency', 'varchar'],
        ['period_start', 'timestamp'],
        ['period_end', 'timestamp'],
        ['proration', 'boolean'],
        ['livemode', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as line_items

),

final as (

    select
        id,
        invoice_id,
        subscription_id,
        subscription_item_id,
        coalesce(price_id, plan_id) as price_id,
        description,
        quantity,
        amount,
        discount_amount,
        currency,
        period_start,
        period_end,
        coalesce(proration, false) as is_proration,
        coalesce(proration, false)
        and (amount > 0 or (amount = 0 and coalesce(description, '') not like 'Unused time%')) as is_new_state,
        _fivetran_synced

    from lines

    where id not like 'sub%'
        and coalesce(livemode, true)

)

select * from final
