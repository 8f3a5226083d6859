{{
    config(
        materialized=incremental_or_table(),
        unique_key=['source_table', 'source_record_id'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

{#-
    The account and person key every identity record had when fct_customer_journey last
    took it in, so an incremental build knows which accounts to rebuild when identity
    resolution moves a record (a form today can tie months of a visitor's sessions to a
    customer account). One row per identity record ever seen.

    A full build stores every record as pending. An incremental build writes only the
    records whose keys changed since this table last saw them (a record gone from
    int_identities_resolved gets null keys) and keeps, in previous_account_key and
    previous_person_key, the keys the journey still holds for them. fct_customer_journey
    marks every pending row applied once it has rebuilt those accounts (its post-hook).
-#}
with

identities as (

    select
        source_table,
        source_record_id,
        account_key,
        person_key

    from {{ ref('int_identities_resolved') }}

),

changed as (

    {% if is_incremental() %}
        select
            coalesce(identities.source_table, tracked.source_table) as source_table,
            coalesce(identities.source_record_id, tracked.source_record_id) as source_record_id,
            identities.account_key,
            identities.person_key,
            -- the keys the journey holds: those of the last applied state
            case when tracked.is_applied then tracked.account_key else tracked.previous_account_key end
                as previous_account_key,
            case when tracked.is_applied then tracked.person_key else tracked.previous_person_key end
                as previous_person_key,
            false as is_applied

        from identities

        full outer join {{ this }} as tracked
            on identities.source_table = tracked.source_table
                and identities.source_record_id = tracked.source_record_id

        where identities.account_key is distinct from tracked.account_key
            or identities.person_key is distinct from tracked.person_key

    {% else %}
        select
            source_table,
            source_record_id,
            account_key,
            person_key,
            cast(null as {{ dbt.type_string() }}) as previous_account_key,
            cast(null as {{ dbt.type_string() }}) as previous_person_key,
            false as is_applied

        from identities
    {% endif %}

),

final as (

    select * from changed

)

select * from final
