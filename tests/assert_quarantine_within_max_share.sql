{#-
    One bad row never stops the build (it goes to int_journey_quarantine with its reason), but
    a raw table whose records are quarantined for a row fault beyond the share var
    max_quarantine_share (env REVOPS_MAX_QUARANTINE_SHARE, default 0.05) of its raw rows is
    not a few bad rows: a column is probably read wrong. The build stops here with one message
    naming every such table, its share, the reasons and up to 10 record ids.

    Row faults are the reasons of quarantine_fault_reasons(); duplicates, deletions, records
    dated after the as-of date and subscriptions without a paid MRR change are facts of the
    source, not faults, and never count. Records kept with a flag and a warn test (a deal
    without an account in the extract, an undated deal, ...) are not quarantined and do not
    count either. A share of 1 turns the check off.
-#}
{%- set max_share = var('max_quarantine_share') | string | trim -%}
with

faults as (

    select
        source_system,
        source_table,
        source_record_id,
        min(quarantine_reason) as quarantine_reason

    from {{ ref('int_journey_quarantine') }}

    where quarantine_reason in ('{{ quarantine_fault_reasons() | join("', '") }}')

    group by 1, 2, 3

),

raw_counts as (

    {% for raw in raw_tables() %}
        select
            '{{ raw.system }}' as source_system,
            '{{ raw.table }}' as source_table,
            count(*) as raw_rows
        from {{ raw_source(raw.system, raw.table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

fault_counts as (

    select
        faults.source_system,
        faults.source_table,
        count(*) as quarantined_records,
        {{ dbt.listagg('distinct faults.quarantine_reason', "', '") }} as reasons,
        {{ dbt.listagg(
            'faults.source_record_id', "', '",
            none if target.type == 'spark' else 'order by faults.source_record_id', 10
        ) }} as sample_ids

    from faults

    group by 1, 2

),

oversized as (

    select
        fault_counts.source_system,
        fault_counts.source_table,
        fault_counts.quarantined_records,
        raw_counts.raw_rows,
        cast(fault_counts.quarantined_records as {{ type_double() }}) / raw_counts.raw_rows as quarantined_share,
        fault_counts.reasons,
        fault_counts.sample_ids

    from fault_counts

    inner join raw_counts
        on fault_counts.source_system = raw_counts.source_system
            and fault_counts.source_table = raw_counts.source_table

    where
        raw_counts.raw_rows > 0
        and cast(fault_counts.quarantined_records as {{ type_double() }}) / raw_counts.raw_rows
        > cast('{{ max_share }}' as {{ type_double() }})

),

summary as (

    select
        count(*) as oversized_tables,
        {{ dbt.listagg(dbt.concat([
            "'raw table '", "source_system", "'.'", "source_table", "': '",
            "cast(quarantined_records as " ~ dbt.type_string() ~ ")", "' of '",
            "cast(raw_rows as " ~ dbt.type_string() ~ ")", "' records ('",
            "cast(round(quarantined_share * 100, 1) as " ~ dbt.type_string() ~ ")", "'%) quarantined as '",
            "reasons", "', e.g. source_record_id '", "sample_ids"
        ]), "'; '") }} as table_list

    from oversized

    having count(*) > 0

)

select *

from summary

{# In the filter, so no engine can prune it: evaluated once when a table is over the share. #}
where {{ raise_data_error(dbt.concat([
    "'Quarantine too large: '",
    "table_list",
    "'. Over max_quarantine_share " ~ max_share ~ " of a raw table: see intermediate.int_journey_quarantine "
    ~ "(analyses/quarantine_summary.sql), fix the rows or the column mapping, or raise the share "
    ~ "(env REVOPS_MAX_QUARANTINE_SHARE or --vars max_quarantine_share).'"
])) }} is null
