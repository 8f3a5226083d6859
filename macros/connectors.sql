{#-
    Connectors: a system's raw data as an extract-load tool lands it, read through an adapter.

    The raw contract (docs/raw_contract.md) stays the one shape every staging model reads. A
    system whose setting <system>_connector names a connector (REVOPS_<SYSTEM>_CONNECTOR) is
    read from that connector's real tables instead, by the adapter models in
    models/adapters/<connector>/, one per contract table, each turning the connector's tables
    into exactly the contract's columns. raw_source() then returns the adapter model.

      system     setting             connectors
      crm        crm_connector       contract (default) | salesforce (Fivetran; stage history from
                                     opportunity_history, else History Mode salesforce_history.opportunity)
      billing    billing_connector   contract (default) | stripe (Fivetran)
      support    support_connector   contract (default) | zendesk (Fivetran)
      marketing  ad_connectors       empty (default: ad_spend in the contract) | any of
                                     google_ads, facebook_ads, linkedin_ads (Fivetran), comma-
                                     separated: marketing.ad_spend is their union; web sessions
                                     and form submissions stay in the contract

    Where a connector's tables are:
      tables mode  <connector>_database.<connector>_schema.<table> (REVOPS_STRIPE_DATABASE,
                   default raw_database; REVOPS_STRIPE_SCHEMA, default Fivetran's schema name
                   stripe); one table under another name: <connector>_identifiers, e.g.
                   --vars '{stripe_identifiers: {subscription_history: subscription_versions}}'
      files mode   raw_files_template with {system} = the connector (default
                   <raw_files_path>/stripe/<table>.<csv|parquet>)
-#}

{#- The connectors each system can be read through, and the adapter model of each contract table. -#}
{% macro connector_registry() -%}
    {{ return({
        'crm': {
            'salesforce': {
                'user': {'model': 'salesforce__user', 'needs': [['user']]},
                'account': {'model': 'salesforce__account', 'needs': [['account']]},
                'contact': {'model': 'salesforce__contact', 'needs': [['contact']]},
                'lead': {'model': 'salesforce__lead', 'needs': [['lead']]},
                'opportunity': {'model': 'salesforce__opportunity', 'needs': [['opportunity']]},
                'opportunity_history': {'model': 'salesforce__opportunity_history',
                                        'needs': [['opportunity_history', 'salesforce_history.opportunity']]},
                'task': {'model': 'salesforce__task', 'needs': [['task']]},
                'event': {'model': 'salesforce__event', 'needs': [['event']]},
                'campaign': {'model': 'salesforce__campaign', 'needs': [['campaign']]},
                'campaign_member': {'model': 'salesforce__campaign_member', 'needs': [['campaign_member']]},
            },
        },
        'marketing': {
            'ads': {
                'ad_spend': {'model': 'ads__ad_spend', 'needs': none},
            },
        },
        'billing': {
            'stripe': {
                'customer': {'model': 'stripe__customer', 'needs': [['customer']]},
                'subscription': {'model': 'stripe__subscription', 'needs': [['subscription_history', 'subscription']]},
                'subscription_item': {'model': 'stripe__subscription_item',
                                      'needs': [['subscription_item'], ['price', 'plan']]},
                'invoice': {'model': 'stripe__invoice', 'needs': [['invoice']]},
                'invoice_line_item': {'model': 'stripe__invoice_line_item', 'needs': [['invoice_line_item']]},
            },
        },
        'support': {
            'zendesk': {
                'organization': {'model': 'zendesk__organization', 'needs': [['organization']]},
                'user': {'model': 'zendesk__user', 'needs': [['user']]},
                'ticket': {'model': 'zendesk__ticket', 'needs': [['ticket']]},
                'satisfaction_rating': {'model': 'zendesk__satisfaction_rating',
                                        'needs': [['satisfaction_rating', 'ticket_field_history']]},
            },
        },
    }) }}
{%- endmacro %}


{#- The connector a system is read through: 'contract' (the raw contract itself) or a connector name. -#}
{#- The fact table of each ad platform connector: ad_spend is present when one of the chosen has it. -#}
{% macro ad_connector_facts() -%}
    {{ return({'google_ads': 'campaign_stats', 'facebook_ads': 'basic_ad', 'linkedin_ads': 'ad_analytics_by_campaign'}) }}
{%- endmacro %}


{#- The ad platform connectors marketing.ad_spend is read from (ad_connectors, REVOPS_AD_CONNECTORS). -#}
{% macro ad_connectors() -%}
    {%- set configured = var('ad_connectors', env_var('REVOPS_AD_CONNECTORS', '')) -%}
    {%- set names = configured if configured is not string else configured.split(',') -%}
    {%- set chosen = [] -%}
    {%- for name in names if name | trim -%}
        {%- if name | trim | lower not in ad_connector_facts() -%}
            {{ exceptions.raise_compiler_error(
                "ad_connectors lists '" ~ name | trim ~ "', which is not an ad platform connector; choose from "
                ~ ad_connector_facts().keys() | list | join(', ')
                ~ ". Set it with --vars '{ad_connectors: \"google_ads,linkedin_ads\"}' or REVOPS_AD_CONNECTORS."
            ) }}
        {%- endif -%}
        {%- do chosen.append(name | trim | lower) -%}
    {%- endfor -%}
    {{ return(chosen) }}
{%- endmacro %}


{% macro system_connector(system) -%}
    {%- set registry = connector_registry() -%}
    {%- if system == 'marketing' -%}
        {{ return('ads' if ad_connectors() else 'contract') }}
    {%- endif -%}
    {%- set name = (var(system ~ '_connector', env_var('REVOPS_' ~ system | upper ~ '_CONNECTOR', 'contract'))
        | string | trim | lower) or 'contract' -%}
    {%- if name != 'contract' and name not in registry.get(system, {}) -%}
        {{ exceptions.raise_compiler_error(
            system ~ "_connector is '" ~ name ~ "', which is not a connector of the " ~ system ~ " system; choose "
            ~ (['contract'] + (registry.get(system, {}).keys() | list)) | join(' or ')
            ~ ". Set it with --vars '{" ~ system ~ "_connector: ...}' or REVOPS_" ~ system | upper ~ "_CONNECTOR."
        ) }}
    {%- endif -%}
    {{ return(name) }}
{%- endmacro %}


{#- The adapter entry of a contract table read through a connector, none when read as the contract. -#}
{% macro connector_adapter(system, table) -%}
    {%- set connector = system_connector(system) -%}
    {%- if connector == 'contract' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set entry = connector_registry()[system][connector].get(table) -%}
    {%- if entry is not none and entry.needs is none -%}
        {#- the ad spend: any one of the chosen platforms' fact tables -#}
        {%- set facts = [] -%}
        {%- for name in ad_connectors() -%}
            {%- do facts.append(name ~ '.' ~ ad_connector_facts()[name]) -%}
        {%- endfor -%}
        {%- set entry = {'model': entry.model, 'needs': [facts]} -%}
    {%- endif -%}
    {{ return(entry) }}
{%- endmacro %}


{#- True when an adapter model is in use: its model config enabled= reads this. -#}
{% macro connector_enabled(system, connector) -%}
    {%- if system == 'marketing' and connector != 'ads' -%}
        {{ return(connector in ad_connectors()) }}
    {%- endif -%}
    {{ return(system_connector(system) == connector) }}
{%- endmacro %}


{#- The contract table is present through its connector when each group of its needs has one table. -#}
{% macro connector_tables_present(connector, needs) -%}
    {%- for group in needs -%}
        {%- set found = [] -%}
        {%- for name in group
            if (connector_table_is_present(name.split('.')[0], name.split('.')[1]) if '.' in name
                else connector_table_is_present(connector, name)) -%}
            {%- do found.append(name) -%}
        {%- endfor -%}
        {%- if not found -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}


{% macro connector_setting(connector, name, default) -%}
    {{ return(var(connector ~ '_' ~ name, env_var('REVOPS_' ~ connector | upper ~ '_' ~ name | upper, default))
        | string | trim) }}
{%- endmacro %}


{#-
    The name a connector table is landed under: <connector>_identifiers names it, else the table
    name, else (when only that is there) the name without underscores, as Airbyte names a table
    by its stream: Salesforce's OpportunityHistory lands as opportunityhistory in DuckDB, where
    Fivetran lands opportunity_history.
-#}
{% macro connector_identifier(connector, table) -%}
    {%- set overrides = var(connector ~ '_identifiers', {}) or {} -%}
    {%- if table in overrides -%}
        {{ return(overrides[table]) }}
    {%- endif -%}
    {%- set compact = table | replace('_', '') -%}
    {%- if execute and compact != table and raw_setting('raw_data_mode') in ('tables', 'files')
        and not connector_identifier_is_present(connector, table)
        and connector_identifier_is_present(connector, compact) -%}
        {{ return(compact) }}
    {%- endif -%}
    {{ return(table) }}
{%- endmacro %}


{#- Where a connector table landed under an identifier is: a file or glob (files mode), a relation (tables mode). -#}
{% macro connector_location_of(connector, identifier) -%}
    {%- if raw_setting('raw_data_mode') == 'files' -%}
        {{ return(raw_setting('raw_files_template')
            | replace('{path}', raw_setting('raw_files_path'))
            | replace('{system}', connector)
            | replace('{table}', identifier)
            | replace('{format}', raw_setting('raw_files_format') | lower)) }}
    {%- else -%}
        {#- salesforce_history (History Mode) lives beside salesforce unless set apart -#}
        {%- set main = connector[:-8] if connector.endswith('_history') else connector -%}
        {%- set database = connector_setting(connector, 'database', connector_setting(main, 'database',
            raw_setting('raw_database'))) or target.get('database') -%}
        {{ return(api.Relation.create(
            database=database, schema=connector_setting(connector, 'schema', connector), identifier=identifier)) }}
    {%- endif -%}
{%- endmacro %}


{% macro connector_identifier_is_present(connector, identifier) -%}
    {%- set location = connector_location_of(connector, identifier) -%}
    {%- if raw_setting('raw_data_mode') == 'files' -%}
        {{ return(raw_file_exists(location)) }}
    {%- else -%}
        {{ return(adapter.get_relation(
            database=location.database, schema=location.schema, identifier=location.identifier) is not none) }}
    {%- endif -%}
{%- endmacro %}


{#- Where a connector table is: a file or glob (files mode), a relation name (tables mode). -#}
{% macro connector_location(connector, table) -%}
    {{ return(connector_location_of(connector, connector_identifier(connector, table))) }}
{%- endmacro %}


{% macro connector_table_is_present(connector, table) -%}
    {%- if not execute -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if raw_setting('raw_data_mode') not in ('tables', 'files') -%}
        {{ exceptions.raise_compiler_error(
            "A connector reads your own data: set raw_data_mode to tables or files (REVOPS_RAW_MODE), not demo.") }}
    {%- endif -%}
    {{ return(connector_identifier_is_present(connector, connector_identifier(connector, table))) }}
{%- endmacro %}


{#- The relation expression of a connector table (present: check connector_table_is_present first). -#}
{% macro connector_relation(connector, table) -%}
    {%- set location = connector_location(connector, table) -%}
    {%- if raw_setting('raw_data_mode') == 'files' -%}
        {{ return(read_raw_file(location, raw_setting('raw_files_format') | lower)) }}
    {%- else -%}
        {{ return(location) }}
    {%- endif -%}
{%- endmacro %}


{#- The column names of a connector table as landed, none read at parse time or when it is absent. -#}
{% macro connector_column_names(connector, table) -%}
    {%- set found = [] -%}
    {%- if execute and connector_table_is_present(connector, table) -%}
        {%- set probe = run_query('select * from ' ~ connector_relation(connector, table) ~ ' as probe limit 0') -%}
        {%- for name in probe.column_names -%}
            {%- do found.append(name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}


{#- The column names (lower case) of a connector table, none read at parse time or when it is absent. -#}
{% macro connector_columns(connector, table) -%}
    {%- set found = [] -%}
    {%- for name in connector_column_names(connector, table) -%}
        {%- do found.append(name | lower) -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}


{#-
    The landed column a connector column name reads: the same name in any case, else the one
    equal to it without underscores and case (Fivetran's created_date is Airbyte's
    CreatedDate, Fivetran's utm_source_c a custom field UTM_Source__c; two such columns stop
    the build, naming both), and for _fivetran_synced Airbyte's _airbyte_extracted_at (or
    _airbyte_emitted_at); none when absent.
-#}
{% macro connector_source_column(name, landed) -%}
    {%- for candidate in landed if candidate | lower == name | lower -%}
        {{ return(candidate) }}
    {%- endfor -%}
    {%- set similar = [] -%}
    {%- for candidate in landed if candidate | lower | replace('_', '') == name | lower | replace('_', '') -%}
        {%- do similar.append(candidate) -%}
    {%- endfor -%}
    {%- if similar | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "Connector column " ~ name ~ " matches more than one landed column (" ~ similar | join(', ')
            ~ "): name the table's column as the connector lands it, or drop the copy.") }}
    {%- endif -%}
    {%- if similar -%}
        {{ return(similar[0]) }}
    {%- endif -%}
    {#- the time a row was loaded: Fivetran's _fivetran_synced is Airbyte's _airbyte_extracted_at
        (_airbyte_emitted_at before Destinations V2) -#}
    {%- for loaded_at in ['_airbyte_extracted_at', '_airbyte_emitted_at'] if name | lower == '_fivetran_synced' -%}
        {%- for candidate in landed if candidate | lower == loaded_at -%}
            {{ return(candidate) }}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}


{#-
    connector_select(connector, table, columns): a subquery with the listed columns of a
    connector table, each cast to its type. columns: a list of [name, type] or
    [name, type, 'required']. An optional column the table lacks reads as null (as Fivetran's
    dbt packages fill them), a required one stops the build naming the connector, table and
    column, and every missing required column of the table is named at once. An absent
    table reads as no rows with these columns. A column is found in any case, or without its
    underscores (connector_source_column: Airbyte's CreatedDate for created_date).
-#}
{% macro connector_select(connector, table, columns) -%}
    {%- set present = connector_table_is_present(connector, table) -%}
    {%- set landed = connector_column_names(connector, table) -%}
    {%- set found = [] -%}
    {%- for name in landed -%}
        {%- do found.append(name | lower) -%}
    {%- endfor -%}
    {%- if execute and present -%}
        {%- set missing = [] -%}
        {%- for column in columns if column | length > 2 and column[2] == 'required'
            and connector_source_column(column[0], landed) is none -%}
            {%- do missing.append(column[0]) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "Connector table " ~ connector ~ "." ~ table ~ " (" ~ connector_location(connector, table)
                ~ ") is missing column(s) " ~ missing | join(', ') ~ ", which the " ~ connector
                ~ " adapter needs (models/adapters/" ~ connector ~ "). Columns found: " ~ found | join(', ') ~ "."
            ) }}
        {%- endif -%}
    {%- endif -%}
    (
        select
        {%- for column in columns %}
            {#- connector columns named by SQL keywords (subscription_discount.start, plan.interval,
                ticket_field_history.value, ticket_comment.public) are quoted -#}
            {%- set name = adapter.quote(column[0]) if column[0] in connector_keyword_columns() else column[0] %}
            {%- set source = column[0] if not execute else connector_source_column(column[0], landed) %}
            {%- set landed_name = adapter.quote(source) if source is not none
                and (source in connector_keyword_columns() or source != source | lower) else source %}
            {% if source is not none and column[1] | lower == 'timestamp' -%}
                {#- an offset in a text timestamp is applied, as staging does (macros/dates.sql) -#}
                {{ utc_timestamp(landed_name) }}
            {%- elif source is not none -%}
                cast({{ landed_name }} as {{ contract_type(column[1]) }})
            {%- else -%}
                cast(null as {{ contract_type(column[1]) }})
            {%- endif %} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ connector_relation(connector, table) if (not execute or present) else '(select 1 as no_row) as no_rows' }}
        {%- if execute and not present %}
        where 1 = 0
        {%- endif %}
    )
{%- endmacro %}


{#- Connector column names that are SQL keywords: quoted wherever they are read. -#}
{% macro connector_keyword_columns() -%}
    {{ return(['start', 'end', 'interval', 'type', 'value', 'comment', 'role', 'public', 'index']) }}
{%- endmacro %}


{#-
    salesforce_field(column): the Salesforce field (as Fivetran names it) a contract column of a
    custom field is read from. Fivetran lands a custom field Foo__c as foo_c; orgs name their
    UTM, MQL/SQL and segment fields as they like: --vars '{salesforce_fields: {mql_date__c:
    mql_timestamp_c}}' (unlisted columns keep these defaults).
-#}
{% macro salesforce_field(column) -%}
    {%- set defaults = {
        'utm_source__c': 'utm_source_c', 'utm_medium__c': 'utm_medium_c', 'utm_campaign__c': 'utm_campaign_c',
        'mql_date__c': 'mql_date_c', 'sql_date__c': 'sql_date_c', 'segment': 'segment_c',
    } -%}
    {%- set configured = var('salesforce_fields', {}) or {} -%}
    {{ return((configured.get(column, defaults[column]) | string | trim | lower)) }}
{%- endmacro %}


{#-
    Stops the build when a custom field named in salesforce_fields is not in the table (a typo,
    or a formula field Fivetran does not sync), naming it: a configured field read as null would
    silently empty the KPIs built on it. A default name that is absent reads as null.
-#}
{% macro salesforce_check_fields(table, columns) -%}
    {%- set configured = var('salesforce_fields', {}) or {} -%}
    {%- set landed = connector_column_names('salesforce', table) -%}
    {%- set missing = [] -%}
    {%- for column in columns if column in configured
        and connector_source_column(salesforce_field(column), landed) is none -%}
        {%- do missing.append(column ~ ': ' ~ salesforce_field(column)) -%}
    {%- endfor -%}
    {%- if execute and landed and missing -%}
        {{ exceptions.raise_compiler_error(
            "salesforce_fields names field(s) that salesforce." ~ table ~ " (" ~ connector_location('salesforce', table)
            ~ ") does not have: " ~ missing | join(', ') ~ ". Fivetran does not sync formula fields; columns found: "
            ~ landed | join(', ') ~ ".") }}
    {%- endif -%}
{%- endmacro %}


{#-
    salesforce_current(rows): the latest version of each record of a Salesforce table read with
    connector_select (with _fivetran_start, _fivetran_active and _fivetran_synced among its
    columns). A table in History Mode (the main connection in History Mode) has one row per
    version: the latest counts, and a record whose latest version is not active was deleted
    (salesforce_deleted). Without History Mode both columns read null and this keeps the latest
    load of each id (Fivetran upserts: one already).
-#}
{% macro salesforce_current(rows) -%}
    (
        select *
        from (
            select
                *,
                row_number() over (
                    partition by id order by _fivetran_start desc nulls last, _fivetran_synced desc nulls last
                ) as salesforce_version
            from {{ rows }}
        ) as versions
        where salesforce_version = 1
    )
{%- endmacro %}


{#- The contract's is_deleted of a Salesforce record (its columns unqualified): deleted in Salesforce, or (History Mode) its latest version is not active. -#}
{% macro salesforce_deleted() -%}
    (coalesce(is_deleted, false) or not coalesce(_fivetran_active, true))
{%- endmacro %}


{#- Salesforce's columns that History Mode adds, read as optional columns of every table. -#}
{% macro salesforce_version_columns() -%}
    {{ return([['_fivetran_start', 'timestamp'], ['_fivetran_active', 'boolean'], ['_fivetran_synced', 'timestamp']]) }}
{%- endmacro %}


{#-
    An owner id that is a Salesforce user (key prefix 005), else null: leads, tasks and events
    may be owned by a queue (00G) or a public calendar (023), which no user row names.
-#}
{% macro salesforce_user_id(column) -%}
    case when {{ column }} like '005%' then {{ column }} end
{%- endmacro %}


{#-
    An ISO 3166 alpha-2 country of a Salesforce address: the *_country_code field (State and
    Country picklists), else the country field when it holds two letters. A country name is
    never passed on as a code: it reads null.
-#}
{% macro salesforce_country(code_column, country_column) -%}
    coalesce(
        nullif(trim({{ code_column }}), ''),
        case when {{ dbt.length('trim(' ~ country_column ~ ')') }} = 2 then trim({{ country_column }}) end
    )
{%- endmacro %}
