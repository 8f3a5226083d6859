with

source as (

    select * from {{ raw_source('marketing', 'form_submissions') }}

),

renamed as (

    select
        cast(submission_id as {{ dbt.type_string() }}) as submission_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        {{ utc_timestamp('submitted_at') }} as submitted_at,
        lower(trim(cast(form_name as {{ dbt.type_string() }}))) as form_name,
        {{ normalize_email('cast(email as ' ~ dbt.type_string() ~ ')') }} as email,
        {{ is_malformed_email('cast(email as ' ~ dbt.type_string() ~ ')') }} as has_malformed_email,
        nullif(trim(cast(company_name as {{ dbt.type_string() }})), '') as company_name,
        cast(page_url as {{ dbt.type_string() }}) as page_url,
        {{ utc_timestamp('_loaded_at') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by submission_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        submission_id,
        anonymous_id,
        submitted_at,
        form_name,
        email,
        has_malformed_email,
        {{ email_domain('email') }} as email_domain,
        company_name,
        page_url,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
