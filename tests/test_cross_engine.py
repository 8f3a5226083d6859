"""Same numbers on both engines: every mart built by `dbt build --target spark` (Apache Spark,
dbt-spark's session method) equals the same mart built on DuckDB from the same demo data.
Row sets are identical; money and every other decimal to the cent (exactly); dates, keys and
text exactly; doubles (rates, ratios, durations) to 1e-9 (relative, for values above 1).

`python3 scripts/run.py test` builds both and passes the DuckDB file in
REVOPS_TEST_DUCKDB_PATH and Spark's folder (warehouse and metastore) in REVOPS_TEST_SPARK_DIR;
the Spark build runs beside pytest, and these tests wait for the file REVOPS_TEST_SPARK_DONE,
where it writes the build's exit code.
Spark's tables are read here from the Parquet files Spark wrote for them (in
<spark dir>/warehouse/marts.db/<table>), with DuckDB, so no second JVM is started.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

TOLERANCE = 1e-9
SPARK_WAIT_SECONDS = 3600


@pytest.fixture(scope="module")
def spark_warehouse() -> Path:
    folder = os.environ.get("REVOPS_TEST_SPARK_DIR")
    if not folder:
        pytest.skip("REVOPS_TEST_SPARK_DIR is not set: no Spark build to compare (scripts/run.py test builds one)")
    done = os.environ.get("REVOPS_TEST_SPARK_DONE")
    if done:
        # scripts/run.py runs the Spark build beside pytest and writes its exit code here
        waited = 0.0
        while not Path(done).exists():
            assert waited < SPARK_WAIT_SECONDS, f"the Spark build did not finish within {SPARK_WAIT_SECONDS}s"
            time.sleep(5)
            waited += 5
        returncode = Path(done).read_text().strip()
        assert returncode == "0", f"the Spark build failed (exit code {returncode}): its log follows pytest's output"
    warehouse = Path(folder) / "warehouse" / "marts.db"
    assert warehouse.is_dir(), f"{warehouse}: the Spark build wrote no marts"
    return warehouse


@pytest.fixture(scope="module")
def engines(database: Path, spark_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    connection.execute(f"attach '{database}' as duck (read_only)")
    yield connection
    connection.close()


def mart_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in connection.execute(
        "select table_name from information_schema.tables where table_catalog = 'duck' "
        "and table_schema = 'marts' and table_type = 'BASE TABLE' order by 1").fetchall()]


MARTS = [
    "acquisition_channel_months", "acquisition_months", "ad_spend_monthly", "channel_economics",
    "cohort_retention", "data_coverage", "dim_accounts", "dim_dates", "fct_customer_journey",
    "fct_lead_funnel", "fct_mrr_account_months", "fct_opportunities", "fct_support_tickets", "funnel_leaks",
    "kpi_coverage", "kpi_driver_tree", "lead_funnel", "mrr_bridge", "sales_pipeline", "speed_to_lead",
    "support_account_months", "support_churn_bands_monthly", "support_churn_bands_summary",
    "support_kpis_monthly",
]


def test_spark_built_every_mart(engines: duckdb.DuckDBPyConnection, spark_warehouse: Path) -> None:
    assert mart_names(engines) == MARTS, "a mart was added or removed: compare it too (MARTS)"
    on_spark = {path.name for path in spark_warehouse.iterdir() if path.is_dir()}
    assert set(MARTS) <= on_spark


@pytest.mark.parametrize("mart", MARTS)
def test_mart_is_the_same_on_spark_and_duckdb(engines: duckdb.DuckDBPyConnection, spark_warehouse: Path,
                                              mart: str) -> None:
    assert mart in mart_names(engines), f"{mart} is not a mart of the DuckDB build"
    engines.execute(f"create or replace temp view spark_mart as "
                    f"select * from read_parquet('{spark_warehouse / mart}/*.parquet')")
    duck_columns = engines.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = 'duck' "
        "and table_schema = 'marts' and table_name = ? order by ordinal_position", [mart]).fetchall()
    spark_columns = [(name, kind) for name, kind, *_ in engines.execute("describe spark_mart").fetchall()]
    assert spark_columns == duck_columns, "columns or types differ"

    (duck_rows,) = engines.execute(f"select count(*) from duck.marts.{mart}").fetchone()
    (spark_rows,) = engines.execute("select count(*) from spark_mart").fetchone()
    assert (spark_rows, duck_rows) == (duck_rows, duck_rows), "row counts differ"

    # Pair the rows of both sides in the same order (exact columns first, doubles last), then
    # compare each column of each pair.
    exact = [f'"{name}"' for name, kind in duck_columns if kind != "DOUBLE"]
    floating = [f'"{name}"' for name, kind in duck_columns if kind == "DOUBLE"]
    order = ", ".join(f"{column} nulls first" for column in exact + floating)
    checks = [f"d.{c} is distinct from s.{c}" for c in exact] + [
        f"(d.{c} is null) <> (s.{c} is null) or abs(d.{c} - s.{c}) > {TOLERANCE} * greatest(1, abs(d.{c}))"
        for c in floating]
    mismatches = engines.execute(f"""
        with
        d as (select *, row_number() over (order by {order}) as pair from duck.marts.{mart}),
        s as (select *, row_number() over (order by {order}) as pair from spark_mart)
        select {", ".join(f"count(*) filter (where {check})" for check in checks)}
        from d inner join s on d.pair = s.pair
    """).fetchone()
    names = [name for name, kind in duck_columns if kind != "DOUBLE"] + [
        name for name, kind in duck_columns if kind == "DOUBLE"]
    differing = {name: count for name, count in zip(names, mismatches, strict=True) if count}
    assert differing == {}, f"rows differ between Spark and DuckDB in columns (rows): {differing}"
