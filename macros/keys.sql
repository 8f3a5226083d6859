{#- A surrogate key: md5 of the parts joined by '|', nulls as '_null_' (dbt_utils style). -#}
{% macro surrogate_key(parts) -%}
    {%- set fields = [] -%}
    {%- for part in parts -%}
        {%- do fields.append("coalesce(cast(" ~ part ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
        {%- if not loop.last -%}{%- do fields.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro %}


{#- The customer account key: one hash per (kind, value), stable across builds. -#}
{% macro account_key(kind, value) -%}
    {{ surrogate_key([kind, value]) }}
{%- endmacro %}


{#- A raw table's primary key as one text value: the parts joined by '|'. -#}
{% macro key_as_text(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ parts[0] if parts | length == 1 else dbt.concat(parts) }}
{%- endmacro %}
