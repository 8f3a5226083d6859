{#-
    One row per lead cohort month (the month the lead was created) and lead channel: how
    many leads reached each funnel stage, the stage-to-stage conversion rates and the median
    days between stages. Leads come from fct_lead_funnel (duplicate and deleted leads are
    not counted). Definitions: the kpi_* docs blocks in _sales__docs.md. A rate whose
    denominator is zero is null.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

lead_funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

cohorts as (

    select
        cohort_month,
        channel,
        count(*) as leads,
        sum(case when is_mql then 1 else 0 end) as mqls,
        sum(case when is_sql then 1 else 0 end) as sqls,
        sum(case when has_opportunity then 1 else 0 end) as opportunities,
        sum(case when is_won then 1 else 0 end) as customers,
        percentile_cont(0.5) within group (order by days_lead_to_mql) as median_days_lead_to_mql,
        percentile_cont(0.5) within group (order by days_mql_to_sql) as median_days_mql_to_sql,
        percentile_cont(0.5) within group (order by days_sql_to_opportunity) as median_days_sql_to_opportunity,
        percentile_cont(0.5) within group (order by days_opportunity_to_won) as median_days_opportunity_to_won,
        percentile_cont(0.5) within group (order by days_lead_to_won) as median_days_lead_to_won

    from lead_funnel

    group by 1, 2

),

final as (

    select
        cohort_month,
        channel,
        leads,
        mqls,
        sqls,
        opportunities,
        customers,
        cast(mqls as {{ type_double() }}) / nullif(leads, 0) as lead_to_mql_rate,
        cast(sqls as {{ type_double() }}) / nullif(mqls, 0) as mql_to_sql_rate,
        cast(opportunities as {{ type_double() }}) / nullif(sqls, 0) as sql_to_opportunity_rate,
        cast(customers as {{ type_double() }}) / nullif(opportunities, 0) as opportunity_to_won_rate,
        cast(customers as {{ type_double() }}) / nullif(leads, 0) as lead_to_customer_rate,
        median_days_lead_to_mql,
        median_days_mql_to_sql,
        median_days_sql_to_opportunity,
        median_days_opportunity_to_won,
        median_days_lead_to_won

    from cohorts

)

select
    {{ contract_columns('final') }}

from final
