with

source as (

    select * from {{ raw_source('crm', 'opportunity') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as opportunity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(name as {{ dbt.type_string() }}) as opportunity_name,
        lower(replace(trim(cast(type as {{ dbt.type_string() }})), ' ', '_')) as opportunity_type,
        cast(stage_name as {{ dbt.type_string() }}) as stage_name,
        cast(amount as decimal(18, 2)) as amount_local,
        upper(trim(cast(currency_iso_code as {{ dbt.type_string() }}))) as currency_local,
        cast(probability as integer) as probability,
        cast(forecast_category as {{ dbt.type_string() }}) as forecast_category,
        nullif(trim(cast(lead_source as {{ dbt.type_string() }})), '') as lead_source,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        {{ utc_timestamp('created_date') }} as created_at,
        cast(close_date as date) as close_date,
        coalesce(cast(is_closed as boolean), false) as is_closed,
        coalesce(cast(is_won as boolean), false) as is_won,
        {{ utc_timestamp('last_modified_date') }} as last_modified_at,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by opportunity_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.opportunity_id,
        ranked.account_id,
        ranked.opportunity_name,
        ranked.opportunity_type,
        ranked.stage_name,
        ranked.amount_local,
        ranked.currency_local,
        {#- Converted at the rate of the creation day: a deal's value does not move with FX. -#}
        
        cast(ranked.amount_local * {{ reporting_per_unit('ranked.currency_local', 'fx') }} as decimal(18, 2)) as amount,
        ranked.probability,
        ranked.forecast_category,
        ranked.lead_source,
        {{ channel_from_lead_source('ranked.lead_source') }} as lead_source_channel,
        ranked.owner_id,
        ranked.created_at,
        ranked.close_date,
        ranked.is_closed,
        ranked.is_won,
        ranked.last_modified_at,
        ranked.is_deleted,
        ranked.loaded_at

    from ranked

    left join fx
        on ranked.currency_local = fx.currency
            and fx.rate_date = cast(ranked.created_at as date)

    where ranked.load_rank = 1

)

select * from final
