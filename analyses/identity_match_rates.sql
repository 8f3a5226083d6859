-- How well identity resolution ties each system's records to a customer account:
-- records per system, table and match method, with the share of the table.
-- Re-run after loading new data: a falling explicit_link or email share usually means a
-- broken sync (Stripe metadata or Zendesk external ids no longer written).
with

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

counted as (

    select
        source_system,
        source_table,
        match_method,
        count(*) as record_count

    from identities

    group by 1, 2, 3

)

select
    source_system,
    source_table,
    match_method,
    record_count,
    round(100.0 * record_count / sum(record_count) over (partition by source_system, source_table), 1)
        as pct_of_table

from counted

order by 1, 2, 4 desc
