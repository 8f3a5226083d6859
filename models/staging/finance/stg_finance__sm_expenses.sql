with

source as (

    select * from {{ raw_source('finance', 'sm_expenses') }}
    -- a row without its id is counted in int_journey_quarantine (missing_record_id)
    where {{ raw_key_present('finance', 'sm_expenses') }}

),

fx as (

    select * from {{ ref('stg_finance__fx_rates_daily') }}

),

departments as (

    {{ vocabulary_map('map_expense_departments', 'department') }}

),

categories as (

    {{ vocabulary_map('map_expense_categories', 'category') }}

),

renamed as (

    select
        cast(expense_month as date) as expense_month,
        lower(trim(cast(department as {{ dbt.type_string() }}))) as department,
        lower(trim(cast(category as {{ dbt.type_string() }}))) as category,
        cast(amount as decimal(18, 2)) as amount_local,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency_local,
        {{ utc_timestamp('_loaded_at') }} as loaded_at

    from source

),

ranked as (

    select
        *,
        row_number() over (
            partition by expense_month, department, category
            order by loaded_at desc
        ) as load_rank

    from renamed

),

final as (

    select
        {{ surrogate_key(['ranked.expense_month', 'ranked.department', 'ranked.category']) }} as expense_id,
        ranked.expense_month,
        ranked.department,
        {{ mapped_value('departments.department_group', 'ranked.department') }} as department_group,
        ranked.category,
        {{ mapped_value('categories.expense_kind', 'ranked.category') }} as expense_kind,
        {#- The feed is sales and marketing spend: a row counts unless a mapping says it does not. -#}
        coalesce(departments.is_sales_marketing, true) and coalesce(categories.is_sales_marketing, true)
            as is_sales_marketing,
        ranked.amount_local,
        ranked.currency_local,
        {# Monthly expenses are converted at the rate of the month's first day. #}
        cast(ranked.amount_local * {{ reporting_per_unit('ranked.currency_local', 'fx') }} as decimal(18, 2)) as amount,
        ranked.loaded_at

    from ranked

    left join fx
        on ranked.currency_local = fx.currency
            and ranked.expense_month = fx.rate_date

    left join departments
        on {{ vocabulary_key('ranked.department') }} = departments.vocabulary_key

    left join categories
        on {{ vocabulary_key('ranked.category') }} = categories.vocabulary_key

    where ranked.load_rank = 1

)

select * from final
