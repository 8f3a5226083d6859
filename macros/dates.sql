{#- An integer part (year, quarter, month, day) of a date or timestamp. -#}
{% macro date_part(datepart, expression) -%}
    {{ return(adapter.dispatch('date_part', 'revops')(datepart, expression)) }}
{%- endmacro %}

{% macro default__date_part(datepart, expression) -%}
    extract({{ datepart }} from {{ expression }})
{%- endmacro %}
