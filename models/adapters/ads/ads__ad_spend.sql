{#-
    marketing.ad_spend: the union of the ad platform connectors chosen in ad_connectors
    (REVOPS_AD_CONNECTORS), each turned into the contract's daily campaign rows by its adapter.
    A chosen platform whose fact table is absent adds no rows.
-#}
{{ config(enabled=ad_connectors() | length > 0) }}

{% for name in ad_connectors() %}
    select
        date_day,
        platform,
        ad_account_id,
        campaign_id,
        campaign_name,
        spend,
        currency,
        impressions,
        clicks,
        _loaded_at
    from {{ ref(name ~ '__ad_spend') }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
