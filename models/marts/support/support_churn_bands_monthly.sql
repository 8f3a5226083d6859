{#-
    One row per month, band type and band: the customer accounts paying at the start of the
    month, bucketed by their support experience over the three full months before it (what was
    known when the month began), with their logo churn and net revenue retention over the
    month. Band types: ticket_volume (none, 1-2, 3+ tickets opened) and csat (no_rating,
    all_good, any_bad among the good/bad ratings given). Every account paying at the start of
    the month is in exactly one band of each type; every band has a row each month (0 accounts
    and null rates when empty). Definitions: the kpi_* docs blocks in _support__docs.md.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

account_months as (

    select * from {{ ref('fct_mrr_account_months') }}

),

support_months as (

    select * from {{ ref('support_account_months') }}

),

starting_accounts as (

    select
        account_key,
        date_month,
        previous_mrr,
        mrr,
        is_churned_customer

    from account_months

    where was_active

),

trailing_support as (

    select
        starting_accounts.account_key,
        starting_accounts.date_month,
        coalesce(sum(support_months.tickets), 0) as trailing_tickets,
        coalesce(sum(support_months.good_ratings), 0) as trailing_good_ratings,
        coalesce(sum(support_months.bad_ratings), 0) as trailing_bad_ratings

    from starting_accounts

    left join support_months
        on starting_accounts.account_key = support_months.account_key
            and {{ dbt.dateadd('month', -3, 'starting_accounts.date_month') }} <= support_months.date_month
            and starting_accounts.date_month > support_months.date_month

    group by 1, 2

),

banded as (

    select
        starting_accounts.account_key,
        starting_accounts.date_month,
        starting_accounts.previous_mrr,
        starting_accounts.mrr,
        starting_accounts.is_churned_customer,
        case
            when trailing_support.trailing_tickets = 0 then 'none'
            when trailing_support.trailing_tickets <= 2 then '1-2'
            else '3+'
        end as ticket_volume_band,
        case
            when trailing_support.trailing_bad_ratings > 0 then 'any_bad'
            when trailing_support.trailing_good_ratings > 0 then 'all_good'
            else 'no_rating'
        end as csat_band

    from starting_accounts

    inner join trailing_support
        on starting_accounts.account_key = trailing_support.account_key
            and starting_accounts.date_month = trailing_support.date_month

),

account_bands as (

    select
        account_key,
        date_month,
        previous_mrr,
        mrr,
        is_churned_customer,
        'ticket_volume' as band_type,
        ticket_volume_band as band
    from banded
    union all
    select
        account_key,
        date_month,
        previous_mrr,
        mrr,
        is_churned_customer,
        'csat' as band_type,
        csat_band as band
    from banded

),

band_list as (

    select
        'ticket_volume' as band_type,
        'none' as band,
        1 as band_order
    union all
    select
        'ticket_volume' as band_type,
        '1-2' as band,
        2 as band_order
    union all
    select
        'ticket_volume' as band_type,
        '3+' as band,
        3 as band_order
    union all
    select
        'csat' as band_type,
        'no_rating' as band,
        1 as band_order
    union all
    select
        'csat' as band_type,
        'all_good' as band,
        2 as band_order
    union all
    select
        'csat' as band_type,
        'any_bad' as band,
        3 as band_order

),

months as (

    select distinct date_month from account_months

),

month_bands as (

    select
        months.date_month,
        band_list.band_type,
        band_list.band,
        band_list.band_order

    from months

    cross join band_list

),

band_totals as (

    select
        date_month,
        band_type,
        band,
        count(*) as starting_accounts,
        sum(case when is_churned_customer then 1 else 0 end) as churned_accounts,
        sum(previous_mrr) as starting_mrr,
        sum(mrr) as ending_mrr

    from account_bands

    group by 1, 2, 3

),

final as (

    select
        month_bands.date_month,
        month_bands.band_type,
        month_bands.band,
        month_bands.band_order,
        coalesce(band_totals.starting_accounts, 0) as starting_accounts,
        coalesce(band_totals.churned_accounts, 0) as churned_accounts,
        cast(band_totals.churned_accounts as {{ type_double() }})
        / nullif(band_totals.starting_accounts, 0) as logo_churn_rate,
        coalesce(band_totals.starting_mrr, 0) as starting_mrr,
        coalesce(band_totals.ending_mrr, 0) as ending_mrr,
        cast(band_totals.ending_mrr as {{ type_double() }}) / nullif(band_totals.starting_mrr, 0) as net_revenue_retention

    from month_bands

    left join band_totals
        on month_bands.date_month = band_totals.date_month
            and month_bands.band_type = band_totals.band_type
            and month_bands.band = band_totals.band

)

select
    {{ contract_columns('final') }}

from final
