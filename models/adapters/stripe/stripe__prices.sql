{#-
    One row per Stripe price (or legacy plan: connections from before the Prices API land
    plan, with amount and interval), with its product's name. Items and invoice lines point
    at it by plan_id (Stripe price ids are also plan ids). Not a contract table: the items'
    price, interval and plan name come from here.
-#}
{{ config(enabled=connector_enabled('billing', 'stripe')) }}

{%- set has_price = connector_table_is_present('stripe', 'price') %}

with

prices as (

    {% if has_price -%}
        select
            id as price_id,
            unit_amount,
            currency,
            recurring_interval,
            recurring_interval_count,
            product_id,
            nickname
        from {{ connector_select('stripe', 'price', [
            ['id', 'varchar', 'required'],
            ['unit_amount', 'bigint', 'required'],
            ['currency', 'varchar', 'required'],
            ['recurring_interval', 'varchar', 'required'],
            ['recurring_interval_count', 'integer'],
            ['product_id', 'varchar'],
            ['nickname', 'varchar'],
        ]) }} as prices
    {%- else -%}
        select
            id as price_id,
            amount as unit_amount,
            currency,
            {{ adapter.quote('interval') }} as recurring_interval,
            interval_count as recurring_interval_count,
            product_id,
            nickname
        from {{ connector_select('stripe', 'plan', [
            ['id', 'varchar', 'required'],
            ['amount', 'bigint', 'required'],
            ['currency', 'varchar', 'required'],
            ['interval', 'varchar', 'required'],
            ['interval_count', 'integer'],
            ['product_id', 'varchar'],
            ['nickname', 'varchar'],
        ]) }} as plans
    {%- endif %}

),

products as (

    select * from {{ connector_select('stripe', 'product', [
        ['id', 'varchar'],
        ['name', 'varchar'],
    ]) }} as products

),

final as (

    select
        prices.price_id,
        prices.unit_amount,
        prices.currency,
        prices.recurring_interval,
        coalesce(prices.recurring_interval_count, 1) as recurring_interval_count,
        coalesce(products.name, prices.nickname) as product_name

    from prices

    left join products
        on prices.product_id = products.id

)

select * from final
