{#-
    billing.subscription_item (one row per plan and quantity over a span of time) from
    Fivetran's Stripe tables, where an item changes in place.

    Stripe's subscription_item holds each item as it is now: a seat or plan change updates it,
    and a removed item is deleted (Fivetran hard-deletes it). Its history is in the invoice
    lines, which record the plan and quantity billed: each regular line from its period
    start, and each change at the moment it happened, through the proration line Stripe writes
    for the new plan and quantity ("Remaining time on ..."; the "Unused time on ..." credit
    line, with the old ones, is not a state). Each item's states in time order; a state that
    repeats the previous plan and quantity is no change. Then:
    - the first version starts when the item was created (or at its first line, if earlier);
      each next one when its state was billed; each ends when the next starts;
    - an item that is current ends with its subscription (ended_at); a removed item, at its
      last "Unused time" credit (its removal), else when its subscription ended, else at the
      end of its last billed period;
    - an item never invoiced is one version, from its creation, as it is now; a current plan
      or quantity that no line shows yet (changed without proration since the last invoice)
      starts at the item's _fivetran_synced, the first time the connector saw it: the latest
      it can have happened.
    The first version keeps the Stripe item id; later ones are <item id>_v<n>. Every version
    of a current item was loaded when the connector last wrote the item (its _fivetran_synced);
    a removed item's, with the line that billed it. Unit amount,
    currency, interval and plan name come from the price (stripe__prices). Temporary line ids
    (sub_...), which Stripe replaces with permanent ones, are left out, as Fivetran's package does.
-#}
{{ config(enabled=connector_enabled('billing', 'stripe')) }}

with

items as (

    select * from {{ connector_select('stripe', 'subscription_item', [
        ['id', 'varchar', 'required'],
        ['subscription_id', 'varchar', 'required'],
        ['plan_id', 'varchar', 'required'],
        ['quantity', 'integer', 'required'],
        ['created', 'timestamp'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as items

),

lines as (

    select * from {{ ref('stripe__invoice_lines') }}

    where subscription_item_id is not null

),

prices as (

    select * from {{ ref('stripe__prices') }}

),

subscriptions as (

    select * from {{ ref('stripe__subscription') }}

),

billed_states as (

    select
        subscription_item_id as stripe_item_id,
        subscription_id,
        period_start as state_at,
        price_id,
        quantity,
        _fivetran_synced,
        case when is_proration then 1 else 0 end as state_priority

    from lines

    where not is_proration or is_new_state

),

last_billed_states as (

    select
        stripe_item_id,
        price_id,
        quantity,
        state_at,
        row_number() over (partition by stripe_item_id order by state_at desc, state_priority asc) as state_rank

    from billed_states

),

current_states as (

    select
        items.id as stripe_item_id,
        items.subscription_id,
        case when last_billed_states.stripe_item_id is null then items.created else items._fivetran_synced end
            as state_at,
        items.plan_id as price_id,
        items.quantity,
        items._fivetran_synced,
        2 as state_priority

    from items

    left join last_billed_states
        on items.id = last_billed_states.stripe_item_id
            and last_billed_states.state_rank = 1

    where last_billed_states.stripe_item_id is null
        or last_billed_states.price_id <> items.plan_id
        or last_billed_states.quantity <> items.quantity

),

states as (

    select * from billed_states
    union all
    select * from current_states

),

ordered_states as (

    select
        *,
        lag(price_id) over (partition by stripe_item_id order by state_at, state_priority) as previous_price_id,
        lag(quantity) over (partition by stripe_item_id order by state_at, state_priority) as previous_quantity,
        row_number() over (partition by stripe_item_id, state_at order by state_priority) as same_time_rank

    from states

),

changes as (

    select * from ordered_states

    where same_time_rank = 1
        and (
            previous_price_id is null
            or previous_price_id <> price_id
            or previous_quantity <> quantity
        )

),

removals as (

    select
        subscription_item_id as stripe_item_id,
        max(case when is_proration and not is_new_state then period_start end) as last_credit_at,
        max(period_end) as last_billed_until

    from lines

    group by 1

),

versions as (

    select
        changes.*,
        row_number() over (partition by changes.stripe_item_id order by changes.state_at) as version_number,
        lead(changes.state_at) over (partition by changes.stripe_item_id order by changes.state_at) as next_state_at

    from changes

),

final as (

    select
        case
            when versions.version_number = 1 then versions.stripe_item_id
            else {{ dbt.concat(['versions.stripe_item_id', "'_v'", 'cast(versions.version_number as ' ~ dbt.type_string() ~ ')']) }}
        end as id,
        versions.subscription_id,
        versions.price_id,
        prices.product_name,
        prices.recurring_interval as plan_interval,
        prices.recurring_interval_count as plan_interval_count,
        versions.quantity,
        prices.unit_amount,
        prices.currency,
        case
            when versions.version_number = 1 and items.created < versions.state_at then items.created
            else versions.state_at
        end as created,
        case
            when versions.next_state_at is not null then versions.next_state_at
            when items.id is not null then subscriptions.ended_at
            when removals.last_credit_at >= versions.state_at then removals.last_credit_at
            else coalesce(subscriptions.ended_at, removals.last_billed_until)
        end as ended_at,
        coalesce(items._fivetran_synced, versions._fivetran_synced) as _fivetran_synced,
        versions.stripe_item_id

    from versions

    left join items
        on versions.stripe_item_id = items.id

    left join prices
        on versions.price_id = prices.price_id

    left join subscriptions
        on versions.subscription_id = subscriptions.id

    left join removals
        on versions.stripe_item_id = removals.stripe_item_id

)

select * from final
