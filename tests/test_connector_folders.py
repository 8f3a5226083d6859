"""Hand-made connector folders (tests/data/connectors_tiny, numbers worked out by hand in its
README): the tiny business of tests/data/byod_tiny with systems written as their connector
lands them, built through the adapters in one build.

- zendesk (support_connector zendesk): the first reply read from the comments (an internal
  note and a description written by an agent are no replies), the solve time from the last
  solve in the status history (solved, reopened, solved again), CSAT from the field history.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

import dbt_helpers
from test_byod import TINY

FOLDERS = dbt_helpers.ROOT / "tests" / "data" / "connectors_tiny"
# connector folder -> the contract system it replaces, and its setting
CONNECTORS = {"zendesk": ("support", {"REVOPS_SUPPORT_CONNECTOR": "zendesk"})}


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder = tmp_path_factory.mktemp("connectors_tiny")
    raw = folder / "raw"
    shutil.copytree(TINY, raw)
    settings = {}
    for connector, (system, setting) in CONNECTORS.items():
        shutil.rmtree(raw / system)
        shutil.copytree(FOLDERS / connector, raw / connector)
        settings.update(setting)
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
