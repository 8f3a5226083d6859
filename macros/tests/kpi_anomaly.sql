{#-
    kpi_anomaly: flags a monthly KPI whose latest value deviates from the mean of the
    `window` periods before it by more than `k` sample standard deviations.
    Arguments: k (default 3), window (default 6), date_column (default date_month),
    min_periods (default 4: fewer comparable periods flag nothing), where_clause (optional
    filter, e.g. one channel). Warn severity by default: an anomaly asks a person to look,
    it does not stop the build. Returns the latest period with its mean and deviation.
-#}
{% test kpi_anomaly(model, column_name, k=3, window=6, date_column='date_month', min_periods=4, where_clause=none) %}
{{ config(severity='warn') }}

with

periods as (

    select
        {{ date_column }} as period,
        cast({{ column_name }} as {{ dbt.type_float() }}) as kpi_value,
        row_number() over (order by {{ date_column }} desc) as recency

    from {{ model }}

    where {{ column_name }} is not null
    {%- if where_clause %}
        and ({{ where_clause }})
    {%- endif %}

),

latest as (

    select * from periods where recency = 1

),

history as (

    select
        avg(kpi_value) as trailing_mean,
        stddev_samp(kpi_value) as trailing_stddev,
        count(*) as trailing_periods

    from periods

    where recency between 2 and {{ window + 1 }}

)

select
    latest.period,
    latest.kpi_value,
    history.trailing_mean,
    history.trailing_stddev,
    (latest.kpi_value - history.trailing_mean) / history.trailing_stddev as deviations

from latest

cross join history

where history.trailing_periods >= {{ min_periods }}
    and history.trailing_stddev > 0
    and abs(latest.kpi_value - history.trailing_mean) > {{ k }} * history.trailing_stddev

{% endtest %}
