{#- An integer part (year, quarter, month, day) of a date or timestamp. -#}
{% macro date_part(datepart, expression) -%}
    {{ return(adapter.dispatch('date_part', 'revops')(datepart, expression)) }}
{%- endmacro %}

{% macro default__date_part(datepart, expression) -%}
    extract({{ datepart }} from {{ expression }})
{%- endmacro %}


{#-
    A raw timestamp as a UTC timestamp without time zone. The raw contract lands UTC; a
    value that carries an offset (text '2025-01-01 10:00:00+02:00', or a timestamptz column
    of a user's table) is converted to UTC instead of having its offset dropped. Values
    without an offset are read as UTC (the profile sets the session TimeZone to UTC).
-#}
{% macro utc_timestamp(column) -%}
    {{ return(adapter.dispatch('utc_timestamp', 'revops')(column)) }}
{%- endmacro %}

{% macro default__utc_timestamp(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}

{% macro duckdb__utc_timestamp(column) -%}
    cast(cast({{ column }} as timestamptz) as timestamp)
{%- endmacro %}
