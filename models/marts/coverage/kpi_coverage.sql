{#-
    One row per KPI of the catalog: whether the raw data it needs is loaded and, if not, which
    tables are missing. A KPI that is not available is null in every mart, never 0
    (contract_columns() reads this model); this is the one place that decides it, from
    kpi_needs() (rendered from scripts/raw_contract.py) and stg_run__raw_tables.
-#}
with

raw_tables as (

    select * from {{ ref('stg_run__raw_tables') }}

),

loaded as (

    select
        {% for raw in raw_tables() -%}
            {{ raw_table_loaded_flag(raw.system ~ '.' ~ raw.table) }},
        {% endfor -%}
        count(*) as raw_table_count

    from raw_tables

),

kpis as (

    {% for kpi_name, needs in kpi_needs().items() %}
        select
            '{{ kpi_name }}' as kpi_name,
            {{ kpi_needs_loaded(needs) }} as is_available,
            '{{ (needs.needs + needs.needs_any) | join(", ") }}' as needed_tables,
            {{ unloaded_tables_list(needs.needs, ', ') }} as missing_needed_tables,
            {{ unloaded_alternatives(needs.needs_any) }} as missing_one_of,
            {{ unloaded_tables_list(needs.improved_by, ', ') }} as missing_refinements
        from loaded
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        kpi_name,
        is_available,
        needed_tables,
        nullif(concat_ws(', and ', missing_needed_tables, missing_one_of), '') as missing_tables,
        case
            when not is_available
                then 'null: no rows in ' || concat_ws(', and ', missing_needed_tables, missing_one_of) || ' (absent or empty)'
            when missing_refinements is not null
                then 'computed without ' || missing_refinements || ' (absent or empty), which refine it'
            else 'computed'
        end as coverage_note

    from kpis

)

select
    {{ contract_columns('final') }}

from final
