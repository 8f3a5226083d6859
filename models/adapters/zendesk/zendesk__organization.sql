{#-
    support.organization from Fivetran's Zendesk tables organization and domain_name: the
    organization's domains are rows of domain_name (in their index order), joined into the
    contract's comma-separated domain_names. Fivetran's organization has no deletion flag
    (deleted organizations leave the table), so is_deleted reads false when it is absent.
-#}
{{ config(enabled=connector_enabled('support', 'zendesk')) }}

with

organizations as (

    select * from {{ connector_select('zendesk', 'organization', [
        ['id', 'bigint', 'required'],
        ['name', 'varchar'],
        ['external_id', 'varchar'],
        ['created_at', 'timestamp'],
        ['updated_at', 'timestamp'],
        ['_fivetran_deleted', 'boolean'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as organizations

),

domains as (

    select * from {{ connector_select('zendesk', 'domain_name', [
        ['organization_id', 'bigint', 'required'],
        ['index', 'bigint'],
        ['domain_name', 'varchar', 'required'],
    ]) }} as domains

    where nullif(trim(domain_name), '') is not null

),

domains_per_organization as (

    select
        organization_id,
        {{ dbt.listagg('trim(domain_name)', "','", 'order by ' ~ adapter.quote('index') ~ ', domain_name') }}
            as domain_names

    from domains

    group by organization_id

),

final as (

    select
        organizations.id,
        organizations.name,
        domains_per_organization.domain_names,
        organizations.external_id,
        organizations.created_at,
        organizations.updated_at,
        coalesce(organizations._fivetran_deleted, false) as _fivetran_deleted,
        organizations._fivetran_synced

    from organizations

    left join domains_per_organization
        on organizations.id = domains_per_organization.organization_id

)

select * from final
