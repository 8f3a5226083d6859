{#-
    One row per subscription item: a plan and seat count over a span of time. A plan or
    quantity change ends one item and starts the next, so items carry the history.
    monthly_amount_local is the item's list price per month before the subscription's
    discount: an annual price is spread evenly over its twelve months.
-#}
with

source as (

    select * from {{ raw_source('billing', 'subscription_item') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

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

priced as (

    select
        *,
        cast(
            quantity * unit_amount_local
            / (plan_interval_count * case plan_interval when 'year' then 12 when 'month' then 1 end)
            as decimal(18, 4)
        ) as monthly_amount_local

    from ranked

    where load_rank = 1

),

final as (

    select
        priced.subscription_item_id,
        priced.subscription_id,
        priced.price_id,
        priced.plan_name,
        priced.plan_interval,
        priced.plan_interval_count,
        priced.quantity,
        priced.unit_amount_local,
        priced.currency_local,
        priced.monthly_amount_local,
        cast(priced.monthly_amount_local * fx.reporting_per_unit as decimal(18, 4)) as monthly_amount,
        priced.started_at,
        priced.ended_at,
        priced.loaded_at

    from priced

    left join fx
        on priced.currency_local = fx.currency
            and fx.rate_date = cast(priced.started_at as date)

)

select * from final
