with

source as (

    select * from {{ raw_source('billing', 'subscription') }}

),

renamed as (

    select
        cast(id as {{ dbt.type_string() }}) as subscription_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        lower(trim(cast(status as {{ dbt.type_string() }}))) as subscription_status,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency_local,
        coalesce(cast(discount_percent_off as decimal(5, 2)), 0) as discount_percent_off,
        {{ utc_timestamp('start_date') }} as started_at,
        {{ utc_timestamp('current_period_start') }} as current_period_started_at,
        {{ utc_timestamp('current_period_end') }} as current_period_ends_at,
        coalesce(cast(cancel_at_period_end as boolean), false) as cancel_at_period_end,
        {{ utc_timestamp('canceled_at') }} as canceled_at,
        {{ utc_timestamp('ended_at') }} as ended_at,
        {{ utc_timestamp('created') }} as created_at,
        {{ utc_timestamp('_fivetran_synced') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (partition by subscription_id order by loaded_at desc) as load_rank

    from renamed

),

final as (

    select
        subscription_id,
        customer_id,
        subscription_status,
        currency_local,
        discount_percent_off,
        started_at,
        current_period_started_at,
        current_period_ends_at,
        cancel_at_period_end,
        canceled_at,
        ended_at,
        created_at,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
