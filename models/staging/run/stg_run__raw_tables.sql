{#-
    One row per raw table of the contract: whether it was found where the settings say
    (raw_source), how many rows it holds and when they were loaded. Every system and table is
    optional: an absent table reads as empty and is_present is false. A table is loaded when
    it holds at least one row; a system is loaded when any of its tables is. The as-of date,
    marts.data_coverage and marts.kpi_coverage are derived from it.

    Kept as a table: it reads every raw table, and the as-of date, the coverage marts and
    every model or test that asks for the as-of date read it (as a view each would scan all
    raw data again).
-#}
{{ config(materialized='table') }}
{%- do check_every_raw_table() -%}

with

raw_tables as (

    {% for raw in raw_tables() %}
        select
            '{{ raw.system }}' as source_system,
            '{{ raw.table }}' as source_table,
            '{{ raw_table_location(raw.system, raw.table) | replace("'", "''") }}' as raw_location,
            {{ 'true' if execute and raw_table_is_present(raw.system, raw.table) else 'false' }} as is_present,
            count(*) as raw_rows,
            min(cast({{ raw.loaded_at }} as timestamp)) as first_loaded_at,
            max(cast({{ raw.loaded_at }} as timestamp)) as last_loaded_at
        from {{ raw_source(raw.system, raw.table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        source_system,
        source_table,
        raw_location,
        is_present,
        raw_rows,
        raw_rows > 0 as is_loaded,
        max(case when raw_rows > 0 then 1 else 0 end) over (partition by source_system) = 1 as is_system_loaded,
        first_loaded_at,
        last_loaded_at

    from raw_tables

)

select * from final
