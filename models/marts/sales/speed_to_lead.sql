{#-
    One row per MQL month, lead channel and lead owner (rep): speed to lead (median hours
    from the MQL to the first sales activity on the lead) and the share of MQLs worked within
    the SLA (var speed_to_lead_sla_hours). MQLs never worked count as not within the SLA.
    Leads and their first activities come from fct_lead_funnel. Definitions: the kpi_* docs
    blocks in _sales__docs.md. A rate whose denominator is zero is null.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

lead_funnel as (

    select * from {{ ref('fct_lead_funnel') }}
    where mql_at is not null

),

handoffs as (

    select
        mql_month,
        channel,
        owner_user_id,
        count(*) as mqls,
        count(first_sales_activity_at) as mqls_worked,
        sum(case when is_worked_within_sla then 1 else 0 end) as mqls_worked_within_sla,
        percentile_cont(0.5) within group (order by speed_to_lead_hours) as speed_to_lead_hours

    from lead_funnel

    group by 1, 2, 3

),

final as (

    select
        mql_month,
        channel,
        owner_user_id,
        mqls,
        mqls_worked,
        mqls_worked_within_sla,
        {{ var('speed_to_lead_sla_hours') }} as speed_to_lead_sla_hours,
        speed_to_lead_hours,
        cast(mqls_worked_within_sla as {{ type_double() }}) / nullif(mqls, 0) as speed_to_lead_sla_rate

    from handoffs

)

select
    {{ contract_columns('final') }}

from final
