{#-
    raw_source(system, table): the relation a staging model reads for one raw table.

    The var raw_data_mode chooses where raw data comes from, so no model changes when a
    user brings their own data:
      demo   - the bundled seeds in seeds/demo (seed <system>__<table>, schema raw_<system>)
      tables - source('<system>', '<table>'): a schema or attached database of yours,
               located by the vars raw_database and raw_schema_pattern
      files  - a CSV or Parquet file (or glob) per raw table, read in place, located by
               raw_files_path, raw_files_format and raw_files_template

    In every mode the source() node is referenced, so lineage and docs show the raw
    contract documented in models/staging/<system>/_<system>__sources.yml.
-#}
{% macro raw_source(system, table) -%}
    {%- set mode = var('raw_data_mode') | trim -%}
    {%- set declared = source(system, table) -%}
    {%- if mode == 'demo' -%}
        {{ ref(system ~ '__' ~ table) }}
    {%- elif mode == 'tables' -%}
        {%- do check_raw_columns(system, table, declared, declared) -%}
        {{ declared }}
    {%- elif mode == 'files' -%}
        {%- set location = raw_file_location(system, table) -%}
        {%- set relation = read_raw_file(location, var('raw_files_format') | trim | lower) -%}
        {%- do check_raw_columns(system, table, relation, location) -%}
        {{ relation }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "raw_data_mode must be demo, tables or files; got '" ~ mode ~ "'. "
            ~ "Set it with --vars '{raw_data_mode: files}' or REVOPS_RAW_MODE."
        ) }}
    {%- endif -%}
{%- endmacro %}


{% macro raw_file_location(system, table) -%}
    {%- set template = var('raw_files_template') | trim -%}
    {{- template
        | replace('{path}', var('raw_files_path') | trim)
        | replace('{system}', system)
        | replace('{table}', table)
        | replace('{format}', var('raw_files_format') | trim | lower) -}}
{%- endmacro %}


{#- The schema of a system's raw tables in tables mode (used by the sources YAML). -#}
{% macro raw_schema(system) -%}
    {%- if var('raw_data_mode') | trim == 'tables' -%}
        {{ var('raw_schema_pattern') | trim | replace('{system}', system) }}
    {%- else -%}
        raw_{{ system }}
    {%- endif -%}
{%- endmacro %}


{% macro raw_database() -%}
    {%- set database = var('raw_database') | trim -%}
    {%- if var('raw_data_mode') | trim == 'tables' and database -%}
        {{ database }}
    {%- else -%}
        {{ target.database }}
    {%- endif -%}
{%- endmacro %}


{#-
    read_raw_file(location, format): a relation expression reading one file or glob in
    place. CSV columns are read as text (staging casts every column explicitly, so a bad
    value fails or is quarantined in one place); Parquet keeps its own types.
-#}
{% macro read_raw_file(location, format) -%}
    {{ return(adapter.dispatch('read_raw_file', 'revops')(location, format)) }}
{%- endmacro %}

{% macro default__read_raw_file(location, format) -%}
    {%- if format == 'parquet' -%}
        read_parquet('{{ location }}', union_by_name = true)
    {%- elif format == 'csv' -%}
        read_csv('{{ location }}', header = true, all_varchar = true, union_by_name = true)
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "raw_files_format must be csv or parquet; got '" ~ format ~ "'."
        ) }}
    {%- endif -%}
{%- endmacro %}


{#-
    Fail early, naming the table and the columns, when a user's raw table or file lacks a
    column of the raw contract (the columns declared in the sources YAML). Extra columns
    are fine. Runs only when dbt executes SQL, once per staging model.
-#}
{% macro check_raw_columns(system, table, relation, described_as) -%}
    {%- if execute -%}
        {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ system ~ '.' ~ table) -%}
        {%- set expected = node.columns.keys() | list if node else [] -%}
        {%- set probe = run_query('select * from ' ~ relation ~ ' limit 0') -%}
        {%- set found = probe.column_names | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for column in expected if column | lower not in found -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "Raw table " ~ system ~ "." ~ table ~ " (" ~ described_as ~ ") is missing column(s) "
                ~ missing | join(', ') ~ " required by the raw contract (docs/raw_contract.md). "
                ~ "Columns found: " ~ found | join(', ') ~ "."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
