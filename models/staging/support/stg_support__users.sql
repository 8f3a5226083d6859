with

source as (

    select * from {{ raw_source('support', 'user') }}

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
        support_user_id,
        email,
        has_malformed_email,
        {{ email_domain('email') }} as email_domain,
        user_role,
        user_role = 'end-user' as is_end_user,
        organization_id,
        is_active,
        created_at,
        updated_at,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
