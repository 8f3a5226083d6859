with

source as (

    select * from {{ raw_source('crm', 'task') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('crm', 'task') }}

),

activity_types as (

    {{ vocabulary_map('map_activity_types', 'activity_type') }}

),

task_statuses as (

    {{ vocabulary_map('map_task_statuses', 'task_status') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as task_id,
        nullif(cast(who_id as {{ dbt.type_string() }}), '') as who_id,
        nullif(cast(what_id as {{ dbt.type_string() }}), '') as what_id,
        nullif(cast(account_id as {{ dbt.type_string() }}), '') as account_id,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        lower(trim(cast(type as {{ dbt.type_string() }}))) as task_type,
        cast(status as {{ dbt.type_string() }}) as task_status,
        cast(activity_date as date) as activity_date,
        {{ utc_timestamp('completed_date_time') }} as completed_at,
        {{ utc_timestamp('created_date') }} as created_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by task_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.task_id,
        ranked.who_id,
        ranked.what_id,
        ranked.account_id,
        ranked.owner_id,
        ranked.task_type,
        {{ mapped_value('activity_types.activity_kind', 'ranked.task_type') }} as activity_kind,
        ranked.task_status,
        {{ mapped_value('task_statuses.task_state', 'ranked.task_status') }} as task_state,
        ranked.activity_date,
        ranked.completed_at,
        ranked.created_at,
        {#- A logged activity happened when it was completed, else when it was logged. -#}
        coalesce(ranked.completed_at, ranked.created_at) as activity_at,
        ranked.is_deleted,
        ranked.loaded_at

    from ranked

    left join activity_types
        on {{ vocabulary_key('ranked.task_type') }} = activity_types.vocabulary_key

    left join task_statuses
        on {{ vocabulary_key('ranked.task_status') }} = task_statuses.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
