{#-
    One row per band type and band over the whole period (every month of
    support_churn_bands_monthly pooled): account-months at the start of a month, churned
    accounts, logo churn rate and net revenue retention of the band, against the same figures
    for the rest of the accounts (the other bands of the same type), and the band's churn rate
    relative to the rest's. Definitions: the kpi_* docs blocks in _support__docs.md.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

band_months as (

    select * from {{ ref('support_churn_bands_monthly') }}

),

bands as (

    select
        band_type,
        band,
        band_order,
        min(date_month) as first_month,
        max(date_month) as last_month,
        sum(starting_accounts) as account_months,
        sum(churned_accounts) as churned_accounts,
        sum(starting_mrr) as starting_mrr,
        sum(ending_mrr) as ending_mrr

    from band_months

    group by 1, 2, 3

),

band_type_totals as (

    select
        band_type,
        sum(account_months) as account_months,
        sum(churned_accounts) as churned_accounts,
        sum(starting_mrr) as starting_mrr,
        sum(ending_mrr) as ending_mrr

    from bands

    group by 1

),

against_the_rest as (

    select
        bands.band_type,
        bands.band,
        bands.band_order,
        bands.first_month,
        bands.last_month,
        bands.account_months,
        bands.churned_accounts,
        cast(bands.churned_accounts as {{ type_double() }})
        / nullif(bands.account_months, 0) as logo_churn_rate,
        bands.starting_mrr,
        bands.ending_mrr,
        cast(bands.ending_mrr as {{ type_double() }}) / nullif(bands.starting_mrr, 0) as net_revenue_retention,
        band_type_totals.account_months - bands.account_months as rest_account_months,
        band_type_totals.churned_accounts - bands.churned_accounts as rest_churned_accounts,
        cast(band_type_totals.churned_accounts - bands.churned_accounts as {{ type_double() }})
        / nullif(band_type_totals.account_months - bands.account_months, 0) as rest_logo_churn_rate,
        cast(band_type_totals.ending_mrr - bands.ending_mrr as {{ type_double() }})
        / nullif(band_type_totals.starting_mrr - bands.starting_mrr, 0) as rest_net_revenue_retention

    from bands

    inner join band_type_totals
        on bands.band_type = band_type_totals.band_type

),

final as (

    select
        *,
        cast(logo_churn_rate as {{ type_double() }}) / nullif(rest_logo_churn_rate, 0) as churn_rate_vs_rest

    from against_the_rest

)

select
    {{ contract_columns('final') }}

from final
