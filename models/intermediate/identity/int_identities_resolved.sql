{#-
    One row per person, company or visitor record from every system, resolved to one
    customer account key.

    Match order (match_method):
      crm_account   the record is a Salesforce account
      explicit_link an id another system stores: a contact's account, a converted lead's
                    account, Stripe metadata sfdc_account_id, a Zendesk organization's
                    external_id, a Zendesk user's organization
      email         the normalized email belongs to a CRM contact or linked record
      email_domain  the business email domain (or website) is a CRM account's
      unmatched     none of the above: the record keeps a key of its own, shared with
                    other unmatched records of the same business domain or the same
                    person, and is counted here, never dropped.

    A deal whose account the extract does not hold (its account id is empty, or names no
    account record, live or deleted) is kept, not dropped: it stands as a company record of
    its own, source_table opportunity_account (the missing account id: every deal of that id
    shares its key) or opportunity (no account id: the deal is its own account). The warn
    test stg_crm__opportunities_account_in_extract names those deals.
-#}
with

crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

customers as (

    select * from {{ ref('stg_billing__customers') }}

),

organizations as (

    select * from {{ ref('stg_support__organizations') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

support_users as (

    select * from {{ ref('stg_support__users') }}

),

form_submissions as (

    select * from {{ ref('stg_marketing__form_submissions') }}

),

web_sessions as (

    select * from {{ ref('stg_marketing__web_sessions') }}

),

email_accounts as (

    select * from {{ ref('int_email_accounts_linked') }}

),

domain_accounts as (

    select * from {{ ref('int_domain_accounts_linked') }}

),

live_crm_accounts as (

    select account_id from crm_accounts
    where not is_deleted

),

visitor_emails as (

    -- A visitor becomes known through the first form they submit.
    select
        anonymous_id,
        email,
        email_domain

    from (
        select
            anonymous_id,
            email,
            email_domain,
            row_number() over (partition by anonymous_id order by submitted_at, submission_id) as submission_rank
        from form_submissions
        where email is not null
    ) as ranked_submissions

    where submission_rank = 1

),

visitors as (

    select distinct anonymous_id from web_sessions

),

-- deals without an account in the extract (a deleted account is in it: its deals are
-- quarantined as parent_deleted_in_source)
accountless_deals as (

    select distinct
        case when opportunities.account_id is null then 'opportunity' else 'opportunity_account' end
            as source_table,
        coalesce(opportunities.account_id, opportunities.opportunity_id) as source_record_id

    from opportunities

    left join crm_accounts
        on opportunities.account_id = crm_accounts.account_id

    where not opportunities.is_deleted
        and crm_accounts.account_id is null

),

records as (

    select
        'crm' as source_system,
        'account' as source_table,
        account_id as source_record_id,
        'company' as record_kind,
        cast(null as {{ dbt.type_string() }}) as email,
        website_domain as email_domain,
        account_id as explicit_crm_account_id,
        'crm_account' as explicit_link_kind
    from crm_accounts
    where not is_deleted

    union all

    select
        'crm',
        'contact',
        contact_id,
        'person',
        email,
        email_domain,
        account_id,
        'explicit_link'
    from contacts
    where not is_deleted

    union all

    select
        'crm',
        'lead',
        lead_id,
        'person',
        email,
        email_domain,
        converted_account_id,
        'explicit_link'
    from leads
    where not is_deleted

    union all

    select
        'billing',
        'customer',
        customer_id,
        'person',
        email,
        email_domain,
        crm_account_id,
        'explicit_link'
    from customers
    where not is_deleted

    union all

    select
        'support',
        'organization',
        cast(organization_id as {{ dbt.type_string() }}),
        'company',
        cast(null as {{ dbt.type_string() }}),
        primary_domain,
        crm_account_id,
        'explicit_link'
    from organizations
    where not is_deleted

    union all

    select
        'support',
        'user',
        cast(support_users.support_user_id as {{ dbt.type_string() }}),
        'person',
        support_users.email,
        support_users.email_domain,
        organizations.crm_account_id,
        'explicit_link'
    from support_users
    left join organizations
        on support_users.organization_id = organizations.organization_id
            and not organizations.is_deleted
    where not support_users.is_deleted
        and support_users.is_end_user

    union all

    select
        'marketing',
        'form_submission',
        submission_id,
        'person',
        email,
        email_domain,
        null,
        'explicit_link'
    from form_submissions

    union all

    select
        'marketing',
        'visitor',
        visitors.anonymous_id,
        'visitor',
        visitor_emails.email,
        visitor_emails.email_domain,
        null,
        'explicit_link'
    from visitors
    left join visitor_emails
        on visitors.anonymous_id = visitor_emails.anonymous_id

    union all

    select
        'crm',
        source_table,
        source_record_id,
        'company',
        null,
        null,
        null,
        'explicit_link'
    from accountless_deals

),

matched as (

    select
        records.*,
        case when records.email_domain is null then false else {{ is_free_email_domain('records.email_domain') }} end
            as is_free_email_domain,
        live_explicit.account_id as explicit_account_id,
        email_accounts.crm_account_id as email_account_id,
        domain_accounts.crm_account_id as domain_account_id

    from records

    left join live_crm_accounts as live_explicit
        on records.explicit_crm_account_id = live_explicit.account_id

    left join email_accounts
        on records.email = email_accounts.email

    left join domain_accounts
        on records.email_domain = domain_accounts.email_domain

),

resolved as (

    select
        *,
        coalesce(explicit_account_id, email_account_id, domain_account_id) as crm_account_id,
        case
            when explicit_account_id is not null then explicit_link_kind
            when email_account_id is not null then 'email'
            when domain_account_id is not null then 'email_domain'
            else 'unmatched'
        end as match_method,
        case
            when coalesce(explicit_account_id, email_account_id, domain_account_id) is not null then 'crm_account'
            when email_domain is not null and not is_free_email_domain then 'business_domain'
            when email is not null then 'person'
            when record_kind = 'visitor' then 'visitor'
            else 'record'
        end as account_key_source

    from matched

),

final as (

    select
        {{ surrogate_key(['source_system', 'source_table', 'source_record_id']) }} as identity_id,
        source_system,
        source_table,
        source_record_id,
        record_kind,
        email,
        email_domain,
        is_free_email_domain,
        case when email is not null then {{ person_key('email') }} end as person_key,
        crm_account_id,
        match_method,
        account_key_source,
        case account_key_source
            when 'crm_account' then {{ account_key("'crm_account'", 'crm_account_id') }}
            when 'business_domain' then {{ account_key("'business_domain'", 'email_domain') }}
            when 'person' then {{ account_key("'person'", person_key('email')) }}
            when 'visitor' then {{ account_key("'visitor'", 'source_record_id') }}
            else {{ account_key(dbt.concat(['source_system', "':'", 'source_table']), 'source_record_id') }}
        end as account_key

    from resolved

)

select * from final
