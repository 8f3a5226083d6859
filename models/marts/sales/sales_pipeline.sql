{#-
    One row per month, opportunity owner (rep) and account segment with any sales activity:
    opportunities created (pipeline created), closed (win rates, sales cycle) and open at
    the month's end (open and weighted pipeline, pipeline velocity). The as-of month's
    snapshot is taken at the end of the as-of date. Opportunities come from fct_opportunities
    (deleted opportunities and those of deleted accounts are not counted). Definitions: the
    kpi_* docs blocks in _sales__docs.md. A rate whose denominator is zero is null.
    An opportunity without an amount counts as an opportunity but never as an amount of 0:
    won and lost amounts sum the deals that have one (null when none of the month's won,
    or lost, deals has one), the average won deal is over the won deals with an amount, and
    won_opportunities_without_amount says how many were left out.
-#}
-- depends_on: {{ ref('kpi_coverage') }}
with

opportunities as (

    select * from {{ ref('fct_opportunities') }}

),

opportunity_history as (

    select * from {{ ref('stg_crm__opportunity_history') }}
    where not is_deleted

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

created as (

    select
        created_month as date_month,
        owner_user_id,
        segment,
        count(*) as opportunities_created,
        sum(amount) as pipeline_created

    from opportunities

    group by 1, 2, 3

),

closed as (

    select
        closed_month as date_month,
        owner_user_id,
        segment,
        sum(case when is_won then 1 else 0 end) as won_opportunities,
        sum(case when is_won and amount is null then 1 else 0 end) as won_opportunities_without_amount,
        sum(case when is_lost then 1 else 0 end) as lost_opportunities,
        case when sum(case when is_won then 1 else 0 end) = 0 then 0 else sum(case when is_won then amount end) end
            as won_amount,
        case when sum(case when is_lost then 1 else 0 end) = 0 then 0 else sum(case when is_lost then amount end) end
            as lost_amount,
        percentile_cont(0.5) within group (order by sales_cycle_days) as sales_cycle_days,
        avg(cast(round(sales_cycle_days * 1e6) / 1e6 as decimal(18, 6))) as avg_sales_cycle_days

    from opportunities

    where is_closed

    group by 1, 2, 3

),

open_snapshots as (

    select
        snapshots.date_month,
        snapshots.snapshot_at,
        opportunities.opportunity_id,
        opportunities.owner_user_id,
        opportunities.segment,
        opportunities.amount,
        opportunities.current_probability

    from opportunities

    inner join snapshots
        on opportunities.created_at < snapshots.snapshot_at
            and (opportunities.closed_at is null or opportunities.closed_at >= snapshots.snapshot_at)

),

snapshot_stages as (

    -- the probability of the stage the opportunity was in at the snapshot
    select
        open_snapshots.date_month,
        open_snapshots.opportunity_id,
        opportunity_history.probability,
        row_number() over (
            partition by open_snapshots.date_month, open_snapshots.opportunity_id
            order by opportunity_history.changed_at desc, opportunity_history.opportunity_history_id desc
        ) as stage_rank

    from open_snapshots

    inner join opportunity_history
        on open_snapshots.opportunity_id = opportunity_history.opportunity_id
            and open_snapshots.snapshot_at > opportunity_history.changed_at

),

open_pipeline as (

    select
        open_snapshots.date_month,
        open_snapshots.owner_user_id,
        open_snapshots.segment,
        count(*) as open_opportunities,
        sum(open_snapshots.amount) as open_pipeline,
        sum(
            open_snapshots.amount
            * cast(coalesce(snapshot_stages.probability, open_snapshots.current_probability, 0) as {{ type_double() }}) / 100
        ) as weighted_pipeline

    from open_snapshots

    left join snapshot_stages
        on open_snapshots.date_month = snapshot_stages.date_month
            and open_snapshots.opportunity_id = snapshot_stages.opportunity_id
            and snapshot_stages.stage_rank = 1

    group by 1, 2, 3

),

row_keys as (

    select
        date_month,
        owner_user_id,
        segment
    from created

    union

    select
        date_month,
        owner_user_id,
        segment
    from closed

    union

    select
        date_month,
        owner_user_id,
        segment
    from open_pipeline

),

monthly as (

    select
        row_keys.date_month,
        row_keys.owner_user_id,
        row_keys.segment,
        coalesce(created.opportunities_created, 0) as opportunities_created,
        {#- 0 when nothing was created (open); null (unknown) when no such deal has an amount. -#}
        case when created.date_month is null then 0 else created.pipeline_created end as pipeline_created,
        coalesce(closed.won_opportunities, 0) as won_opportunities,
        coalesce(closed.won_opportunities_without_amount, 0) as won_opportunities_without_amount,
        coalesce(closed.lost_opportunities, 0) as lost_opportunities,
        {#- 0 when nothing closed; null (unknown) when the deals that closed have no amount. -#}
        case when closed.date_month is null then 0 else closed.won_amount end as won_amount,
        case when closed.date_month is null then 0 else closed.lost_amount end as lost_amount,
        closed.sales_cycle_days,
        closed.avg_sales_cycle_days,
        coalesce(open_pipeline.open_opportunities, 0) as open_opportunities,
        case when open_pipeline.date_month is null then 0 else open_pipeline.open_pipeline end as open_pipeline,
        case when open_pipeline.date_month is null then 0 else open_pipeline.weighted_pipeline end
            as weighted_pipeline

    from row_keys

    inner join months
        on row_keys.date_month = months.date_month

    left join created
        on row_keys.date_month = created.date_month
            and row_keys.owner_user_id = created.owner_user_id
            and row_keys.segment = created.segment

    left join closed
        on row_keys.date_month = closed.date_month
            and row_keys.owner_user_id = closed.owner_user_id
            and row_keys.segment = closed.segment

    left join open_pipeline
        on row_keys.date_month = open_pipeline.date_month
            and row_keys.owner_user_id = open_pipeline.owner_user_id
            and row_keys.segment = open_pipeline.segment

),

rates as (

    select
        *,
        won_opportunities + lost_opportunities as closed_opportunities,
        won_amount + lost_amount as closed_amount,
        cast(won_opportunities as {{ type_double() }})
        / nullif(won_opportunities + lost_opportunities, 0) as win_rate,
        cast(won_amount as {{ type_double() }}) / nullif(won_amount + lost_amount, 0) as win_rate_amount,
        cast(won_amount as {{ type_double() }})
        / nullif(won_opportunities - won_opportunities_without_amount, 0) as avg_won_deal_size

    from monthly

),

final as (

    select
        date_month,
        owner_user_id,
        segment,
        opportunities_created,
        pipeline_created,
        closed_opportunities,
        won_opportunities,
        won_opportunities_without_amount,
        lost_opportunities,
        closed_amount,
        won_amount,
        lost_amount,
        win_rate,
        win_rate_amount,
        avg_won_deal_size,
        sales_cycle_days,
        avg_sales_cycle_days,
        open_opportunities,
        open_pipeline,
        weighted_pipeline,
        open_opportunities * win_rate * cast(avg_won_deal_size as {{ type_double() }}) / nullif(avg_sales_cycle_days, 0) as pipeline_velocity

    from rates

)

select
    {{ contract_columns('final') }}

from final
