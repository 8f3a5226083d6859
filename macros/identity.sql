{#-
    Email normalization used by every staging model: trimmed and lower-cased; null when empty
    or malformed (no single @, no dot in the domain, or a space), so a junk address never
    matches a person or invents a company. is_malformed_email flags the records that had one;
    int_journey_quarantine lists them with the reason malformed_email.
-#}
{% macro normalize_email(column) -%}
    case when {{ is_malformed_email(column) }} then null else nullif(lower(trim({{ column }})), '') end
{%- endmacro %}


{#- True when a raw email is present but not a well-formed address. -#}
{% macro is_malformed_email(column) -%}
    (
        nullif(trim({{ column }}), '') is not null
        and not (
            lower(trim({{ column }})) like '%_@_%._%'
            and lower(trim({{ column }})) not like '%@%@%'
            and lower(trim({{ column }})) not like '% %'
            and lower(trim({{ column }})) not like '%@.%'
            and lower(trim({{ column }})) not like '%.'
        )
    )
{%- endmacro %}


{#- The domain part of a normalized email, or null when there is none. -#}
{% macro email_domain(normalized_email_column) -%}
    case
        when {{ normalized_email_column }} like '%_@_%'
            then {{ dbt.split_part(normalized_email_column, "'@'", 2) }}
    end
{%- endmacro %}


{#- A website or domain list entry reduced to a bare host: no scheme, no www., no path. -#}
{% macro normalize_domain(column) -%}
    nullif(
        {{ dbt.split_part(
            "replace(replace(replace(lower(trim(" ~ column ~ ")), 'https://', ''), 'http://', ''), 'www.', '')",
            "'/'", 1
        ) }},
        ''
    )
{%- endmacro %}


{#- True when a domain is a free-mail domain (var free_email_domains), never a company. -#}
{% macro is_free_email_domain(domain_column) -%}
    ({{ domain_column }} in (
        {%- for domain in var('free_email_domains') -%}
            '{{ domain }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    ))
{%- endmacro %}


{#-
    A salted, one-way person key from a normalized email. The salt comes from the
    environment variable REVOPS_PII_SALT. Only the bundled demo data may use the built-in
    demo salt: on your own data an unset salt stops the build, because a known salt lets
    anyone with a list of emails reverse the keys.
-#}
{% macro person_key(normalized_email_column) -%}
    {%- set salt = env_var('REVOPS_PII_SALT', '') -%}
    {%- if not salt -%}
        {%- if raw_setting('raw_data_mode') == 'demo' -%}
            {%- set salt = 'revops-demo-salt' -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "REVOPS_PII_SALT is not set. Person keys are salted hashes of emails; on your own data "
                ~ "(raw_data_mode=" ~ raw_setting('raw_data_mode') ~ ") set a secret salt, e.g. "
                ~ "export REVOPS_PII_SALT=$(python3 -c 'import secrets; print(secrets.token_hex(16))'), "
                ~ "and keep it: changing it changes every person key."
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ dbt.hash(dbt.concat(["'" ~ salt ~ "'", "'|'", normalized_email_column])) }}
{%- endmacro %}


{#- A text value of a top-level key of a JSON object held in a text column. -#}
{% macro json_text(column, key) -%}
    {{ return(adapter.dispatch('json_text', 'revops')(column, key)) }}
{%- endmacro %}

{% macro default__json_text(column, key) -%}
    {{ exceptions.raise_compiler_error("json_text is not implemented for the " ~ adapter.type() ~ " adapter") }}
{%- endmacro %}

{% macro duckdb__json_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{% macro spark__json_text(column, key) -%}
    get_json_object({{ column }}, '$.{{ key }}')
{%- endmacro %}
