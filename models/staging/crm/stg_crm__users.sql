with

source as (

    select * from {{ raw_source('crm', 'user') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('crm', 'user') }}

),

rep_roles as (

    {{ vocabulary_map('map_rep_roles', 'user_role') }}

),

rep_segments as (

    {{ vocabulary_map('map_rep_segments', 'segment') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as user_id,
        lower(trim(cast(user_role as {{ dbt.type_string() }}))) as user_role,
        cast(title as {{ dbt.type_string() }}) as title,
        lower(trim(cast(segment as {{ dbt.type_string() }}))) as segment,
        cast(is_active as boolean) as is_active,
        {{ utc_timestamp('created_date') }} as created_at,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by user_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.user_id,
        ranked.user_role,
        {{ mapped_value('rep_roles.rep_role', 'ranked.user_role') }} as rep_role,
        ranked.title,
        ranked.segment,
        {{ mapped_value('rep_segments.covered_segment', 'ranked.segment') }} as covered_segment,
        ranked.is_active,
        ranked.created_at,
        ranked.loaded_at

    from ranked

    left join rep_roles
        on {{ vocabulary_key('ranked.user_role') }} = rep_roles.vocabulary_key

    left join rep_segments
        on {{ vocabulary_key('ranked.segment') }} = rep_segments.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
