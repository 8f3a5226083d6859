{{
    config(
        materialized=incremental_or_table(),
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_accounts_to_refresh() }}"
    )
}}

{#-
    One row per customer account key in scope at the as-of date: every Salesforce account
    created by then, and every company, person or visitor with a journey event that identity
    resolution could not tie to one (see int_identities_resolved). Acquisition, lifecycle and
    ownership are read from the customer journey up to the as-of date. No names, emails or
    phones.

    Incremental like fct_customer_journey: a build rebuilds whole the accounts listed by
    int_journey_accounts_to_refresh (every input of a row belongs to its account).
-#}
-- depends_on: {{ ref('int_journey_accounts_to_refresh') }}
{{ require_in_same_run(['int_journey_accounts_to_refresh']) }}
-- depends_on: {{ ref('kpi_coverage') }}
with

identities as (

    select identities.*

    from {{ ref('int_identities_resolved') }} as identities

    {{ join_accounts_to_refresh('identities') }}

),

crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted and not is_duplicate_lead

),

journey as (

    select journey.*

    from {{ ref('fct_customer_journey') }} as journey

    {{ join_accounts_to_refresh('journey') }}

),

mrr_changes as (

    select mrr_changes.*

    from {{ ref('int_mrr_changes_classified') }} as mrr_changes

    {{ join_accounts_to_refresh('mrr_changes') }}

),

-- in scope at the as-of date: keys with a journey event, and CRM accounts created by then
keys_in_scope as (

    select distinct account_key from journey

    union

    select identities.account_key

    from identities

    inner join crm_accounts
        on identities.source_table = 'account'
            and identities.source_record_id = crm_accounts.account_id

    where cast(crm_accounts.created_at as date) <= {{ as_of_date() }}

),

account_keys as (

    select
        identities.account_key,
        min(identities.account_key_source) as account_kind,
        min(identities.crm_account_id) as crm_account_id,
        cast(count(*) as bigint) as resolved_record_count,
        cast(sum(case when identities.match_method = 'unmatched' then 1 else 0 end) as bigint)
            as unmatched_record_count

    from identities

    inner join keys_in_scope
        on identities.account_key = keys_in_scope.account_key

    group by 1

),

opportunity_counts as (

    select
        account_key,
        sum(case when event_type = 'opportunity_created' then 1 else 0 end) as opportunities_created,
        sum(case when event_type in ('deal_won', 'deal_lost') then 1 else 0 end) as opportunities_closed,
        sum(case when event_type = 'deal_won' then 1 else 0 end) as opportunities_won

    from journey

    where event_type in ('opportunity_created', 'deal_won', 'deal_lost')

    group by 1

),

first_leads as (

    -- For accounts outside the CRM, firmographics come from their earliest lead.
    select
        identities.account_key,
        leads.country_code,
        leads.employee_count,
        leads.segment,
        row_number() over (partition by identities.account_key order by leads.created_at, leads.lead_id) as lead_rank

    from leads

    inner join identities
        on identities.source_table = 'lead'
            and leads.lead_id = identities.source_record_id

),

first_events as (

    select
        account_key,
        event_type,
        event_at,
        channel,
        row_number() over (partition by account_key, event_type order by event_at, event_id) as event_rank

    from journey

    where event_type in (
            'touch', 'lead_created', 'mql', 'sql', 'opportunity_created', 'subscription_started', 'deal_won'
        )

),

milestones as (

    select
        account_key,
        min(case when event_type = 'touch' then event_at end) as first_touch_at,
        min(case when event_type = 'touch' then channel end) as first_touch_channel,
        min(case when event_type = 'lead_created' then event_at end) as first_lead_created_at,
        min(case when event_type = 'lead_created' then channel end) as lead_creation_channel,
        min(case when event_type = 'mql' then event_at end) as first_mql_at,
        min(case when event_type = 'sql' then event_at end) as first_sql_at,
        min(case when event_type = 'opportunity_created' then event_at end) as first_opportunity_at,
        min(case when event_type = 'opportunity_created' then channel end) as first_opportunity_channel,
        min(case when event_type = 'deal_won' then event_at end) as first_deal_won_at,
        min(case when event_type = 'subscription_started' then event_at end) as became_customer_at

    from first_events

    where event_rank = 1

    group by 1

),

lead_creation_touches as (

    -- The lead-creation touch: the last web touch at or before the first lead was created.
    select
        journey.account_key,
        journey.channel,
        row_number() over (partition by journey.account_key order by journey.event_at desc, journey.event_id desc)
            as touch_rank

    from journey

    inner join milestones
        on journey.account_key = milestones.account_key
            and journey.event_at <= milestones.first_lead_created_at

    where journey.event_type = 'touch'

),

current_mrr as (

    select
        account_key,
        account_mrr_after as current_mrr,
        row_number() over (partition by account_key order by change_date desc, mrr_change_id desc) as change_rank

    from mrr_changes

),

final as (

    select
        account_keys.account_key,
        account_keys.account_kind,
        account_keys.crm_account_id,
        coalesce(crm_accounts.segment, first_leads.segment, 'unknown') as segment,
        coalesce(crm_accounts.country_code, first_leads.country_code) as country_code,
        crm_accounts.industry,
        coalesce(crm_accounts.employee_count, first_leads.employee_count) as employee_count,
        crm_accounts.owner_id as owner_user_id,
        milestones.first_touch_at,
        milestones.first_touch_channel,
        milestones.first_lead_created_at,
        milestones.lead_creation_channel,
        lead_creation_touches.channel as lead_creation_touch_channel,
        milestones.first_mql_at,
        milestones.first_sql_at,
        milestones.first_opportunity_at,
        milestones.first_deal_won_at,
        {#- Acquisition channel: the first touch's, else the first lead's, else the first deal's. -#}
        
        
        coalesce(
            milestones.first_touch_channel,
            milestones.lead_creation_channel,
            milestones.first_opportunity_channel,
            'unknown'
        ) as acquisition_channel,
        cast(milestones.became_customer_at as date) as acquisition_date,
        cast(coalesce(current_mrr.current_mrr, 0) as decimal(18, 2)) as current_mrr,
        case
            when current_mrr.current_mrr > 0 then 'customer'
            when milestones.became_customer_at is not null then 'churned'
            when opportunity_counts.opportunities_created > opportunity_counts.opportunities_closed
                then 'open_opportunity'
            when opportunity_counts.opportunities_won > 0 then 'closed_won'
            when opportunity_counts.opportunities_closed > 0 then 'closed_lost'
            when milestones.first_sql_at is not null then 'sql'
            when milestones.first_mql_at is not null then 'mql'
            when milestones.first_lead_created_at is not null then 'lead'
            when milestones.first_touch_at is not null then 'visitor'
            else 'known'
        end as lifecycle_status,
        account_keys.resolved_record_count,
        account_keys.unmatched_record_count

    from account_keys

    left join crm_accounts
        on account_keys.crm_account_id = crm_accounts.account_id

    left join first_leads
        on account_keys.account_key = first_leads.account_key
            and first_leads.lead_rank = 1

    left join milestones
        on account_keys.account_key = milestones.account_key

    left join lead_creation_touches
        on account_keys.account_key = lead_creation_touches.account_key
            and lead_creation_touches.touch_rank = 1

    left join current_mrr
        on account_keys.account_key = current_mrr.account_key
            and current_mrr.change_rank = 1

    left join opportunity_counts
        on account_keys.account_key = opportunity_counts.account_key

)

select
    {{ contract_columns('final') }}

from final
