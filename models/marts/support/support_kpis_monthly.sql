{#-
    One row per month from the first journey month through the as-of month: the support KPIs
    of the whole business (definitions: the kpi_* docs blocks in _support__docs.md). Tickets
    count every ticket in scope, with or without a customer account; tickets per active
    customer divides them by the accounts paying at the month's end snapshot. A rate whose
    denominator is zero is null.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

tickets as (

    select * from {{ ref('fct_support_tickets') }}

),

ratings as (

    select * from {{ ref('stg_support__satisfaction_ratings') }}
    where not is_deleted and is_rated

),

account_months as (

    select * from {{ ref('fct_mrr_account_months') }}

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

opened as (

    select
        created_month as date_month,
        count(*) as tickets,
        sum(case when is_replied then 1 else 0 end) as replied_tickets,
        percentile_cont(0.5) within group (order by first_reply_hours) as first_reply_hours,
        sum(case when is_solved then 1 else 0 end) as solved_tickets,
        percentile_cont(0.5) within group (order by resolution_hours) as resolution_hours

    from tickets

    group by 1

),

rated as (

    {#- Ratings of tickets in scope (a rating of a deleted ticket does not count). -#}
    select
        cast({{ dbt.date_trunc('month', 'ratings.created_at') }} as date) as date_month,
        sum(ratings.csat_score) as good_ratings,
        sum(1 - ratings.csat_score) as bad_ratings

    from ratings

    inner join tickets
        on ratings.ticket_id = tickets.ticket_id

    where ratings.created_at < {{ as_of_timestamp_end() }}

    group by 1

),

backlog as (

    select
        snapshots.date_month,
        count(*) as backlog

    from tickets

    inner join snapshots
        on tickets.created_at < snapshots.snapshot_at
            and (tickets.solved_at is null or tickets.solved_at >= snapshots.snapshot_at)

    group by 1

),

customers as (

    select
        date_month,
        sum(case when is_active then 1 else 0 end) as active_customers

    from account_months

    group by 1

),

final as (

    select
        months.date_month,
        coalesce(opened.tickets, 0) as tickets,
        coalesce(customers.active_customers, 0) as active_customers,
        cast(coalesce(opened.tickets, 0) as {{ type_double() }})
        / nullif(customers.active_customers, 0) as tickets_per_active_customer,
        coalesce(opened.replied_tickets, 0) as replied_tickets,
        opened.first_reply_hours,
        coalesce(opened.solved_tickets, 0) as solved_tickets,
        opened.resolution_hours,
        coalesce(rated.good_ratings, 0) as good_ratings,
        coalesce(rated.bad_ratings, 0) as bad_ratings,
        cast(rated.good_ratings as {{ type_double() }})
        / nullif(rated.good_ratings + rated.bad_ratings, 0) as csat,
        coalesce(backlog.backlog, 0) as backlog

    from months

    left join opened
        on months.date_month = opened.date_month

    left join rated
        on months.date_month = rated.date_month

    left join backlog
        on months.date_month = backlog.date_month

    left join customers
        on months.date_month = customers.date_month

)

select
    {{ contract_columns('final') }}

from final
