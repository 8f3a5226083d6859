{#-
    The reporting currency (var reporting_currency) has an FX rate: without one every
    converted amount would be null. Returns the currency when finance/fx_rates never
    quotes it (nor has it as its base currency).
-#}
with

rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

quoted_currencies as (

    select base_currency as currency from rates
    union
    select quote_currency as currency from rates

)

select '{{ var("reporting_currency") | upper }}' as missing_reporting_currency

where '{{ var("reporting_currency") | upper }}' not in (
        select quoted_currencies.currency from quoted_currencies
    )
