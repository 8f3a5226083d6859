{#-
    One row per acquisition channel: what the channel costs and what its customers are
    worth, side by side, to answer "which leads should marketing attract". Every customer
    counts in a channel by its attribution credit (var attribution_model), so the channel
    figures add up to the company's.

    Window: the 12 months ending with the as-of month for spend, leads and new customers;
    ARPA at the as-of month; logo churn over the last ltv_churn_window_months months.
    Definitions: the kpi_channel_* docs block.
-#}
{%- set churn_window = var('ltv_churn_window_months') | int %}
-- depends_on: {{ ref('kpi_coverage') }}
with

channel_months as (

    select * from {{ ref('acquisition_channel_months') }}

),

credits as (

    select * from {{ ref('int_acquisition_touches_attributed') }}

),

account_months as (

    select * from {{ ref('fct_mrr_account_months') }}

),

as_of_month as (

    select cast({{ dbt.date_trunc('month', as_of_date()) }} as date) as date_month

),

acquisition_window as (

    select
        channel_months.channel,
        sum(channel_months.ad_spend) as ad_spend,
        sum(channel_months.leads) as leads,
        sum(channel_months.new_customers) as new_customers

    from channel_months

    cross join as_of_month

    where channel_months.date_month > {{ dbt.dateadd('month', -12, 'as_of_month.date_month') }}

    group by 1

),

account_credits as (

    select
        account_key,
        channel,
        sum(credit) as credit

    from credits

    group by 1, 2

),

weighted_accounts as (

    select
        account_credits.channel,
        sum(
            case when account_months.date_month = as_of_month.date_month then account_credits.credit * account_months.mrr end
        ) as weighted_mrr,
        sum(
            case
                when account_months.date_month = as_of_month.date_month and account_months.is_active
                    then account_credits.credit
            end
        ) as weighted_active_customers,
        sum(
            case
                when account_months.date_month > {{ dbt.dateadd('month', -churn_window, 'as_of_month.date_month') }}
                    and account_months.is_churned_customer
                    then account_credits.credit
                else 0
            end
        ) as weighted_churned_customers,
        sum(
            case
                when account_months.date_month > {{ dbt.dateadd('month', -churn_window, 'as_of_month.date_month') }}
                    and account_months.was_active
                    then account_credits.credit
                else 0
            end
        ) as weighted_starting_customers

    from account_credits

    inner join account_months
        on account_credits.account_key = account_months.account_key

    cross join as_of_month

    group by 1

),

channels as (

    select channel from acquisition_window
    union
    select channel from weighted_accounts

),

final as (

    select
        channels.channel,
        coalesce(acquisition_window.ad_spend, 0) as ad_spend,
        coalesce(acquisition_window.leads, 0) as leads,
        cast(coalesce(acquisition_window.new_customers, 0) as decimal(18, 6)) as new_customers,
        cast(acquisition_window.new_customers as {{ type_double() }}) / nullif(acquisition_window.leads, 0) as lead_to_customer_rate,
        cast(
            round(cast(acquisition_window.ad_spend as {{ type_double() }}) / nullif(acquisition_window.new_customers, 0) * 100) / 100
            as decimal(18, 2)
        ) as cac,
        cast(
            round(cast(weighted_accounts.weighted_mrr as {{ type_double() }}) / nullif(weighted_accounts.weighted_active_customers, 0) * 100)
            / 100 as decimal(18, 2)
        ) as arpa,
        cast(weighted_accounts.weighted_churned_customers as {{ type_double() }}) / nullif(weighted_accounts.weighted_starting_customers, 0)
            as logo_churn_rate,
        cast(
            round(
                (cast(weighted_accounts.weighted_mrr as {{ type_double() }}) / nullif(weighted_accounts.weighted_active_customers, 0))
                * cast({{ var('gross_margin') }} as {{ type_double() }})
                / nullif(cast(weighted_accounts.weighted_churned_customers as {{ type_double() }}) / nullif(weighted_accounts.weighted_starting_customers, 0), 0)
                * 100
            ) / 100
            as decimal(18, 2)
        ) as ltv,
        '{{ var("attribution_model") }}' as attribution_model

    from channels

    left join acquisition_window
        on channels.channel = acquisition_window.channel

    left join weighted_accounts
        on channels.channel = weighted_accounts.channel

),

with_ratio as (

    select
        *,
        cast(ltv as {{ type_double() }}) / nullif(cac, 0) as ltv_to_cac

    from final

)

select
    {{ contract_columns('with_ratio') }}

from with_ratio
