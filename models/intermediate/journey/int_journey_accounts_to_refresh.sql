{#-
    The account keys an incremental build of fct_customer_journey and dim_accounts deletes
    and rebuilds whole (so every account's event sequence stays gap-free). Read from the journey as it
    stands before this build; empty when the journey does not exist yet, on --full-refresh, and
    on engines that rebuild the journey in full (can_update_rows).

    An account is rebuilt when
      recent_event      it has a candidate event whose raw rows were loaded at or after the
                        cutoff, or dated after the earlier of the cutoff and the journey's
                        latest event (the as-of date moved forward). The cutoff is the latest
                        load the journey holds from its most lagging source system, minus
                        incremental_lookback_days (late-arriving rows)
      moved_event       the journey holds such an event (or an event of a reloaded raw
                        record, e.g. one deleted since) under this account
      identity_change   identity resolution moved a record to or from this account, or the
                        journey holds an event of a person whose key changed or who has a
                        recent event (a new lead can make an older one a duplicate)
      fx_restated       it has a subscription item priced with an FX rate loaded since the
                        cutoff
      account_record    its Salesforce account record was loaded since the cutoff, or was
                        created near or after the as-of date (dim_accounts reads its
                        firmographics and scope; the journey is rebuilt too, harmlessly)
      as_of_moved       the journey holds an event after the as-of date (it moved back)
      closure           an event moved between this account and an account above, either way
      vocabulary_changed  a mapping seed (seeds/mappings) was edited since the last build:
                        every account, so no event keeps a channel or outcome mapped the old way
-#}
-- depends_on: {{ ref('int_journey_events_unioned') }}
-- depends_on: {{ ref('int_identity_keys_tracked') }}
-- depends_on: {{ ref('int_subscription_items_priced') }}
-- depends_on: {{ ref('stg_finance__fx_rates') }}
-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('int_identities_resolved') }}
-- depends_on: {{ ref('stg_marketing__web_sessions') }}
-- depends_on: {{ ref('stg_marketing__form_submissions') }}
-- depends_on: {{ ref('stg_crm__leads') }}
-- depends_on: {{ ref('stg_crm__opportunities') }}
-- depends_on: {{ ref('stg_crm__opportunity_history') }}
-- depends_on: {{ ref('stg_crm__tasks') }}
-- depends_on: {{ ref('stg_crm__events') }}
-- depends_on: {{ ref('stg_billing__subscriptions') }}
-- depends_on: {{ ref('stg_billing__subscription_items') }}
-- depends_on: {{ ref('stg_support__tickets') }}
-- depends_on: {{ ref('stg_support__satisfaction_ratings') }}
{%- set journey_node = graph.nodes.get('model.revops.fct_customer_journey') if execute else none -%}
{%- set journey = adapter.get_relation(
        database=journey_node.database, schema=journey_node.schema, identifier=journey_node.alias
    ) if journey_node else none -%}

{%- set refresh = journey is not none and not flags.FULL_REFRESH and can_update_rows() -%}
{%- if refresh -%}
    {%- set journey_columns = adapter.get_columns_in_relation(journey) | map(attribute='name') | map('lower') | list -%}
    {%- if 'loaded_at' not in journey_columns -%}
        {{ exceptions.raise_compiler_error(
            journey ~ " was built by an earlier version of this project (it has no loaded_at column), so it "
            ~ "cannot be updated incrementally: rebuild it once with `dbt build --full-refresh`."
        ) }}
    {%- endif -%}
{%- endif -%}
{%- set remap_all = refresh and vocabulary_changed() -%}
{#- On a full build every input is filtered out at its source, so nothing below runs. -#}
{%- set enabled = 'true' if refresh else 'false' -%}
{%- set empty_journey -%}
    (
        select
            cast(null as {{ dbt.type_string() }}) as event_id,
            cast(null as {{ dbt.type_string() }}) as account_key,
            cast(null as {{ dbt.type_string() }}) as person_key,
            cast(null as {{ dbt.type_string() }}) as source_system,
            cast(null as {{ dbt.type_string() }}) as source_table,
            cast(null as {{ dbt.type_string() }}) as source_record_id,
            cast(null as timestamp) as event_at,
            cast(null as timestamp) as loaded_at
    ) as no_journey
{%- endset %}

with

journey as (

    select
        event_id,
        account_key,
        person_key,
        source_system,
        source_table,
        source_record_id,
        event_at,
        loaded_at

    -- no journey yet, or a full refresh: nothing to refresh (final keeps no row)
    from {{ journey if refresh else empty_journey }}

),

events as (

    select * from {{ ref('int_journey_events_unioned') }}
    where {{ enabled }}

),

identity_changes as (

    select * from {{ ref('int_identity_keys_tracked') }}
    where not is_applied and {{ enabled }}

),

items_priced as (

    select * from {{ ref('int_subscription_items_priced') }}
    where {{ enabled }}

),

source_systems as (

    select 'marketing' as source_system
    union all
    select 'crm' as source_system
    union all
    select 'billing' as source_system
    union all
    select 'support' as source_system

),

-- the latest load the journey holds from each system that feeds it (a system without events
-- yet counts as never loaded)
system_loads as (

    select
        source_systems.source_system,
        coalesce(max(journey.loaded_at), cast('1900-01-01' as timestamp)) as latest_loaded_at

    from source_systems

    left join journey
        on source_systems.source_system = journey.source_system

    group by 1

),

cutoff as (

    -- the lagging system sets the cutoff: its rows may arrive after the others' newer ones
    select
        {{ dbt.dateadd('day', -1 * var('incremental_lookback_days'), 'min(system_loads.latest_loaded_at)') }}
            as cutoff_at,
        -- events dated after the journey's latest event came into scope if the as-of date moved
        least(
            {{ dbt.dateadd('day', -1 * var('incremental_lookback_days'), 'min(system_loads.latest_loaded_at)') }},
            coalesce((select max(journey.event_at) from journey), cast('1900-01-01' as timestamp))
        ) as event_cutoff_at

    from system_loads

),

recent_events as (

    select
        events.event_id,
        events.account_key,
        events.person_key

    from events

    cross join cutoff

    where events.loaded_at >= cutoff.cutoff_at
        or events.event_at >= cutoff.event_cutoff_at

),

-- raw records of the journey's source tables loaded since the cutoff, deleted ones included
-- (the events of a deleted record are gone from int_journey_events_unioned)
reloaded_records as (

    {%- set record_tables = [
        ('web_sessions', 'stg_marketing__web_sessions', 'session_id'),
        ('form_submissions', 'stg_marketing__form_submissions', 'submission_id'),
        ('lead', 'stg_crm__leads', 'lead_id'),
        ('opportunity', 'stg_crm__opportunities', 'opportunity_id'),
        ('opportunity_history', 'stg_crm__opportunity_history', 'opportunity_history_id'),
        ('task', 'stg_crm__tasks', 'task_id'),
        ('event', 'stg_crm__events', 'event_id'),
        ('subscription', 'stg_billing__subscriptions', 'subscription_id'),
        ('subscription', 'stg_billing__subscription_items', 'subscription_id'),
        ('ticket', 'stg_support__tickets', 'ticket_id'),
        ('satisfaction_rating', 'stg_support__satisfaction_ratings', 'satisfaction_rating_id'),
    ] %}
    {%- for source_table, model, id_column in record_tables %}

        select
            '{{ source_table }}' as source_table,
            cast(records.{{ id_column }} as {{ dbt.type_string() }}) as source_record_id
        from {{ ref(model) }} as records
        cross join cutoff
        where records.loaded_at >= cutoff.cutoff_at and {{ enabled }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

changed_persons as (

    select previous_person_key as person_key from identity_changes
    union
    select person_key from identity_changes
    union
    select person_key from recent_events

),

fx_restatement as (

    select min(rates.rate_date) as first_restated_date

    from {{ ref('stg_finance__fx_rates') }} as rates

    cross join cutoff

    where rates.loaded_at >= cutoff.cutoff_at and {{ enabled }}

),

direct as (

    select
        account_key,
        'recent_event' as refresh_reason
    from recent_events

    union all

    select
        journey.account_key,
        'moved_event' as refresh_reason
    from journey
    inner join recent_events
        on journey.event_id = recent_events.event_id

    union all

    select
        journey.account_key,
        'moved_event' as refresh_reason
    from journey
    inner join reloaded_records
        on journey.source_table = reloaded_records.source_table
            and journey.source_record_id = reloaded_records.source_record_id

    union all

    select
        account_key,
        'identity_change' as refresh_reason
    from identity_changes

    union all

    select
        previous_account_key,
        'identity_change' as refresh_reason
    from identity_changes

    union all

    select
        journey.account_key,
        'identity_change' as refresh_reason
    from journey
    inner join changed_persons
        on journey.person_key = changed_persons.person_key

    union all

    select
        identities.account_key,
        'account_record' as refresh_reason
    from {{ ref('stg_crm__accounts') }} as crm_accounts
    cross join cutoff
    inner join {{ ref('int_identities_resolved') }} as identities
        on
            identities.source_table = 'account'
            and crm_accounts.account_id = identities.source_record_id
    where {{ enabled }}
        and (
            crm_accounts.loaded_at >= cutoff.cutoff_at
            -- created around the as-of date: in or out of dim_accounts' scope as it moves
            or crm_accounts.created_at >= cutoff.event_cutoff_at
            or cast(crm_accounts.created_at as date) > {{ as_of_date() }}
        )

    union all

    -- the as-of date moved back: the journey holds events now after it
    select
        journey.account_key,
        'as_of_moved' as refresh_reason
    from journey
    where journey.event_at >= {{ as_of_timestamp_end() }}

    union all

    -- a person's key changed or has a recent event: every account holding one of the person's
    -- records (a deleted canonical lead makes a duplicate converted elsewhere canonical)
    select
        identities.account_key,
        'identity_change' as refresh_reason
    from {{ ref('int_identities_resolved') }} as identities
    inner join changed_persons
        on identities.person_key = changed_persons.person_key

    union all

    select
        items_priced.account_key,
        'fx_restated' as refresh_reason
    from items_priced
    inner join fx_restatement
        on cast(items_priced.started_at as date) >= fx_restatement.first_restated_date

    {%- if remap_all %}

    union all

    select
        journey.account_key,
        'vocabulary_changed' as refresh_reason
    from journey

    union all

    select
        events.account_key,
        'vocabulary_changed' as refresh_reason
    from events
    {%- endif %}

),

direct_accounts as (

    select
        account_key,
        min(refresh_reason) as refresh_reason

    from direct

    where account_key is not null

    group by 1

),

-- events that changed account, either way: the journey holds them under a listed account and
-- they now belong to another (a deleted organization's tickets fall back to the requester's
-- account), or they now belong to a listed account and the journey holds them under another
closure as (

    select
        journey.account_key,
        'closure' as refresh_reason

    from events

    inner join direct_accounts
        on events.account_key = direct_accounts.account_key

    inner join journey
        on events.event_id = journey.event_id

    where journey.account_key <> events.account_key

    union all

    select
        events.account_key,
        'closure' as refresh_reason

    from journey

    inner join direct_accounts
        on journey.account_key = direct_accounts.account_key

    inner join events
        on journey.event_id = events.event_id

    where journey.account_key <> events.account_key

),

final as (

    select * from direct_accounts

    union all

    select
        closure.account_key,
        min(closure.refresh_reason) as refresh_reason

    from closure

    left join direct_accounts
        on closure.account_key = direct_accounts.account_key

    where direct_accounts.account_key is null

    group by 1

)

select * from final
where {{ 'true' if refresh else 'false' }}
