{#-
    Generic data tests the project needs, written here because the dbt package hub is not
    reachable (no packages.yml). Each returns the failing rows.
-#}

{#- Every row satisfies a SQL boolean expression (optionally only rows matching where). -#}
{% test expression_is_true(model, expression, where_clause=none, column_name=none) %}

select *
from {{ model }}
where not ({{ expression }})
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}

{% endtest %}


{#- The model has exactly as many rows as another relation. -#}
{% test equal_rowcount(model, compare_model) %}

with

model_rows as (

    select count(*) as row_count from {{ model }}

),

compare_rows as (

    select count(*) as row_count from {{ compare_model }}

)

select
    model_rows.row_count as model_row_count,
    compare_rows.row_count as compare_row_count

from model_rows

cross join compare_rows

where model_rows.row_count <> compare_rows.row_count

{% endtest %}


{#- The combination of columns is unique. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as row_count

from {{ model }}

group by {{ combination_of_columns | join(', ') }}

having count(*) > 1

{% endtest %}


{#- A numeric column lies in [min_value, max_value]; either bound may be omitted. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and (
        false
        {%- if min_value is not none %}
        or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
        {%- endif %}
    )

{% endtest %}


{#- No value of the column is later than the end of the as-of date. -#}
{% test not_after_as_of_date(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} >= {{ as_of_timestamp_end() }}

{% endtest %}


{#-
    not_null for a KPI column (config: meta: kpi in its YAML): the column is never null while
    its KPI's raw data is loaded (marts.kpi_coverage), and null on every row when it is not
    (contract_columns() nulls it: "no data" is null, never 0). Returns the rows that break it.
-#}
{% test not_null_when_kpi_available(model, column_name) %}

{%- set kpis = [] -%}
{%- do ref('kpi_coverage') -%}
{%- if execute -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.alias == model.identifier and node.schema == model.schema -%}
        {%- do kpis.extend(column_kpis(node.columns[column_name])) -%}
    {%- endfor -%}
{%- endif -%}

select *
from {{ model }}
where
    {%- if kpis %}
    ({{ column_name }} is null) = (
        {%- for kpi in kpis %}{{ kpi_available(kpi) }}{{ ' and ' if not loop.last }}{% endfor -%}
    )
    {%- else %}
    {{ column_name }} is null
    {%- endif %}

{% endtest %}


{#-
    Every currency of the model's amounts has a minor-unit exponent in the seed
    currency_exponents. Fails with a message naming the raw table, the amount columns, the
    currency and up to 10 record ids, the first in order (Spark's listagg cannot order: any
    10). The build stops: an amount read with a guessed exponent would be 100 times off.
-#}
{% test has_a_minor_unit(model, column_name, id_column, raw_table, amount_columns) %}

with

unknown as (

    select
        records.{{ column_name }} as currency,
        count(*) as records,
        {{ dbt.listagg(
            'cast(records.' ~ id_column ~ ' as ' ~ dbt.type_string() ~ ')', "', '",
            none if target.type == 'spark' else 'order by records.' ~ id_column, 10
        ) }} as sample_ids

    from {{ model }} as records

    left join {{ ref('currency_exponents') }} as exponents
        on records.{{ column_name }} = exponents.currency

    where records.{{ column_name }} is not null
        and exponents.currency is null

    group by 1

)

select
    currency,
    records,
    sample_ids

from unknown

{# In the filter, so no engine can prune it: evaluated for each unknown currency, it fails. #}
where {{ raise_data_error(dbt.concat([
    "'Raw table " ~ raw_table ~ " (" ~ model.identifier ~ "), column(s) " ~ amount_columns | join(', ') ~ ": currency '''",
    "currency",
    "''' has no minor unit in seeds/reference/currency_exponents.csv (ISO 4217), so its amounts cannot be read; '",
    "cast(records as " ~ dbt.type_string() ~ ")",
    "' record(s), e.g. " ~ id_column ~ " '",
    "sample_ids",
    "'. Fix the currency code, or add it in scripts/write_currency_exponents.py.'"
])) }} is null

{% endtest %}
