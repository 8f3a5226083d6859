{#-
    Nothing is lost between raw and staging, for every raw table of the contract:
    raw rows = staging rows (one per primary key) + extra extract rows quarantined as
    duplicate_extract_row + rows without a primary key quarantined as missing_record_id.
    Returns one row per raw table whose counts do not add up.
-#}
with

kept_out as (

    select
        source_system,
        source_table,
        sum(raw_rows) as kept_out_rows
    from {{ ref('int_journey_quarantine') }}
    where quarantine_reason in ('duplicate_extract_row', 'missing_record_id')
    group by 1, 2

),

counts as (

    {% for raw in raw_tables() %}
        select
            '{{ raw.system }}' as source_system,
            '{{ raw.table }}' as source_table,
            (select count(*) from {{ raw_source(raw.system, raw.table) }}) as raw_row_count,
            (select count(*) from {{ ref(raw.staging_model) }}) as staging_row_count
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

books as (

    select
        counts.source_system,
        counts.source_table,
        counts.raw_row_count,
        counts.staging_row_count,
        coalesce(kept_out.kept_out_rows, 0) as quarantined_kept_out_rows

    from counts

    left join kept_out
        on counts.source_system = kept_out.source_system
            and counts.source_table = kept_out.source_table

)

select *
from books
where raw_row_count <> staging_row_count + quarantined_kept_out_rows
