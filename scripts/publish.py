"""Publish the built marts for readers, without ever locking them out or showing half a build.

    python scripts/publish.py [--build-db revops.duckdb] [--serving-dir serving]

DuckDB allows one writing process or many readers, never both: a dashboard holding the build
database open makes `dbt build` fail, and a build locks out every dashboard. So dbt writes to
the build database only, and this step copies every table of the marts schema into a new
serving database file, with a `publish_manifest` table (one row per mart with its row count,
and the publish id), checkpoints it, and moves it over `<serving-dir>/revops.duckdb` with one
atomic rename. A reader opening that path read-only gets either the previous file or the new
one, whole; a reader that already has the previous file open keeps reading it.

The same step exports every mart as Parquet into `<serving-dir>/exports/<publish id>/` and
then points the symlink `<serving-dir>/exports/latest` at it (an atomic rename too), for BI
tools that read files. The previous two exports are kept; older ones are removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    import duckdb
except ImportError:  # started with a Python outside the project's environment: use (or make) .venv
    import run  # stdlib only

    run.reexec_in_environment(__file__)

ROOT = Path(__file__).resolve().parent.parent
SERVING_NAME = "revops.duckdb"
KEEP_EXPORTS = 3


def say(message: str) -> None:
    print(f"[publish {time.strftime('%H:%M:%S')}] {message}", flush=True)


def mart_tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [name for (name,) in connection.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = ? and table_schema = 'marts' and table_type = 'BASE TABLE' order by 1",
        [catalog],
    ).fetchall()]


def publish(build_db: Path, serving_dir: Path) -> dict[str, int]:
    """Copy the marts of build_db into a new serving file and swap it in; export Parquet.
    Returns the rows published per mart."""
    if not build_db.exists():
        raise SystemExit(f"{build_db}: no build database (run `python3 scripts/run.py build` first)")
    serving_dir.mkdir(parents=True, exist_ok=True)
    publish_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"_{os.getpid()}"
    staged = serving_dir / f".{SERVING_NAME}.{publish_id}.tmp"
    exports = serving_dir / "exports"
    export_dir = exports / publish_id

    # The serving file is attached under the same catalog name it is read with, so nothing in it
    # refers to the build database.
    connection = duckdb.connect()
    connection.execute(f"attach '{build_db}' as build_db (read_only)")
    connection.execute(f"attach '{staged}' as revops")
    tables = mart_tables(connection, "build_db")
    if not tables:
        raise SystemExit(f"{build_db}: the marts schema has no tables (did the build run?)")
    connection.execute("create schema revops.marts")
    counts = {}
    export_dir.mkdir(parents=True, exist_ok=True)
    for index, table in enumerate(tables, 1):
        say(f"[{index}/{len(tables)}] {table}")
        connection.execute(f'create table revops.marts."{table}" as select * from build_db.marts."{table}"')
        (counts[table],) = connection.execute(f'select count(*) from revops.marts."{table}"').fetchone()
        connection.execute(
            f"copy revops.marts.\"{table}\" to '{export_dir / (table + '.parquet')}' (format parquet)")
    connection.execute(
        "create table revops.marts.publish_manifest (publish_id varchar, mart varchar, row_count bigint)")
    connection.executemany("insert into revops.marts.publish_manifest values (?, ?, ?)",
                           [(publish_id, table, rows) for table, rows in counts.items()])
    connection.execute("checkpoint revops")
    connection.execute("detach revops")
    connection.close()

    os.replace(staged, serving_dir / SERVING_NAME)
    link = exports / f".latest.{publish_id}"
    link.symlink_to(publish_id)
    os.replace(link, exports / "latest")
    for old in sorted(p for p in exports.iterdir() if p.is_dir() and not p.is_symlink())[:-KEEP_EXPORTS]:
        shutil.rmtree(old, ignore_errors=True)
    say(f"published {len(tables)} marts ({sum(counts.values()):,} rows) as {publish_id} "
        f"to {serving_dir / SERVING_NAME} and {exports / 'latest'}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-db", type=Path,
                        default=Path(os.environ.get("REVOPS_DUCKDB_PATH", ROOT / "revops.duckdb")))
    parser.add_argument("--serving-dir", type=Path,
                        default=Path(os.environ.get("REVOPS_SERVING_DIR", ROOT / "serving")))
    args = parser.parse_args()
    publish(args.build_db, args.serving_dir)


if __name__ == "__main__":
    main()
