{#-
    One row per month and funnel stage: the stage's conversion that month against its
    trailing baseline, the stage with the largest drop, and the pipeline value at stake.

    Rates are flows of the month (e.g. SQLs this month / MQLs this month), so a young lead
    cohort does not look like a leak; a flow rate can exceed 1 when last month's entries
    convert this month. Opportunities and deals are new business only. Baseline: the pooled rate of the previous
    funnel_baseline_months months. Value at stake: the conversions lost against the baseline
    (drop x entries), carried to revenue at the baseline rates of the later stages and the
    baseline average won deal (annual contract value). Definition: kpi_funnel_leaks.
-#}
{%- set baseline_months = var('funnel_baseline_months') | int %}
{%- set stages = [
    (1, 'lead_to_mql', 'leads', 'mqls'),
    (2, 'mql_to_sql', 'mqls', 'sqls'),
    (3, 'sql_to_opportunity', 'sqls', 'opportunities'),
    (4, 'opportunity_to_won', 'deals_closed', 'deals_won'),
] %}
-- depends_on: {{ ref('kpi_coverage') }}
with

monthly as (

    select * from {{ ref('int_funnel_flows_monthly') }}

),

stage_months as (

    {% for stage_order, stage, entered, converted in stages %}
        select
            date_month,
            {{ stage_order }} as stage_order,
            '{{ stage }}' as funnel_stage,
            {{ entered }} as entered,
            {{ converted }} as converted,
            won_amount,
            deals_won - deals_won_without_amount as deals_won_with_amount
        from monthly
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

baselines as (

    select
        *,
        cast(converted as {{ type_double() }}) / nullif(entered, 0) as conversion_rate,
        cast(sum(converted) over (
            partition by funnel_stage order by date_month rows between {{ baseline_months }} preceding and 1 preceding
        ) as {{ type_double() }})
        / nullif(sum(entered) over (
            partition by funnel_stage order by date_month rows between {{ baseline_months }} preceding and 1 preceding
        ), 0) as baseline_rate,
        cast(sum(won_amount) over (
            partition by funnel_stage order by date_month rows between {{ baseline_months }} preceding and 1 preceding
        ) as {{ type_double() }})
        / nullif(sum(deals_won_with_amount) over (
            partition by funnel_stage order by date_month rows between {{ baseline_months }} preceding and 1 preceding
        ), 0) as baseline_average_won_deal

    from stage_months

),

downstream as (

    {#- The baseline share of a stage's conversions that end as won deals: the product of the
        later stages' baseline rates (exp of a sum of logs; 0 when a later rate is 0). -#}
    select
        *,
        case
            when min(baseline_rate)
                    over (
                        partition by date_month order by stage_order desc rows between unbounded preceding and 1 preceding
                    )
                = 0 then 0
            else coalesce(exp(sum(ln(nullif(baseline_rate, 0))) over (
                    partition by date_month order by stage_order desc rows between unbounded preceding and 1 preceding
                )), 1)
        end as baseline_rate_to_won

    from baselines

),

valued as (

    select
        *,
        baseline_rate - conversion_rate as rate_drop,
        case
            when conversion_rate < baseline_rate
                then (baseline_rate - conversion_rate) * entered * baseline_rate_to_won * baseline_average_won_deal
            else 0
        end as value_at_stake

    from downstream

),

final as (

    select
        date_month,
        stage_order,
        funnel_stage,
        entered,
        converted,
        conversion_rate,
        baseline_rate,
        rate_drop,
        cast(round(value_at_stake * 100) / 100 as decimal(18, 2)) as value_at_stake,
        coalesce(
            rate_drop > 0
            and rate_drop = max(rate_drop) over (partition by date_month),
            false
        ) as is_largest_drop

    from valued

)

select
    {{ contract_columns('final') }}

from final
