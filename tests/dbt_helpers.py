"""Shared helpers of the pytest suites that build the project on a raw folder of their own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).parent / "dbt")
PUBLISH = ROOT / "scripts" / "publish.py"


def run_dbt(tmp_path: Path, name: str, args: list[str], files_path: Path | None,
            files_format: str = "csv", project_dir: Path = ROOT, **settings: str | None) -> subprocess.CompletedProcess:
    """Run dbt on the project (or a copy of it in project_dir) into tmp_path/<name>.duckdb,
    reading raw files from files_path (files mode) unless settings say otherwise. A setting
    set to None is removed."""
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(ROOT), REVOPS_DUCKDB_PATH=str(tmp_path / f"{name}.duckdb"),
        REVOPS_TEMP_DIRECTORY=str(tmp_path / f"{name}_duckdb_tmp"),
        REVOPS_AS_OF_DATE="", REVOPS_PII_SALT="byod-test-salt",
    )
    if files_path is not None:
        env.update(REVOPS_RAW_MODE="files", REVOPS_RAW_FILES_PATH=str(files_path), REVOPS_RAW_FILES_FORMAT=files_format)
    for key, value in settings.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    command = [
        DBT, *args,
        "--target-path", str(tmp_path / f"{name}_target"),
        "--log-path", str(tmp_path / f"{name}_logs"),
    ]
    return subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)


def dbt_build(tmp_path: Path, name: str, files_path: Path | None, files_format: str = "csv",
              build_args: tuple[str, ...] = (), project_dir: Path = ROOT, unit_tests: bool = False,
              **settings: str | None) -> Path:
    """dbt build (plus build_args) into tmp_path/<name>.duckdb; fails the test on any error.
    Unit tests are left out unless asked for: they run on their own fixtures, whatever the raw
    data, and scripts/run.py test runs them in its own builds (a seventh of a build's time)."""
    if not unit_tests and "--exclude-resource-type" not in build_args:
        build_args = (*build_args, "--exclude-resource-type", "unit_test")
    completed = run_dbt(tmp_path, name, ["build", *build_args], files_path, files_format, project_dir, **settings)
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]
    return tmp_path / f"{name}.duckdb"


def copy_project(destination: Path) -> Path:
    """A copy of the project tree (what a user's clone holds: models, macros, seeds, tests,
    docs, ...), without builds, logs or test data, to edit and build without touching ROOT."""
    ignore = shutil.ignore_patterns(".git", ".venv", "target", "logs", "dbt_packages", "*.duckdb", "*.duckdb.wal",
                                    ".duckdb_tmp", "__pycache__", "data", "benchmark")
    shutil.copytree(ROOT, destination, ignore=ignore)
    return destination


def publish(build_db: Path, serving_dir: Path) -> None:
    """scripts/publish.py from build_db into serving_dir (the dashboard included); fails the test on error."""
    completed = subprocess.run([sys.executable, str(PUBLISH), "--build-db", str(build_db),
                                "--serving-dir", str(serving_dir)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]


def copy_database(database: Path, folder: Path) -> Path:
    """A copy of a built database in folder under the same file name (the name is the catalog
    the compiled SQL and the semantic manifest refer to). Anything that opens a database for
    writing (dbt, mf through dbt-duckdb, publish) gets a copy, so the tests that read the
    original can run beside it in other processes (DuckDB: one writer or many readers)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / database.name
    shutil.copy(database, copy)
    return copy


def dbt_on_a_copy(database: Path, scratch: Path, args: list[str]) -> tuple[Path, Path]:
    """dbt <args> on a copy of a built database (copy_database), so the original is neither
    written nor locked. Returns the copy and dbt's target folder; fails the test on any error."""
    copy = copy_database(database, scratch)
    completed = run_dbt(scratch, copy.stem, args, None, REVOPS_PII_SALT=None, REVOPS_TEMP_DIRECTORY=None)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return copy, scratch / f"{copy.stem}_target"
