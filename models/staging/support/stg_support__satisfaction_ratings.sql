with

source as (

    select * from {{ raw_source('support', 'satisfaction_rating') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('support', 'satisfaction_rating') }}

),

scores as (

    {{ vocabulary_map('map_satisfaction_scores', 'score') }}

),

renamed as (

    select
        cast(id as bigint) as satisfaction_rating_id,
        cast(ticket_id as bigint) as ticket_id,
        cast(requester_id as bigint) as requester_id,
        lower(trim(cast(score as {{ dbt.type_string() }}))) as score,
        {{ utc_timestamp('created_at') }} as created_at,
        {{ utc_timestamp('updated_at') }} as updated_at,
        coalesce(cast(_fivetran_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by satisfaction_rating_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.satisfaction_rating_id,
        ranked.ticket_id,
        ranked.requester_id,
        ranked.score,
        {{ mapped_value('scores.rating', 'ranked.score') }} as rating,
        coalesce(scores.rating in ('good', 'bad'), false) as is_rated,
        case scores.rating when 'good' then 1 when 'bad' then 0 end as csat_score,
        ranked.created_at,
        ranked.updated_at,
        ranked.is_deleted,
        ranked.loaded_at

    from ranked

    left join scores
        on {{ vocabulary_key('ranked.score') }} = scores.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
