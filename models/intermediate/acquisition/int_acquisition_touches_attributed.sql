{#-
    One row per acquired customer account and touchpoint before its acquisition, with the
    credit each attribution model gives that touchpoint. Credits of one account add up to 1
    in every model, so channel-attributed new customers add up to all new customers.

    Acquisition: the account's first paid month in fct_mrr_account_months (a new customer of
    the MRR bridge), at the time of its first subscription_started event.
    Touchpoints: the account's journey events that carry a channel - web touches, leads
    created, opportunities created - from the var attribution_lookback_days before the
    acquisition up to it. An account with none gets one 'unknown' touchpoint, so it is
    still counted.

    Models (var attribution_model picks `credit`): first_touch, last_touch, linear,
    u_shaped (40% first, 40% last, 20% spread over the middle), w_shaped (30% each on the
    first touch, the first lead creation and the first opportunity creation, 10% spread over
    the rest; renormalized when an anchor is missing or shared), time_decay (weight halves
    every var attribution_time_decay_half_life_days before the acquisition).
    Weights are exact decimals with 12 places, so sums over them do not depend on the order
    the engine adds them in: every build gives the same credits and channel totals.
-#}
{%- set lookback_days = var('attribution_lookback_days') | int %}
{%- set half_life = var('attribution_time_decay_half_life_days') | float %}
{%- set models = ['first_touch', 'last_touch', 'linear', 'u_shaped', 'w_shaped', 'time_decay'] %}
{%- if var('attribution_model') not in models %}
    {{ exceptions.raise_compiler_error(
        "var attribution_model must be one of " ~ models | join(', ') ~ "; got '" ~ var('attribution_model') ~ "'"
    ) }}
{%- endif %}
with

journey as (

    select * from {{ ref('fct_customer_journey') }}

),

account_months as (

    select * from {{ ref('fct_mrr_account_months') }}

),

first_subscriptions as (

    select
        account_key,
        min(event_at) as first_subscription_at

    from journey

    where event_type = 'subscription_started'

    group by 1

),

-- the new customers of the MRR bridge, so attributed customers add up to them
acquisitions as (

    select
        account_months.account_key,
        account_months.date_month as acquisition_month,
        coalesce(
            first_subscriptions.first_subscription_at, cast(account_months.date_month as timestamp)
        ) as acquired_at

    from account_months

    left join first_subscriptions
        on account_months.account_key = first_subscriptions.account_key

    where account_months.is_new_customer

),

touchpoints as (

    select
        journey.account_key,
        journey.event_id as touchpoint_id,
        journey.event_type,
        journey.event_at,
        journey.channel,
        acquisitions.acquisition_month,
        acquisitions.acquired_at

    from journey

    inner join acquisitions
        on journey.account_key = acquisitions.account_key

    where journey.event_type in ('touch', 'lead_created', 'opportunity_created')
        and journey.channel is not null
        and journey.event_at <= acquisitions.acquired_at
        and journey.event_at >= {{ dbt.dateadd('day', -lookback_days, 'acquisitions.acquired_at') }}

),

without_touchpoints as (

    select
        acquisitions.account_key,
        {{ dbt.concat(["'none:'", "acquisitions.account_key"]) }} as touchpoint_id,
        'none' as event_type,
        acquisitions.acquired_at as event_at,
        'unknown' as channel,
        acquisitions.acquisition_month,
        acquisitions.acquired_at

    from acquisitions

    where acquisitions.account_key not in (select touchpoints.account_key from touchpoints)

),

all_touchpoints as (

    select * from touchpoints
    union all
    select * from without_touchpoints

),

positioned as (

    select
        *,
        row_number() over (partition by account_key order by event_at, touchpoint_id) as touchpoint_position,
        count(*) over (partition by account_key) as touchpoint_count,
        row_number() over (
            partition by account_key, event_type order by event_at, touchpoint_id
        ) as position_in_type,
        cast({{ revops.boundaries_between('event_at', 'acquired_at', 'second') }} as {{ type_double() }}) / 86400 as days_before_acquisition

    from all_touchpoints

),

raw_weights as (

    select
        *,
        case when touchpoint_position = 1 then 1.0 else 0.0 end as first_touch_weight,
        case when touchpoint_position = touchpoint_count then 1.0 else 0.0 end as last_touch_weight,
        cast(1 as {{ type_double() }}) / touchpoint_count as linear_weight,
        case
            when touchpoint_count = 1 then 1.0
            when touchpoint_count = 2 then 0.5
            when touchpoint_position = 1 or touchpoint_position = touchpoint_count then 0.4
            else cast(0.2 as {{ type_double() }}) / (touchpoint_count - 2)
        end as u_shaped_weight,
        case
            when touchpoint_position = 1 then 0.3 else 0.0
        end
        + case when event_type = 'lead_created' and position_in_type = 1 then 0.3 else 0.0 end
        + case when event_type = 'opportunity_created' and position_in_type = 1 then 0.3 else 0.0 end
            as w_shaped_anchor_weight,
        power(0.5, (cast({{ revops.boundaries_between('event_at', 'acquired_at', 'second') }} as {{ type_double() }}) / 86400) / {{ half_life }})
            as time_decay_raw_weight

    from positioned

),

w_shaped as (

    select
        *,
        sum(case when w_shaped_anchor_weight = 0 then 1 else 0 end) over (partition by account_key)
            as w_shaped_other_count

    from raw_weights

),

normalized as (

    select
        *,
        (case
            when w_shaped_anchor_weight > 0 then w_shaped_anchor_weight
            else cast(0.1 as {{ type_double() }}) / w_shaped_other_count
        end)
        / sum(case
            when w_shaped_anchor_weight > 0 then w_shaped_anchor_weight
            else cast(0.1 as {{ type_double() }}) / w_shaped_other_count
        end) over (partition by account_key) as w_shaped_weight,
        time_decay_raw_weight / sum(time_decay_raw_weight) over (partition by account_key) as time_decay_weight

    from w_shaped

),

final as (

    select
        account_key,
        touchpoint_id,
        event_type as touchpoint_type,
        event_at as touched_at,
        channel,
        acquired_at,
        acquisition_month,
        touchpoint_position,
        touchpoint_count,
        days_before_acquisition,
        cast(round(first_touch_weight * 1e12) / 1e12 as decimal(18, 12)) as first_touch_weight,
        cast(round(last_touch_weight * 1e12) / 1e12 as decimal(18, 12)) as last_touch_weight,
        cast(round(linear_weight * 1e12) / 1e12 as decimal(18, 12)) as linear_weight,
        cast(round(u_shaped_weight * 1e12) / 1e12 as decimal(18, 12)) as u_shaped_weight,
        cast(round(w_shaped_weight * 1e12) / 1e12 as decimal(18, 12)) as w_shaped_weight,
        cast(round(time_decay_weight * 1e12) / 1e12 as decimal(18, 12)) as time_decay_weight,
        cast(round({{ var('attribution_model') }}_weight * 1e12) / 1e12 as decimal(18, 12)) as credit,
        '{{ var("attribution_model") }}' as attribution_model

    from normalized

)

select * from final
