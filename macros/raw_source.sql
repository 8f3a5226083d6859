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

    Every system and table is optional. A table that is absent (no file matches, no such
    relation, or its system is left out of raw_systems) reads as an empty relation with the
    contract's columns and types, so every model builds; stg_run__raw_tables records it as
    absent and the KPIs that need it are null (marts.kpi_coverage says why).

    In every mode the source() node is referenced, so lineage and docs show the raw
    contract documented in models/staging/<system>/_<system>__sources.yml.
-#}
{% macro raw_source(system, table) -%}
    {%- set mode = raw_setting('raw_data_mode') -%}
    {%- set declared = source(system, table) -%}
    {%- if mode not in ('demo', 'tables', 'files') -%}
        {{ exceptions.raise_compiler_error(
            "raw_data_mode must be demo, tables or files; got '" ~ mode ~ "'. "
            ~ "Set it with --vars '{raw_data_mode: files}' or REVOPS_RAW_MODE."
        ) }}
    {%- endif -%}
    {%- set adapted = connector_adapter(system, table) -%}
    {%- if execute and not raw_table_is_present(system, table) -%}
        {{ absent_raw_table(system, table) }}
    {%- elif adapted is not none -%}
        {#- read through a connector adapter (macros/connectors.sql): the contract's columns already -#}
        {{ ref(adapted.model) }}
    {%- elif mode == 'demo' -%}
        {{ ref(system ~ '__' ~ table) }}
    {%- else -%}
        {%- set relation = raw_relation(system, table) -%}
        {%- do check_raw_columns(system, table, relation, raw_table_location(system, table)) -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}


{#- The relation expression of a raw table that is present, in tables or files mode. -#}
{% macro raw_relation(system, table) -%}
    {%- if raw_setting('raw_data_mode') == 'tables' -%}
        {{ return(source(system, table)) }}
    {%- else -%}
        {{ return(read_raw_file(raw_file_location(system, table), raw_setting('raw_files_format') | lower)) }}
    {%- endif -%}
{%- endmacro %}


{#-
    Every structural problem of every raw table that is present, raised as one error, so a
    user sees all of them in one run instead of one table at a time. Called by the first
    model that reads every raw table (stg_run__raw_tables).
-#}
{% macro check_every_raw_table() -%}
    {%- if execute and raw_setting('raw_data_mode') in ('tables', 'files') -%}
        {%- set problems = [] -%}
        {%- for raw in raw_tables()
            if connector_adapter(raw.system, raw.table) is none and raw_table_is_present(raw.system, raw.table) -%}
            {%- do problems.extend(raw_column_problems(
                raw.system, raw.table, raw_relation(raw.system, raw.table), raw_table_location(raw.system, raw.table))) -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                problems | length ~ " problem(s) in the raw data:\n  - " ~ problems | join("\n  - ")
                ~ "\n`python3 scripts/run.py check-raw` lists these and every value-level problem in one run."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Where a raw table is looked for: the file or glob (files mode), the relation (tables
    mode), the seed (demo mode). For messages and for raw_table_is_present.
-#}
{% macro raw_table_location(system, table) -%}
    {%- set mode = raw_setting('raw_data_mode') -%}
    {%- set adapted = connector_adapter(system, table) -%}
    {%- if adapted is not none -%}
        {%- set read = [] -%}
        {%- for group in adapted.needs -%}
            {%- for name in group -%}
                {%- set parts = name.split('.') if '.' in name else [system_connector(system), name] -%}
                {%- do read.append(connector_location(parts[0], parts[1]) | string) -%}
            {%- endfor -%}
        {%- endfor -%}
        {{ return(system_connector(system) ~ ' connector: ' ~ read | join(', ')) }}
    {%- elif mode == 'files' -%}
        {{ return(raw_file_location(system, table)) }}
    {%- elif mode == 'tables' -%}
        {{ return(source(system, table) | string) }}
    {%- else -%}
        {{ return('seed ' ~ system ~ '__' ~ table) }}
    {%- endif -%}
{%- endmacro %}


{#-
    raw_systems(): the systems to read, from the setting raw_systems (REVOPS_RAW_SYSTEMS), a
    comma-separated list such as 'crm,billing'; empty (the default) reads every system whose
    tables are found. A system left out is absent even when its files or tables exist.
-#}
{% macro raw_systems() -%}
    {%- set configured = raw_setting('raw_systems') -%}
    {%- set known = ['marketing', 'crm', 'billing', 'support', 'finance'] -%}
    {%- if configured == '' -%}
        {{ return(known) }}
    {%- endif -%}
    {%- set chosen = [] -%}
    {%- for name in configured.split(',') if name | trim != '' -%}
        {%- if name | trim | lower not in known -%}
            {{ exceptions.raise_compiler_error(
                "raw_systems lists '" ~ name | trim ~ "', which is not a system of the raw contract ("
                ~ known | join(', ') ~ "). Set it with --vars '{raw_systems: \"crm,billing\"}' or REVOPS_RAW_SYSTEMS."
            ) }}
        {%- endif -%}
        {%- do chosen.append(name | trim | lower) -%}
    {%- endfor -%}
    {{ return(chosen) }}
{%- endmacro %}


{#-
    True when the raw table exists where the settings say: a file matches (files mode), the
    relation exists (tables mode), always for the demo seeds; false for a system left out of
    raw_systems. Only meaningful when dbt executes SQL (execute is true).
-#}
{% macro raw_table_is_present(system, table) -%}
    {%- if system not in raw_systems() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set mode = raw_setting('raw_data_mode') -%}
    {%- set adapted = connector_adapter(system, table) -%}
    {%- if adapted is not none -%}
        {{ return(connector_tables_present(system_connector(system), adapted.needs)) }}
    {%- elif mode == 'files' -%}
        {{ return(raw_file_exists(raw_file_location(system, table))) }}
    {%- elif mode == 'tables' -%}
        {%- set declared = source(system, table) -%}
        {%- set found = adapter.get_relation(
            database=declared.database, schema=declared.schema, identifier=declared.identifier) -%}
        {{ return(found is not none) }}
    {%- else -%}
        {{ return(true) }}
    {%- endif -%}
{%- endmacro %}


{#- True when at least one file matches the location (a path or a glob). -#}
{% macro raw_file_exists(location) -%}
    {{ return(adapter.dispatch('raw_file_exists', 'revops')(location)) }}
{%- endmacro %}

{% macro default__raw_file_exists(location) -%}
    {#- Engines without a file listing in SQL (Spark): every configured file is expected. -#}
    {{ return(true) }}
{%- endmacro %}

{% macro duckdb__raw_file_exists(location) -%}
    {%- set found = run_query("select count(*) from glob('" ~ location | replace("'", "''") ~ "')") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}


{#-
    An absent raw table: no rows, the contract's columns with the contract's types (from the
    sources YAML), so staging reads it like any other.
-#}
{% macro absent_raw_table(system, table) -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ system ~ '.' ~ table) -%}
    {%- if node is none or not node.columns -%}
        {{ exceptions.raise_compiler_error("raw table " ~ system ~ "." ~ table ~ " is not in the raw contract") }}
    {%- endif -%}
    (
        select
        {%- for column in node.columns.values() %}
            cast(null as {{ contract_type(column.data_type) }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
        from (select 1 as no_row) as no_rows
        where 1 = 0
    )
{%- endmacro %}


{#- A raw contract type (DuckDB's names, as in the sources YAML) spelled for this engine. -#}
{% macro contract_type(data_type) -%}
    {%- if data_type | lower == 'varchar' -%}
        {{ return(dbt.type_string()) }}
    {%- else -%}
        {{ return(data_type) }}
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
        'raw_systems': ('REVOPS_RAW_SYSTEMS', ''),
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
    {%- set problems = raw_column_problems(system, table, relation, described_as) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(problems | join(' ')) }}
    {%- endif -%}
{%- endmacro %}


{#- The structural problems of one raw table, as messages naming the table and columns. -#}
{% macro raw_column_problems(system, table, relation, described_as) -%}
    {%- set problems = [] -%}
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
            {%- do problems.append(
                "Raw table " ~ system ~ "." ~ table ~ " (" ~ described_as ~ ") is missing column(s) "
                ~ missing | join(', ') ~ " required by the raw contract (docs/raw_contract.md). "
                ~ "Columns found: " ~ found | join(', ') ~ "."
            ) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(problems) }}
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
