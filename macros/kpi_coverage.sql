{#-
    A KPI whose raw data is missing is null, never 0 (DECISIONS.md, "Every system and table is
    optional"). kpi_available(kpi_name) is a boolean scalar subquery: true when
    marts.kpi_coverage says the tables the KPI needs are loaded. contract_columns() wraps each
    mart column whose YAML names a KPI (config: meta: kpi) in it, so one rule decides for all.
-#}
{% macro kpi_available(kpi_name) -%}
    {%- if kpi_name not in kpi_needs() -%}
        {{ exceptions.raise_compiler_error(
            "kpi_available: '" ~ kpi_name ~ "' is not a KPI of KPI_NEEDS in scripts/raw_contract.py") }}
    {%- endif -%}
    (select kpi_coverage.is_available from {{ ref('kpi_coverage') }} as kpi_coverage where kpi_coverage.kpi_name = '{{ kpi_name }}')
{%- endmacro %}


{#- The helpers of kpi_coverage, which reads a one-row CTE `loaded` with a flag per raw table. -#}

{#- The flag column of one raw table ('crm.lead' -> crm__lead): true when it holds rows. -#}
{% macro raw_table_loaded_flag(raw_table) -%}
    max(case when source_system || '.' || source_table = '{{ raw_table }}' and is_loaded then 1 else 0 end) = 1 as {{ raw_table | replace('.', '__') }}
{%- endmacro %}

{#- True when every table of needs.needs, and one of needs.needs_any (if any), is loaded. -#}
{% macro kpi_needs_loaded(needs) -%}
    {%- set terms = [] -%}
    {%- for raw_table in needs.needs -%}
        {%- do terms.append('loaded.' ~ raw_table | replace('.', '__')) -%}
    {%- endfor -%}
    {%- if needs.needs_any -%}
        {%- set alternatives = [] -%}
        {%- for raw_table in needs.needs_any -%}
            {%- do alternatives.append('loaded.' ~ raw_table | replace('.', '__')) -%}
        {%- endfor -%}
        {%- do terms.append('(' ~ alternatives | join(' or ') ~ ')') -%}
    {%- endif -%}
    {{ return('(' ~ (terms | join(' and ') or 'true') ~ ')') }}
{%- endmacro %}

{#- The tables of the list that hold no rows, joined by the separator; null when all do. -#}
{% macro unloaded_tables_list(raw_tables, separator) -%}
    {%- if not raw_tables -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {%- set cases = [] -%}
    {%- for raw_table in raw_tables -%}
        {%- do cases.append("case when not loaded." ~ raw_table | replace('.', '__') ~ " then '" ~ raw_table ~ "' end") -%}
    {%- endfor -%}
    {{ return("nullif(concat_ws('" ~ separator ~ "', " ~ cases | join(', ') ~ "), '')") }}
{%- endmacro %}

{#- 'one of a or b' when none of the alternatives holds rows; null otherwise or without any. -#}
{% macro unloaded_alternatives(raw_tables) -%}
    {%- if not raw_tables -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {{ return("case when not " ~ kpi_needs_loaded({'needs': [], 'needs_any': raw_tables})
        ~ " then 'one of " ~ raw_tables | join(' or ') ~ "' end") }}
{%- endmacro %}
