{#-
    One row per vocabulary, raw table and column, and raw value that its mapping seed does
    not know, with the number of raw rows holding it. Built from the seeds' meta.vocabulary
    (seeds/mappings/_mappings__seeds.yml), so the list of vocabularies is written once.

    dbt sees a model's dependencies when it parses, when the graph is still empty, so this
    model names its inputs with the literal list of raw tables: every raw table (read as the
    staging models read it) and every staging model, which import the mapping seeds; at run
    time it reads the seeds through their graph nodes.
-#}
{%- for raw in raw_tables() %}
-- depends_on: {{ ref(raw.staging_model) }}
    {%- if not execute %}
-- raw: {{ raw_source(raw.system, raw.table) }}
    {%- endif %}
{%- endfor %}

{%- set vocabularies = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values() | sort(attribute='name') -%}
        {%- set vocabulary = node.config.meta.get('vocabulary') if node.resource_type == 'seed' else none -%}
        {%- if vocabulary -%}
            {%- for raw in vocabulary.raw -%}
                {%- do vocabularies.append({
                    'seed': node.name,
                    'relation': api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias),
                    'key': vocabulary.key,
                    'unmapped': vocabulary.get('unmapped', 'unmapped'),
                    'system': raw.system,
                    'table': raw.table,
                    'column': raw.column,
                }) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

{% for vocabulary in vocabularies %}
    seed_keys_{{ loop.index }} as (

        select distinct {{ vocabulary_key(vocabulary.key) }} as vocabulary_key
        from {{ vocabulary.relation }}

    ),
{% endfor %}

unmapped as (

    {%- for vocabulary in vocabularies %}

        select
            '{{ vocabulary.seed }}' as vocabulary_seed,
            '{{ vocabulary.system }}' as source_system,
            '{{ vocabulary.table }}' as source_table,
            '{{ vocabulary.column }}' as source_column,
            trim(cast(raw_rows.{{ vocabulary.column }} as {{ dbt.type_string() }})) as raw_value,
            '{{ vocabulary.unmapped }}' as mapped_to,
            count(*) as row_count

        from {{ raw_source(vocabulary.system, vocabulary.table) }} as raw_rows

        left join seed_keys_{{ loop.index }} as seed_keys
            on {{ vocabulary_key('raw_rows.' ~ vocabulary.column) }} = seed_keys.vocabulary_key

        where {{ vocabulary_key('raw_rows.' ~ vocabulary.column) }} is not null
            and seed_keys.vocabulary_key is null

        group by 1, 2, 3, 4, 5, 6

        union all
    {%- endfor %}

    select
        cast(null as {{ dbt.type_string() }}) as vocabulary_seed,
        cast(null as {{ dbt.type_string() }}) as source_system,
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_column,
        cast(null as {{ dbt.type_string() }}) as raw_value,
        cast(null as {{ dbt.type_string() }}) as mapped_to,
        cast(0 as bigint) as row_count

    where 1 = 0

),

final as (

    select
        vocabulary_seed,
        source_system,
        source_table,
        source_column,
        raw_value,
        mapped_to,
        row_count

    from unmapped

)

select * from final
