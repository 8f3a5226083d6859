{#-
    The company's vocabulary is configuration: each mapping seed in seeds/mappings maps the
    values of a raw column to the project's canonical values (see _mappings__seeds.yml).
    A staging model imports the seed with vocabulary_map(), left joins it on
    vocabulary_key(raw value) = vocabulary_key, and reads the canonical value with
    mapped_value(), so a value the seed does not know is kept, as the seed's unmapped value,
    and counted in int_vocabulary_unmapped.
-#}

{#- How a raw value is compared with a seed key: trimmed and lower-cased; empty is null. -#}
{% macro vocabulary_key(expression) -%}
    lower(nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), ''))
{%- endmacro %}


{#- The body of an import CTE: the seed's rows with their vocabulary_key. -#}
{% macro vocabulary_map(seed_name, key_column) -%}
    select
        *,
        {{ vocabulary_key(key_column) }} as vocabulary_key

    from {{ ref(seed_name) }}
{%- endmacro %}


{#-
    The canonical value of a raw value: the seed's (mapped_column, from the joined seed),
    the unmapped value when the seed has no row for it, null when the raw value is empty.
-#}
{% macro mapped_value(mapped_column, raw_expression, unmapped='unmapped') -%}
    case
        when {{ vocabulary_key(raw_expression) }} is null then null
        else coalesce({{ mapped_column }}, '{{ unmapped }}')
    end
{%- endmacro %}


{#-
    The mapping seeds as this build reads them: [(seed name, checksum of its file)], from
    the graph (run time only).
-#}
{% macro vocabulary_checksums() -%}
    {%- set checksums = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='name') -%}
            {%- if node.resource_type == 'seed' and node.name.startswith('map_') -%}
                {%- do checksums.append((node.name, node.checksum.checksum)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(checksums) }}
{%- endmacro %}


{#-
    True when the mapping seeds differ from those the incremental tables were last built
    with (int_vocabulary_fingerprint, as the previous build left it; built after them), or
    when that is not known. The incremental models then re-map every row they hold, so an
    edited mapping never leaves old rows mapped the old way.
-#}
{% macro vocabulary_changed() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.revops.int_vocabulary_fingerprint') -%}
    {%- set relation = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) if node else none -%}
    {%- if relation is none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set stored = run_query('select seed_name, seed_checksum from ' ~ relation ~ ' order by 1') -%}
    {%- set previous = [] -%}
    {%- for row in stored.rows -%}
        {%- do previous.append((row[0], row[1])) -%}
    {%- endfor -%}
    {{ return(previous != vocabulary_checksums()) }}
{%- endmacro %}
