{#-
    One row per month: the company-level acquisition economics. Blended CAC = all sales and
    marketing expenses (finance expenses + ad spend) / new customers; paid CAC = ad spend /
    new customers attributed to paid channels; CAC payback = blended CAC / (new-customer
    ARPA x gross margin); LTV = ARPA x gross margin / trailing logo churn rate; LTV:CAC.
    Vars: gross_margin, ltv_churn_window_months, attribution_model. Definitions: kpi_* docs
    blocks. A ratio whose denominator is zero is null.
-#}
{%- set churn_window = var('ltv_churn_window_months') | int %}
-- depends_on: {{ ref('kpi_coverage') }}
with

expenses as (

    select * from {{ ref('stg_finance__sm_expenses') }}

),

channel_months as (

    select * from {{ ref('acquisition_channel_months') }}

),

channels as (

    select * from {{ ref('map_channels') }}

),

bridge as (

    select * from {{ ref('mrr_bridge') }}

),

months as (

    select distinct date_month from {{ ref('dim_dates') }}

),

expense_months as (

    select
        expense_month as date_month,
        sum(amount) as other_sales_marketing_expense

    from expenses

    where expense_month <= {{ as_of_date() }}
        and is_sales_marketing

    group by 1

),

channel_totals as (

    select
        channel_months.date_month,
        sum(channel_months.ad_spend) as ad_spend,
        sum(channel_months.leads) as leads,
        sum(channel_months.new_customers) as attributed_new_customers,
        -- paid channels: is_paid in seeds/mappings/map_channels.csv
        sum(case when channels.is_paid then channel_months.new_customers else 0 end) as paid_new_customers

    from channel_months

    left join channels
        on channel_months.channel = channels.channel

    group by 1

),

trailing_churn as (

    select
        months.date_month,
        coalesce(bridge.new_customers, 0) as new_customers,
        coalesce(bridge.new_mrr, 0) as new_mrr,
        bridge.arpa,
        sum(coalesce(bridge.churned_customers, 0)) over (
            order by months.date_month rows between {{ churn_window - 1 }} preceding and current row
        ) as trailing_churned_customers,
        sum(coalesce(bridge.starting_customers, 0)) over (
            order by months.date_month rows between {{ churn_window - 1 }} preceding and current row
        ) as trailing_starting_customers

    from months

    left join bridge
        on months.date_month = bridge.date_month

),

combined as (

    select
        trailing_churn.date_month,
        coalesce(channel_totals.ad_spend, 0) as ad_spend,
        coalesce(expense_months.other_sales_marketing_expense, 0) as other_sales_marketing_expense,
        coalesce(channel_totals.ad_spend, 0) + coalesce(expense_months.other_sales_marketing_expense, 0)
            as sales_marketing_expense,
        coalesce(channel_totals.leads, 0) as leads,
        trailing_churn.new_customers,
        coalesce(channel_totals.paid_new_customers, 0) as paid_new_customers,
        trailing_churn.new_mrr,
        trailing_churn.arpa,
        cast(trailing_churn.new_mrr as {{ type_double() }}) / nullif(trailing_churn.new_customers, 0) as new_customer_arpa,
        cast(trailing_churn.trailing_churned_customers as {{ type_double() }})
        / nullif(trailing_churn.trailing_starting_customers, 0) as trailing_logo_churn_rate

    from trailing_churn

    left join channel_totals
        on trailing_churn.date_month = channel_totals.date_month

    left join expense_months
        on trailing_churn.date_month = expense_months.date_month

),

final as (

    select
        date_month,
        ad_spend,
        other_sales_marketing_expense,
        sales_marketing_expense,
        leads,
        new_customers,
        paid_new_customers,
        new_mrr,
        arpa,
        cast(round(new_customer_arpa * 100) / 100 as decimal(18, 2)) as new_customer_arpa,
        trailing_logo_churn_rate,
        cast(round(cast(sales_marketing_expense as {{ type_double() }}) / nullif(new_customers, 0) * 100) / 100 as decimal(18, 2))
            as cac_blended,
        cast(round(cast(ad_spend as {{ type_double() }}) / nullif(paid_new_customers, 0) * 100) / 100 as decimal(18, 2)) as cac_paid,
        (cast(sales_marketing_expense as {{ type_double() }}) / nullif(new_customers, 0))
        / nullif(new_customer_arpa * {{ var('gross_margin') }}, 0) as cac_payback_months,
        cast(
            round(arpa * cast({{ var('gross_margin') }} as {{ type_double() }}) / nullif(trailing_logo_churn_rate, 0) * 100) / 100
            as decimal(18, 2)
        ) as ltv,
        (arpa * cast({{ var('gross_margin') }} as {{ type_double() }}) / nullif(trailing_logo_churn_rate, 0))
        / nullif(cast(sales_marketing_expense as {{ type_double() }}) / nullif(new_customers, 0), 0) as ltv_to_cac

    from combined

)

select
    {{ contract_columns('final') }}

from final
