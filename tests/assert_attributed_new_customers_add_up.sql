{#-
    Channel-attributed new customers add up to all new customers of the MRR bridge, every
    month, whatever the attribution model: returns the months that do not.
-#}
with

channel_months as (

    select * from {{ ref('acquisition_channel_months') }}

),

bridge as (

    select * from {{ ref('mrr_bridge') }}

),

attributed as (

    select
        date_month,
        sum(new_customers) as attributed_new_customers
    from channel_months
    group by 1

)

select
    bridge.date_month,
    bridge.new_customers,
    coalesce(attributed.attributed_new_customers, 0) as attributed_new_customers

from bridge

left join attributed
    on bridge.date_month = attributed.date_month

where abs(bridge.new_customers - coalesce(attributed.attributed_new_customers, 0)) > 0.000001
