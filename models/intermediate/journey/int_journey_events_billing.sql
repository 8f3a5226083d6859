{#-
    Journey events from billing: the classified MRR changes (see int_mrr_changes_classified),
    at the first real change time of the subscription that day, not midnight. A change is
    classified against the account's whole MRR history, so its loaded_at is the latest load
    of any subscription or item of the account.
-#}
with

mrr_changes as (

    select * from {{ ref('int_mrr_changes_classified') }}

),

account_loads as (

    select
        identities.account_key,
        max(
            greatest(subscriptions.loaded_at, coalesce(items.loaded_at, subscriptions.loaded_at))
        ) as loaded_at

    from {{ ref('stg_billing__subscriptions') }} as subscriptions

    left join {{ ref('stg_billing__subscription_items') }} as items
        on subscriptions.subscription_id = items.subscription_id

    inner join {{ ref('int_identities_resolved') }} as identities
        on identities.source_table = 'customer'
            and subscriptions.customer_id = identities.source_record_id

    group by 1

),

final as (

    select
        mrr_changes.change_type as event_type,
        mrr_changes.first_changed_at as event_at,
        mrr_changes.account_key,
        mrr_changes.person_key,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(mrr_changes.mrr_change as decimal(18, 2)) as amount,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        {{ dbt.concat(["'account mrr '", "cast(cast(mrr_changes.account_mrr_before as decimal(18, 2)) as " ~ dbt.type_string() ~ ")", "' -> '", "cast(cast(mrr_changes.account_mrr_after as decimal(18, 2)) as " ~ dbt.type_string() ~ ")"]) }}
            as event_detail,
        'billing' as source_system,
        'subscription' as source_table,
        mrr_changes.subscription_id as source_record_id,
        account_loads.loaded_at

    from mrr_changes

    inner join account_loads
        on mrr_changes.account_key = account_loads.account_key

)

select * from final
