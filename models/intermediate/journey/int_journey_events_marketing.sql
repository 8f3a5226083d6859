{#- Journey events from marketing: web touches and form submissions. -#}
with

sessions as (

    select * from {{ ref('stg_marketing__web_sessions') }}

),

submissions as (

    select * from {{ ref('stg_marketing__form_submissions') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}
    where source_system = 'marketing'

),

session_channels as (

    select
        session_id,
        anonymous_id,
        session_started_at,
        channel,
        loaded_at
    from sessions

),

submission_sessions as (

    -- A form is submitted during the visitor's latest session that started before it.
    select
        submissions.submission_id,
        session_channels.channel,
        session_channels.loaded_at,
        row_number() over (
            partition by submissions.submission_id
            order by session_channels.session_started_at desc, session_channels.session_id desc
        ) as session_rank

    from submissions

    inner join session_channels
        on submissions.anonymous_id = session_channels.anonymous_id
            and submissions.submitted_at >= session_channels.session_started_at

),

touches as (

    select
        'touch' as event_type,
        sessions.session_started_at as event_at,
        visitors.account_key,
        visitors.person_key,
        sessions.channel,
        cast(null as decimal(18, 2)) as amount,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        {{ dbt.concat(["coalesce(sessions.utm_source, '(none)')", "' / '", "coalesce(sessions.utm_medium, '(none)')", "' / '", "coalesce(sessions.utm_campaign, '(none)')"]) }}
            as event_detail,
        'marketing' as source_system,
        'web_sessions' as source_table,
        sessions.session_id as source_record_id,
        sessions.loaded_at

    from sessions

    inner join identities as visitors
        on visitors.source_table = 'visitor'
            and sessions.anonymous_id = visitors.source_record_id

),

forms as (

    select
        'form_submitted' as event_type,
        submissions.submitted_at as event_at,
        submitters.account_key,
        submitters.person_key,
        coalesce(submission_sessions.channel, 'direct') as channel,
        cast(null as decimal(18, 2)) as amount,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        submissions.form_name as event_detail,
        'marketing' as source_system,
        'form_submissions' as source_table,
        submissions.submission_id as source_record_id,
        -- the channel comes from the session matched: a late session can change it
        greatest(submissions.loaded_at, coalesce(submission_sessions.loaded_at, submissions.loaded_at))
            as loaded_at

    from submissions

    inner join identities as submitters
        on submitters.source_table = 'form_submission'
            and submissions.submission_id = submitters.source_record_id

    left join submission_sessions
        on submissions.submission_id = submission_sessions.submission_id
            and submission_sessions.session_rank = 1

)

select * from touches
union all
select * from forms
