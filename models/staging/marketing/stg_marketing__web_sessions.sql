{{
    config(
        materialized='incremental',
        unique_key='session_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

{#-
    The largest raw table (about two thirds of all raw rows) is kept as a table and built
    incrementally: a build reads the raw rows loaded since the latest load it holds minus
    the var incremental_lookback_days, and re-ranks them with the stored row of the same
    session, so the latest load still wins, exactly as a full build would choose.
-#}
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

candidates as (

    select * from renamed

    {% if is_incremental() %}
        where loaded_at >= (
            select {{ dbt.dateadd('day', -1 * var('incremental_lookback_days'), 'max(stored.loaded_at)') }}
            from {{ this }} as stored
        )
    {% endif %}

),

{% if is_incremental() %}
    stored_versions as (

        select
            stored.session_id,
            stored.anonymous_id,
            stored.session_started_at,
            stored.landing_page,
            stored.referrer_host,
            stored.utm_source,
            stored.utm_medium,
            stored.utm_campaign,
            stored.utm_content,
            stored.utm_term,
            stored.device_type,
            stored.country_code,
            stored.loaded_at

        from {{ this }} as stored

        inner join (select distinct candidates.session_id from candidates) as reloaded
            on stored.session_id = reloaded.session_id

    ),
{% endif %}

ranked as (

    {#- The tracker re-sends some sessions: the latest load of a session_id wins. -#}
    select
        *,
        row_number() over (partition by session_id order by loaded_at desc) as load_rank

    from (
        select * from candidates
        {% if is_incremental() %}
            union all
            select * from stored_versions
        {% endif %}
    ) as versions

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
