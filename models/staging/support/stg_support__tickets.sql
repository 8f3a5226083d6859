with

source as (

    select * from {{ raw_source('support', 'ticket') }}

),

renamed as (

    select
        cast(id as bigint) as ticket_id,
        cast(requester_id as bigint) as requester_id,
        cast(assignee_id as bigint) as assignee_id,
        cast(organization_id as bigint) as organization_id,
        lower(trim(cast(status as {{ dbt.type_string() }}))) as ticket_status,
        lower(nullif(trim(cast(priority as {{ dbt.type_string() }})), '')) as priority,
        lower(nullif(trim(cast(type as {{ dbt.type_string() }})), '')) as ticket_type,
        lower(trim(cast(via_channel as {{ dbt.type_string() }}))) as via_channel,
        {{ utc_timestamp('created_at') }} as created_at,
        {{ utc_timestamp('first_reply_at') }} as first_replied_at,
        {{ utc_timestamp('solved_at') }} as solved_at,
        {{ utc_timestamp('updated_at') }} as updated_at,
        coalesce(cast(_fivetran_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by ticket_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ticket_id,
        requester_id,
        assignee_id,
        organization_id,
        ticket_status,
        priority,
        ticket_type,
        via_channel,
        created_at,
        first_replied_at,
        solved_at,
        cast({{ revops.boundaries_between('created_at', 'first_replied_at', 'minute') }} as {{ type_double() }}) / 60 as first_reply_hours,
        cast({{ revops.boundaries_between('created_at', 'solved_at', 'minute') }} as {{ type_double() }}) / 60 as resolution_hours,
        updated_at,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
