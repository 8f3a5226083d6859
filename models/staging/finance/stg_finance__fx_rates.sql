with

source as (

    select * from {{ raw_source('finance', 'fx_rates') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('finance', 'fx_rates') }}

),

renamed as (

    select
        cast(rate_date as date) as rate_date,
        upper(trim(cast(base_currency as {{ dbt.type_string() }}))) as base_currency,
        upper(trim(cast(quote_currency as {{ dbt.type_string() }}))) as quote_currency,
        cast(rate as decimal(18, 8)) as rate,
        {{ utc_timestamp('_loaded_at') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (
            partition by rate_date, quote_currency
            order by loaded_at desc
        ) as load_rank

    from renamed

),

final as (

    select
        rate_date,
        base_currency,
        quote_currency,
        rate,
        loaded_at

    from ranked

    where load_rank = 1

)

select * from final
