{#-
    One row per business email domain that identifies one Salesforce account: the
    account's website domain, else the domain its contacts' emails share. Free-mail
    domains (var free_email_domains) never identify a company. When several accounts
    claim a domain, the website beats contact emails, then the earliest account wins.
-#}
with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

claims as (

    select
        website_domain as claimed_domain,
        account_id,
        1 as claim_strength,
        created_at
    from accounts
    where not is_deleted and website_domain is not null

    union all

    select
        contacts.email_domain as claimed_domain,
        contacts.account_id,
        2 as claim_strength,
        accounts.created_at
    from contacts
    inner join accounts
        on contacts.account_id = accounts.account_id
    where not contacts.is_deleted
        and not accounts.is_deleted
        and contacts.email_domain is not null

),

business_claims as (

    select * from claims
    where not {{ is_free_email_domain('claimed_domain') }}

),

ranked as (

    select
        claimed_domain,
        account_id,
        row_number() over (
            partition by claimed_domain
            order by claim_strength, created_at, account_id
        ) as claim_rank

    from business_claims

),

final as (

    select
        claimed_domain as email_domain,
        account_id as crm_account_id

    from ranked

    where claim_rank = 1

)

select * from final
