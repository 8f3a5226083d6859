{#-
    as_of_date(): the last day any period may include, as a SQL date expression.

    Set the var as_of_date (or REVOPS_AS_OF_DATE) to pin it. Left empty, it is derived
    from the data: the last day on which any raw row was loaded (stg_run__as_of_date).
    Never the wall clock, so the same data always gives the same numbers.
-#}
{% macro as_of_date() -%}
    {%- set pinned = var('as_of_date') | string | trim -%}
    {%- if pinned and pinned != 'None' -%}
        cast('{{ pinned }}' as date)
    {%- else -%}
        (select as_of_date from {{ ref('stg_run__as_of_date') }})
    {%- endif -%}
{%- endmacro %}


{#- The first instant after the as-of date: events strictly before it are in scope. -#}
{% macro as_of_timestamp_end() -%}
    {{ dbt.dateadd('day', 1, 'cast(' ~ as_of_date() ~ ' as timestamp)') }}
{%- endmacro %}


{#-
    The instant a month's snapshot is read at (MRR, pipeline, backlog): the month's end, or
    for the as-of month the end of the as-of date. One rule for every month-end snapshot.
-#}
{% macro month_snapshot_at(date_month) -%}
    case
        when {{ dbt.dateadd('month', 1, date_month) }} > {{ as_of_timestamp_end() }}
            then {{ as_of_timestamp_end() }}
        else cast({{ dbt.dateadd('month', 1, date_month) }} as timestamp)
    end
{%- endmacro %}
