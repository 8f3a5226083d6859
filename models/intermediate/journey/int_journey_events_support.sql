{#-
    Journey events from support: ticket opened, ticket solved, satisfaction rated.
    A ticket belongs to its organization's account, else to its requester's.
-#}
with

all_tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

tickets as (

    select * from all_tickets
    where not is_deleted

),

ratings as (

    select * from {{ ref('stg_support__satisfaction_ratings') }}
    where not is_deleted and is_rated

),

identities as (

    select * from {{ ref('int_identities_resolved') }}
    where source_system = 'support'

),

ticket_accounts as (

    select
        tickets.*,
        coalesce(organizations.account_key, requesters.account_key) as account_key,
        requesters.person_key

    from tickets

    left join identities as organizations
        on organizations.source_table = 'organization'
            and cast(tickets.organization_id as {{ dbt.type_string() }}) = organizations.source_record_id

    left join identities as requesters
        on requesters.source_table = 'user'
            and cast(tickets.requester_id as {{ dbt.type_string() }}) = requesters.source_record_id

),

opened as (

    select
        'ticket_opened' as event_type,
        created_at as event_at,
        account_key,
        person_key,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as decimal(18, 2)) as amount,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        {{ dbt.concat(["coalesce(priority, 'none')", "' / '", "via_channel"]) }} as event_detail,
        'support' as source_system,
        'ticket' as source_table,
        cast(ticket_id as {{ dbt.type_string() }}) as source_record_id,
        loaded_at

    from ticket_accounts

),

solved as (

    select
        'ticket_solved' as event_type,
        solved_at as event_at,
        account_key,
        person_key,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as decimal(18, 2)) as amount,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        coalesce(priority, 'none') as event_detail,
        'support' as source_system,
        'ticket' as source_table,
        cast(ticket_id as {{ dbt.type_string() }}) as source_record_id,
        loaded_at

    from ticket_accounts

    where solved_at is not null

),

rated as (

    select
        'satisfaction_rated' as event_type,
        ratings.created_at as event_at,
        ticket_accounts.account_key,
        ticket_accounts.person_key,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as decimal(18, 2)) as amount,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        ratings.score as event_detail,
        'support' as source_system,
        'satisfaction_rating' as source_table,
        cast(ratings.satisfaction_rating_id as {{ dbt.type_string() }}) as source_record_id,
        -- a rating follows its ticket (deleted or not)
        greatest(ratings.loaded_at, coalesce(all_tickets.loaded_at, ratings.loaded_at)) as loaded_at

    from ratings

    left join all_tickets
        on ratings.ticket_id = all_tickets.ticket_id

    -- a rating of a deleted ticket has no account: quarantined with the reason
    left join ticket_accounts
        on ratings.ticket_id = ticket_accounts.ticket_id

)

select * from opened
union all
select * from solved
union all
select * from rated
