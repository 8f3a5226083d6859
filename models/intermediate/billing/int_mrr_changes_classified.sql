{#-
    One row per subscription and day on which that subscription's MRR changed, classified
    by what the change did to the customer account as a whole:

      subscription_started  the account's MRR goes from 0 to positive for the first time
      reactivation          the account's MRR goes from 0 to positive again after a churn
      expansion             the account's MRR rises and it was already paying
      contraction           the account's MRR falls and it keeps paying
      churn                 the account's MRR falls to 0: its last paid subscription ended

    One of several subscriptions ending is contraction, not churn. Changes on or before
    the as-of date only. first_changed_at is the earliest real time of the day's changes.

    Changes of different subscriptions on the same day are classified one by one against
    the account's day: if subscription A ends (-100) while B starts (+30) on a day the
    account stays active, that is a contraction of 100 and an expansion of 30; the MRR
    bridge nets them per account and month.
-#}
with

items as (

    select * from {{ ref('int_subscription_items_priced') }}

),

item_changes as (

    select
        account_key,
        person_key,
        subscription_id,
        subscription_item_id,
        started_at as changed_at,
        cast(started_at as date) as change_date,
        mrr as mrr_change
    from items

    union all

    select
        account_key,
        person_key,
        subscription_id,
        subscription_item_id,
        ended_at as changed_at,
        cast(ended_at as date) as change_date,
        -mrr as mrr_change
    from items
    where ended_at is not null

),

in_scope as (

    select * from item_changes
    where change_date <= {{ as_of_date() }}

),

subscription_days as (

    select
        account_key,
        subscription_id,
        change_date,
        min(changed_at) as first_changed_at,
        min(person_key) as person_key,
        min(subscription_item_id) as first_subscription_item_id,
        sum(mrr_change) as mrr_change

    from in_scope

    group by 1, 2, 3

),

account_days as (

    select
        account_key,
        change_date,
        sum(mrr_change) as account_mrr_change

    from subscription_days

    group by 1, 2

),

account_balances as (

    select
        account_key,
        change_date,
        account_mrr_change,
        sum(account_mrr_change) over (
            partition by account_key
            order by change_date
            rows between unbounded preceding and current row
        ) as account_mrr_after

    from account_days

),

account_states as (

    select
        *,
        account_mrr_after - account_mrr_change as account_mrr_before,
        coalesce(max(account_mrr_after) over (
            partition by account_key
            order by change_date
            rows between unbounded preceding and 1 preceding
        ), 0) > 0 as was_paying_before

    from account_balances

),

final as (

    select
        {{ surrogate_key(['subscription_days.subscription_id', 'subscription_days.change_date']) }} as mrr_change_id,
        subscription_days.account_key,
        subscription_days.person_key,
        subscription_days.subscription_id,
        subscription_days.first_subscription_item_id,
        subscription_days.change_date,
        subscription_days.first_changed_at,
        subscription_days.mrr_change,
        account_states.account_mrr_before,
        account_states.account_mrr_after,
        case
            when account_states.account_mrr_before = 0 and subscription_days.mrr_change > 0
                then case when account_states.was_paying_before then 'reactivation' else 'subscription_started' end
            when account_states.account_mrr_after = 0 and subscription_days.mrr_change < 0
                then 'churn'
            when subscription_days.mrr_change > 0 then 'expansion'
            else 'contraction'
        end as change_type

    from subscription_days

    inner join account_states
        on subscription_days.account_key = account_states.account_key
            and subscription_days.change_date = account_states.change_date

    where subscription_days.mrr_change <> 0

)

select * from final
