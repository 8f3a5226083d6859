{{
    config(
        materialized=incremental_or_table(),
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

{% if is_incremental() %}
    cutoff as (

        select
            {{ dbt.dateadd('day', -1 * var('incremental_lookback_days'), 'max(previous_build.loaded_at)') }} as cutoff_at

        from {{ this }} as previous_build

    ),
{% endif %}

candidates as (

    select renamed.*

    from renamed

    {% if is_incremental() %}
        cross join cutoff
        where renamed.loaded_at >= cutoff.cutoff_at
    {% endif %}

),

{% if is_incremental() %}
    reloaded_sessions as (

        select distinct session_id from candidates

    ),

    existing_versions as (

        select
            previous_build.session_id,
            previous_build.anonymous_id,
            previous_build.session_started_at,
            previous_build.landing_page,
            previous_build.referrer_host,
            previous_build.utm_source,
            previous_build.utm_medium,
            previous_build.utm_campaign,
            previous_build.utm_content,
            previous_build.utm_term,
            previous_build.device_type,
            previous_build.country_code,
            previous_build.loaded_at

        from {{ this }} as previous_build

        inner join reloaded_sessions
            on previous_build.session_id = reloaded_sessions.session_id

    ),
{% endif %}

versions as (

    select * from candidates

    {% if is_incremental() %}
        union all
        select * from existing_versions
    {% endif %}

),

ranked as (

    {#- The tracker re-sends some sessions: the latest load of a session_id wins. -#}
    select
        *,
        row_number() over (partition by session_id order by loaded_at desc) as load_rank

    from versions

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
