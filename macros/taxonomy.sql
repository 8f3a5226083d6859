{#-
    One channel taxonomy for every system, so marketing, sales and finance group by the
    same names: paid_search, paid_social, organic_search, referral, email, direct,
    partner, event, outbound, other. See DECISIONS.md.
-#}

{#- Channel of a web touch from its (lower-cased) UTM tags and referrer host. -#}
{% macro channel_from_touch(utm_source, utm_medium, referrer_host) -%}
    case
        when {{ utm_medium }} in ('cpc', 'ppc', 'paid_search', 'sem') then 'paid_search'
        when {{ utm_medium }} in ('paid_social', 'paidsocial', 'social_paid', 'cpm') then 'paid_social'
        when {{ utm_medium }} in ('email', 'newsletter') then 'email'
        when {{ utm_medium }} in ('partner', 'affiliate') then 'partner'
        when {{ utm_medium }} in ('event', 'events', 'tradeshow') then 'event'
        when {{ utm_medium }} is not null then 'other'
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


{#- Channel of an ad platform's spend. -#}
{% macro channel_from_platform(platform) -%}
    case
        when {{ platform }} in ('google_ads', 'bing_ads', 'microsoft_ads') then 'paid_search'
        when {{ platform }} in ('meta_ads', 'facebook_ads', 'linkedin_ads', 'twitter_ads', 'tiktok_ads') then 'paid_social'
        else 'other'
    end
{%- endmacro %}


{#-
    Channel of a Salesforce lead_source picklist value; null when the lead source is empty
    (no channel is known: the marts report such leads and deals as 'unknown'), 'other' for a
    value outside the picklist.
-#}
{% macro channel_from_lead_source(lead_source) -%}
    case lower(trim({{ lead_source }}))
        when 'paid search' then 'paid_search'
        when 'paid social' then 'paid_social'
        when 'organic search' then 'organic_search'
        when 'web' then 'direct'
        when 'referral' then 'referral'
        when 'partner' then 'partner'
        when 'event' then 'event'
        when 'outbound' then 'outbound'
        when 'email' then 'email'
        when '' then null
        else case when {{ lead_source }} is null then null else 'other' end
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


{#- Position of a Salesforce opportunity stage in the sales process (closed stages last). -#}
{% macro stage_order(stage_name) -%}
    case {{ stage_name }}
        when 'Discovery' then 1
        when 'Demo' then 2
        when 'Proposal' then 3
        when 'Negotiation' then 4
        when 'Closed Won' then 5
        when 'Closed Lost' then 5
    end
{%- endmacro %}


{#- Months in a Stripe billing interval (month or year; week and day are not recurring revenue plans here). -#}
{% macro months_per_interval(plan_interval) -%}
    case {{ plan_interval }} when 'year' then 12 when 'month' then 1 end
{%- endmacro %}
