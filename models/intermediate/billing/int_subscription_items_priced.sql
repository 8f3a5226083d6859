{#-
    One row per paid subscription item of a live Stripe customer, with the customer
    account it belongs to and its MRR: the one place MRR is computed (kpi_mrr).

    mrr = quantity x unit amount / months in the billing interval x (1 - percent off):
    an annual plan counts one twelfth of its price a month. The unit amount is in the
    reporting currency at the rate of the item's first day, so an item's start and end
    move MRR by the same amount.

    An item lives within its subscription: its end is capped at the subscription's end, and
    its start is raised to the subscription's start when it is earlier (flagged
    has_start_before_subscription; an item that ends before its subscription starts has no
    MRR). Items with quantity 0 or price 0 add no MRR and are left out (is_zero_priced in
    staging): a subscription of zero-priced items only is a customer at 0 MRR, i.e. churned.
-#}
with

items as (

    select * from {{ ref('stg_billing__subscription_items') }}

),

subscriptions as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}
    where source_system = 'billing' and source_table = 'customer'

),

final as (

    select
        items.subscription_item_id,
        items.subscription_id,
        subscriptions.customer_id,
        identities.account_key,
        identities.person_key,
        items.plan_name,
        items.plan_tier,
        items.plan_interval,
        items.quantity,
        items.currency_local,
        subscriptions.discount_percent_off,
        cast(
            round(
                cast(items.quantity * items.unit_amount_local as {{ type_double() }})
                / (items.plan_interval_count * {{ months_per_interval('items.plan_interval') }})
                * (1 - cast(subscriptions.discount_percent_off as {{ type_double() }}) / 100)
                * 10000
            ) / 10000
            as decimal(18, 4)
        ) as mrr_local,
        cast(
            round(
                cast(items.quantity * items.unit_amount as {{ type_double() }})
                / (items.plan_interval_count * {{ months_per_interval('items.plan_interval') }})
                * (1 - cast(subscriptions.discount_percent_off as {{ type_double() }}) / 100)
                * 10000
            ) / 10000
            as decimal(18, 4)
        ) as mrr,
        {#- An item never starts before its subscription (a local-time offset can move it there). -#}
        case
            when items.started_at < subscriptions.started_at then subscriptions.started_at
            else items.started_at
        end as started_at,
        items.started_at < subscriptions.started_at as has_start_before_subscription,
        {#- An item never outlives its subscription. -#}
        case
            when subscriptions.ended_at is not null
                and (items.ended_at is null or subscriptions.ended_at < items.ended_at)
                then subscriptions.ended_at
            else items.ended_at
        end as ended_at

    from items

    inner join subscriptions
        on items.subscription_id = subscriptions.subscription_id

    inner join identities
        on subscriptions.customer_id = identities.source_record_id

    -- an item priced below 0 adds no MRR: quarantined as negative_amount
    where items.quantity * items.unit_amount_local > 0
        and items.unit_amount_local > 0
        and (items.ended_at is null or items.ended_at > subscriptions.started_at)
        -- a subscription that ends before it starts has no period: quarantined (ends_before_start)
        and not coalesce(subscriptions.ended_at < subscriptions.started_at, false)

)

select * from final
