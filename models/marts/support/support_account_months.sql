{#-
    One row per customer account per month in which the account opened a ticket, gave a
    rating or had a ticket open at the month's end snapshot, through the as-of month: the
    support KPIs of the account (definitions: the kpi_* docs blocks in _support__docs.md).
    Reply and resolution medians are over the tickets created in the month that got a reply /
    a solve by the as-of date; CSAT is over the ratings given in the month; the backlog is read
    at the month's end (for the as-of month, at the end of the as-of date). A rate whose
    denominator is zero is null.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

tickets as (

    select * from {{ ref('fct_support_tickets') }}
    where account_key is not null

),

ratings as (

    select * from {{ ref('stg_support__satisfaction_ratings') }}
    where not is_deleted and is_rated

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
        account_key,
        created_month as date_month,
        count(*) as tickets,
        sum(case when is_replied then 1 else 0 end) as replied_tickets,
        percentile_cont(0.5) within group (order by first_reply_hours) as first_reply_hours,
        sum(case when is_solved then 1 else 0 end) as solved_tickets,
        percentile_cont(0.5) within group (order by resolution_hours) as resolution_hours

    from tickets

    group by 1, 2

),

rated as (

    {#- A rating belongs to its ticket's account; ratings of deleted tickets have none. -#}
    select
        tickets.account_key,
        cast({{ dbt.date_trunc('month', 'ratings.created_at') }} as date) as date_month,
        ratings.csat_score

    from ratings

    inner join tickets
        on ratings.ticket_id = tickets.ticket_id

    where ratings.created_at < {{ as_of_timestamp_end() }}

),

rated_months as (

    select
        account_key,
        date_month,
        sum(csat_score) as good_ratings,
        sum(1 - csat_score) as bad_ratings

    from rated

    group by 1, 2

),

backlog as (

    select
        tickets.account_key,
        snapshots.date_month,
        count(*) as backlog

    from tickets

    inner join snapshots
        on tickets.created_at < snapshots.snapshot_at
            and (tickets.solved_at is null or tickets.solved_at >= snapshots.snapshot_at)

    group by 1, 2

),

account_months as (

    select
        account_key,
        date_month
    from opened
    union
    select
        account_key,
        date_month
    from rated_months
    union
    select
        account_key,
        date_month
    from backlog

),

final as (

    select
        account_months.account_key,
        account_months.date_month,
        coalesce(opened.tickets, 0) as tickets,
        coalesce(opened.replied_tickets, 0) as replied_tickets,
        opened.first_reply_hours,
        coalesce(opened.solved_tickets, 0) as solved_tickets,
        opened.resolution_hours,
        coalesce(rated_months.good_ratings, 0) as good_ratings,
        coalesce(rated_months.bad_ratings, 0) as bad_ratings,
        cast(rated_months.good_ratings as {{ type_double() }})
        / nullif(rated_months.good_ratings + rated_months.bad_ratings, 0) as csat,
        coalesce(backlog.backlog, 0) as backlog

    from account_months

    left join opened
        on account_months.account_key = opened.account_key
            and account_months.date_month = opened.date_month

    left join rated_months
        on account_months.account_key = rated_months.account_key
            and account_months.date_month = rated_months.date_month

    left join backlog
        on account_months.account_key = backlog.account_key
            and account_months.date_month = backlog.date_month

)

select
    {{ contract_columns('final') }}

from final
