with

source as (

    select * from {{ raw_source('support', 'satisfaction_rating') }}

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
        satisfaction_rating_id,
        ticket_id,
        requester_id,
        score,
        score in ('good', 'bad') as is_rated,
        case score when 'good' then 1 when 'bad' then 0 end as csat_score,
        created_at,
        updated_at,
        is_deleted,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
