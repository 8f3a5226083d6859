with

source as (

    select * from {{ raw_source('crm', 'task') }}

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
        task_id,
        who_id,
        what_id,
        account_id,
        owner_id,
        task_type,
        task_status,
        activity_date,
        completed_at,
        created_at,
        {#- A logged activity happened when it was completed, else when it was logged. -#}
        coalesce(completed_at, created_at) as activity_at,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
