{#-
    The columns of a contracted mart, each cast to the type its contract declares, in the
    contract's order: the final select of every public mart. Engines type the same SQL
    differently (a sum of bigints is hugeint in DuckDB and bigint in Spark; a sum of
    decimal(18,2) is decimal(38,2) in DuckDB and decimal(28,2) in Spark), so the contract is the
    one place a public column's type is decided, on every engine.
-#}
{% macro contract_columns(relation_alias='final') -%}
    {%- if execute -%}
        {%- set columns = model.columns.values() | list -%}
        {%- if not columns and model.resource_type == 'unit_test' -%}
            {#- A unit test of the mart that names only some columns: it compares those, as computed. -#}
            {{ return(relation_alias ~ '.*') }}
        {%- elif not columns -%}
            {{ exceptions.raise_compiler_error(model.name ~ ": contract_columns() needs the model's columns in its YAML") }}
        {%- endif -%}
        {%- for column in columns -%}
            {%- if not column.data_type -%}
                {{ exceptions.raise_compiler_error(model.name ~ "." ~ column.name ~ ": the contract has no data_type") }}
            {%- endif -%}
            cast({{ relation_alias }}.{{ column.name }} as {{ column.data_type }}) as {{ column.name }}
            {%- if not loop.last %},
        {% endif -%}
        {%- endfor -%}
    {%- else -%}
        *
    {%- endif -%}
{%- endmacro %}
