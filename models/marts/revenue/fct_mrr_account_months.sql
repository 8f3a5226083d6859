{#-
    One row per customer account per month, from the account's first paid month through
    the as-of month, with its MRR and what moved it.

    MRR of a month is a snapshot at the month's end (for the as-of month, at the end of the
    as-of date): the sum of the account's paid subscription items running then, each at
    quantity x unit amount / months in its interval x (1 - discount), in the reporting
    currency (int_subscription_items_priced). Annual plans count one twelfth a month.
    The month's movement compares the snapshot with the previous month's:
      new          0 -> positive, the account's first paid month
      reactivation 0 -> positive after an earlier paid month
      expansion    up, both positive;  contraction  down, both positive
      churn        positive -> 0: the account's last paid subscription ended
    Changes inside a month that cancel out are not movements. Accounts stay after churn
    (MRR 0) so reactivation and cohort retention can be read.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

items as (

    select * from {{ ref('int_subscription_items_priced') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

months as (

    select distinct date_month from {{ ref('dim_dates') }}

),

snapshots as (

    select
        date_month,
        {{ month_snapshot_at('date_month') }} as snapshot_at

    from months

),

item_months as (

    select
        items.account_key,
        snapshots.date_month,
        items.mrr

    from items

    inner join snapshots
        on items.started_at < snapshots.snapshot_at
            and (items.ended_at is null or items.ended_at >= snapshots.snapshot_at)

),

account_mrr as (

    select
        account_key,
        date_month,
        sum(mrr) as mrr

    from item_months

    group by 1, 2

),

first_paid_months as (

    select
        account_key,
        min(date_month) as cohort_month

    from account_mrr

    group by 1

),

account_months as (

    select
        first_paid_months.account_key,
        first_paid_months.cohort_month,
        months.date_month

    from first_paid_months

    inner join months
        on first_paid_months.cohort_month <= months.date_month

),

dense as (

    select
        account_months.account_key,
        account_months.cohort_month,
        account_months.date_month,
        cast(coalesce(account_mrr.mrr, 0) as decimal(18, 2)) as mrr

    from account_months

    left join account_mrr
        on account_months.account_key = account_mrr.account_key
            and account_months.date_month = account_mrr.date_month

),

with_history as (

    select
        *,
        coalesce(lag(mrr) over (partition by account_key order by date_month), 0) as previous_mrr,
        lag(mrr, 12) over (partition by account_key order by date_month) as mrr_12_months_ago,
        coalesce(max(mrr) over (
            partition by account_key
            order by date_month
            rows between unbounded preceding and 1 preceding
        ), 0) > 0 as was_ever_paying

    from dense

),

classified as (

    select
        *,
        case
            when previous_mrr = 0 and mrr > 0 and not was_ever_paying then 'new'
            when previous_mrr = 0 and mrr > 0 then 'reactivation'
            when previous_mrr > 0 and mrr = 0 then 'churn'
            when mrr > previous_mrr then 'expansion'
            when mrr < previous_mrr then 'contraction'
            when mrr > 0 then 'unchanged'
            else 'inactive'
        end as change_category

    from with_history

),

final as (

    select
        classified.account_key,
        classified.date_month,
        classified.mrr,
        cast(classified.mrr * 12 as decimal(18, 2)) as arr,
        classified.previous_mrr,
        case when classified.change_category = 'new' then classified.mrr else 0 end as new_mrr,
        case
            when classified.change_category = 'expansion' then classified.mrr - classified.previous_mrr else 0
        end as expansion_mrr,
        case
            when classified.change_category = 'contraction' then classified.previous_mrr - classified.mrr else 0
        end as contraction_mrr,
        case when classified.change_category = 'churn' then classified.previous_mrr else 0 end as churned_mrr,
        case when classified.change_category = 'reactivation' then classified.mrr else 0 end as reactivation_mrr,
        classified.change_category,
        classified.mrr > 0 as is_active,
        classified.previous_mrr > 0 as was_active,
        classified.change_category = 'new' as is_new_customer,
        classified.change_category = 'churn' as is_churned_customer,
        classified.change_category = 'reactivation' as is_reactivated_customer,
        coalesce(classified.mrr_12_months_ago, 0) as mrr_12_months_ago,
        case when classified.mrr_12_months_ago > 0 then classified.mrr else 0 end as nrr_retained_mrr,
        case
            when classified.mrr_12_months_ago > 0
                then least(classified.mrr, classified.mrr_12_months_ago)
            else 0
        end as grr_retained_mrr,
        classified.cohort_month,
        {{ dbt.datediff('classified.cohort_month', 'classified.date_month', 'month') }} as months_since_cohort,
        accounts.acquisition_channel,
        accounts.segment,
        accounts.country_code

    from classified

    left join accounts
        on classified.account_key = accounts.account_key

)

select
    {{ contract_columns('final') }}

from final
