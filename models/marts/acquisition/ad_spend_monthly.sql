{#- One row per month, channel, platform and campaign: ad spend in the reporting currency, impressions and clicks, up to the as-of date. -#}
-- depends_on: {{ ref('kpi_coverage') }}
with

ad_spend as (

    select * from {{ ref('stg_marketing__ad_spend') }}

),

final as (

    select
        cast({{ dbt.date_trunc('month', 'spend_date') }} as date) as date_month,
        channel,
        platform,
        campaign_id,
        min(campaign_name) as campaign_name,
        sum(spend) as ad_spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        cast(sum(spend) as {{ type_double() }}) / nullif(sum(clicks), 0) as cost_per_click

    from ad_spend

    where spend_date <= {{ as_of_date() }}

    group by 1, 2, 3, 4

)

select
    {{ contract_columns('final') }}

from final
