"""The Great Expectations suites (scripts/validate_expectations.py) pass on the built database and
write Data Docs; a duplicated key, a negative MRR, a month past the as-of date, a missing month of
the bridge or an orphan account key fails a critical expectation.

The hand-made DataFrame tests always run. The tests on the built database run when
`python3 scripts/run.py test` passes it in REVOPS_TEST_DUCKDB_PATH (by hand:
`REVOPS_TEST_DUCKDB_PATH=revops.duckdb .venv/bin/pytest tests/test_expectations.py` after `run.py build`).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest

import validate_expectations as ve

AS_OF = datetime.date(2026, 10, 31)
TINY_CHECKS = ve.TableChecks(
    grain=("account_key", "date_month"), money=("mrr",), dates=("date_month",), kpi_ranges=(ve.Range("mrr", 1, 1e6),),
)
TINY_BRIDGE_CHECKS = ve.TableChecks(grain=("date_month",), months_through_as_of="date_month")


def tiny_mrr() -> pd.DataFrame:
    return pd.DataFrame({
        "account_key": ["a", "a", "b"],
        "date_month": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-01"]),
        "mrr": [100.0, 120.0, 50.0],
    })


def failed_checks(outcome: ve.SuiteOutcome) -> set[tuple[str, str]]:
    return {(failure.severity, failure.check) for failure in outcome.failures}


def test_months_between_counts_both_ends() -> None:
    assert ve.months_between(datetime.date(2024, 9, 1), datetime.date(2026, 10, 1)) == 26
    assert ve.months_between(datetime.date(2026, 10, 1), datetime.date(2026, 10, 1)) == 1


def test_a_clean_frame_passes() -> None:
    outcome = ve.validate_frame("tiny", tiny_mrr(), AS_OF, checks=TINY_CHECKS)
    assert outcome.success and not outcome.failures, outcome.failures
    assert (outcome.critical, outcome.warnings) == (3, 2)


def test_a_duplicated_key_fails_the_grain() -> None:
    frame = tiny_mrr()
    corrupted = pd.concat([frame, frame.tail(1)], ignore_index=True)
    outcome = ve.validate_frame("tiny", corrupted, AS_OF, checks=TINY_CHECKS)
    assert not outcome.success
    assert (ve.CRITICAL, "grain") in failed_checks(outcome)


def test_a_negative_mrr_fails_money_and_only_warns_on_its_range() -> None:
    corrupted = tiny_mrr().assign(mrr=[100.0, -120.0, 50.0])
    outcome = ve.validate_frame("tiny", corrupted, AS_OF, checks=TINY_CHECKS)
    assert failed_checks(outcome) == {(ve.CRITICAL, "money"), (ve.WARNING, "kpi_range")}


def test_a_warning_alone_does_not_fail() -> None:
    outcome = ve.validate_frame("tiny", tiny_mrr().assign(mrr=[100.0, 2e6, 50.0]), AS_OF, checks=TINY_CHECKS)
    assert outcome.success
    assert failed_checks(outcome) == {(ve.WARNING, "kpi_range")}


def test_a_month_after_the_as_of_date_fails_the_window() -> None:
    late = tiny_mrr().assign(date_month=pd.to_datetime(["2026-09-01", "2026-11-01", "2026-10-01"]))
    outcome = ve.validate_frame("tiny", late, AS_OF, checks=TINY_CHECKS)
    assert failed_checks(outcome) == {(ve.CRITICAL, "as_of_window")}


@pytest.mark.parametrize(("months", "passes"), [
    (["2026-08-01", "2026-09-01", "2026-10-01"], True),
    (["2026-07-01", "2026-09-01", "2026-10-01"], False),  # August is missing
    (["2026-07-01", "2026-08-01", "2026-09-01"], False),  # stops before the as-of month
])
def test_a_monthly_mart_runs_every_month_through_the_as_of_month(months: list[str], passes: bool) -> None:
    bridge = pd.DataFrame({"date_month": pd.to_datetime(months)})
    outcome = ve.validate_frame("tiny_bridge", bridge, AS_OF, checks=TINY_BRIDGE_CHECKS)
    assert outcome.success is passes
    assert failed_checks(outcome) <= {(ve.CRITICAL, "as_of_window")}


@pytest.fixture(scope="module")
def built(database: Path) -> tuple[dict[str, pd.DataFrame], datetime.date]:
    return ve.load_frames(database)


def test_the_built_database_passes_and_writes_data_docs(database: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert ve.main(["--database", str(database), "--docs-dir", str(docs)]) == 0
    assert (docs / "index.html").exists()
    assert list((docs / "validations").rglob("*.html")), "no validation result page in the Data Docs"


def test_a_corrupted_copy_of_the_mrr_mart_fails(built: tuple[dict[str, pd.DataFrame], datetime.date]) -> None:
    frames, as_of_date = built
    table = "marts.fct_mrr_account_months"
    mrr = frames[table]
    corrupted = pd.concat([mrr, mrr.head(1)], ignore_index=True)
    corrupted.loc[1, "mrr"] = -1.0
    outcome = ve.validate_frame(table, corrupted, as_of_date)
    assert {(ve.CRITICAL, "grain"), (ve.CRITICAL, "money")} <= failed_checks(outcome)


def test_a_missing_bridge_month_fails(built: tuple[dict[str, pd.DataFrame], datetime.date]) -> None:
    frames, as_of_date = built
    bridge = frames["marts.mrr_bridge"]
    outcome = ve.validate_frame("marts.mrr_bridge", bridge.drop(index=bridge.index[3]), as_of_date)
    assert failed_checks(outcome) == {(ve.CRITICAL, "as_of_window")}


def test_an_orphan_account_key_fails(built: tuple[dict[str, pd.DataFrame], datetime.date]) -> None:
    frames, _ = built
    journey = frames["marts.fct_customer_journey"].copy()
    journey.loc[journey.index[0], "account_key"] = "no-such-account"
    orphans = ve.account_key_orphans({**frames, "marts.fct_customer_journey": journey})
    outcome = ve.run_suite(ve.make_context(), ve.ORPHANS_SUITE, orphans, ve.orphan_checks())
    assert [failure.expectation for failure in outcome.critical_failures] == [
        "expect_column_values_to_be_between(orphan_rows_in_fct_customer_journey)"
    ]
