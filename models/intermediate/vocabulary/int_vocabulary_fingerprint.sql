{#-
    One row per mapping seed (seeds/mappings): the checksum of the file this build read.
    Built after the incremental models, so the next build can tell whether a mapping was
    edited since they were built (macro vocabulary_changed); if so they re-map every row.
-#}
-- depends_on: {{ ref('stg_marketing__web_sessions') }}
-- depends_on: {{ ref('fct_customer_journey') }}
-- depends_on: {{ ref('dim_accounts') }}
{%- set checksums = vocabulary_checksums() %}

with

seeds as (

    {%- for seed_name, checksum in checksums %}
        select
            '{{ seed_name }}' as seed_name,
            '{{ checksum }}' as seed_checksum
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- if not checksums %}
        select
            cast(null as {{ dbt.type_string() }}) as seed_name,
            cast(null as {{ dbt.type_string() }}) as seed_checksum
        where 1 = 0
    {%- endif %}

),

final as (

    select
        cast(seed_name as {{ dbt.type_string() }}) as seed_name,
        cast(seed_checksum as {{ dbt.type_string() }}) as seed_checksum

    from seeds

)

select * from final
