{{ config(materialized='table') }}

{#-
    One row per calendar day and currency: how many units of the reporting currency one
    unit of the currency buys that day, from the first rate to the last day any raw row was
    loaded (not the as-of date: staging converts every row, whatever the as-of date).
    FX sources publish business days only, so a day without a rate takes the latest
    earlier rate. This is the one lookup staging models
    join to, so money is converted once, in staging, at the rate of the day.
    Without FX rates (no finance/fx_rates, or an empty one) it is empty: amounts in the
    reporting currency need no rate (macro reporting_per_unit), any other fails the
    *_has_an_fx_rate tests of its staging model.
-#}
with

rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

base_currency as (

    select distinct
        rate_date,
        base_currency as currency,
        cast(1 as decimal(18, 8)) as rate

    from rates

),

quotes as (

    select
        rate_date,
        quote_currency as currency,
        rate

    from rates

    where quote_currency <> base_currency

),

all_rates as (

    select * from base_currency
    union all
    select * from quotes

),

valid_ranges as (

    select
        currency,
        rate,
        rate_date as valid_from,
        lead(rate_date) over (partition by currency order by rate_date) as valid_until

    from all_rates

),

days as (

    {{ dbt.date_spine(
        datepart='day',
        start_date="coalesce((select min(rate_date) from " ~ ref('stg_finance__fx_rates') ~ "), "
            ~ "(select last_loaded_date from " ~ ref('stg_run__as_of_date') ~ "))",
        end_date=dbt.dateadd('day', 1, "(select last_loaded_date from " ~ ref('stg_run__as_of_date') ~ ")")
    ) }}

),

bounded_days as (

    select cast(date_day as date) as rate_date
    from days

),

daily as (

    select
        bounded_days.rate_date,
        valid_ranges.currency,
        valid_ranges.rate

    from bounded_days

    inner join valid_ranges
        on bounded_days.rate_date >= valid_ranges.valid_from
            and (valid_ranges.valid_until is null or bounded_days.rate_date < valid_ranges.valid_until)

),

reporting as (

    select
        rate_date,
        rate as reporting_rate

    from daily

    where currency = '{{ var("reporting_currency") | upper }}'

),

final as (

    select
        daily.rate_date,
        daily.currency,
        cast(round(cast(reporting.reporting_rate as {{ type_double() }}) / daily.rate * 1e8) / 1e8 as decimal(18, 8)) as reporting_per_unit

    from daily

    inner join reporting
        on daily.rate_date = reporting.rate_date

)

select * from final
