{#- Every event type the journey promises occurs at least once in the data built. -#}
{%- set event_types = [
    'touch', 'form_submitted', 'lead_created', 'mql', 'sql', 'opportunity_created',
    'opportunity_stage_changed', 'sales_activity', 'deal_won', 'deal_lost',
    'subscription_started', 'expansion', 'contraction', 'churn', 'reactivation',
    'ticket_opened', 'ticket_solved', 'satisfaction_rated',
] %}
{{ config(enabled=(raw_setting('raw_data_mode') == 'demo')) }}
with

expected as (

    {% for event_type in event_types %}
        select '{{ event_type }}' as event_type
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

observed as (

    select distinct event_type from {{ ref('fct_customer_journey') }}

)

select expected.event_type as missing_event_type

from expected

left join observed
    on expected.event_type = observed.event_type

where observed.event_type is null
