{#-
    marketing.ad_spend rows of Meta (Facebook) Ads, from Fivetran's Facebook Ads tables:
    basic_ad has a row per ad and day, spend already in major units of the account currency;
    an ad's campaign is its latest ad_history version's campaign_id (basic_ad has none), the
    campaign's name its latest campaign_history version (latest updated_time first) and the
    currency the account's latest account_history row (by _fivetran_synced: that table has no
    update time), as Fivetran's package does. Summed per campaign and day. Named meta_ads, as
    the raw contract's platforms are (seeds/mappings/map_ad_platforms.csv maps both names).
    An ad no ad_history row places in a campaign keeps a null campaign_id, so staging
    quarantines it as missing_record_id rather than guessing.
-#}
{{ config(enabled=connector_enabled('marketing', 'facebook_ads')) }}

with

ads as (

    select * from {{ connector_select('facebook_ads', 'basic_ad', [
        ['ad_id', 'varchar', 'required'],
        ['date', 'date', 'required'],
        ['account_id', 'varchar'],
        ['spend', 'double', 'required'],
        ['impressions', 'bigint'],
        ['inline_link_clicks', 'bigint'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as ads

),

ad_versions as (

    select
        *,
        row_number() over (partition by id order by updated_time desc) as version_rank

    from {{ connector_select('facebook_ads', 'ad_history', [
        ['id', 'varchar'],
        ['campaign_id', 'varchar'],
        ['updated_time', 'timestamp'],
    ]) }} as ad_history

),

campaign_versions as (

    select
        *,
        row_number() over (partition by id order by updated_time desc) as version_rank

    from {{ connector_select('facebook_ads', 'campaign_history', [
        ['id', 'varchar'],
        ['name', 'varchar'],
        ['updated_time', 'timestamp'],
    ]) }} as campaigns

),

account_versions as (

    select
        *,
        row_number() over (partition by id order by _fivetran_synced desc) as version_rank

    from {{ connector_select('facebook_ads', 'account_history', [
        ['id', 'varchar'],
        ['currency', 'varchar'],
        ['_fivetran_synced', 'timestamp'],
    ]) }} as account_rows

),

final as (

    select
        ads.date as date_day,
        'meta_ads' as platform,
        ads.account_id as ad_account_id,
        ad_versions.campaign_id,
        campaign_versions.name as campaign_name,
        cast(sum(ads.spend) as decimal(18, 2)) as spend,
        account_versions.currency,
        sum(ads.impressions) as impressions,
        sum(ads.inline_link_clicks) as clicks,
        max(ads._fivetran_synced) as _loaded_at

    from ads

    left join ad_versions
        on ads.ad_id = ad_versions.id
            and ad_versions.version_rank = 1

    left join campaign_versions
        on ad_versions.campaign_id = campaign_versions.id
            and campaign_versions.version_rank = 1

    left join account_versions
        on ads.account_id = account_versions.id
            and account_versions.version_rank = 1

    group by 1, 2, 3, 4, 5, 7

)

select * from final
