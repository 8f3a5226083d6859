with

source as (

    select * from {{ raw_source('marketing', 'web_sessions') }}

),

renamed as (

    select
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        {{ utc_timestamp('session_started_at') }} as session_started_at,
        cast(landing_page as {{ dbt.type_string() }}) as landing_page,
        nullif(lower(trim(cast(referrer as {{ dbt.type_string() }}))), '') as referrer_host,
        nullif(lower(trim(cast(utm_source as {{ dbt.type_string() }}))), '') as utm_source,
        nullif(lower(trim(cast(utm_medium as {{ dbt.type_string() }}))), '') as utm_medium,
        nullif(lower(trim(cast(utm_campaign as {{ dbt.type_string() }}))), '') as utm_campaign,
        nullif(trim(cast(utm_content as {{ dbt.type_string() }})), '') as utm_content,
        nullif(trim(cast(utm_term as {{ dbt.type_string() }})), '') as utm_term,
        lower(cast(device_type as {{ dbt.type_string() }})) as device_type,
        upper(nullif(trim(cast(country_code as {{ dbt.type_string() }})), '')) as country_code,
        {{ utc_timestamp('_loaded_at') }} as loaded_at

    from source

),

ranked as (

    {#- The tracker re-sends some sessions: the latest load of a session_id wins. -#}
    select
        *,
        row_number() over (partition by session_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        session_id,
        anonymous_id,
        session_started_at,
        landing_page,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        {{ channel_from_touch('utm_source', 'utm_medium', 'referrer_host') }} as channel,
        device_type,
        country_code,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
