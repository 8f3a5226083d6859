with

source as (

    select * from {{ raw_source('marketing', 'form_submissions') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('marketing', 'form_submissions') }}

),

form_names as (

    {{ vocabulary_map('map_form_names', 'form_name') }}

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
        ranked.submission_id,
        ranked.anonymous_id,
        ranked.submitted_at,
        ranked.form_name,
        {{ mapped_value('form_names.form_kind', 'ranked.form_name') }} as form_kind,
        ranked.email,
        ranked.has_malformed_email,
        {{ email_domain('ranked.email') }} as email_domain,
        ranked.company_name,
        ranked.page_url,
        ranked.loaded_at

    from ranked

    left join form_names
        on {{ vocabulary_key('ranked.form_name') }} = form_names.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
