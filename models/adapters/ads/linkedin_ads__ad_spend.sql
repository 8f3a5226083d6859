{#-
    marketing.ad_spend rows of LinkedIn Ads, from Fivetran's LinkedIn Ads tables:
    ad_analytics_by_campaign has a row per campaign and day (day is a timestamp); the campaign's
    name and account come from its latest campaign_history version and the currency from the
    account's latest account_history version (latest last_modified_time first). Spend is
    cost_in_local_currency in the account's currency; where only cost_in_usd is there, it is
    that amount in USD. (Fivetran's package reports cost_in_usd by default next to the account's
    currency code, a pair that disagrees for any account not billed in USD.)
-#}
{{ config(enabled=connector_enabled('marketing', 'linkedin_ads')) }}

with

analytics as (

    select * from {{ connector_select('linkedin_ads', 'ad_analytics_by_campaign', [
        ['campaign_id', 'varchar', 'required'],
        ['day', 'timestamp', 'required'],
        ['cost_in_local_currency', 'decimal(18, 2)'],
        ['cost_in_usd', 'decimal(18, 2)'],
        ['clicks', 'bigint'],
        ['impressions', 'bigint'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as analytics

),

campaign_versions as (

    select
        *,
        row_number() over (partition by id order by last_modified_time desc) as version_rank

    from {{ connector_select('linkedin_ads', 'campaign_history', [
        ['id', 'varchar'],
        ['name', 'varchar'],
        ['account_id', 'varchar'],
        ['last_modified_time', 'timestamp'],
    ]) }} as campaigns

),

account_versions as (

    select
        *,
        row_number() over (partition by id order by last_modified_time desc) as version_rank

    from {{ connector_select('linkedin_ads', 'account_history', [
        ['id', 'varchar'],
        ['currency', 'varchar'],
        ['last_modified_time', 'timestamp'],
    ]) }} as account_rows

),

final as (

    select
        cast(analytics.day as date) as date_day,
        'linkedin_ads' as platform,
        campaign_versions.account_id as ad_account_id,
        analytics.campaign_id,
        campaign_versions.name as campaign_name,
        sum(coalesce(analytics.cost_in_local_currency, analytics.cost_in_usd)) as spend,
        case
            when max(analytics.cost_in_local_currency) is null and max(analytics.cost_in_usd) is not null then 'USD'
            else account_versions.currency
        end as currency,
        sum(analytics.impressions) as impressions,
        sum(analytics.clicks) as clicks,
        max(analytics._fivetran_synced) as _loaded_at

    from analytics

    left join campaign_versions
        on analytics.campaign_id = campaign_versions.id
            and campaign_versions.version_rank = 1

    left join account_versions
        on campaign_versions.account_id = account_versions.id
            and account_versions.version_rank = 1

    group by
        cast(analytics.day as date),
        campaign_versions.account_id,
        analytics.campaign_id,
        campaign_versions.name,
        account_versions.currency

)

select * from final
