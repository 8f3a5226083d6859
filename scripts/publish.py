"""Publish the built marts for readers, without ever locking them out or showing half a build.

    python scripts/publish.py [--build-db revops.duckdb] [--serving-dir serving]

DuckDB allows one writing process or many readers, never both: a dashboard holding the build
database open makes `dbt build` fail, and a build locks out every dashboard. So dbt writes to
the build database only, and this step copies every table of the marts schema into a new
serving database file, with a `publish_manifest` table (one row per mart with its row count,
and the publish id), checkpoints it, and moves it over `<serving-dir>/revops.duckdb` with one
atomic rename. A reader opening that path read-only gets either the previous file or the new
one, whole; a reader that already has the previous file open keeps reading it.

Beside the marts it publishes the semantic layer's saved queries (schema `semantic`, one table
each, as `mf query --saved-query <name>` answers it on the build database), for the numbers the
marts hold only at a finer grain (e.g. the monthly win rate, a ratio over reps; the median sales
cycle, which does not re-aggregate).

The same step exports every published table as Parquet into
`<serving-dir>/exports/<publish id>/<schema>/<table>.parquet` and then points the symlink
`<serving-dir>/exports/latest` at that folder (an atomic rename too), for BI tools that read
files. The previous two exports are kept; older ones are removed. The KPI dashboard
(`<serving-dir>/dashboard.html`, scripts/dashboard.py) is rendered from the new file before the
swap and swapped in right after it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    import duckdb
except ImportError:  # started with a Python outside the project's environment: use (or make) .venv
    import run  # stdlib only

    run.reexec_in_environment(__file__)

import dashboard  # noqa: E402  (after the environment check: it imports duckdb too)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
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


def run_saved_queries(build_db: Path, scratch: Path) -> dict[str, Path]:
    """Answer every saved query of the semantic layer on build_db with `mf query`; returns the CSV
    of each by name. The project is parsed against build_db first (the semantic manifest names
    the database's catalog), into a scratch project dir: mf reads <project dir>/target."""
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT), REVOPS_DUCKDB_PATH=str(build_db.resolve()))
    env.pop("DBT_PROJECT_DIR", None)
    shutil.copy(ROOT / "dbt_project.yml", scratch)
    say("semantic layer: dbt parse (for the semantic manifest)")
    _check([str(BIN / "dbt"), "parse", "--quiet", "--target-path", str(scratch / "target"),
            "--log-path", str(scratch / "logs")], env)
    manifest = json.loads((scratch / "target" / "semantic_manifest.json").read_text())
    names = sorted(query["name"] for query in manifest.get("saved_queries", []))
    results = {}
    for index, name in enumerate(names, 1):
        say(f"semantic layer: [{index}/{len(names)}] mf query --saved-query {name}")
        results[name] = scratch / f"{name}.csv"
        _check([str(BIN / "mf"), "query", "--saved-query", name, "--csv", str(results[name])],
               {**env, "DBT_PROJECT_DIR": str(scratch)})
    return results


def _check(command: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"publish failed running {' '.join(command[:3])}:\n"
                         f"{completed.stdout[-3000:]}{completed.stderr[-3000:]}")


def _stage(build_db: Path, staged: Path, export_dir: Path, publish_id: str, page: Path | None) -> dict:
    """Write the new serving file, its Parquet exports and its page, all under names no reader uses."""
    with tempfile.TemporaryDirectory(prefix="revops-publish-") as scratch:
        saved_queries = run_saved_queries(build_db, Path(scratch))

        # The serving file is attached under the same catalog name it is read with, so nothing in
        # it refers to the build database.
        connection = duckdb.connect()
        connection.execute(f"attach '{build_db}' as build_db (read_only)")
        connection.execute(f"attach '{staged}' as revops")
        tables = mart_tables(connection, "build_db")
        if not tables:
            raise SystemExit(f"{build_db}: the marts schema has no tables (did the build run?)")
        connection.execute("create schema revops.marts")
        connection.execute("create schema revops.semantic")
        sources = {("marts", table): f'build_db.marts."{table}"' for table in tables}
        sources.update({("semantic", name): f"read_csv('{path}', header = true)"
                        for name, path in saved_queries.items()})
        counts = {}
        for index, ((schema, table), source) in enumerate(sources.items(), 1):
            say(f"[{index}/{len(sources)}] {schema}.{table}")
            connection.execute(f'create table revops.{schema}."{table}" as select * from {source}')
            (counts[schema, table],) = connection.execute(
                f'select count(*) from revops.{schema}."{table}"').fetchone()
            (export_dir / schema).mkdir(parents=True, exist_ok=True)
            connection.execute(
                f"copy revops.{schema}.\"{table}\" to '{export_dir / schema / (table + '.parquet')}' "
                "(format parquet)")
        connection.execute("create table revops.marts.publish_manifest "
                           "(publish_id varchar, schema_name varchar, table_name varchar, row_count bigint)")
        connection.executemany("insert into revops.marts.publish_manifest values (?, ?, ?, ?)",
                               [(publish_id, schema, table, rows) for (schema, table), rows in counts.items()])
        connection.execute("checkpoint revops")
        connection.execute("detach revops")
        connection.close()

    # The page is rendered from the staged file before anything is swapped, so a failure here
    # leaves the previous publish whole.
    if page is not None:
        dashboard.render(staged, page, progress=say)
    return counts


def publish(build_db: Path, serving_dir: Path, *, render_dashboard: bool = True) -> dict[str, int]:
    """Copy the marts of build_db and the saved queries' answers into a new serving file and swap
    it in; export Parquet; render the dashboard. Returns the rows published per table."""
    if not build_db.exists():
        raise SystemExit(f"{build_db}: no build database (run `python3 scripts/run.py build` first)")
    serving_dir.mkdir(parents=True, exist_ok=True)
    publish_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"_{os.getpid()}"
    staged = serving_dir / f".{SERVING_NAME}.{publish_id}.tmp"
    exports = serving_dir / "exports"
    export_dir = exports / publish_id

    page = serving_dir / f".{dashboard.DASHBOARD_NAME}.{publish_id}.tmp" if render_dashboard else None
    try:
        counts = _stage(build_db, staged, export_dir, publish_id, page)
    except BaseException:
        # nothing of a failed publish stays behind (nor counts as one of the exports kept)
        for leftover in (staged, page):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
        shutil.rmtree(export_dir, ignore_errors=True)
        raise
    # Then the database and its page are swapped in.
    os.replace(staged, serving_dir / SERVING_NAME)
    if page is not None:
        os.replace(page, serving_dir / dashboard.DASHBOARD_NAME)
    link = exports / f".latest.{publish_id}"
    link.symlink_to(publish_id)
    os.replace(link, exports / "latest")
    for old in sorted(p for p in exports.iterdir() if p.is_dir() and not p.is_symlink())[:-KEEP_EXPORTS]:
        shutil.rmtree(old, ignore_errors=True)
    say(f"published {len(counts)} tables ({sum(counts.values()):,} rows) as {publish_id} "
        f"to {serving_dir / SERVING_NAME}, {exports / 'latest'}"
        + (f" and {serving_dir / dashboard.DASHBOARD_NAME}" if render_dashboard else ""))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-db", type=Path,
                        default=Path(os.environ.get("REVOPS_DUCKDB_PATH", ROOT / "revops.duckdb")))
    parser.add_argument("--serving-dir", type=Path,
                        default=Path(os.environ.get("REVOPS_SERVING_DIR", ROOT / "serving")))
    parser.add_argument("--no-dashboard", action="store_true", help="publish the data only")
    args = parser.parse_args()
    publish(args.build_db, args.serving_dir, render_dashboard=not args.no_dashboard)


if __name__ == "__main__":
    main()
