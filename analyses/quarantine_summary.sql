-- What was kept out of the customer journey, per raw table and reason, and how many raw rows
-- that is. Every raw lead, opportunity, subscription and ticket is either in the journey or
-- here (tests/reconcile_raw_records_accounted_for.sql).
with

quarantine as (

    select * from {{ ref('int_journey_quarantine') }}

)

select
    source_system,
    source_table,
    quarantine_reason,
    count(*) as quarantined_records,
    sum(raw_rows) as raw_rows

from quarantine

group by 1, 2, 3

order by 1, 2, 4 desc
