with

source as (

    select * from {{ raw_source('support', 'user') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('support', 'user') }}

),

user_roles as (

    {{ vocabulary_map('map_support_user_roles', 'user_role') }}

),

renamed as (

    select
        cast(id as bigint) as support_user_id,
        {{ normalize_email('cast(email as ' ~ dbt.type_string() ~ ')') }} as email,
        {{ is_malformed_email('cast(email as ' ~ dbt.type_string() ~ ')') }} as has_malformed_email,
        lower(trim(cast(role as {{ dbt.type_string() }}))) as user_role,
        cast(organization_id as bigint) as organization_id,
        coalesce(cast(active as boolean), true) as is_active,
        {{ utc_timestamp('created_at') }} as created_at,
        {{ utc_timestamp('updated_at') }} as updated_at,
        coalesce(cast(_fivetran_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by support_user_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.support_user_id,
        ranked.email,
        ranked.has_malformed_email,
        {{ email_domain('ranked.email') }} as email_domain,
        ranked.user_role,
        {{ mapped_value('user_roles.role_group', 'ranked.user_role') }} as role_group,
        {#- Only customers are matched to accounts; a role the mapping does not know is not one. -#}
        coalesce(user_roles.role_group = 'customer', false) as is_end_user,
        ranked.organization_id,
        ranked.is_active,
        ranked.created_at,
        ranked.updated_at,
        ranked.is_deleted,
        ranked.loaded_at

    from ranked

    left join user_roles
        on {{ vocabulary_key('ranked.user_role') }} = user_roles.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
