{#-
    One row: the as-of date every period ends at. The var as_of_date pins it; left empty,
    it is the last day on which any raw row was loaded, so it moves only with the data.
-#}
with

loads as (

    {%- set loaded_at = [
        ('marketing', 'ad_spend', '_loaded_at'),
        ('marketing', 'web_sessions', '_loaded_at'),
        ('marketing', 'form_submissions', '_loaded_at'),
        ('crm', 'lead', '_fivetran_synced'),
        ('crm', 'opportunity', '_fivetran_synced'),
        ('crm', 'opportunity_history', '_fivetran_synced'),
        ('crm', 'task', '_fivetran_synced'),
        ('billing', 'subscription', '_fivetran_synced'),
        ('billing', 'subscription_item', '_fivetran_synced'),
        ('billing', 'invoice', '_fivetran_synced'),
        ('support', 'ticket', '_fivetran_synced'),
        ('finance', 'fx_rates', '_loaded_at'),
    ] %}
    {% for system, table, column in loaded_at %}
        select max(cast({{ column }} as timestamp)) as last_loaded_at
        from {{ raw_source(system, table) }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

final as (

    select distinct
        {% if var('as_of_date') | string | trim not in ('', 'None') -%}
        cast('{{ var("as_of_date") | string | trim }}' as date) as as_of_date,
        'var' as as_of_date_source
        {%- else -%}
            cast(max(last_loaded_at) as date) as as_of_date,
            'last_raw_load' as as_of_date_source
        {%- endif %}

    from loads

)

select * from final
