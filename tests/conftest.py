"""Fixtures shared by the pytest suites."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    # A pytest-xdist worker runs with a bare __main__ (no __file__, no __spec__), which PySpark's
    # Spark Connect module (imported by great_expectations) takes for a doctest run without grpc,
    # and it calls sys.exit(0) (pyspark.sql.connect.utils.check_dependencies). Name the module.
    main_module = sys.modules["__main__"]
    if getattr(main_module, "__spec__", None) is None and not hasattr(main_module, "__file__"):
        main_module.__file__ = "<pytest-xdist worker>"

# Suites whose tests are independent builds, each on a folder of its own: pytest-xdist spreads
# their tests over the workers one by one. Every other module keeps its tests on one worker
# (its module fixtures, e.g. a shared build, are made once), and every test that reads the
# database `scripts/run.py test` built shares one worker, so no two processes open that file
# while one of them writes it.
SPREAD_MODULES = {"test_bad_input"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group the tests for `pytest -n N --dist loadgroup`; without xdist the marks do nothing.
    tryfirst: pytest-xdist's worker reads the marks in its own hook of this name (it appends the
    group to the node id), and registered after this conftest it would otherwise run first and
    see no marks, so every group would be spread test by test."""
    def module_of(item: pytest.Item) -> str:
        return item.module.__name__.rsplit(".", 1)[-1]

    on_built_database = {module_of(item) for item in items if "database" in getattr(item, "fixturenames", ())}
    for item in items:
        module = module_of(item)
        if module in on_built_database:
            item.add_marker(pytest.mark.xdist_group("built_database"))
        elif module not in SPREAD_MODULES:
            item.add_marker(pytest.mark.xdist_group(module))


@pytest.fixture(scope="session")
def database() -> Path:
    """The database `python3 scripts/run.py test` has just built on the demo data (it passes the
    path in REVOPS_TEST_DUCKDB_PATH). By hand: `REVOPS_TEST_DUCKDB_PATH=revops.duckdb
    .venv/bin/pytest tests/<suite>.py` after `python3 scripts/run.py build`."""
    path = os.environ.get("REVOPS_TEST_DUCKDB_PATH")
    if not path:
        pytest.skip("REVOPS_TEST_DUCKDB_PATH is not set: no built database to test (scripts/run.py test sets it)")
    return Path(path)
