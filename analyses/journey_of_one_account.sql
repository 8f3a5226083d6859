-- The whole journey of one account, in order: pass an account key, e.g.
-- dbt compile -s journey_of_one_account --vars '{account_key: "<key from dim_accounts>"}'
-- and run the compiled SQL (target/compiled/revops/analyses/) in DuckDB.
with

journey as (

    select * from {{ ref('fct_customer_journey') }}

)

select
    account_event_sequence,
    event_at,
    event_category,
    event_type,
    channel,
    amount,
    event_detail,
    source_system,
    source_table,
    source_record_id

from journey

where account_key = '{{ var("account_key", "") }}'

order by account_event_sequence
