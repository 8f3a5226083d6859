{#-
    Every raw lead, opportunity, subscription and ticket is accounted for: each raw id has
    at least one event in fct_customer_journey or a row in int_journey_quarantine that says
    why not. Returns one row per raw table with ids in neither. (Row counts per raw table
    are reconciled by reconcile_raw_rows_per_table, each expected event by
    reconcile_expected_journey_events.)
-#}
{%- set entities = [
    ('crm', 'lead'),
    ('crm', 'opportunity'),
    ('billing', 'subscription'),
    ('support', 'ticket'),
] %}
with

journey_records as (

    select distinct
        source_system,
        source_table,
        source_record_id
    from {{ ref('fct_customer_journey') }}

),

quarantined_records as (

    select distinct
        source_system,
        source_table,
        source_record_id
    from {{ ref('int_journey_quarantine') }}
    where quarantine_reason <> 'duplicate_extract_row'

),

raw_rows as (

    {% for system, table in entities %}
        select
            '{{ system }}' as source_system,
            '{{ table }}' as source_table,
            cast(id as {{ dbt.type_string() }}) as source_record_id
        from {{ raw_source(system, table) }}
        -- rows without an id are reconciled by count (reconcile_raw_rows_per_table)
        where {{ raw_key_present(system, table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

raw_ids as (

    select
        raw_rows.source_system,
        raw_rows.source_table,
        raw_rows.source_record_id,
        count(*) as row_count
    from raw_rows
    group by 1, 2, 3

),

accounted as (

    select
        raw_ids.source_system,
        raw_ids.source_table,
        raw_ids.source_record_id,
        raw_ids.row_count,
        journey_records.source_record_id is not null as is_in_journey,
        quarantined_records.source_record_id is not null as is_quarantined

    from raw_ids

    left join journey_records
        on raw_ids.source_system = journey_records.source_system
            and raw_ids.source_table = journey_records.source_table
            and raw_ids.source_record_id = journey_records.source_record_id

    left join quarantined_records
        on raw_ids.source_system = quarantined_records.source_system
            and raw_ids.source_table = quarantined_records.source_table
            and raw_ids.source_record_id = quarantined_records.source_record_id

),

books as (

    select
        source_system,
        source_table,
        count(*) as raw_id_count,
        sum(case when is_in_journey or is_quarantined then 0 else 1 end) as unaccounted_id_count

    from accounted

    group by 1, 2

)

select *
from books
where unaccounted_id_count > 0
