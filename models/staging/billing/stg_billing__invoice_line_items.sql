with

source as (

    select * from {{ raw_source('billing', 'invoice_line_item') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('billing', 'invoice_line_item') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

currency_exponents as (

    select * from {{ ref('currency_exponents') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as invoice_line_item_id,
        cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
        nullif(cast(subscription_id as {{ dbt.type_string() }}), '') as subscription_id,
        nullif(cast(subscription_item_id as {{ dbt.type_string() }}), '') as subscription_item_id,
        cast(price_id as {{ dbt.type_string() }}) as price_id,
        cast(quantity as integer) as quantity,
        cast(amount as bigint) as amount_minor,
        coalesce(cast(discount_amount as bigint), 0) as discount_minor,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency_local,
        {{ utc_timestamp('period_start') }} as period_started_at,
        {{ utc_timestamp('period_end') }} as period_ends_at,
        coalesce(cast(proration as boolean), false) as is_proration,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by invoice_line_item_id order by loaded_at desc) as load_rank

    from renamed

),

converted as (

    {#- Stripe amounts are in the currency's minor unit (seed currency_exponents). -#}
    select
        ranked.*,
        {{ minor_units_to_amount('ranked.amount_minor', 'currency_exponents.minor_unit_exponent') }} as amount_local,
        {{ minor_units_to_amount('ranked.discount_minor', 'currency_exponents.minor_unit_exponent') }} as discount_local

    from ranked

    left join currency_exponents
        on ranked.currency_local = currency_exponents.currency

    where ranked.load_rank = 1

),

final as (

    select
        converted.invoice_line_item_id,
        converted.invoice_id,
        converted.subscription_id,
        converted.subscription_item_id,
        converted.price_id,
        converted.quantity,
        converted.amount_local,
        converted.discount_local,
        converted.currency_local,
        {{ local_to_reporting('converted.amount_local - converted.discount_local', reporting_per_unit('converted.currency_local', 'fx'), 2) }}
            as net_amount,
        converted.period_started_at,
        converted.period_ends_at,
        converted.is_proration,
        converted.loaded_at

    from converted

    left join fx
        on converted.currency_local = fx.currency
            and fx.rate_date = cast(converted.period_started_at as date)

)

select * from final
