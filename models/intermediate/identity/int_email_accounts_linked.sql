{#-
    One row per normalized email that a CRM record or an explicit link ties to a
    Salesforce account. When systems disagree, the strongest link wins: a contact on the
    account, then a converted lead, then a billing customer whose metadata names the
    account; ties go to the earliest record.
-#}
with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

customers as (

    select * from {{ ref('stg_billing__customers') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

links as (

    select
        email,
        account_id,
        1 as link_strength,
        created_at
    from contacts
    where not is_deleted and email is not null and account_id is not null

    union all

    select
        email,
        converted_account_id as account_id,
        2 as link_strength,
        created_at
    from leads
    where not is_deleted and email is not null and converted_account_id is not null

    union all

    select
        email,
        crm_account_id as account_id,
        3 as link_strength,
        created_at
    from customers
    where not is_deleted and email is not null and crm_account_id is not null

),

live_links as (

    select links.*

    from links

    inner join accounts
        on links.account_id = accounts.account_id
            and not accounts.is_deleted

),

ranked as (

    select
        email,
        account_id,
        link_strength,
        row_number() over (
            partition by email
            order by link_strength, created_at, account_id
        ) as link_rank

    from live_links

),

final as (

    select
        email,
        account_id as crm_account_id,
        case link_strength
            when 1 then 'crm_contact'
            when 2 then 'converted_lead'
            when 3 then 'billing_metadata'
        end as linked_by

    from ranked

    where link_rank = 1

)

select * from final
