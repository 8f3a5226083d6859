{#-
    One row per raw table of the contract: whether it was found and loaded, its rows and the
    span of its loads, next to the as-of date. Every system and table is optional; what a
    missing table costs is in kpi_coverage.
-#}
with

raw_tables as (

    select * from {{ ref('stg_run__raw_tables') }}

),

as_of as (

    select * from {{ ref('stg_run__as_of_date') }}

),

final as (

    select
        raw_tables.source_system,
        raw_tables.source_table,
        raw_tables.is_present,
        raw_tables.is_loaded,
        raw_tables.is_system_loaded,
        raw_tables.raw_rows,
        raw_tables.first_loaded_at,
        raw_tables.last_loaded_at,
        as_of.as_of_date

    from raw_tables

    cross join as_of

)

select
    {{ contract_columns('final') }}

from final
