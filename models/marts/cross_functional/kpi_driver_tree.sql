{#-
    One row per month: the month-over-month change of LTV and of new MRR, each split into
    the contributions of its factors (log-share decomposition: the contributions add up
    exactly to the change). Definition: the kpi_driver_tree docs block.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

acquisition as (

    select * from {{ ref('acquisition_months') }}

),

factors as (

    select
        date_month,
        ltv,
        arpa,
        {{ var('gross_margin') }} as gross_margin,
        trailing_logo_churn_rate as churn_rate,
        new_mrr,
        leads,
        cast(new_customers as {{ type_double() }}) / nullif(leads, 0) as lead_to_customer_rate,
        cast(new_mrr as {{ type_double() }}) / nullif(new_customers, 0) as average_new_deal

    from acquisition

),

with_previous as (

    select
        *,
        lag(ltv) over (order by date_month) as previous_ltv,
        lag(arpa) over (order by date_month) as previous_arpa,
        lag(gross_margin) over (order by date_month) as previous_gross_margin,
        lag(churn_rate) over (order by date_month) as previous_churn_rate,
        lag(new_mrr) over (order by date_month) as previous_new_mrr,
        lag(leads) over (order by date_month) as previous_leads,
        lag(lead_to_customer_rate) over (order by date_month) as previous_lead_to_customer_rate,
        lag(average_new_deal) over (order by date_month) as previous_average_new_deal

    from factors

),

logs as (

    select
        *,
        case
            when arpa > 0 and previous_arpa > 0 and churn_rate > 0 and previous_churn_rate > 0
                and ltv <> previous_ltv
                then ln(cast(arpa as {{ type_double() }}) / previous_arpa)
        end as log_arpa,
        case
            when arpa > 0 and previous_arpa > 0 and churn_rate > 0 and previous_churn_rate > 0
                and ltv <> previous_ltv
                then ln(cast(gross_margin as {{ type_double() }}) / previous_gross_margin)
        end as log_gross_margin,
        case
            when arpa > 0 and previous_arpa > 0 and churn_rate > 0 and previous_churn_rate > 0
                and ltv <> previous_ltv
                then ln(cast(previous_churn_rate as {{ type_double() }}) / churn_rate)
        end as log_churn,
        case
            when leads > 0 and previous_leads > 0 and lead_to_customer_rate > 0
                and previous_lead_to_customer_rate > 0 and new_mrr <> previous_new_mrr
                then ln(cast(leads as {{ type_double() }}) / previous_leads)
        end as log_leads,
        case
            when leads > 0 and previous_leads > 0 and lead_to_customer_rate > 0
                and previous_lead_to_customer_rate > 0 and new_mrr <> previous_new_mrr
                then ln(cast(lead_to_customer_rate as {{ type_double() }}) / previous_lead_to_customer_rate)
        end as log_conversion,
        case
            when leads > 0 and previous_leads > 0 and lead_to_customer_rate > 0
                and previous_lead_to_customer_rate > 0 and new_mrr <> previous_new_mrr
                then ln(cast(average_new_deal as {{ type_double() }}) / previous_average_new_deal)
        end as log_average_deal

    from with_previous

),

final as (

    select
        date_month,
        ltv,
        previous_ltv,
        ltv - previous_ltv as ltv_change,
        (ltv - previous_ltv) * cast(log_arpa as {{ type_double() }}) / nullif(log_arpa + log_gross_margin + log_churn, 0)
            as ltv_change_from_arpa,
        (ltv - previous_ltv) * cast(log_gross_margin as {{ type_double() }}) / nullif(log_arpa + log_gross_margin + log_churn, 0)
            as ltv_change_from_gross_margin,
        (ltv - previous_ltv) * cast(log_churn as {{ type_double() }}) / nullif(log_arpa + log_gross_margin + log_churn, 0)
            as ltv_change_from_churn,
        new_mrr,
        previous_new_mrr,
        new_mrr - previous_new_mrr as new_mrr_change,
        (new_mrr - previous_new_mrr) * cast(log_leads as {{ type_double() }}) / nullif(log_leads + log_conversion + log_average_deal, 0)
            as new_mrr_change_from_leads,
        (new_mrr - previous_new_mrr) * cast(log_conversion as {{ type_double() }}) / nullif(log_leads + log_conversion + log_average_deal, 0)
            as new_mrr_change_from_conversion,
        (new_mrr - previous_new_mrr) * cast(log_average_deal as {{ type_double() }}) / nullif(log_leads + log_conversion + log_average_deal, 0)
            as new_mrr_change_from_average_deal

    from logs

)

select
    {{ contract_columns('final') }}

from final
