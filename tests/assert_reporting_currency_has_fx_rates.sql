{#-
    When finance/fx_rates holds rates, it quotes the reporting currency (var
    reporting_currency): without it no other currency converts. Amounts already in the
    reporting currency need no rate (macro reporting_per_unit), so an absent or empty FX table
    passes: a company billing in one currency needs none. Returns the currency when the table
    has rates but never quotes it (nor has it as its base currency).
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

where exists (select 1 from rates)
    and '{{ var("reporting_currency") | upper }}' not in (
        select quoted_currencies.currency from quoted_currencies
    )
