{#-
    raw_source(system, table): the relation a staging model reads for one raw table.

    The var raw_data_mode chooses where raw data comes from, so no model changes when a
    user brings their own data:
      demo   - the bundled seeds in seeds/demo (seed <system>__<table>, schema raw_<system>)
      tables - source('<system>', '<table>'): a schema or attached database of yours,
               located by raw_database and raw_schema_pattern
      files  - a CSV or Parquet file (or glob) per raw table, read in place, located by
               raw_files_path, raw_files_format and raw_files_template
    Each setting: --vars > environment variable (REVOPS_RAW_...) > default (raw_setting).

    In every mode the source() node is referenced, so lineage and docs show the raw
    contract documented in models/staging/<system>/_<system>__sources.yml.
-#}
{% macro raw_source(system, table) -%}
    {%- set mode = raw_setting('raw_data_mode') -%}
    {%- set declared = source(system, table) -%}
    {%- if mode == 'demo' -%}
        {{ ref(system ~ '__' ~ table) }}
    {%- elif mode == 'tables' -%}
        {%- do check_raw_columns(system, table, declared, declared) -%}
        {{ declared }}
    {%- elif mode == 'files' -%}
        {%- set location = raw_file_location(system, table) -%}
        {%- set relation = read_raw_file(location, raw_setting('raw_files_format') | lower) -%}
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
    {{- raw_setting('raw_files_template')
        | replace('{path}', raw_setting('raw_files_path'))
        | replace('{system}', system)
        | replace('{table}', table)
        | replace('{format}', raw_setting('raw_files_format') | lower) -}}
{%- endmacro %}


{#-
    raw_setting(name): a raw-data setting, read as --vars > environment variable > default.
    The same order is spelled out in the sources and seeds YAML, where macros cannot run.
-#}
{% macro raw_setting(name) -%}
    {%- set settings = {
        'raw_data_mode': ('REVOPS_RAW_MODE', 'demo'),
        'raw_database': ('REVOPS_RAW_DATABASE', ''),
        'raw_schema_pattern': ('REVOPS_RAW_SCHEMA_PATTERN', 'raw_{system}'),
        'raw_files_path': ('REVOPS_RAW_FILES_PATH', 'data/raw'),
        'raw_files_format': ('REVOPS_RAW_FILES_FORMAT', 'csv'),
        'raw_files_template': ('REVOPS_RAW_FILES_TEMPLATE', '{path}/{system}/{table}.{format}'),
    } -%}
    {%- if name not in settings -%}
        {{ exceptions.raise_compiler_error("unknown raw setting '" ~ name ~ "'") }}
    {%- endif -%}
    {%- set env_name, default = settings[name] -%}
    {{ return(var(name, env_var(env_name, default)) | string | trim) }}
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
    {{ exceptions.raise_compiler_error(
        "raw_data_mode files is not implemented for the " ~ adapter.type() ~ " adapter: "
        ~ "load the files as tables and use raw_data_mode tables."
    ) }}
{%- endmacro %}

{% macro duckdb__read_raw_file(location, format) -%}
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
    Spark reads Parquet files and globs in place (the parts of a glob must share one schema:
    Spark does not merge Parquet schemas by default). CSV would need
    reader options Spark SQL cannot pass inline (the header row), so on Spark CSV files are
    refused with the way out: convert them to Parquet, or load them as tables.
-#}
{% macro spark__read_raw_file(location, format) -%}
    {%- if format == 'parquet' -%}
        parquet.`{{ location }}`
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "On Spark, raw_data_mode files reads Parquet only (raw_files_format parquet); got '" ~ format
            ~ "'. Convert the files to Parquet, or load them as tables and use raw_data_mode tables."
        ) }}
    {%- endif -%}
{%- endmacro %}


{#-
    Fail early, naming the table and the columns, when a user's raw table or file lacks a
    column of the raw contract (the columns declared in the sources YAML), or when a CSV
    file's header repeats a column. Extra columns are fine. Runs only when dbt executes SQL,
    once per staging model.
-#}
{% macro check_raw_columns(system, table, relation, described_as) -%}
    {%- if execute -%}
        {%- if raw_setting('raw_data_mode') == 'files' and raw_setting('raw_files_format') | lower == 'csv' -%}
            {%- do check_raw_csv_header(system, table, described_as) -%}
        {%- endif -%}
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


{#-
    A CSV header that repeats a column (`id,amount,amount`) is read by DuckDB as `amount` and
    `amount_1`, so the build would use the first and silently drop the second. Each file of
    the location (a file or a glob) has its header line read as data and checked; a
    repeated name (compared case-insensitively, as SQL does) stops the build naming the
    table, the file and the column.
-#}
{% macro check_raw_csv_header(system, table, location) -%}
    {{ return(adapter.dispatch('check_raw_csv_header', 'revops')(system, table, location)) }}
{%- endmacro %}

{% macro default__check_raw_csv_header(system, table, location) -%}
{%- endmacro %}

{% macro duckdb__check_raw_csv_header(system, table, location) -%}
    {%- set files = run_query("select file from glob('" ~ location ~ "') order by file") -%}
    {%- for file in files.columns[0].values() -%}
        {%- set header = run_query(
            "select * from read_csv('" ~ file ~ "', header = false, all_varchar = true) limit 1"
        ) -%}
        {%- set names = [] -%}
        {%- for value in (header.rows[0] if header.rows | length > 0 else []) -%}
            {%- if (value or '') | trim -%}
                {%- do names.append(value | trim) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set seen = [] -%}
        {%- set repeated = [] -%}
        {%- for name in names -%}
            {%- if name | lower in seen and name | lower not in repeated -%}
                {%- do repeated.append(name | lower) -%}
            {%- endif -%}
            {%- do seen.append(name | lower) -%}
        {%- endfor -%}
        {%- if repeated -%}
            {{ exceptions.raise_compiler_error(
                "Raw table " ~ system ~ "." ~ table ~ " (" ~ file ~ ") has a duplicated column in its header: "
                ~ repeated | join(', ') ~ ". The file would be read with the second one renamed and ignored, "
                ~ "so rename or remove the duplicate. Header: " ~ names | join(', ') ~ "."
            ) }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
