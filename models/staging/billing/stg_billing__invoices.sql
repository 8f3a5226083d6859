with

source as (

    select * from {{ raw_source('billing', 'invoice') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

invoice_statuses as (

    {{ vocabulary_map('map_invoice_statuses', 'invoice_status') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as invoice_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        nullif(cast(subscription_id as {{ dbt.type_string() }}), '') as subscription_id,
        cast(number as {{ dbt.type_string() }}) as invoice_number,
        lower(trim(cast(status as {{ dbt.type_string() }}))) as invoice_status,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency_local,
        cast(cast(subtotal as bigint) / 100.0 as decimal(18, 2)) as subtotal_local,
        cast(cast(total_discount_amount as bigint) / 100.0 as decimal(18, 2)) as discount_local,
        cast(cast(total as bigint) / 100.0 as decimal(18, 2)) as total_local,
        cast(cast(amount_paid as bigint) / 100.0 as decimal(18, 2)) as amount_paid_local,
        {{ utc_timestamp('period_start') }} as period_started_at,
        {{ utc_timestamp('period_end') }} as period_ends_at,
        {{ utc_timestamp('created') }} as created_at,
        {{ utc_timestamp('paid_at') }} as paid_at,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by invoice_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        ranked.invoice_id,
        ranked.customer_id,
        ranked.subscription_id,
        ranked.invoice_number,
        ranked.invoice_status,
        {{ mapped_value('invoice_statuses.invoice_state', 'ranked.invoice_status') }} as invoice_state,
        ranked.currency_local,
        ranked.subtotal_local,
        ranked.discount_local,
        ranked.total_local,
        ranked.amount_paid_local,
        cast(ranked.total_local * {{ reporting_per_unit('ranked.currency_local', 'fx') }} as decimal(18, 2)) as total,
        cast(ranked.amount_paid_local * {{ reporting_per_unit('ranked.currency_local', 'fx') }} as decimal(18, 2)) as amount_paid,
        ranked.period_started_at,
        ranked.period_ends_at,
        ranked.created_at,
        ranked.paid_at,
        ranked.loaded_at

    from ranked

    left join fx
        on ranked.currency_local = fx.currency
            and fx.rate_date = cast(ranked.created_at as date)

    left join invoice_statuses
        on {{ vocabulary_key('ranked.invoice_status') }} = invoice_statuses.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
