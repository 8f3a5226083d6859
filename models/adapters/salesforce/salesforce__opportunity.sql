{#-
    crm.opportunity from Fivetran's Salesforce table opportunity.
    - Currency: currency_iso_code exists only in multi-currency orgs. A single-currency org sets
      its currency once (salesforce_currency, REVOPS_SALESFORCE_CURRENCY); without either the
      build stops here, since an amount of no known currency cannot be converted.
    - Forecast category: the contract's labels (Pipeline, Best Case, Commit, Closed, Omitted),
      from forecast_category_name, else forecast_category's API value translated (BestCase ->
      Best Case, Forecast -> Commit, MostLikely -> Most Likely): Salesforce's fixed enumeration.
    - Probability: a percent Fivetran lands as a float, rounded to the contract's integer.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}

{%- set org_currency = connector_setting('salesforce', 'currency', '') | upper -%}
{%- if org_currency and not modules.re.match('^[A-Z]{3}$', org_currency) -%}
    {{ exceptions.raise_compiler_error(
        "salesforce_currency is '" ~ org_currency ~ "': name the org's currency by its three-letter ISO 4217 code, "
        ~ "e.g. USD or EUR (REVOPS_SALESFORCE_CURRENCY).") }}
{%- endif -%}
{%- if execute and connector_table_is_present('salesforce', 'opportunity')
    and connector_source_column('currency_iso_code', connector_column_names('salesforce', 'opportunity')) is none
    and not org_currency -%}
    {{ exceptions.raise_compiler_error(
        "Connector table salesforce.opportunity (" ~ connector_location('salesforce', 'opportunity')
        ~ ") has no currency_iso_code column: the org has one currency. Name it with --vars "
        ~ "'{salesforce_currency: USD}' or REVOPS_SALESFORCE_CURRENCY=USD (an ISO 4217 code)."
    ) }}
{%- endif %}

with

opportunities as (

    select * from {{ connector_select('salesforce', 'opportunity', [
        ['id', 'varchar', 'required'],
        ['account_id', 'varchar'],
        ['name', 'varchar'],
        ['type', 'varchar'],
        ['stage_name', 'varchar', 'required'],
        ['amount', 'decimal(18,2)'],
        ['currency_iso_code', 'varchar'],
        ['probability', 'double'],
        ['forecast_category', 'varchar'],
        ['forecast_category_name', 'varchar'],
        ['lead_source', 'varchar'],
        ['owner_id', 'varchar'],
        ['created_date', 'timestamp'],
        ['close_date', 'date'],
        ['is_closed', 'boolean'],
        ['is_won', 'boolean'],
        ['last_modified_date', 'timestamp'],
        ['system_modstamp', 'timestamp'],
        ['is_deleted', 'boolean'],
    ] + salesforce_version_columns()) }} as opportunities

),

current_opportunities as (

    select * from {{ salesforce_current('opportunities') }} as current_opportunities

),

final as (

    select
        id,
        account_id,
        name,
        {{ adapter.quote('type') }},
        stage_name,
        amount,
        coalesce(currency_iso_code, {{ dbt.string_literal(org_currency) if org_currency else 'null' }})
            as currency_iso_code,
        cast(round(probability) as integer) as probability,
        coalesce(
            nullif(trim(forecast_category_name), ''),
            case forecast_category
                when 'BestCase' then 'Best Case'
                when 'Forecast' then 'Commit'
                when 'MostLikely' then 'Most Likely'
                else forecast_category
            end
        ) as forecast_category,
        lead_source,
        owner_id,
        created_date,
        close_date,
        is_closed,
        is_won,
        coalesce(last_modified_date, system_modstamp, _fivetran_start) as last_modified_date,
        {{ salesforce_deleted() }} as is_deleted,
        _fivetran_synced

    from current_opportunities

)

select * from final
