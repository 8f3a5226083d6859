{#-
    billing.invoice_line_item from Fivetran's Stripe invoice lines (stripe__invoice_lines):
    each line's subscription item is the version of the item (stripe__subscription_item)
    in force when the line's period starts (for a credit of unused time, the version that
    ends then), since the contract's items are versions.
-#}
{{ config(enabled=connector_enabled('billing', 'stripe')) }}

with

lines as (

    select * from {{ ref('stripe__invoice_lines') }}

),

item_versions as (

    select * from {{ ref('stripe__subscription_item') }}

),

final as (

    select
        lines.id,
        lines.invoice_id,
        lines.subscription_id,
        coalesce(item_versions.id, lines.subscription_item_id) as subscription_item_id,
        lines.price_id,
        lines.description,
        lines.quantity,
        lines.amount,
        lines.discount_amount,
        lines.currency,
        lines.period_start,
        lines.period_end,
        lines.is_proration as proration,
        lines._fivetran_synced

    from lines

    -- a credit for unused time belongs to the version that ends when it starts
    left join item_versions
        on lines.subscription_item_id = item_versions.stripe_item_id
            and (
                (
                    lines.is_proration and not lines.is_new_state
                    and lines.period_start > item_versions.created
                    and (lines.period_start <= item_versions.ended_at or item_versions.ended_at is null)
                )
                or (
                    not (lines.is_proration and not lines.is_new_state)
                    and lines.period_start >= item_versions.created
                    and (lines.period_start < item_versions.ended_at or item_versions.ended_at is null)
                )
            )

)

select * from final
