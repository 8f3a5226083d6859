{#-
    One row per month and channel: what marketing spent and what it brought, side by side.
    Leads, MQLs and SQLs count by the lead's channel; opportunities by their lead-source
    channel; new customers by the credit of the chosen attribution model (var
    attribution_model), so they add up to all new customers. CAC by channel = the channel's
    ad spend / its attributed new customers. Definitions: kpi_* docs blocks.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

journey as (

    select * from {{ ref('fct_customer_journey') }}

),

ad_spend as (

    select * from {{ ref('ad_spend_monthly') }}

),

attributed as (

    select * from {{ ref('int_acquisition_touches_attributed') }}

),

months as (

    select distinct date_month from {{ ref('dim_dates') }}

),

funnel_counts as (

    select
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as date_month,
        coalesce(channel, 'unknown') as channel,
        sum(case when event_type = 'lead_created' then 1 else 0 end) as leads,
        sum(case when event_type = 'mql' then 1 else 0 end) as mqls,
        sum(case when event_type = 'sql' then 1 else 0 end) as sqls,
        sum(case when event_type = 'opportunity_created' then 1 else 0 end) as opportunities

    from journey

    where event_type in ('lead_created', 'mql', 'sql', 'opportunity_created')

    group by 1, 2

),

spend as (

    select
        date_month,
        channel,
        sum(ad_spend) as ad_spend,
        sum(clicks) as clicks

    from ad_spend

    group by 1, 2

),

customers as (

    select
        acquisition_month as date_month,
        channel,
        sum(credit) as new_customers

    from attributed

    group by 1, 2

),

channel_months as (

    select
        date_month,
        channel
    from funnel_counts
    union
    select
        date_month,
        channel
    from spend
    union
    select
        date_month,
        channel
    from customers

),

final as (

    select
        channel_months.date_month,
        channel_months.channel,
        coalesce(spend.ad_spend, 0) as ad_spend,
        coalesce(spend.clicks, 0) as clicks,
        coalesce(funnel_counts.leads, 0) as leads,
        coalesce(funnel_counts.mqls, 0) as mqls,
        coalesce(funnel_counts.sqls, 0) as sqls,
        coalesce(funnel_counts.opportunities, 0) as opportunities,
        cast(coalesce(customers.new_customers, 0) as decimal(18, 6)) as new_customers,
        cast(coalesce(spend.ad_spend, 0) as {{ type_double() }}) / nullif(funnel_counts.leads, 0) as cost_per_lead,
        cast(
            round(cast(coalesce(spend.ad_spend, 0) as {{ type_double() }}) / nullif(customers.new_customers, 0) * 100) / 100
            as decimal(18, 2)
        ) as cac_channel,
        '{{ var("attribution_model") }}' as attribution_model

    from channel_months

    inner join months
        on channel_months.date_month = months.date_month

    left join spend
        on channel_months.date_month = spend.date_month
            and channel_months.channel = spend.channel

    left join funnel_counts
        on channel_months.date_month = funnel_counts.date_month
            and channel_months.channel = funnel_counts.channel

    left join customers
        on channel_months.date_month = customers.date_month
            and channel_months.channel = customers.channel

)

select
    {{ contract_columns('final') }}

from final
