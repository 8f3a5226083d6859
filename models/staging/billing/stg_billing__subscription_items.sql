{#-
    One row per subscription item: a plan and seat count over a span of time. A plan or
    quantity change ends one item and starts the next, so items carry the history.
    unit_amount is the price per seat per billing interval in the reporting currency at the
    rate of the item's first day; MRR is computed from it in int_subscription_items_priced.
-#}
with

source as (

    select * from {{ raw_source('billing', 'subscription_item') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

plans as (

    {{ vocabulary_map('map_plans', 'plan_name') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as subscription_item_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(price_id as {{ dbt.type_string() }}) as price_id,
        cast(product_name as {{ dbt.type_string() }}) as plan_name,
        lower(trim(cast(plan_interval as {{ dbt.type_string() }}))) as plan_interval,
        coalesce(cast(plan_interval_count as integer), 1) as plan_interval_count,
        cast(quantity as integer) as quantity,
        {#- Stripe amounts are minor units (cents). -#}
        
        cast(cast(unit_amount as bigint) / 100.0 as decimal(18, 2)) as unit_amount_local,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency_local,
        {{ utc_timestamp('created') }} as started_at,
        {{ utc_timestamp('ended_at') }} as ended_at,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by subscription_item_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.subscription_item_id,
        ranked.subscription_id,
        ranked.price_id,
        ranked.plan_name,
        {{ mapped_value('plans.plan_tier', 'ranked.plan_name') }} as plan_tier,
        ranked.plan_interval,
        ranked.plan_interval_count,
        ranked.quantity,
        ranked.unit_amount_local,
        ranked.currency_local,
        cast(ranked.unit_amount_local * {{ reporting_per_unit('ranked.currency_local', 'fx') }} as decimal(18, 4)) as unit_amount,
        ranked.started_at,
        ranked.ended_at,
        ranked.loaded_at

    from ranked

    left join fx
        on ranked.currency_local = fx.currency
            and fx.rate_date = cast(ranked.started_at as date)

    left join plans
        on {{ vocabulary_key('ranked.plan_name') }} = plans.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
