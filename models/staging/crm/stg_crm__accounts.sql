with

source as (

    select * from {{ raw_source('crm', 'account') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as account_id,
        cast(name as {{ dbt.type_string() }}) as account_name,
        {{ normalize_domain('cast(website as ' ~ dbt.type_string() ~ ')') }} as website_domain,
        nullif(trim(cast(industry as {{ dbt.type_string() }})), '') as industry,
        upper(nullif(trim(cast(billing_country as {{ dbt.type_string() }})), '')) as country_code,
        cast(number_of_employees as integer) as employee_count,
        cast(type as {{ dbt.type_string() }}) as account_type,
        nullif(trim(cast(account_source as {{ dbt.type_string() }})), '') as account_source,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        {{ utc_timestamp('created_date') }} as created_at,
        {{ utc_timestamp('last_modified_date') }} as last_modified_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by account_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        account_id,
        account_name,
        website_domain,
        industry,
        country_code,
        employee_count,
        {{ segment_from_employees('employee_count') }} as segment,
        account_type,
        account_source,
        owner_id,
        created_at,
        last_modified_at,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
