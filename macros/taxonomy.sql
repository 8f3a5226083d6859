{#-
    Channel of a web touch without a utm_medium, from its (lower-cased) referrer host: none is
    direct, a search engine organic_search, any other site referral. A touch with a
    utm_medium takes the channel of seeds/mappings/map_utm_mediums.csv instead (DECISIONS.md).
-#}
{% macro channel_from_referrer(referrer_host) -%}
    case
        when {{ referrer_host }} is null then 'direct'
        when {{ referrer_host }} like '%google.%'
            or {{ referrer_host }} like '%bing.%'
            or {{ referrer_host }} like '%duckduckgo.%'
            or {{ referrer_host }} like '%yahoo.%'
            or {{ referrer_host }} like '%ecosia.%'
            then 'organic_search'
        else 'referral'
    end
{%- endmacro %}


{#- Company size segment from an employee count: smb < 200, mid_market < 1000, enterprise. -#}
{% macro segment_from_employees(employee_count) -%}
    case
        when {{ employee_count }} is null then 'unknown'
        when {{ employee_count }} < 200 then 'smb'
        when {{ employee_count }} < 1000 then 'mid_market'
        else 'enterprise'
    end
{%- endmacro %}


{#- Months in a Stripe billing interval (month or year; week and day are not recurring revenue plans here). -#}
{% macro months_per_interval(plan_interval) -%}
    case {{ plan_interval }} when 'year' then 12 when 'month' then 1 end
{%- endmacro %}
