{#-
    One row per calendar day from the first journey event to the as-of date, with the
    calendar and the fiscal calendar (its first month is the var fiscal_year_start_month;
    a fiscal year is named after the calendar year in which it ends).
-#}
{%- set fiscal_start = var('fiscal_year_start_month') | int %}
with

days as (

    {{ dbt.date_spine(
        datepart='day',
        start_date="(select min(event_date) from " ~ ref('fct_customer_journey') ~ ")",
        end_date=dbt.dateadd('day', 1, as_of_date())
    ) }}

),

calendar as (

    select
        cast(date_day as date) as date_day,
        cast({{ date_part('year', 'date_day') }} as integer) as calendar_year,
        cast({{ date_part('month', 'date_day') }} as integer) as calendar_month,
        cast({{ date_part('day', 'date_day') }} as integer) as day_of_month,
        cast({{ date_part('quarter', 'date_day') }} as integer) as calendar_quarter

    from days

),

final as (

    select
        date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as date_week,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as date_month,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as date_quarter,
        cast({{ dbt.date_trunc('year', 'date_day') }} as date) as date_year,
        calendar_year,
        calendar_quarter,
        calendar_month,
        day_of_month,
        day_of_month = 1 as is_month_start,
        cast({{ dbt.last_day('date_day', 'month') }} as date) = date_day as is_month_end,
        {{ fiscal_start }} as fiscal_year_start_month,
        ((calendar_month - {{ fiscal_start }} + 12) % 12) + 1 as fiscal_month,
        cast(floor(((calendar_month - {{ fiscal_start }} + 12) % 12) / 3) as integer) + 1 as fiscal_quarter,
        calendar_year + case when {{ fiscal_start }} > 1 and calendar_month >= {{ fiscal_start }} then 1 else 0 end
            as fiscal_year

    from calendar

)

select
    {{ contract_columns('final') }}

from final
