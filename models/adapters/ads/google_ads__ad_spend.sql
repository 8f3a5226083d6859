{#-
    marketing.ad_spend rows of Google Ads, from Fivetran's Google Ads tables: campaign_stats has
    a row per campaign, day, network and device (summed here), spend in micros of the account
    currency (cost_micros / 1,000,000); the campaign's name is its latest campaign_history
    version and the currency its account's latest account_history currency_code (both after
    Fivetran's _fivetran_active filter, latest updated_at first, as Fivetran's package does).
-#}
{{ config(enabled=connector_enabled('marketing', 'google_ads')) }}

with

stats as (

    select * from {{ connector_select('google_ads', 'campaign_stats', [
        ['id', 'varchar', 'required'],
        ['date', 'date', 'required'],
        ['customer_id', 'varchar'],
        ['cost_micros', 'bigint', 'required'],
        ['clicks', 'bigint'],
        ['impressions', 'bigint'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as stats

),

campaign_versions as (

    select
        *,
        row_number() over (partition by id order by updated_at desc) as version_rank

    from {{ connector_select('google_ads', 'campaign_history', [
        ['id', 'varchar'],
        ['updated_at', 'timestamp'],
        ['name', 'varchar'],
        ['customer_id', 'varchar'],
        ['_fivetran_active', 'boolean'],
    ]) }} as campaigns

    where coalesce(_fivetran_active, true)

),

account_versions as (

    select
        *,
        row_number() over (partition by id order by updated_at desc) as version_rank

    from {{ connector_select('google_ads', 'account_history', [
        ['id', 'varchar'],
        ['updated_at', 'timestamp'],
        ['currency_code', 'varchar'],
        ['_fivetran_active', 'boolean'],
    ]) }} as account_rows

    where coalesce(_fivetran_active, true)

),

final as (

    select
        stats.date as date_day,
        'google_ads' as platform,
        coalesce(stats.customer_id, campaign_versions.customer_id) as ad_account_id,
        stats.id as campaign_id,
        campaign_versions.name as campaign_name,
        cast(sum(stats.cost_micros) / 1000000.0 as decimal(18, 2)) as spend,
        account_versions.currency_code as currency,
        sum(stats.impressions) as impressions,
        sum(stats.clicks) as clicks,
        max(stats._fivetran_synced) as _loaded_at

    from stats

    left join campaign_versions
        on stats.id = campaign_versions.id
            and campaign_versions.version_rank = 1

    left join account_versions
        on coalesce(stats.customer_id, campaign_versions.customer_id) = account_versions.id
            and account_versions.version_rank = 1

    group by 1, 2, 3, 4, 5, 7

)

select * from final
