"""Two consecutive builds on the same data give identical marts: every table of the marts
schema is snapshotted, the models are built again into the same database, and each table is
compared row for row (both ways, duplicates included).

Runs on the database `python3 scripts/run.py test` has just built (REVOPS_TEST_DUCKDB_PATH);
skipped, with the reason, when run by hand without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).parent / "dbt")
SNAPSHOT = "idempotency_snapshot"


def mart_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in connection.execute("""
        select table_name from information_schema.tables
        where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1
    """).fetchall()]


def test_a_second_build_gives_identical_marts(database: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(database)) as connection:
        tables = mart_tables(connection)
        assert len(tables) >= 10, tables
        connection.execute(f"drop schema if exists {SNAPSHOT} cascade")
        connection.execute(f"create schema {SNAPSHOT}")
        for table in tables:
            connection.execute(f'create table {SNAPSHOT}."{table}" as select * from marts."{table}"')

    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT), REVOPS_DUCKDB_PATH=str(database))
    completed = subprocess.run(
        [DBT, "run", "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]

    differences = {}
    with duckdb.connect(str(database)) as connection:
        for table in tables:
            (only_before,) = connection.execute(f"""
                select count(*) from (
                    select * from {SNAPSHOT}."{table}" except all select * from marts."{table}"
                )
            """).fetchone()
            (only_after,) = connection.execute(f"""
                select count(*) from (
                    select * from marts."{table}" except all select * from {SNAPSHOT}."{table}"
                )
            """).fetchone()
            if only_before or only_after:
                differences[table] = (only_before, only_after)
        connection.execute(f"drop schema {SNAPSHOT} cascade")
    assert differences == {}, f"rows that differ between two builds (before-only, after-only): {differences}"
