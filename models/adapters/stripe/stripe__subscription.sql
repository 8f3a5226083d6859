{#-
    billing.subscription from Fivetran's Stripe tables.

    Connections made since February 2022 land subscription_history (Fivetran History Mode:
    one row per version, the current one _fivetran_active); older ones land subscription, one
    row per subscription. The current version is kept (the newest _fivetran_start if a
    re-sync left more than one active). Stripe's subscription has no currency column in the
    connector: it is the currency of the subscription's items' prices (all items of a
    subscription share one), else the customer's. The percent off is the subscription's
    latest discount (subscription_discount joined to coupon.percent_off); amount-off coupons
    are not in the contract and are left out. Current period dates come from the subscription
    or, on connections since July 2025, from its items.
-#}
{{ config(enabled=connector_enabled('billing', 'stripe')) }}

{%- set history = connector_table_is_present('stripe', 'subscription_history') %}
{%- set subscription_columns = [
    ['id', 'varchar', 'required'],
    ['customer_id', 'varchar', 'required'],
    ['status', 'varchar', 'required'],
    ['start_date', 'timestamp'],
    ['current_period_start', 'timestamp'],
    ['current_period_end', 'timestamp'],
    ['cancel_at_period_end', 'boolean'],
    ['canceled_at', 'timestamp'],
    ['ended_at', 'timestamp'],
    ['created', 'timestamp', 'required'],
    ['livemode', 'boolean'],
    ['_fivetran_synced', 'timestamp'],
] %}

with

versions as (

    {% if history -%}
        select * from {{ connector_select('stripe', 'subscription_history', subscription_columns + [
            ['_fivetran_active', 'boolean'],
            ['_fivetran_start', 'timestamp'],
        ]) }} as versions
        where coalesce(_fivetran_active, true)
    {%- else -%}
        select
            *,
            cast(true as boolean) as _fivetran_active,
            cast(null as timestamp) as _fivetran_start
        from {{ connector_select('stripe', 'subscription', subscription_columns) }} as versions
    {%- endif %}

),

current_versions as (

    select
        *,
        row_number() over (
            partition by id order by _fivetran_start desc, _fivetran_synced desc
        ) as version_rank

    from versions

    where coalesce(livemode, true)

),

items as (

    select * from {{ connector_select('stripe', 'subscription_item', [
        ['subscription_id', 'varchar'],
        ['plan_id', 'varchar'],
        ['current_period_start', 'timestamp'],
        ['current_period_end', 'timestamp'],
    ]) }} as items

),

prices as (

    select * from {{ ref('stripe__prices') }}

),

customers as (

    select * from {{ ref('stripe__customer') }}

),

item_facts as (

    select
        items.subscription_id,
        min(prices.currency) as currency,
        min(items.current_period_start) as current_period_start,
        max(items.current_period_end) as current_period_end

    from items

    left join prices
        on items.plan_id = prices.price_id

    group by 1

),

discounts as (

    select * from {{ connector_select('stripe', 'subscription_discount', [
        ['id', 'varchar'],
        ['subscription_id', 'varchar'],
        ['coupon_id', 'varchar'],
        ['start', 'timestamp'],
    ]) }} as discounts

),

coupons as (

    select * from {{ connector_select('stripe', 'coupon', [
        ['id', 'varchar'],
        ['percent_off', 'double'],
    ]) }} as coupons

),

latest_discounts as (

    select
        discounts.subscription_id,
        coupons.percent_off,
        row_number() over (
            partition by discounts.subscription_id order by discounts.{{ adapter.quote('start') }} desc, discounts.id desc
        ) as discount_rank

    from discounts

    inner join coupons
        on discounts.coupon_id = coupons.id

    where coupons.percent_off is not null

),

final as (

    select
        current_versions.id,
        current_versions.customer_id,
        current_versions.status,
        coalesce(item_facts.currency, customers.currency) as currency,
        cast(latest_discounts.percent_off as decimal(5, 2)) as discount_percent_off,
        current_versions.start_date,
        coalesce(current_versions.current_period_start, item_facts.current_period_start) as current_period_start,
        coalesce(current_versions.current_period_end, item_facts.current_period_end) as current_period_end,
        current_versions.cancel_at_period_end,
        current_versions.canceled_at,
        current_versions.ended_at,
        current_versions.created,
        current_versions._fivetran_synced

    from current_versions

    left join item_facts
        on current_versions.id = item_facts.subscription_id

    left join customers
        on current_versions.customer_id = customers.id

    left join latest_discounts
        on current_versions.id = latest_discounts.subscription_id
            and latest_discounts.discount_rank = 1

    where current_versions.version_rank = 1

)

select * from final
