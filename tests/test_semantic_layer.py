"""The MetricFlow semantic layer answers every revenue KPI on a built database, and gives the
numbers of the mart mrr_bridge.

Builds nothing: `python3 scripts/run.py test` passes the database it has just built in
REVOPS_TEST_DUCKDB_PATH (by hand: `REVOPS_TEST_DUCKDB_PATH=revops.duckdb .venv/bin/pytest
tests/test_semantic_layer.py` after `run.py build`). The project is parsed into a scratch
folder for `mf`, which reads <project dir>/target/semantic_manifest.json whatever the target
path, then each metric is queried by month with `mf query`.
"""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
METRICS = [
    "mrr", "arr", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "reactivation_mrr",
    "active_customers", "new_customers", "churned_customers", "arpa", "logo_churn_rate",
    "gross_mrr_churn_rate", "net_mrr_churn_rate", "net_revenue_retention", "gross_revenue_retention",
    "quick_ratio",
]
# The mrr_bridge column of each metric where its name differs.
BRIDGE_COLUMNS = {"mrr": "ending_mrr", "arr": "ending_arr"}


@pytest.fixture(scope="module")
def database() -> Path:
    path = os.environ.get("REVOPS_TEST_DUCKDB_PATH")
    if not path:
        pytest.skip("REVOPS_TEST_DUCKDB_PATH is not set: no built database to query (scripts/run.py test sets it)")
    return Path(path)


@pytest.fixture(scope="module")
def mf_env(database: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for `mf` on the database: the project parsed into a scratch project dir."""
    project = tmp_path_factory.mktemp("mf_project")
    shutil.copy(ROOT / "dbt_project.yml", project)
    env = dict(os.environ)
    env.pop("DBT_PROJECT_DIR", None)
    env.update(DBT_PROFILES_DIR=str(ROOT), REVOPS_DUCKDB_PATH=str(database))
    command = [
        str(BIN / "dbt"), "parse", "--target-path", str(project / "target"), "--log-path", str(project / "logs"),
    ]
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return {**env, "DBT_PROJECT_DIR": str(project)}


@pytest.fixture(scope="module")
def latest_complete_month(database: Path) -> datetime.date:
    """The last month that ends on or before the as-of date (dim_dates ends at it)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        (month,) = connection.execute("""
            select max(date_month) from marts.dim_dates
            where is_month_end
        """).fetchone()
    return month


@pytest.fixture(scope="module")
def bridge(database: Path, latest_complete_month: datetime.date) -> dict[str, object]:
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute("select * from marts.mrr_bridge where date_month = ?", [latest_complete_month])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def mf_query_month(env: dict[str, str], metric: str, month: datetime.date, out: Path) -> str:
    """The metric's value in the month as `mf query --csv` writes it ('' for null)."""
    command = [str(BIN / "mf"), "query", "--metrics", metric, "--group-by", "metric_time__month", "--csv", str(out)]
    completed = subprocess.run(command, cwd=env["DBT_PROJECT_DIR"], env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    with out.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["metric_time__month"].startswith(month.isoformat())]
    assert len(rows) == 1, f"{metric}: {len(rows)} rows for {month}"
    return rows[0][metric]


@pytest.mark.parametrize("metric", METRICS)
def test_metric_has_a_value_in_the_latest_complete_month(
    metric: str, mf_env: dict[str, str], latest_complete_month: datetime.date, bridge: dict[str, object],
    tmp_path: Path,
) -> None:
    value = mf_query_month(mf_env, metric, latest_complete_month, tmp_path / f"{metric}.csv")
    assert value != "", f"{metric} is null in {latest_complete_month}"
    # The semantic layer and the mart compute the KPI the same way (the mart's ARPA is rounded to cents).
    expected = bridge[BRIDGE_COLUMNS.get(metric, metric)]
    assert float(value) == pytest.approx(float(expected), rel=1e-9, abs=0.005 if metric == "arpa" else 1e-9)
