{#-
    Data tests of the vocabulary mappings (seeds/mappings).
-#}

{#- A mapping seed's key column holds each value once, compared as raw values are (lower(trim())). -#}
{% test vocabulary_key_is_unique(model, column_name) %}

select
    {{ vocabulary_key(column_name) }} as vocabulary_key,
    count(*) as seed_rows

from {{ model }}

where {{ vocabulary_key(column_name) }} is not null

group by 1

having count(*) > 1

{% endtest %}


{#-
    Every raw value of a vocabulary is in its mapping seed: one failing row per vocabulary,
    raw table and column, and value not mapped, with its raw row count. Warn severity: an
    unmapped value is kept (as the seed's unmapped value) and the build goes on. The rows are
    also logged, one line each, so the build output names every value and where to map it.
-#}
{% test vocabulary_is_mapped(model) %}
{{ config(severity='warn') }}

{%- if execute and load_relation(model) is not none %}
    {%- set unmapped = run_query(
        'select vocabulary_seed, source_system, source_table, source_column, raw_value, row_count, mapped_to from '
        ~ model ~ ' order by 1, 2, 3, 4, 5'
    ) %}
    {%- for row in unmapped.rows %}
        {%- do log(
            "Unmapped vocabulary: " ~ row[1] ~ "." ~ row[2] ~ "." ~ row[3] ~ " value '" ~ row[4] ~ "' ("
            ~ row[5] ~ " raw rows) is not in seeds/mappings/" ~ row[0] ~ ".csv; it is kept as '" ~ row[6]
            ~ "'. Add a row for it to map it.",
            info=true
        ) %}
    {%- endfor %}
{%- endif %}

select
    vocabulary_seed,
    source_system,
    source_table,
    source_column,
    raw_value,
    row_count,
    mapped_to

from {{ model }}

{% endtest %}
