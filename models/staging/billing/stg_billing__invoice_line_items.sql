with

source as (

    select * from {{ raw_source('billing', 'invoice_line_item') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as invoice_line_item_id,
        cast(invoice_id as {{ dbt.type_string() }}) as invoice_id,
        nullif(cast(subscription_id as {{ dbt.type_string() }}), '') as subscription_id,
        nullif(cast(subscription_item_id as {{ dbt.type_string() }}), '') as subscription_item_id,
        cast(price_id as {{ dbt.type_string() }}) as price_id,
        cast(quantity as integer) as quantity,
        cast(cast(amount as bigint) / 100.0 as decimal(18, 2)) as amount_local,
        cast(coalesce(cast(discount_amount as bigint), 0) / 100.0 as decimal(18, 2)) as discount_local,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency_local,
        {{ utc_timestamp('period_start') }} as period_started_at,
        {{ utc_timestamp('period_end') }} as period_ends_at,
        coalesce(cast(proration as boolean), false) as is_proration,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by invoice_line_item_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.invoice_line_item_id,
        ranked.invoice_id,
        ranked.subscription_id,
        ranked.subscription_item_id,
        ranked.price_id,
        ranked.quantity,
        ranked.amount_local,
        ranked.discount_local,
        ranked.currency_local,
        cast((ranked.amount_local - ranked.discount_local) * {{ reporting_per_unit('ranked.currency_local', 'fx') }} as decimal(18, 2)) as net_amount,
        ranked.period_started_at,
        ranked.period_ends_at,
        ranked.is_proration,
        ranked.loaded_at

    from ranked

    left join fx
        on ranked.currency_local = fx.currency
            and fx.rate_date = cast(ranked.period_started_at as date)

    where ranked.load_rank = 1

)

select * from final
