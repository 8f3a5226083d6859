"""Two consecutive builds on the same data give identical marts: the models are built a second
time into a copy of the built database, and every table of its marts schema is compared with the
first build's, row for row (both ways, duplicates included). The copy keeps the database other
tests read unwritten, so they may run beside this one.

Runs on the database `python3 scripts/run.py test` has just built (REVOPS_TEST_DUCKDB_PATH);
skipped, with the reason, when run by hand without it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

import dbt_helpers


def mart_tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [name for (name,) in connection.execute(f"""
        select table_name from information_schema.tables
        where table_catalog = '{catalog}' and table_schema = 'marts' and table_type = 'BASE TABLE' order by 1
    """).fetchall()]


def test_a_second_build_gives_identical_marts(database: Path, tmp_path: Path) -> None:
    rebuilt, _ = dbt_helpers.dbt_on_a_copy(database, tmp_path, ["run"])
    differences = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{database}' as first_build (read_only)")
        connection.execute(f"attach '{rebuilt}' as second_build (read_only)")
        tables = mart_tables(connection, "first_build")
        assert len(tables) >= 10, tables
        assert mart_tables(connection, "second_build") == tables
        for table in tables:
            (only_before,) = connection.execute(f"""
                select count(*) from (
                    select * from first_build.marts."{table}" except all select * from second_build.marts."{table}"
                )
            """).fetchone()
            (only_after,) = connection.execute(f"""
                select count(*) from (
                    select * from second_build.marts."{table}" except all select * from first_build.marts."{table}"
                )
            """).fetchone()
            if only_before or only_after:
                differences[table] = (only_before, only_after)
    assert differences == {}, f"rows that differ between two builds (first-only, second-only): {differences}"
