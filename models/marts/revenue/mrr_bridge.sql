{#-
    One row per month from the first paid month through the as-of month: the MRR bridge
    (starting MRR + new + expansion + reactivation - contraction - churned = ending MRR),
    customer counts and the revenue KPIs read from it. Definitions: the kpi_* docs blocks
    in _revenue__docs.md. A rate whose denominator is zero is null.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

account_months as (

    select * from {{ ref('fct_mrr_account_months') }}

),

monthly as (

    select
        date_month,
        sum(previous_mrr) as starting_mrr,
        sum(new_mrr) as new_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(mrr) as ending_mrr,
        sum(case when was_active then 1 else 0 end) as starting_customers,
        sum(case when is_new_customer then 1 else 0 end) as new_customers,
        sum(case when is_reactivated_customer then 1 else 0 end) as reactivated_customers,
        sum(case when is_churned_customer then 1 else 0 end) as churned_customers,
        sum(case when is_active then 1 else 0 end) as active_customers,
        sum(mrr_12_months_ago) as mrr_12_months_ago,
        sum(nrr_retained_mrr) as nrr_retained_mrr,
        sum(grr_retained_mrr) as grr_retained_mrr

    from account_months

    group by 1

),

final as (

    select
        date_month,
        starting_mrr,
        new_mrr,
        expansion_mrr,
        reactivation_mrr,
        contraction_mrr,
        churned_mrr,
        ending_mrr,
        ending_mrr * 12 as ending_arr,
        starting_customers,
        new_customers,
        reactivated_customers,
        churned_customers,
        active_customers,
        cast(round(cast(ending_mrr as {{ type_double() }}) / nullif(active_customers, 0) * 100) / 100 as decimal(18, 2)) as arpa,
        cast(churned_customers as {{ type_double() }}) / nullif(starting_customers, 0) as logo_churn_rate,
        cast(contraction_mrr + churned_mrr as {{ type_double() }}) / nullif(starting_mrr, 0) as gross_mrr_churn_rate,
        cast(contraction_mrr + churned_mrr - expansion_mrr - reactivation_mrr as {{ type_double() }}) / nullif(starting_mrr, 0)
            as net_mrr_churn_rate,
        cast(new_mrr + expansion_mrr + reactivation_mrr as {{ type_double() }}) / nullif(contraction_mrr + churned_mrr, 0) as quick_ratio,
        mrr_12_months_ago,
        cast(nrr_retained_mrr as {{ type_double() }}) / nullif(mrr_12_months_ago, 0) as net_revenue_retention,
        cast(grr_retained_mrr as {{ type_double() }}) / nullif(mrr_12_months_ago, 0) as gross_revenue_retention

    from monthly

)

select
    {{ contract_columns('final') }}

from final
