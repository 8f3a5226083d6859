{#-
    Journey events from the CRM: lead created, MQL, SQL, opportunity created, opportunity
    stage changed, sales activity, deal won and deal lost. Deleted records and duplicate
    leads (see stg_crm__leads) are left out here and accounted for in int_journey_quarantine.
-#}
with

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted and not is_duplicate_lead

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted

),

opportunity_history as (

    select * from {{ ref('stg_crm__opportunity_history') }}
    where not is_deleted

),

tasks as (

    select * from {{ ref('stg_crm__tasks') }}
    where not is_deleted and task_state = 'completed'

),

meetings as (

    select * from {{ ref('stg_crm__events') }}
    where not is_deleted

),

identities as (

    select * from {{ ref('int_identities_resolved') }}
    where source_system = 'crm'

),

-- when anything an opportunity's events are derived from was last loaded: the opportunity
-- and every row of its stage history, deleted or not (a deletion changes the events too)
opportunity_loads as (

    select
        opportunity_id,
        max(loaded_at) as loaded_at

    from (
        select
            opportunity_id,
            loaded_at
        from {{ ref('stg_crm__opportunities') }}
        union all
        select
            opportunity_id,
            loaded_at
        from {{ ref('stg_crm__opportunity_history') }}
    ) as opportunity_rows

    group by 1

),

lead_identities as (

    select
        leads.*,
        identities.account_key,
        identities.person_key,
        coalesce(leads.utm_medium_channel, leads.lead_source_channel) as channel

    from leads

    left join identities
        on identities.source_table = 'lead'
            and leads.lead_id = identities.source_record_id

),

lead_milestones as (

    select
        lead_id,
        'lead_created' as event_type,
        created_at as event_at
    from lead_identities

    union all

    select
        lead_id,
        'mql' as event_type,
        mql_at as event_at
    from lead_identities
    where mql_at is not null

    union all

    select
        lead_id,
        'sql' as event_type,
        sql_at as event_at
    from lead_identities
    where sql_at is not null

),

lead_events as (

    select
        lead_milestones.event_type,
        lead_milestones.event_at,
        lead_identities.account_key,
        lead_identities.person_key,
        lead_identities.channel,
        cast(null as decimal(18, 2)) as amount,
        lead_identities.owner_id as owner_user_id,
        lead_identities.lead_status as event_detail,
        'crm' as source_system,
        'lead' as source_table,
        lead_identities.lead_id as source_record_id,
        lead_identities.loaded_at

    from lead_milestones

    inner join lead_identities
        on lead_milestones.lead_id = lead_identities.lead_id

),

-- the deal's account; a deal whose account the extract lacks has a key of its own (see
-- int_identities_resolved), one whose account was deleted has none (quarantined)
opportunity_accounts as (

    select
        opportunities.*,
        coalesce(
            account_identities.account_key,
            missing_account_identities.account_key,
            deal_identities.account_key
        ) as account_key

    from opportunities

    left join identities as account_identities
        on account_identities.source_table = 'account'
            and opportunities.account_id = account_identities.source_record_id

    left join identities as missing_account_identities
        on missing_account_identities.source_table = 'opportunity_account'
            and opportunities.account_id = missing_account_identities.source_record_id

    left join identities as deal_identities
        on deal_identities.source_table = 'opportunity'
            and opportunities.opportunity_id = deal_identities.source_record_id

),

stage_changes as (

    select
        opportunity_history.*,
        lag(opportunity_history.stage_name) over (
            partition by opportunity_history.opportunity_id
            order by opportunity_history.changed_at, opportunity_history.opportunity_history_id
        ) as previous_stage_name

    from opportunity_history

),

-- a deal the CRM delivered without a creation time was created no later than its first
-- stage change (Salesforce writes one when the deal is created)
first_changes as (

    select
        opportunity_id,
        min(changed_at) as first_changed_at

    from opportunity_history

    group by 1

),

closings as (

    select
        opportunity_id,
        min(changed_at) as closed_at

    from opportunity_history

    where stage_category in ('won', 'lost')

    group by 1

),

opportunity_events as (

    select
        'opportunity_created' as event_type,
        case
            when opportunity_accounts.created_at_source = 'created_date'
                or first_changes.first_changed_at is null
                then opportunity_accounts.created_at
            when opportunity_accounts.created_at is null
                or first_changes.first_changed_at < opportunity_accounts.created_at
                then first_changes.first_changed_at
            else opportunity_accounts.created_at
        end as event_at,
        opportunity_accounts.account_key,
        cast(null as {{ dbt.type_string() }}) as person_key,
        opportunity_accounts.lead_source_channel as channel,
        opportunity_accounts.amount,
        opportunity_accounts.owner_id as owner_user_id,
        opportunity_accounts.opportunity_type as event_detail,
        'crm' as source_system,
        'opportunity' as source_table,
        opportunity_accounts.opportunity_id as source_record_id,
        opportunity_loads.loaded_at

    from opportunity_accounts

    inner join opportunity_loads
        on opportunity_accounts.opportunity_id = opportunity_loads.opportunity_id

    left join first_changes
        on opportunity_accounts.opportunity_id = first_changes.opportunity_id

    union all

    select
        case when opportunity_accounts.is_won then 'deal_won' else 'deal_lost' end as event_type,
        coalesce(closings.closed_at, cast(opportunity_accounts.close_date as timestamp)) as event_at,
        opportunity_accounts.account_key,
        cast(null as {{ dbt.type_string() }}) as person_key,
        opportunity_accounts.lead_source_channel as channel,
        opportunity_accounts.amount,
        opportunity_accounts.owner_id as owner_user_id,
        opportunity_accounts.opportunity_type as event_detail,
        'crm' as source_system,
        'opportunity' as source_table,
        opportunity_accounts.opportunity_id as source_record_id,
        opportunity_loads.loaded_at

    from opportunity_accounts

    inner join opportunity_loads
        on opportunity_accounts.opportunity_id = opportunity_loads.opportunity_id

    left join closings
        on opportunity_accounts.opportunity_id = closings.opportunity_id

    where opportunity_accounts.is_closed

    union all

    select
        'opportunity_stage_changed' as event_type,
        stage_changes.changed_at as event_at,
        opportunity_accounts.account_key,
        cast(null as {{ dbt.type_string() }}) as person_key,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as decimal(18, 2)) as amount,
        stage_changes.changed_by_user_id as owner_user_id,
        {{ dbt.concat(["coalesce(stage_changes.previous_stage_name, '(new)')", "' -> '", "stage_changes.stage_name"]) }}
            as event_detail,
        'crm' as source_system,
        'opportunity_history' as source_table,
        stage_changes.opportunity_history_id as source_record_id,
        opportunity_loads.loaded_at

    from stage_changes

    inner join opportunity_loads
        on stage_changes.opportunity_id = opportunity_loads.opportunity_id

    -- a stage change of a deleted opportunity has no account: quarantined with the reason
    left join opportunity_accounts
        on stage_changes.opportunity_id = opportunity_accounts.opportunity_id

    where stage_changes.previous_stage_name is null
        or stage_changes.previous_stage_name <> stage_changes.stage_name

),

activities as (

    select
        task_id as activity_id,
        'task' as source_table,
        task_type as activity_type,
        activity_at,
        who_id,
        what_id,
        account_id,
        owner_id,
        loaded_at
    from tasks

    union all

    select
        event_id,
        'event',
        event_type,
        started_at,
        who_id,
        what_id,
        account_id,
        owner_id,
        loaded_at
    from meetings

),

activity_events as (

    select
        'sales_activity' as event_type,
        activities.activity_at as event_at,
        coalesce(
            account_identities.account_key,
            opportunity_accounts.account_key,
            who_identities.account_key
        ) as account_key,
        who_identities.person_key,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as decimal(18, 2)) as amount,
        activities.owner_id as owner_user_id,
        activities.activity_type as event_detail,
        'crm' as source_system,
        activities.source_table,
        activities.activity_id as source_record_id,
        greatest(activities.loaded_at, coalesce(opportunity_loads.loaded_at, activities.loaded_at)) as loaded_at

    from activities

    left join opportunity_loads
        on activities.what_id = opportunity_loads.opportunity_id

    left join identities as account_identities
        on account_identities.source_table = 'account'
            and activities.account_id = account_identities.source_record_id

    left join opportunity_accounts
        on activities.what_id = opportunity_accounts.opportunity_id

    left join identities as who_identities
        on who_identities.source_table in ('lead', 'contact')
            and activities.who_id = who_identities.source_record_id

)

select * from lead_events
union all
select * from opportunity_events
union all
select * from activity_events
