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


{#-
    raw_key_present(system, table): true when a raw row has every part of its table's primary
    key (raw_tables()), neither null nor blank. A row without its id cannot be told apart from
    another, updated, linked or counted once: the staging models keep only rows with a key, and
    int_journey_quarantine counts the others per table as missing_record_id.
-#}
{% macro raw_key_present(system, table) -%}
    {%- set matches = raw_tables() | selectattr('system', 'equalto', system) | selectattr('table', 'equalto', table)
        | list -%}
    {%- if matches | length != 1 -%}
        {{ exceptions.raise_compiler_error("raw table " ~ system ~ "." ~ table ~ " is not in the raw contract") }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- for column in matches[0].primary_key -%}
        {%- do conditions.append("nullif(trim(cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")), '') is not null") -%}
    {%- endfor -%}
    ({{ conditions | join(' and ') }})
{%- endmacro %}
