{#-
    One row: the as-of date every period ends at, and the last day any raw row was loaded.

    as_of_date is the var as_of_date when set (REVOPS_AS_OF_DATE). Left empty, it is the
    last day that EVERY system has delivered: for each system the day of its latest load,
    then the earliest of those. A system that stopped syncing holds the as-of date back,
    visibly, instead of leaving its numbers silently short. Never the wall clock.

    last_loaded_date (the latest load of any raw table) bounds calendars that must cover
    every row, such as the FX rates, whatever the as-of date.
-#}
{%- set raw_tables = [
        ('marketing', 'ad_spend', '_loaded_at'),
        ('marketing', 'web_sessions', '_loaded_at'),
        ('marketing', 'form_submissions', '_loaded_at'),
        ('crm', 'user', '_fivetran_synced'),
        ('crm', 'account', '_fivetran_synced'),
        ('crm', 'contact', '_fivetran_synced'),
        ('crm', 'lead', '_fivetran_synced'),
        ('crm', 'opportunity', '_fivetran_synced'),
        ('crm', 'opportunity_history', '_fivetran_synced'),
        ('crm', 'task', '_fivetran_synced'),
        ('crm', 'event', '_fivetran_synced'),
        ('crm', 'campaign', '_fivetran_synced'),
        ('crm', 'campaign_member', '_fivetran_synced'),
        ('billing', 'customer', '_fivetran_synced'),
        ('billing', 'subscription', '_fivetran_synced'),
        ('billing', 'subscription_item', '_fivetran_synced'),
        ('billing', 'invoice', '_fivetran_synced'),
        ('billing', 'invoice_line_item', '_fivetran_synced'),
        ('support', 'organization', '_fivetran_synced'),
        ('support', 'user', '_fivetran_synced'),
        ('support', 'ticket', '_fivetran_synced'),
        ('support', 'satisfaction_rating', '_fivetran_synced'),
        ('finance', 'sm_expenses', '_loaded_at'),
        ('finance', 'fx_rates', '_loaded_at')
] %}
with

loads as (

    {% for system, table, loaded_at in raw_tables %}
        select
            '{{ system }}' as source_system,
            max(cast({{ loaded_at }} as timestamp)) as last_loaded_at
        from {{ raw_source(system, table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

systems as (

    select
        source_system,
        cast(max(last_loaded_at) as date) as last_loaded_date

    from loads

    group by 1

),

final as (

    select
        {% if var('as_of_date') | string | trim not in ('', 'None') -%}
            cast('{{ var("as_of_date") | string | trim }}' as date) as as_of_date,
            'var' as as_of_date_source,
        {%- else -%}
            min(last_loaded_date) as as_of_date,
            'last_day_every_system_loaded' as as_of_date_source,
        {%- endif %}
        max(last_loaded_date) as last_loaded_date

    from systems

)

select * from final
