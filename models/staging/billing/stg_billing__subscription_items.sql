{#-
    One row per subscription item: a plan and seat count over a span of time. A plan or
    quantity change ends one item and starts the next, so items carry the history.
    unit_amount is the price per seat per billing interval in the reporting currency at the
    rate of the item's first day; MRR is computed from it in int_subscription_items_priced.
    Stripe's unit_amount is in the currency's minor unit: divided by 10^exponent of the
    currency (seed currency_exponents: JPY 0, USD 2, KWD 3), never by a guessed 100.
-#}
with

source as (

    select * from {{ raw_source('billing', 'subscription_item') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('billing', 'subscription_item') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

currency_exponents as (

    select * from {{ ref('currency_exponents') }}

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
        cast(unit_amount as bigint) as unit_amount_minor,
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

converted as (

    select
        ranked.*,
        {{ minor_units_to_amount('ranked.unit_amount_minor', 'currency_exponents.minor_unit_exponent') }}
            as unit_amount_local

    from ranked

    left join currency_exponents
        on ranked.currency_local = currency_exponents.currency

    where ranked.load_rank = 1

),

final as (

    select
        converted.subscription_item_id,
        converted.subscription_id,
        converted.price_id,
        converted.plan_name,
        {{ mapped_value('plans.plan_tier', 'converted.plan_name') }} as plan_tier,
        converted.plan_interval,
        converted.plan_interval_count,
        converted.quantity,
        converted.unit_amount_local,
        converted.currency_local,
        {{ local_to_reporting('converted.unit_amount_local', reporting_per_unit('converted.currency_local', 'fx'), 4) }} as unit_amount,
        {#- Counted, not fatal: a free seat or a zero-seat item is real, it adds no MRR. -#}
        coalesce(converted.quantity = 0 or converted.unit_amount_minor = 0, false) as is_zero_priced,
        converted.started_at,
        converted.ended_at,
        converted.loaded_at

    from converted

    left join fx
        on converted.currency_local = fx.currency
            and fx.rate_date = cast(converted.started_at as date)

    left join plans
        on {{ vocabulary_key('converted.plan_name') }} = plans.vocabulary_key

)

select * from final
