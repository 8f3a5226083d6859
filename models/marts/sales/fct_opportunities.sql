{#-
    One row per opportunity in the customer journey: created by the as-of date, not deleted,
    of an account that is not deleted (the others are in int_journey_quarantine). A deal
    whose account the extract lacks is kept (account_status), as is one without a creation
    time (is_created_date_inferred). Its annual
    contract value in the reporting currency, owner (rep), account segment, and whether and
    when it closed by the as-of date. Definitions: the kpi_* docs blocks in _sales__docs.md.
-#}
with

journey as (

    select * from {{ ref('fct_customer_journey') }}
    where event_type in ('opportunity_created', 'deal_won', 'deal_lost')

),

crm_opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

opportunity_events as (

    select
        source_record_id as opportunity_id,
        min(case when event_type = 'opportunity_created' then account_key end) as account_key,
        min(case when event_type = 'opportunity_created' then event_at end) as created_at,
        min(case when event_type in ('deal_won', 'deal_lost') then event_at end) as closed_at,
        max(case when event_type = 'deal_won' then 1 else 0 end) as won_flag

    from journey

    group by 1

),

final as (

    select
        opportunity_events.opportunity_id,
        opportunity_events.account_key,
        coalesce(crm_opportunities.owner_id, 'unassigned') as owner_user_id,
        coalesce(accounts.segment, 'unknown') as segment,
        coalesce(crm_opportunities.lead_source_channel, 'unknown') as channel,
        crm_opportunities.opportunity_type,
        crm_opportunities.amount,
        crm_opportunities.amount is null as is_amount_missing,
        crm_opportunities.probability as current_probability,
        coalesce(crm_opportunities.created_at_source in ('last_modified_date', 'close_date'), false)
            as is_created_date_inferred,
        case
            when crm_opportunities.account_id is null then 'no_account_id'
            when accounts.account_kind = 'crm_account' then 'in_extract'
            else 'not_in_extract'
        end as account_status,
        opportunity_events.created_at,
        cast({{ dbt.date_trunc('month', 'opportunity_events.created_at') }} as date) as created_month,
        opportunity_events.closed_at,
        cast({{ dbt.date_trunc('month', 'opportunity_events.closed_at') }} as date) as closed_month,
        opportunity_events.closed_at is not null as is_closed,
        opportunity_events.won_flag = 1 as is_won,
        opportunity_events.closed_at is not null and opportunity_events.won_flag = 0 as is_lost,
        case
            when opportunity_events.won_flag = 0 then null
            -- a creation day inferred from the last change or close day measures no cycle
            when crm_opportunities.created_at_source in ('last_modified_date', 'close_date') then null
            when opportunity_events.closed_at < opportunity_events.created_at then 0
            else cast({{ revops.boundaries_between('opportunity_events.created_at', 'opportunity_events.closed_at', 'second') }} as {{ type_double() }}) / 86400
        end as sales_cycle_days

    from opportunity_events

    inner join crm_opportunities
        on opportunity_events.opportunity_id = crm_opportunities.opportunity_id

    left join accounts
        on opportunity_events.account_key = accounts.account_key

    where opportunity_events.created_at is not null

)

select
    {{ contract_columns('final') }}

from final
