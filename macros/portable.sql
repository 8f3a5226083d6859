{#-
    Cross-engine arithmetic where dbt's own macros leave engines apart (DuckDB and Spark are
    both run by CI; see DECISIONS.md, "Spark").
-#}

{#-
    A double-precision float: `double` in DuckDB and Spark (dbt.type_float() is single precision
    there). Every division whose operands can be decimals casts its numerator to it:
        cast(numerator as {{ type_double() }}) / nullif(denominator, 0)
    DuckDB divides decimals in double precision anyway; Spark divides them as decimals and
    rounds a quotient of wide operands (a sum of money) to as few as 6 decimal places, so a
    rate would differ between the engines from the 6th decimal on.

    A double becomes money (or any decimal) by rounding its value times 10^scale:
        cast(round(x * 100) / 100 as decimal(18, 2))
    so both engines round the same double half away from zero. A plain cast(x as decimal(18, 2))
    rounds x's exact binary value in Spark (523.295 is 523.29499.. there: 523.29) and x * 100 in
    DuckDB (523.30).
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'revops')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}


{#-
    dbt.datediff: the number of datepart boundaries crossed from first to second, as dbt
    defines it and DuckDB computes it, the same on every engine. dbt-spark's hour, minute and
    second parts round the elapsed time up instead (12 min 59 s to 13 minutes, where DuckDB
    counts the minute boundaries). Elapsed-time KPIs use it for whole seconds and minutes.
-#}
{% macro boundaries_between(first, second, datepart) -%}
    {{ return(adapter.dispatch('boundaries_between', 'revops')(first, second, datepart)) }}
{%- endmacro %}

{% macro default__boundaries_between(first, second, datepart) -%}
    {{ return(dbt.datediff(first, second, datepart)) }}
{%- endmacro %}

{% macro spark__boundaries_between(first, second, datepart) -%}
    {%- set seconds = {'hour': 3600, 'minute': 60, 'second': 1} -%}
    {%- if datepart in seconds -%}
        cast(
            (unix_timestamp(date_trunc('{{ datepart }}', {{ second }}))
                - unix_timestamp(date_trunc('{{ datepart }}', {{ first }})))
            / {{ seconds[datepart] }}
            as bigint
        )
    {%- else -%}
        {{ return(dbt.datediff(first, second, datepart)) }}
    {%- endif -%}
{%- endmacro %}
