{#-
    The columns of a contracted mart, each cast to the type its contract declares, in the
    contract's order: the final select of every public mart. Engines type the same SQL
    differently (a sum of bigints is hugeint in DuckDB and bigint in Spark; a sum of
    decimal(18,2) is decimal(38,2) in DuckDB and decimal(28,2) in Spark), so the contract is the
    one place a public column's type is decided, on every engine.

    A column whose YAML names the KPI it measures (config: meta: kpi: kpi_<name>, or a list)
    is null when that KPI's raw data is not loaded (marts.kpi_coverage): "no data" is null,
    never 0, decided here for every mart. Such a mart declares
    `-- depends_on: {{ ref('kpi_coverage') }}`.
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
            {%- set kpis = column_kpis(column) -%}
            {%- if kpis -%}
                cast(case when {% for kpi in kpis %}{{ kpi_available(kpi) }}{{ ' and ' if not loop.last }}{% endfor %}
                    then {{ relation_alias }}.{{ column.name }} end as {{ column.data_type }}) as {{ column.name }}
            {%- else -%}
                cast({{ relation_alias }}.{{ column.name }} as {{ column.data_type }}) as {{ column.name }}
            {%- endif -%}
            {%- if not loop.last %},
        {% endif -%}
        {%- endfor -%}
    {%- else -%}
        *
    {%- endif -%}
{%- endmacro %}


{#- The KPIs a mart column measures, from its YAML (config: meta: kpi), as a list. -#}
{% macro column_kpis(column) -%}
    {%- set meta = column.get('meta') or {} if column is mapping else column.meta or {} -%}
    {%- set config = column.get('config') if column is mapping else column.config -%}
    {%- set config_meta = (config.get('meta') if config is mapping else config.meta) if config else none -%}
    {%- set kpi = (config_meta or {}).get('kpi') or meta.get('kpi') -%}
    {%- if not kpi -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return([kpi] if kpi is string else kpi | list) }}
{%- endmacro %}
