{#-
    One row: the as-of date every period ends at, and the last day any raw row was loaded.

    as_of_date is the var as_of_date when set (REVOPS_AS_OF_DATE). Left empty, it is the
    last day that EVERY loaded system has delivered: for each system with raw rows the day of
    its latest load, then the earliest of those. A system that stopped syncing holds the
    as-of date back, visibly, instead of leaving its numbers silently short; a system that is
    absent (no table found, or no rows) does not hold it. Never the wall clock.

    last_loaded_date (the latest load of any raw table) bounds calendars that must cover
    every row, such as the FX rates, whatever the as-of date.

    Kept as a table: as_of_date() reads it in nearly every model and test (as a view each
    would scan all raw data again).
-#}
{{ config(materialized='table') }}

with

raw_tables as (

    select * from {{ ref('stg_run__raw_tables') }}

),

systems as (

    select
        source_system,
        cast(max(last_loaded_at) as date) as last_loaded_date

    from raw_tables

    where is_loaded

    group by 1

),

final as (

    select
        {% if var('as_of_date') | string | trim not in ('', 'None') -%}
            cast('{{ var("as_of_date") | string | trim }}' as date) as as_of_date,
            'var' as as_of_date_source,
        {%- else -%}
            min(last_loaded_date) as as_of_date,
            'last_day_every_system_loaded' as as_of_date_source,
        {%- endif %}
        max(last_loaded_date) as last_loaded_date

    from systems

)

select * from final
