{#-
    report_test_failures(results): the on-run-end hook (dbt_project.yml) that turns "Failure in
    test X, got 3 results" into something a user can fix their data from. For every data test
    of the run that failed or warned, it logs the table (the raw table behind a staging model),
    the column, the rule, the number of failing rows and up to 5 of them: the record id (a
    model's first column), the tested column and the columns the rule reads, plus any listed
    in the test's meta.failure_columns (e.g. the currency and day of an amount without an FX
    rate). Every failing test of the run is reported, not only the first.

    It re-runs each failing test's compiled query with a limit, so it costs one query per
    failing test and nothing when all pass. Tests that errored (a cast that failed, or a test
    that raises its own message with raise_data_error) already carry their message and are
    not re-run.
-#}
{% macro report_test_failures(results) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set staging_raw_tables = {} -%}
    {%- for raw in raw_tables() -%}
        {%- do staging_raw_tables.update({raw.staging_model: raw.system ~ '.' ~ raw.table}) -%}
    {%- endfor -%}
    {%- set reported = [] -%}
    {%- for result in results
        if result.node.resource_type == 'test' and result.status in ('fail', 'warn') -%}
        {%- set node = result.node -%}
        {%- set kwargs = (node.test_metadata.kwargs if node.test_metadata else {}) or {} -%}
        {%- set model_name = (node.attached_node or (node.depends_on.nodes | first) or '').split('.') | last -%}
        {%- set rule_parts = [] -%}
        {%- for name in ('expression', 'where_clause') if kwargs.get(name) -%}
            {%- do rule_parts.append((name ~ ' ' if name != 'expression' else '') ~ kwargs[name] | trim) -%}
        {%- endfor -%}
        {%- set read_by_rule = modules.re.findall('[a-z_][a-z0-9_]*', rule_parts | join(' ') | lower) -%}
        {%- set wanted = [node.column_name] + read_by_rule + (node.config.meta.get('failure_columns') or []) -%}
        {%- set sample = run_query(get_limit_subquery_sql(node.compiled_code, 5)) -%}
        {%- set columns = sample.column_names -%}
        {%- if columns | length > 6 -%}
            {%- set shown = [columns[0]] -%}
            {%- for column in columns[1:] if column | lower in wanted -%}
                {%- do shown.append(column) -%}
            {%- endfor -%}
        {%- else -%}
            {%- set shown = columns -%}
        {%- endif -%}
        {%- set lines = [] -%}
        {%- for row in sample.rows -%}
            {%- set values = [] -%}
            {%- for column in shown -%}
                {%- do values.append(column ~ '=' ~ ('null' if row[column] is none else row[column])) -%}
            {%- endfor -%}
            {%- do lines.append('      ' ~ values | join(', ')) -%}
        {%- endfor -%}
        {%- set table = ('raw table ' ~ staging_raw_tables[model_name] ~ ' (' ~ model_name ~ ')')
            if model_name in staging_raw_tables else 'model ' ~ model_name -%}
        {%- do reported.append(
            ('Failed' if result.status == 'fail' else 'Warning') ~ ': test ' ~ node.name ~ ' on ' ~ table
            ~ (', column ' ~ node.column_name if node.column_name else '')
            ~ (': rule ' ~ rule_parts | join(', ') if rule_parts else '')
            ~ ': ' ~ result.failures ~ ' failing row(s)'
            ~ (', the first ' ~ sample.rows | length if result.failures and result.failures > sample.rows | length else '')
            ~ ':\n' ~ lines | join('\n')
        ) -%}
    {%- endfor -%}
    {%- if reported -%}
        {{ log('Failing rows of the ' ~ reported | length ~ ' test(s) that failed or warned (fix the data, or the '
               ~ 'mapping seeds for a vocabulary warning):\n' ~ reported | join('\n'), info=true) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
