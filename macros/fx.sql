{#-
    Units of the reporting currency one unit of `currency` buys, from the joined FX calendar
    row `fx` (stg_finance__fx_rates_daily). An amount already in the reporting currency needs
    no rate: it converts at exactly 1 whatever the FX table holds, so a company billing in
    one currency needs no finance/fx_rates at all.
-#}
{% macro reporting_per_unit(currency, fx) -%}
    case
        when {{ currency }} = '{{ var("reporting_currency") | upper }}' then cast(1 as decimal(18, 8))
        else {{ fx }}.reporting_per_unit
    end
{%- endmacro %}
