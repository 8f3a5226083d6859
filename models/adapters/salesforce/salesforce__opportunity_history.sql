{#-
    crm.opportunity_history from Fivetran's Salesforce tables, in this order:
    1. opportunity_history, the OpportunityHistory object: a row each time the stage, amount,
       probability or close date changed (the contract's own meaning);
    2. else salesforce_history.opportunity, the opportunity in History Mode: one row per
       version Fivetran saw. A version that changed the stage, amount, probability or close
       date is a change (the first version too; versions that changed other fields are not),
       dated by its _fivetran_start, made by its last_modified_by_id, and named
       <opportunity id>@<version start>. History Mode knows what each sync saw: two changes
       between syncs are one, and the history starts when History Mode was switched on.
    A change is deleted when its row is, or (History Mode) when the opportunity's latest
    version is deleted or not active.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

{%- set native_history = connector_table_is_present('salesforce', 'opportunity_history') %}

with

native_history as (

    select * from {{ connector_select('salesforce', 'opportunity_history', [
        ['id', 'varchar', 'required'],
        ['opportunity_id', 'varchar', 'required'],
        ['stage_name', 'varchar'],
        ['amount', 'decimal(18,2)'],
        ['probability', 'double'],
        ['close_date', 'date'],
        ['created_by_id', 'varchar'],
        ['created_date', 'timestamp', 'required'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as native_history

),

current_native_history as (

    select * from {{ salesforce_current('native_history') }} as current_native_history

),

history_mode_versions as (

    select * from {{ connector_select('salesforce_history', 'opportunity', [
        ['id', 'varchar', 'required'],
        ['_fivetran_start', 'timestamp', 'required'],
        ['_fivetran_active', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
        ['stage_name', 'varchar', 'required'],
        ['amount', 'decimal(18,2)'],
        ['probability', 'double'],
        ['close_date', 'date'],
        ['last_modified_by_id', 'varchar'],
        ['is_deleted', 'boolean'],
    ]) }} as history_mode_versions

    -- read only when the OpportunityHistory object is not synced
    where {{ 'false' if native_history else 'true' }}

),

-- a version Fivetran delivered twice (a re-sync) counts once: its latest load
distinct_versions as (

    select *
    from (
        select
            *,
            row_number() over (
                partition by id, _fivetran_start order by _fivetran_synced desc
            ) as load_rank
        from history_mode_versions
    ) as loads
    where load_rank = 1

),

versions_in_order as (

    select
        *,
        row_number() over (partition by id order by _fivetran_start) as version_number,
        row_number() over (partition by id order by _fivetran_start desc) as versions_after,
        lag(stage_name) over (partition by id order by _fivetran_start) as previous_stage_name,
        lag(amount) over (partition by id order by _fivetran_start) as previous_amount,
        lag(probability) over (partition by id order by _fivetran_start) as previous_probability,
        lag(close_date) over (partition by id order by _fivetran_start) as previous_close_date

    from distinct_versions

),

deleted_opportunities as (

    select id as opportunity_id
    from versions_in_order
    where versions_after = 1
        and (coalesce(is_deleted, false) or not coalesce(_fivetran_active, true))

),

history_mode_changes as (

    select
        versions_in_order.id || '@' || cast(versions_in_order._fivetran_start as {{ dbt.type_string() }}) as id,
        versions_in_order.id as opportunity_id,
        versions_in_order.stage_name,
        versions_in_order.amount,
        versions_in_order.probability,
        versions_in_order.close_date,
        versions_in_order.last_modified_by_id as created_by_id,
        versions_in_order._fivetran_start as created_date,
        (
            coalesce(versions_in_order.is_deleted, false)
            or deleted_opportunities.opportunity_id is not null
        ) as is_deleted,
        versions_in_order._fivetran_synced

    from versions_in_order

    left join deleted_opportunities
        on versions_in_order.id = deleted_opportunities.opportunity_id

    where versions_in_order.version_number = 1
        or versions_in_order.stage_name is distinct from versions_in_order.previous_stage_name
        or versions_in_order.amount is distinct from versions_in_order.previous_amount
        or versions_in_order.probability is distinct from versions_in_order.previous_probability
        or versions_in_order.close_date is distinct from versions_in_order.previous_close_date

),

changes as (

    select
        id,
        opportunity_id,
        stage_name,
        amount,
        probability,
        close_date,
        created_by_id,
        created_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced
    from current_native_history

    union all

    select
        id,
        opportunity_id,
        stage_name,
        amount,
        probability,
        close_date,
        created_by_id,
        created_date,
        is_deleted,
        _fivetran_synced
    from history_mode_changes

),

final as (

    select
        id,
        opportunity_id,
        stage_name,
        amount,
        cast(round(probability) as integer) as probability,
        close_date,
        created_by_id,
        created_date,
        is_deleted,
        _fivetran_synced

    from changes

)

select * from final
