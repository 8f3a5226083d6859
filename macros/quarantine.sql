{#-
    quarantine_fault_reasons(): the int_journey_quarantine reasons that mean a row is broken
    (not a fact of the source such as a deletion, a duplicate extract row or a date after the
    as-of date). tests/assert_quarantine_within_max_share.sql counts them against the var
    max_quarantine_share.
-#}
{% macro quarantine_fault_reasons() -%}
    {{ return(['missing_record_id', 'missing_event_timestamp', 'no_account', 'fx_rate_missing', 'ends_before_start', 'negative_amount', 'malformed_email']) }}
{%- endmacro %}
