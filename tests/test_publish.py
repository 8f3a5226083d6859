"""Lock-free publishing: readers querying the serving database in a loop while a full build
and a publish happen see zero errors, and every read sees one whole published state (each
mart's row count equals the manifest of the same publish), the old one or the new one.

Readers are separate processes, as BI tools are: each iteration opens the serving file
read-only, checks every mart against the manifest, records the publish id and closes, then
pauses 0.1 s (hundreds of reads each over the build and the publish; polling without a pause, the
three readers took the two cores from the build and the test ran 135 s instead of 99 s).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb

import dbt_helpers

READER = r"""
import json, sys, time, duckdb
serving, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
seen, errors, reads = [], [], 0
import os
while not os.path.exists(stop):
    try:
        with duckdb.connect(serving, read_only=True) as connection:
            manifest = connection.execute(
                "select publish_id, schema_name, table_name, row_count from marts.publish_manifest").fetchall()
            ids = {row[0] for row in manifest}
            assert len(ids) == 1, ids
            for _, schema, table, rows in manifest:
                (actual,) = connection.execute(f'select count(*) from {schema}."{table}"').fetchone()
                assert actual == rows, (schema, table, actual, rows)
            if not seen or seen[-1] != ids.copy().pop():
                seen.append(ids.pop())
            reads += 1
    except Exception as error:  # every failure counts: a lock, a torn file, a mixed state
        errors.append(repr(error))
    time.sleep(0.1)
json.dump({"seen": seen, "errors": errors, "reads": reads}, open(out, "w"))
"""


def test_readers_never_fail_or_see_a_mix_during_build_and_publish(database: Path, tmp_path: Path) -> None:
    serving = tmp_path / "serving"
    dbt_helpers.publish(dbt_helpers.copy_database(database, tmp_path / "build"), serving)
    serving_db = serving / "revops.duckdb"
    with duckdb.connect(str(serving_db), read_only=True) as connection:
        (first_id,) = connection.execute("select distinct publish_id from marts.publish_manifest").fetchone()

    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(serving_db), str(stop), str(tmp_path / f"r{i}.json")])
        for i in range(3)
    ]
    try:
        time.sleep(1)
        # A full build into a build database of its own (another as-of date: another state),
        # then the publish, while the readers keep reading.
        dbt_helpers.dbt_build(tmp_path, "next_build", None, build_args=("--exclude", "test_type:data"),
                              REVOPS_RAW_MODE=None, REVOPS_AS_OF_DATE="2026-06-30")
        dbt_helpers.publish(tmp_path / "next_build.duckdb", serving)
        time.sleep(1)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    results = [json.loads((tmp_path / f"r{i}.json").read_text()) for i in range(3)]
    assert all(result["errors"] == [] for result in results), [r["errors"][:3] for r in results]
    for result in results:
        assert result["reads"] > 10
        # each reader saw the first publish, then the second, never back and forth
        assert result["seen"][0] == first_id and len(result["seen"]) == 2, result["seen"]

    exports = serving / "exports" / "latest"
    assert exports.is_symlink()
    with duckdb.connect(str(serving_db), read_only=True) as connection:
        manifest = connection.execute(
            "select schema_name, table_name, row_count from marts.publish_manifest").fetchall()
        published = {(schema, table) for schema, table, _ in manifest}
        marts = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_name != 'publish_manifest'").fetchall()
        # every mart and the semantic layer's saved query are published and exported
        assert {("marts", table) for (table,) in marts} | {("semantic", "sales_by_month")} == published
        for schema, table, rows in manifest:
            (exported,) = connection.execute(
                f"select count(*) from read_parquet('{exports / schema / (table + '.parquet')}')").fetchone()
            assert exported == rows, (schema, table)
    assert (serving / "dashboard.html").stat().st_size > 1_000_000  # plotly.js inlined, with the data


def test_a_failed_publish_leaves_the_previous_one_whole(database: Path, tmp_path: Path) -> None:
    serving = tmp_path / "serving"
    dbt_helpers.publish(dbt_helpers.copy_database(database, tmp_path / "build"), serving)
    before = sorted(path.name for path in serving.rglob("*"))
    with duckdb.connect(str(serving / "revops.duckdb"), read_only=True) as connection:
        (first_id,) = connection.execute("select distinct publish_id from marts.publish_manifest").fetchone()

    empty = tmp_path / "empty" / "revops.duckdb"  # a build database with no marts
    empty.parent.mkdir()
    duckdb.connect(str(empty)).close()
    completed = subprocess.run([sys.executable, str(dbt_helpers.PUBLISH), "--build-db", str(empty),
                                "--serving-dir", str(serving)], capture_output=True, text=True)
    assert completed.returncode != 0
    assert sorted(path.name for path in serving.rglob("*")) == before  # no staged file, page or export left
    with duckdb.connect(str(serving / "revops.duckdb"), read_only=True) as connection:
        assert connection.execute("select distinct publish_id from marts.publish_manifest").fetchall() == [
            (first_id,)]
