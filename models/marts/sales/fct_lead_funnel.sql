{#-
    One row per lead in the customer journey (created by the as-of date; duplicate and
    deleted leads are in int_journey_quarantine, not here), with the time it reached each
    funnel stage and its hand-off to sales. Definitions: the kpi_* docs blocks in
    _sales__docs.md.

    Stages: lead -> MQL -> SQL -> opportunity -> won.
      opportunity  the lead's converted opportunity (converted_opportunity_id) when it is in
                   the journey, else its account's first opportunity created at or after the
                   lead; a converted opportunity counts even when it predates the lead
      won          that opportunity was won by the as-of date
    A lead that reached a later stage counts as having passed the earlier ones (is_mql,
    is_sql), so the funnel never grows along its stages. Days between stages are elapsed
    days; a stage recorded before the previous one counts 0 days.
    Hand-off: the first completed task or held meeting on the lead (who_id = the lead, or
    its converted contact) at or after the MQL, up to the as-of date.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

journey as (

    select * from {{ ref('fct_customer_journey') }}
    where event_type in ('lead_created', 'mql', 'sql', 'opportunity_created', 'deal_won')

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

tasks as (

    select * from {{ ref('stg_crm__tasks') }}
    where not is_deleted and task_state = 'completed'

),

meetings as (

    select * from {{ ref('stg_crm__events') }}
    where not is_deleted

),

lead_milestones as (

    select
        source_record_id as lead_id,
        min(case when event_type = 'lead_created' then account_key end) as account_key,
        min(case when event_type = 'lead_created' then channel end) as channel,
        min(case when event_type = 'lead_created' then owner_user_id end) as owner_user_id,
        min(case when event_type = 'lead_created' then event_at end) as lead_created_at,
        min(case when event_type = 'mql' then event_at end) as mql_at,
        min(case when event_type = 'sql' then event_at end) as sql_at

    from journey

    where source_table = 'lead'

    group by 1

),

journey_leads as (

    select
        lead_milestones.lead_id,
        lead_milestones.account_key,
        lead_milestones.channel,
        lead_milestones.owner_user_id,
        lead_milestones.lead_created_at,
        lead_milestones.mql_at,
        lead_milestones.sql_at,
        leads.converted_opportunity_id,
        leads.converted_contact_id

    from lead_milestones

    left join leads
        on lead_milestones.lead_id = leads.lead_id

    where lead_milestones.lead_created_at is not null

),

opportunities as (

    -- live opportunities of live accounts, created by the as-of date
    select
        source_record_id as opportunity_id,
        min(case when event_type = 'opportunity_created' then account_key end) as account_key,
        min(case when event_type = 'opportunity_created' then event_at end) as opportunity_created_at,
        min(case when event_type = 'deal_won' then event_at end) as won_at

    from journey

    where source_table = 'opportunity'

    group by 1

),

account_opportunities_after_lead as (

    select
        journey_leads.lead_id,
        opportunities.opportunity_id,
        row_number() over (
            partition by journey_leads.lead_id
            order by opportunities.opportunity_created_at, opportunities.opportunity_id
        ) as opportunity_rank

    from journey_leads

    inner join opportunities
        on journey_leads.account_key = opportunities.account_key
            and journey_leads.lead_created_at <= opportunities.opportunity_created_at

    where opportunities.opportunity_created_at is not null

),

lead_opportunities as (

    select
        journey_leads.lead_id,
        coalesce(converted_opportunities.opportunity_id, account_opportunities_after_lead.opportunity_id)
            as opportunity_id,
        case
            when converted_opportunities.opportunity_id is not null then 'converted_opportunity'
            when account_opportunities_after_lead.opportunity_id is not null then 'account_opportunity_after_lead'
        end as opportunity_match

    from journey_leads

    left join opportunities as converted_opportunities
        on journey_leads.converted_opportunity_id = converted_opportunities.opportunity_id
            and converted_opportunities.opportunity_created_at is not null

    left join account_opportunities_after_lead
        on journey_leads.lead_id = account_opportunities_after_lead.lead_id
            and account_opportunities_after_lead.opportunity_rank = 1

),

lead_people as (

    -- the CRM records a lead's sales activities hang on: the lead, then its converted contact
    select
        lead_id,
        lead_id as who_id

    from journey_leads

    union all

    select
        lead_id,
        converted_contact_id as who_id

    from journey_leads

    where converted_contact_id is not null

),

activities as (

    select
        who_id,
        activity_at

    from tasks

    union all

    select
        who_id,
        started_at as activity_at

    from meetings

),

first_sales_activities as (

    select
        journey_leads.lead_id,
        min(activities.activity_at) as first_sales_activity_at

    from journey_leads

    inner join lead_people
        on journey_leads.lead_id = lead_people.lead_id

    inner join activities
        on lead_people.who_id = activities.who_id
            and journey_leads.mql_at <= activities.activity_at
            and activities.activity_at < {{ as_of_timestamp_end() }}

    group by 1

),

stages as (

    select
        journey_leads.lead_id,
        journey_leads.account_key,
        coalesce(journey_leads.channel, 'unknown') as channel,
        coalesce(journey_leads.owner_user_id, 'unassigned') as owner_user_id,
        journey_leads.lead_created_at,
        journey_leads.mql_at,
        journey_leads.sql_at,
        lead_opportunities.opportunity_id,
        lead_opportunities.opportunity_match,
        opportunities.opportunity_created_at,
        opportunities.won_at,
        first_sales_activities.first_sales_activity_at

    from journey_leads

    left join lead_opportunities
        on journey_leads.lead_id = lead_opportunities.lead_id

    left join opportunities
        on lead_opportunities.opportunity_id = opportunities.opportunity_id

    left join first_sales_activities
        on journey_leads.lead_id = first_sales_activities.lead_id

),

final as (

    select
        lead_id,
        account_key,
        channel,
        owner_user_id,
        cast({{ dbt.date_trunc('month', 'lead_created_at') }} as date) as cohort_month,
        lead_created_at,
        mql_at,
        sql_at,
        opportunity_id,
        opportunity_match,
        opportunity_created_at,
        won_at,
        mql_at is not null or sql_at is not null or opportunity_id is not null as is_mql,
        sql_at is not null or opportunity_id is not null as is_sql,
        opportunity_id is not null as has_opportunity,
        won_at is not null as is_won,
        case
            when mql_at < lead_created_at then 0
            else cast({{ revops.boundaries_between('lead_created_at', 'mql_at', 'second') }} as {{ type_double() }}) / 86400
        end as days_lead_to_mql,
        case
            when sql_at < mql_at then 0
            else cast({{ revops.boundaries_between('mql_at', 'sql_at', 'second') }} as {{ type_double() }}) / 86400
        end as days_mql_to_sql,
        case
            when opportunity_created_at < sql_at then 0
            else cast({{ revops.boundaries_between('sql_at', 'opportunity_created_at', 'second') }} as {{ type_double() }}) / 86400
        end as days_sql_to_opportunity,
        case
            when won_at < opportunity_created_at then 0
            else cast({{ revops.boundaries_between('opportunity_created_at', 'won_at', 'second') }} as {{ type_double() }}) / 86400
        end as days_opportunity_to_won,
        case
            when won_at < lead_created_at then 0
            else cast({{ revops.boundaries_between('lead_created_at', 'won_at', 'second') }} as {{ type_double() }}) / 86400
        end as days_lead_to_won,
        cast({{ dbt.date_trunc('month', 'mql_at') }} as date) as mql_month,
        first_sales_activity_at,
        cast({{ revops.boundaries_between('mql_at', 'first_sales_activity_at', 'second') }} as {{ type_double() }}) / 3600 as speed_to_lead_hours,
        case
            when mql_at is null then null
            when first_sales_activity_at is null then false
            else {{ revops.boundaries_between('mql_at', 'first_sales_activity_at', 'second') }}
                <= {{ var('speed_to_lead_sla_hours') }} * 3600
        end as is_worked_within_sla

    from stages

)

select
    {{ contract_columns('final') }}

from final
