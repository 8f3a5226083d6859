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
        cast(start_date as timestamp) as started_at,
        cast(current_period_start as timestamp) as current_period_started_at,
        cast(current_period_end as timestamp) as current_period_ends_at,
        coalesce(cast(cancel_at_period_end as boolean), false) as cancel_at_period_end,
        cast(canceled_at as timestamp) as canceled_at,
        cast(ended_at as timestamp) as ended_at,
        cast(created as timestamp) as created_at,
        cast(_fivetran_synced as timestamp) as loaded_at

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
