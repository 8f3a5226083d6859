{#-
    The account-level increment shared by fct_customer_journey and dim_accounts: an
    incremental build deletes every row of the accounts int_journey_accounts_to_refresh lists
    (pre-hook) and appends those accounts' rows again, computed from inputs restricted to them.
    See the header of int_journey_accounts_to_refresh for when an account is listed.
-#}

{#- Pre-hook: delete the listed accounts' rows (nothing on a full build). -#}
{% macro delete_accounts_to_refresh() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where account_key in (select account_key from {{ ref('int_journey_accounts_to_refresh') }})
    {%- endif -%}
{%- endmacro %}


{#- A join that keeps only the listed accounts' rows of `relation_alias` on incremental builds. -#}
{% macro join_accounts_to_refresh(relation_alias) -%}
    {%- if is_incremental() -%}
        inner join {{ ref('int_journey_accounts_to_refresh') }} as {{ relation_alias }}_to_refresh
            on {{ relation_alias }}.account_key = {{ relation_alias }}_to_refresh.account_key
    {%- endif -%}
{%- endmacro %}


{#-
    Stop an incremental run that does not also build the models the increment is read from
    (their state would be that of an earlier run).
-#}
{% macro require_in_same_run(upstream_models) -%}
    {%- if is_incremental() and execute and flags.WHICH in ['run', 'build'] -%}
        {%- for upstream in upstream_models -%}
            {%- if 'model.revops.' ~ upstream not in selected_resources -%}
                {{ exceptions.raise_compiler_error(
                    model.name ~ " builds incrementally from " ~ upstream ~ ", which must be built in the same run: "
                    ~ "select it too (dbt build -s +" ~ model.name ~ ") or rebuild with --full-refresh."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#-
    Whether the target can delete and update rows of a table in place, which the incremental
    models need (delete+insert, the accounts' pre-hook delete, the identity keys' post-hook
    update). DuckDB and SQL warehouses can; Spark's Parquet tables cannot (Delta tables could: a
    next step, see DECISIONS.md), so on Spark (and Databricks, whose adapter falls back to the
    spark__ macros) the incremental models are built in full as tables, with the same SQL.
-#}
{% macro can_update_rows() -%}
    {{ return(adapter.dispatch('can_update_rows', 'revops')()) }}
{%- endmacro %}

{% macro default__can_update_rows() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__can_update_rows() -%}
    {{ return(false) }}
{%- endmacro %}


{#- The materialization of the incremental models: incremental where rows can be updated, else table. -#}
{% macro incremental_or_table() -%}
    {{ return('incremental' if revops.can_update_rows() else 'table') }}
{%- endmacro %}


{#- Post-hook of the journey: the identity keys it has now taken in (nothing to mark where it is rebuilt in full). -#}
{% macro mark_identity_keys_applied() -%}
    {%- if revops.can_update_rows() -%}
        update {{ ref('int_identity_keys_tracked') }} set is_applied = true where not is_applied
    {%- endif -%}
{%- endmacro %}
