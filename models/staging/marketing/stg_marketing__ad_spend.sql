with

source as (

    select * from {{ raw_source('marketing', 'ad_spend') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('marketing', 'ad_spend') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

ad_platforms as (

    {{ vocabulary_map('map_ad_platforms', 'platform') }}

),

renamed as (

    select
        cast(date_day as date) as spend_date,
        lower(trim(cast(platform as {{ dbt.type_string() }}))) as platform,
        cast(ad_account_id as {{ dbt.type_string() }}) as ad_account_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        lower(trim(cast(campaign_name as {{ dbt.type_string() }}))) as utm_campaign,
        cast(spend as decimal(18, 2)) as spend_local,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency_local,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        {{ utc_timestamp('_loaded_at') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (
            partition by platform, campaign_id, spend_date
            order by loaded_at desc
        ) as load_rank

    from renamed

),

final as (

    select
        {{ surrogate_key(['ranked.platform', 'ranked.campaign_id', 'ranked.spend_date']) }} as ad_spend_id,
        ranked.spend_date,
        ranked.platform,
        {{ mapped_value('ad_platforms.channel', 'ranked.platform', 'other') }} as channel,
        ranked.ad_account_id,
        ranked.campaign_id,
        ranked.campaign_name,
        ranked.utm_campaign,
        ranked.spend_local,
        ranked.currency_local,
        cast(ranked.spend_local * {{ reporting_per_unit('ranked.currency_local', 'fx') }} as decimal(18, 2)) as spend,
        ranked.impressions,
        ranked.clicks,
        ranked.loaded_at

    from ranked

    left join fx
        on ranked.currency_local = fx.currency
            and ranked.spend_date = fx.rate_date

    left join ad_platforms
        on {{ vocabulary_key('ranked.platform') }} = ad_platforms.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
