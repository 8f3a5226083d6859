"""An incremental build after new days of raw data, late rows included, gives exactly the
marts of a full refresh on the same data.

The demo generator writes its raw tables as Parquet; scripts/raw_increments.py cuts them at
two days before the latest load (support seven days before: a lagging connector, so the as-of
date moves forward by days) and holds back a fifth of the rows loaded in the day before each
cut (late rows: stamped before the journey's watermark, delivered after it). Then:

  incremental  build on the first part, add the second part, build again (incremental)
  full         build once on both parts, from nothing

and every table of the marts schema, plus the quarantine and the incremental staging table of
web sessions, must hold the same rows in both
(compared both ways, duplicates included). A third database built with
incremental_lookback_days = 0 shows the late rows are what the lookback window is for: without
it the journey misses them.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

import dbt_helpers
import raw_increments

GENERATOR = dbt_helpers.ROOT / "scripts" / "generate_demo_data.py"
PENDING = ".pending"


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data cut into part-0000 (first delivery) and part-0001 (later deliveries)."""
    root = tmp_path_factory.mktemp("incremental")
    raw = root / "raw"
    subprocess.run([sys.executable, str(GENERATOR), "--scale", "0.3", "--format", "parquet",
                    "--layout", "files", "--out", str(raw)], check=True, capture_output=True)
    cutoff = raw_increments.latest_load(raw) - timedelta(days=2)
    # Support's connector lags five days behind: the as-of date (the last day every system
    # delivered) jumps forward with the new delivery, bringing earlier events into scope.
    counts = raw_increments.split(raw, root / "parts", cutoff, late_share=0.2,
                                  system_cutoffs={"support": cutoff - timedelta(days=5)})
    later = sum(c["part-0001"] for c in counts.values())
    assert later > 100, counts
    return root / "parts"


def _settings(parts: Path) -> dict[str, str]:
    return dict(REVOPS_RAW_FILES_TEMPLATE=raw_increments.TEMPLATE)


def _hide_later(parts: Path) -> list[Path]:
    hidden = []
    for part in parts.glob("*/*/part-0001.parquet"):
        part.rename(part.with_suffix(PENDING))
        hidden.append(part)
    return hidden


def _show_later(parts: Path) -> None:
    for part in parts.glob(f"*/*/part-0001{PENDING}"):
        part.rename(part.with_suffix(".parquet"))


def _incremental(tmp_path: Path, name: str, parts: Path, *extra: str) -> Path:
    """Build on the first part, then add the later part and build again."""
    hidden = _hide_later(parts)
    assert hidden, "no later part to append"
    try:
        dbt_helpers.dbt_build(tmp_path, name, parts, "parquet", ("--exclude", "test_type:data"), **_settings(parts))
    finally:
        _show_later(parts)
    return dbt_helpers.dbt_build(tmp_path, name, parts, "parquet", extra, **_settings(parts))


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Per table of the marts schema (and the quarantine, and the web sessions staging table):
    rows only left, rows only right."""
    differences = {}
    with duckdb.connect(str(left), read_only=True) as connection:
        connection.execute(f"attach '{right}' as other (read_only)")
        tables = [("marts", name) for (name,) in connection.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = 'marts' and table_type = 'BASE TABLE'"
        ).fetchall()] + [("intermediate", "int_journey_quarantine"), ("staging", "stg_marketing__web_sessions")]
        assert len(tables) >= 20, tables
        for schema, table in tables:
            mine = f'{schema}."{table}"'
            theirs = f'other.{schema}."{table}"'
            (only_left,) = connection.execute(
                f"select count(*) from (select * from {mine} except all select * from {theirs})").fetchone()
            (only_right,) = connection.execute(
                f"select count(*) from (select * from {theirs} except all select * from {mine})").fetchone()
            if only_left or only_right:
                differences[table] = (only_left, only_right)
    return differences


@pytest.fixture(scope="module")
def full(parts: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("full")
    return dbt_helpers.dbt_build(tmp_path, "full", parts, "parquet", ("--exclude", "test_type:data"),
                                 **_settings(parts))


def test_incremental_build_equals_full_refresh(parts: Path, full: Path, tmp_path: Path) -> None:
    incremental = _incremental(tmp_path, "incremental", parts)
    assert _differences(incremental, full) == {}

    with duckdb.connect(str(incremental), read_only=True) as connection:
        (refreshed,) = connection.execute(
            "select count(*) from intermediate.int_journey_accounts_to_refresh").fetchone()
        (accounts,) = connection.execute(
            "select count(distinct account_key) from marts.fct_customer_journey").fetchone()
        reasons = dict(connection.execute(
            "select refresh_reason, count(*) from intermediate.int_journey_accounts_to_refresh group by 1").fetchall())
    # It did rebuild accounts, and far from all of them: the build was incremental.
    assert 0 < refreshed < accounts / 4, (refreshed, accounts)
    assert reasons.get("recent_event", 0) > 0 and reasons.get("identity_change", 0) > 0, reasons


def test_without_a_lookback_window_late_rows_are_missed(parts: Path, full: Path, tmp_path: Path) -> None:
    incremental = _incremental(tmp_path, "no_lookback", parts, "--exclude", "test_type:data",
                               "--vars", "{incremental_lookback_days: 0}")
    differences = _differences(incremental, full)
    assert "fct_customer_journey" in differences, differences
    # ... and the reconciliation tests notice: the web sessions staging table missed the late
    # rows, so raw rows no longer add up to staged rows.
    reconciliations = ["reconcile_raw_rows_per_table", "reconcile_raw_records_accounted_for",
                       "reconcile_expected_journey_events"]
    completed = dbt_helpers.run_dbt(tmp_path, "no_lookback", ["test", "-s", *reconciliations],
                                    parts, "parquet", **_settings(parts))
    assert completed.returncode != 0, completed.stdout[-3000:]
    assert "Failure in test reconcile_raw_rows_per_table" in completed.stdout, completed.stdout[-3000:]


def test_incremental_journey_needs_its_refresh_list_in_the_same_run(parts: Path, full: Path, tmp_path: Path) -> None:
    # Running the journey alone would miss the accounts to rebuild: dbt stops with a clear message.
    completed = dbt_helpers.run_dbt(tmp_path, "alone", ["run", "-s", "fct_customer_journey"], parts, "parquet",
                                    REVOPS_DUCKDB_PATH=str(full), **_settings(parts))
    assert completed.returncode != 0
    assert "int_journey_accounts_to_refresh, which must be built in the same run" in completed.stdout
