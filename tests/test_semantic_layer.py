"""The MetricFlow semantic layer answers every revenue, acquisition, sales and support KPI on a
built database, and gives the numbers of the marts: mrr_bridge, acquisition_months,
acquisition_channel_months, lead_funnel, speed_to_lead, sales_pipeline and support_kpis_monthly
(the medians, which those marts hold only per rep or segment, recomputed over the per-row facts).

Builds nothing: `python3 scripts/run.py test` passes the database it has just built in
REVOPS_TEST_DUCKDB_PATH (by hand: `REVOPS_TEST_DUCKDB_PATH=revops.duckdb .venv/bin/pytest
tests/test_semantic_layer.py` after `run.py build`). The project is parsed into a scratch
folder for `mf`, which reads <project dir>/target/semantic_manifest.json whatever the target
path, then each revenue metric is queried by month with `mf query`; the other areas' metrics are
queried several to an `mf query` (one call per area, one per channel split) to keep the run short.
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

import dbt_helpers

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
def mf_env(database: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for `mf` on a copy of the database (mf opens it for writing through dbt-duckdb;
    the copy, under the same file name as its catalog, leaves the original to the other tests'
    readers): the project parsed into a scratch project dir."""
    project = tmp_path_factory.mktemp("mf_project")
    shutil.copy(ROOT / "dbt_project.yml", project)
    copy = dbt_helpers.copy_database(database, project / "database")
    env = dict(os.environ)
    env.pop("DBT_PROJECT_DIR", None)
    env.update(DBT_PROFILES_DIR=str(ROOT), REVOPS_DUCKDB_PATH=str(copy))
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


# Acquisition, sales and support: each metric, and the mart value it must give in a month (?, the
# month), from its monthly mart - or, for a median no mart holds at the month's grain, recomputed
# over the fact the median is taken over. Metrics of one area are queried in one `mf query`.
MART_CHECKS: dict[str, dict[str, str]] = {
    "acquisition": {
        "ad_spend": "select ad_spend from marts.acquisition_months where date_month = ?",
        "sales_marketing_expense": "select sales_marketing_expense from marts.acquisition_months where date_month = ?",
        "cac_blended": "select cac_blended from marts.acquisition_months where date_month = ?",
        "cac_paid": "select cac_paid from marts.acquisition_months where date_month = ?",
        "cac_payback_months": "select cac_payback_months from marts.acquisition_months where date_month = ?",
        "ltv": "select ltv from marts.acquisition_months where date_month = ?",
        "ltv_to_cac": "select ltv_to_cac from marts.acquisition_months where date_month = ?",
        "attributed_new_customers":
            "select sum(new_customers) from marts.acquisition_channel_months where date_month = ?",
    },
    "sales": {
        "leads": "select sum(leads) from marts.lead_funnel where cohort_month = ?",
        "mqls": "select sum(mqls) from marts.speed_to_lead where mql_month = ?",
        "sqls": "select sum(sqls) from marts.acquisition_channel_months where date_month = ?",
        "opportunities": "select sum(opportunities_created) from marts.sales_pipeline where date_month = ?",
        "lead_to_customer_rate":
            "select sum(customers)::double / nullif(sum(leads), 0) from marts.lead_funnel where cohort_month = ?",
        "win_rate": """
            select sum(won_opportunities)::double / nullif(sum(closed_opportunities), 0)
            from marts.sales_pipeline where date_month = ?""",
        "win_rate_amount":
            "select sum(won_amount) / nullif(sum(closed_amount), 0) from marts.sales_pipeline where date_month = ?",
        "sales_cycle_days": """
            select percentile_cont(0.5) within group (order by sales_cycle_days)
            from marts.fct_opportunities where is_won and closed_month = ?""",
        "pipeline_created": "select sum(pipeline_created) from marts.sales_pipeline where date_month = ?",
        "speed_to_lead_hours": """
            select percentile_cont(0.5) within group (order by speed_to_lead_hours)
            from marts.fct_lead_funnel where mql_month = ?""",
    },
    "support": {
        "tickets": "select tickets from marts.support_kpis_monthly where date_month = ?",
        "first_reply_hours": "select first_reply_hours from marts.support_kpis_monthly where date_month = ?",
        "resolution_hours": "select resolution_hours from marts.support_kpis_monthly where date_month = ?",
        "csat": "select csat from marts.support_kpis_monthly where date_month = ?",
    },
}
# The metrics split by channel (the entity `channel`), and the per-channel mart value of each in a
# month; a channel without a mart row, or a null sum, counts 0.
CHANNEL_CHECKS: dict[str, str] = {
    "ad_spend": "select channel, ad_spend from marts.acquisition_channel_months where date_month = ?",
    "leads": "select channel, leads from marts.acquisition_channel_months where date_month = ?",
    "mqls": "select channel, mqls from marts.acquisition_channel_months where date_month = ?",
    "sqls": "select channel, sqls from marts.acquisition_channel_months where date_month = ?",
    "opportunities": "select channel, opportunities from marts.acquisition_channel_months where date_month = ?",
    "attributed_new_customers":
        "select channel, new_customers from marts.acquisition_channel_months where date_month = ?",
    "cac_channel": "select channel, cac_channel from marts.acquisition_channel_months where date_month = ?",
    "lead_to_customer_rate": "select channel, lead_to_customer_rate from marts.lead_funnel where cohort_month = ?",
}
# The mart rounds these to cents; LTV (and LTV:CAC) there use the ARPA of mrr_bridge rounded to cents.
CENTS = {"cac_blended", "cac_paid", "cac_channel", "ltv"}
ROUNDED_ARPA = {"ltv", "ltv_to_cac"}


def mf_query_rows(env: dict[str, str], metrics: list[str], group_by: str, out: Path) -> list[dict[str, str]]:
    """The rows `mf query --csv` writes for the metrics by the group-by ('' for null)."""
    command = [
        str(BIN / "mf"), "query", "--metrics", ",".join(metrics), "--group-by", group_by, "--csv", str(out),
    ]
    completed = subprocess.run(command, cwd=env["DBT_PROJECT_DIR"], env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def area_months(
    mf_env: dict[str, str], latest_complete_month: datetime.date, tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, str]]:
    """Each area's metrics in the latest complete month: one `mf query` by month per area."""
    folder = tmp_path_factory.mktemp("mf_areas")
    values: dict[str, dict[str, str]] = {}
    for area, checks in MART_CHECKS.items():
        rows = mf_query_rows(mf_env, list(checks), "metric_time__month", folder / f"{area}.csv")
        rows = [row for row in rows if row["metric_time__month"].startswith(latest_complete_month.isoformat())]
        assert len(rows) == 1, f"{area}: {len(rows)} rows for {latest_complete_month}"
        values.update({metric: rows[0][metric] for metric in checks})
    return values


@pytest.fixture(scope="module")
def channel_months(
    mf_env: dict[str, str], latest_complete_month: datetime.date, tmp_path_factory: pytest.TempPathFactory,
) -> list[dict[str, str]]:
    """The channel metrics by month and channel in the latest complete month, in one `mf query`."""
    out = tmp_path_factory.mktemp("mf_channels") / "channels.csv"
    rows = mf_query_rows(mf_env, list(CHANNEL_CHECKS), "metric_time__month,channel", out)
    return [row for row in rows if row["metric_time__month"].startswith(latest_complete_month.isoformat())]


def tolerance(metric: str) -> dict[str, float]:
    if metric in CENTS:
        return {"rel": 1e-5 if metric in ROUNDED_ARPA else 1e-9, "abs": 0.01}
    return {"rel": 1e-5 if metric in ROUNDED_ARPA else 1e-9, "abs": 1e-9}


@pytest.mark.parametrize(
    "metric", [metric for checks in MART_CHECKS.values() for metric in checks],
)
def test_area_metric_has_the_mart_value_in_the_latest_complete_month(
    metric: str, area_months: dict[str, str], database: Path, latest_complete_month: datetime.date,
) -> None:
    value = area_months[metric]
    assert value != "", f"{metric} is null in {latest_complete_month}"
    (sql,) = [checks[metric] for checks in MART_CHECKS.values() if metric in checks]
    with duckdb.connect(str(database), read_only=True) as connection:
        (expected,) = connection.execute(sql, [latest_complete_month]).fetchone()
    assert expected is not None, f"the mart has no {metric} in {latest_complete_month}"
    assert float(value) == pytest.approx(float(expected), **tolerance(metric))


@pytest.mark.parametrize("metric", list(CHANNEL_CHECKS))
def test_channel_metric_has_the_mart_value_by_channel(
    metric: str, channel_months: list[dict[str, str]], database: Path, latest_complete_month: datetime.date,
) -> None:
    with duckdb.connect(str(database), read_only=True) as connection:
        expected = dict(connection.execute(CHANNEL_CHECKS[metric], [latest_complete_month]).fetchall())
    actual = {row["channel"]: row[metric] for row in channel_months}
    assert any(value != "" for value in actual.values()), f"{metric} has no value by channel"
    is_ratio = metric in {"cac_channel", "lead_to_customer_rate"}
    for channel in sorted(set(expected) | set(actual)):
        mart, layer = expected.get(channel), actual.get(channel, "")
        if is_ratio:
            # A ratio is null (empty) where its denominator is 0 or the channel has no row.
            assert (layer == "") == (mart is None), f"{metric} of {channel}: {layer!r} vs {mart!r}"
            if mart is None:
                continue
        else:
            mart, layer = mart or 0, layer or 0
        assert float(layer) == pytest.approx(float(mart), **tolerance(metric)), f"{metric} of {channel}"
