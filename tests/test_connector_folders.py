"""Hand-made connector folders (tests/data/connectors_tiny, numbers worked out by hand in its
README): the tiny business of tests/data/byod_tiny with systems written as their connector
lands them, built through the adapters in one build.

- salesforce (crm_connector salesforce): no OpportunityHistory table, the stage history read
  from the opportunity in History Mode (salesforce_history); custom fields, roles, country codes,
  forecast categories, queue owners and event durations as Fivetran lands them.
- zendesk (support_connector zendesk): the first reply read from the comments (an internal
  note and a description written by an agent are no replies), the solve time from the last
  solve in the status history (solved, reopened, solved again), CSAT from the field history.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import dbt_helpers
from test_byod import TINY

FOLDERS = dbt_helpers.ROOT / "tests" / "data" / "connectors_tiny"
# connector folder -> the contract system it replaces, its setting, and the connector's other
# folders (schemas)
CONNECTORS = {
    "zendesk": ("support", {"REVOPS_SUPPORT_CONNECTOR": "zendesk"}, ()),
    "salesforce": ("crm", {"REVOPS_CRM_CONNECTOR": "salesforce"}, ("salesforce_history",)),
}


def connector_folder(folder: Path) -> tuple[Path, dict[str, str]]:
    """byod_tiny in folder/raw with each connector's folder in place of its system; the settings."""
    raw = folder / "raw"
    shutil.copytree(TINY, raw)
    settings = {}
    for connector, (system, setting, others) in CONNECTORS.items():
        shutil.rmtree(raw / system)
        for name in (connector, *others):
            shutil.copytree(FOLDERS / name, raw / name)
        settings.update(setting)
    return raw, settings


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder = tmp_path_factory.mktemp("connectors_tiny")
    raw, settings = connector_folder(folder)
    database = dbt_helpers.dbt_build(folder, "connectors", raw, "csv", **settings)
    connection = duckdb.connect(str(database), read_only=True)
    yield connection
    connection.close()


def test_zendesk_first_reply_and_solve_are_read_from_comments_and_status_history(
    build: duckdb.DuckDBPyConnection,
) -> None:
    assert build.execute("""
        select ticket_id, is_solved, first_reply_hours, resolution_hours
        from marts.fct_support_tickets order by ticket_id
    """).fetchall() == [(301, True, 2.0, 24.0), (302, False, 24.0, None)]


def test_zendesk_csat_is_read_from_the_field_history(build: duckdb.DuckDBPyConnection) -> None:
    assert build.execute("""
        select source_record_id, event_detail, cast(event_at as varchar)
        from marts.fct_customer_journey where event_type = 'satisfaction_rated'
    """).fetchall() == [("301", "good", "2025-02-06 12:00:00")]
    assert build.execute("""
        select rating, csat_score, comment from adapters.zendesk__satisfaction_rating
        inner join staging.stg_support__satisfaction_ratings on id = satisfaction_rating_id
    """).fetchall() == [("good", 1, "Quick help")]


def test_zendesk_domains_come_from_domain_name(build: duckdb.DuckDBPyConnection) -> None:
    assert build.execute(
        "select organization_id, primary_domain, is_deleted from staging.stg_support__organizations"
    ).fetchall() == [(101, "acme.io", False)]


def test_salesforce_stage_history_comes_from_history_mode(build: duckdb.DuckDBPyConnection) -> None:
    """006...1 has five History Mode versions: Discovery (01-10), an owner change only (01-15: no
    stage, amount, probability or close-date change, so no history row), Proposal (01-20,
    delivered twice by a re-sync: once), Closed Won (01-31, the active version)."""
    assert build.execute("""
        select id, stage_name, probability, cast(created_date as varchar), created_by_id
        from adapters.salesforce__opportunity_history
        where opportunity_id = '006000000000000001' order by created_date
    """).fetchall() == [
        ("006000000000000001@2025-01-10 10:00:00", "Discovery", 10, "2025-01-10 10:00:00", "005000000000000001"),
        ("006000000000000001@2025-01-20 10:00:00", "Proposal", 60, "2025-01-20 10:00:00", "005000000000000001"),
        ("006000000000000001@2025-01-31 16:00:00", "Closed Won", 100, "2025-01-31 16:00:00", "005000000000000001"),
    ]
    # 006...5 was deleted in Salesforce: History Mode closed its last version (not active), so
    # its one change (the first version; the second changed nothing tracked) is deleted too
    assert build.execute("""
        select id, is_deleted from adapters.salesforce__opportunity_history
        where opportunity_id = '006000000000000005'
    """).fetchall() == [("006000000000000005@2025-02-05 10:00:00", True)]
    # the stage changes of the journey: those of byod_tiny's OpportunityHistory (Initech's deal
    # is quarantined with its deleted account; the deleted 006...5 has none)
    assert build.execute("""
        select event_detail, cast(event_at as varchar)
        from marts.fct_customer_journey where event_type = 'opportunity_stage_changed' order by event_at
    """).fetchall() == [
        ("(new) -> Discovery", "2025-01-09 10:00:00"), ("(new) -> Discovery", "2025-01-10 10:00:00"),
        ("Discovery -> Proposal", "2025-01-20 10:00:00"), ("Proposal -> Closed Won", "2025-01-31 16:00:00"),
        ("Discovery -> Closed Lost", "2025-02-20 10:00:00"), ("(new) -> Discovery", "2025-02-25 10:00:00"),
        ("Discovery -> Demo", "2025-02-26 10:00:00"),
    ]


def test_salesforce_fields_as_fivetran_lands_them(build: duckdb.DuckDBPyConnection) -> None:
    # utm_medium_c and mql_date_c (one underscore); a queue (00G...) owns lead 5: no owner; a
    # country name is no code (lead 5 "United Kingdom", account 3 "United States" without
    # billing_country_code), a two-letter country is (lead 3 "US")
    assert build.execute("""
        select id, owner_id, country, utm_medium__c, cast(mql_date__c as varchar)
        from adapters.salesforce__lead order by id
    """).fetchall() == [
        ("00Q000000000000001", "005000000000000002", "US", "cpc", "2025-01-08 16:00:00"),
        ("00Q000000000000002", "005000000000000002", "DE", "paid_social", "2025-01-07 12:00:00"),
        ("00Q000000000000003", "005000000000000002", "US", None, None),
        ("00Q000000000000004", "005000000000000002", None, None, None),
        ("00Q000000000000005", None, None, None, "2025-02-02 09:00:00"),
    ]
    assert build.execute(
        "select id, billing_country, cast(last_modified_date as varchar) from adapters.salesforce__account order by id"
    ).fetchall() == [("001000000000000001", "US", "2025-02-01 10:00:00"),
                     ("001000000000000002", "DE", "2025-02-20 10:00:00"),
                     ("001000000000000003", None, "2025-02-10 10:00:00")]  # system_modstamp
    # the label, else the API value's label (006...2 and 4 have no forecast_category_name: Omitted,
    # and Forecast, which is Commit)
    assert build.execute(
        "select id, forecast_category from adapters.salesforce__opportunity order by id"
    ).fetchall() == [("006000000000000001", "Closed"), ("006000000000000002", "Omitted"),
                     ("006000000000000003", "Pipeline"), ("006000000000000004", "Commit"),
                     ("006000000000000005", "Pipeline")]
    # roles from user_role; the demo's end time from its 60 minutes
    assert build.execute("select id, user_role, segment from adapters.salesforce__user order by id").fetchall() == [
        ("005000000000000001", "ae", "smb"), ("005000000000000002", "sdr", "smb")]
    assert build.execute("select cast(end_date_time as varchar) from adapters.salesforce__event").fetchall() == [
        ("2025-01-15 16:00:00",)]


def test_salesforce_history_mode_in_the_main_schema_keeps_the_latest_version(build: duckdb.DuckDBPyConnection) -> None:
    """task.csv is in History Mode: task 1 has an older version (Not Started) and the current one
    (Completed); task 3's only version is no longer active: deleted in Salesforce, kept flagged."""
    assert build.execute("""
        select id, status, cast(completed_date_time as varchar), is_deleted
        from adapters.salesforce__task order by id
    """).fetchall() == [
        ("00T000000000000001", "Completed", "2025-01-08 17:30:00", False),
        ("00T000000000000002", "Completed", "2025-02-03 10:00:00", False),
        ("00T000000000000003", "Not Started", None, True),
    ]


def test_salesforce_settings_that_name_nothing_stop_the_build_naming_them(tmp_path: Path) -> None:
    """A custom field named in salesforce_fields that the table lacks (a typo, or a formula field
    Fivetran does not sync) and a currency that is no ISO code stop the compile with a message,
    instead of reading as null MQL dates or failing at the FX step."""
    raw, settings = connector_folder(tmp_path)
    fields = dbt_helpers.run_dbt(
        tmp_path, "fields",
        ["compile", "-s", "salesforce__lead", "--vars", "{salesforce_fields: {mql_date__c: mql_c}}"],
        raw, "csv", **settings)
    assert fields.returncode != 0
    assert "salesforce_fields names field(s) that salesforce.lead" in fields.stdout
    assert "mql_date__c: mql_c" in fields.stdout
    currency = dbt_helpers.run_dbt(tmp_path, "currency", ["compile", "-s", "salesforce__opportunity"], raw, "csv",
                                   REVOPS_SALESFORCE_CURRENCY="US", **settings)
    assert currency.returncode != 0
    assert "salesforce_currency is 'US'" in currency.stdout
