{#-
    One row per acquisition cohort (first paid month) and month since acquisition: how many
    of the cohort's accounts still pay (logo retention), how much of its first-month MRR
    it still brings (revenue retention, expansion included), and the revenue it has realized
    so far per account (the realized LTV curve: cumulative MRR recognized since acquisition /
    cohort accounts). Months after the as-of month do not exist yet.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

account_months as (

    select * from {{ ref('fct_mrr_account_months') }}

),

cohort_sizes as (

    select
        cohort_month,
        count(*) as cohort_customers,
        sum(mrr) as cohort_starting_mrr

    from account_months

    where months_since_cohort = 0

    group by 1

),

retained as (

    select
        cohort_month,
        months_since_cohort,
        sum(case when is_active then 1 else 0 end) as active_customers,
        sum(mrr) as mrr

    from account_months

    group by 1, 2

),

final as (

    select
        retained.cohort_month,
        retained.months_since_cohort,
        cohort_sizes.cohort_customers,
        retained.active_customers,
        cast(retained.active_customers as {{ type_double() }}) / nullif(cohort_sizes.cohort_customers, 0)
            as logo_retention,
        cohort_sizes.cohort_starting_mrr,
        retained.mrr,
        cast(retained.mrr as {{ type_double() }}) / nullif(cohort_sizes.cohort_starting_mrr, 0) as revenue_retention,
        sum(retained.mrr) over (
            partition by retained.cohort_month
            order by retained.months_since_cohort
            rows between unbounded preceding and current row
        ) as cumulative_revenue,
        cast(
            round(cast(sum(retained.mrr) over (
                partition by retained.cohort_month
                order by retained.months_since_cohort
                rows between unbounded preceding and current row
            ) as {{ type_double() }}) / nullif(cohort_sizes.cohort_customers, 0) * 100) / 100
            as decimal(18, 2)
        ) as cumulative_revenue_per_customer

    from retained

    inner join cohort_sizes
        on retained.cohort_month = cohort_sizes.cohort_month

)

select
    {{ contract_columns('final') }}

from final
