{#-
    Journey events from billing: the classified MRR changes (see int_mrr_changes_classified),
    at the first real change time of the subscription that day, not midnight.
-#}
with

mrr_changes as (

    select * from {{ ref('int_mrr_changes_classified') }}

),

final as (

    select
        change_type as event_type,
        first_changed_at as event_at,
        account_key,
        person_key,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(mrr_change as decimal(18, 2)) as amount,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        {{ dbt.concat(["'account mrr '", "cast(cast(account_mrr_before as decimal(18, 2)) as " ~ dbt.type_string() ~ ")", "' -> '", "cast(cast(account_mrr_after as decimal(18, 2)) as " ~ dbt.type_string() ~ ")"]) }}
            as event_detail,
        'billing' as source_system,
        'subscription' as source_table,
        subscription_id as source_record_id

    from mrr_changes

)

select * from final
