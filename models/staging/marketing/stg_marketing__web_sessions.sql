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
    session, so the latest load still wins, exactly as a full build would choose. After an
    edit of a mapping seed (macro vocabulary_changed) every stored session is re-mapped.
-#}
with

source as (

    select * from {{ raw_source('marketing', 'web_sessions') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('marketing', 'web_sessions') }}

),

utm_mediums as (

    {{ vocabulary_map('map_utm_mediums', 'utm_medium') }}

),

device_types as (

    {{ vocabulary_map('map_device_types', 'device_type') }}

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
        {%- if vocabulary_changed() %}
            union
            select session_id from {{ this }}
        {%- endif %}

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
        ranked.session_id,
        ranked.anonymous_id,
        ranked.session_started_at,
        ranked.landing_page,
        ranked.referrer_host,
        ranked.utm_source,
        ranked.utm_medium,
        ranked.utm_campaign,
        ranked.utm_content,
        ranked.utm_term,
        {#- The utm_medium's channel (other when the mapping lacks it), else the referrer's. -#}
        coalesce(
            {{ mapped_value('utm_mediums.channel', 'ranked.utm_medium', 'other') }},
            {{ channel_from_referrer('ranked.referrer_host') }}
        ) as channel,
        ranked.device_type,
        {{ mapped_value('device_types.device_kind', 'ranked.device_type') }} as device_kind,
        ranked.country_code,
        ranked.loaded_at

    from ranked

    left join utm_mediums
        on {{ vocabulary_key('ranked.utm_medium') }} = utm_mediums.vocabulary_key

    left join device_types
        on {{ vocabulary_key('ranked.device_type') }} = device_types.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
