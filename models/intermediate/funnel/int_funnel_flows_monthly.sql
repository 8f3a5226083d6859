{#-
    One row per month up to the as-of month: how many entered each stage of the
    new-business funnel that month (flows, not cohorts): leads created, MQLs, SQLs,
    new-business opportunities created, new-business deals closed and won, and the won
    annual contract value: over the won deals with an amount (null when none of the month's
    has one), with the won deals without one counted apart, never as 0.
-#}
with

journey as (

    select * from {{ ref('fct_customer_journey') }}

),

months as (

    select distinct date_month from {{ ref('dim_dates') }}

),

flows as (

    select
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as date_month,
        sum(case when event_type = 'lead_created' then 1 else 0 end) as leads,
        sum(case when event_type = 'mql' then 1 else 0 end) as mqls,
        sum(case when event_type = 'sql' then 1 else 0 end) as sqls,
        sum(case when event_type = 'opportunity_created' then 1 else 0 end) as opportunities,
        sum(case when event_type in ('deal_won', 'deal_lost') then 1 else 0 end) as deals_closed,
        sum(case when event_type = 'deal_won' then 1 else 0 end) as deals_won,
        sum(case when event_type = 'deal_won' and amount is null then 1 else 0 end) as deals_won_without_amount,
        case
            when sum(case when event_type = 'deal_won' then 1 else 0 end) = 0 then 0
            else sum(case when event_type = 'deal_won' then amount end)
        end as won_amount

    from journey

    where event_type in ('lead_created', 'mql', 'sql')
        -- the new-business funnel: expansion and renewal deals do not come from leads
        or (event_type in ('opportunity_created', 'deal_won', 'deal_lost') and event_detail = 'new_business')

    group by 1

),

monthly as (

    select
        months.date_month,
        coalesce(flows.leads, 0) as leads,
        coalesce(flows.mqls, 0) as mqls,
        coalesce(flows.sqls, 0) as sqls,
        coalesce(flows.opportunities, 0) as opportunities,
        coalesce(flows.deals_closed, 0) as deals_closed,
        coalesce(flows.deals_won, 0) as deals_won,
        coalesce(flows.deals_won_without_amount, 0) as deals_won_without_amount,
        case when flows.date_month is null then 0 else flows.won_amount end as won_amount

    from months

    left join flows
        on months.date_month = flows.date_month

)

select * from monthly
