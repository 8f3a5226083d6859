"""Fixtures shared by the pytest suites."""

from __future__ import annotations

import json
import os
import sys
import time
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
# (its module fixtures, e.g. a shared build, are made once). The database `scripts/run.py test`
# built is only ever read by the tests (what writes, dbt, mf or publish, gets a copy:
# dbt_helpers.copy_database), so the modules that read it run beside each other.
SPREAD_MODULES = {"test_bad_input"}

# Seconds each group takes (per test for SPREAD_MODULES), from the pytest timeline
# `scripts/run.py test` prints (a 2-core machine, 2026-12-04; the smallest groups estimated).
# The groups start longest first, so no long group is left to run alone at the end
# (`--no-loadscope-reorder` keeps this order); a group not listed counts as DEFAULT_SECONDS.
# test_cross_engine starts last: it waits for the Spark build, which runs beside the other tests.
GROUP_SECONDS = {
    "test_optional_systems": 850, "test_byod": 510, "test_incremental": 360, "test_connectors": 150,
    "test_publish": 140, "test_semantic_layer": 130, "test_vocabulary": 110, "test_connector_folders": 70,
    "test_golden": 65, "test_check_raw": 40, "test_bad_input": 40, "test_benchmark": 36, "test_generator": 30,
    "test_docs": 30, "test_idempotency": 30, "test_dashboard": 30, "test_contracts": 25, "test_expectations": 20,
}
DEFAULT_SECONDS = 10
LAST_GROUPS = ("test_cross_engine",)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group and order the tests for `pytest -n N --dist loadgroup --no-loadscope-reorder`;
    without xdist the marks do nothing and the order is the same. tryfirst: pytest-xdist's worker
    reads the marks in its own hook of this name (it appends the group to the node id), and
    registered after this conftest it would otherwise run first and see no marks, so every group
    would be spread test by test."""
    def module_of(item: pytest.Item) -> str:
        return item.module.__name__.rsplit(".", 1)[-1]

    for item in items:
        if module_of(item) not in SPREAD_MODULES:
            item.add_marker(pytest.mark.xdist_group(module_of(item)))

    def rank(item: pytest.Item) -> tuple[bool, float]:
        module = module_of(item)
        return module in LAST_GROUPS, -GROUP_SECONDS.get(module, DEFAULT_SECONDS)

    items.sort(key=rank)  # stable: a module's tests keep their order


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """With REVOPS_TEST_TIMELINE set (scripts/run.py test sets it), append one JSON line per test:
    node id, xdist group, worker, start and end (setup to teardown, epoch seconds), so the run can
    say where its time goes (scripts/run.py prints the summary)."""
    started = time.time()
    yield
    timeline = os.environ.get("REVOPS_TEST_TIMELINE")
    if timeline:
        group = item.get_closest_marker("xdist_group")
        line = json.dumps({"test": item.nodeid.split("@", 1)[0], "group": group.args[0] if group else None,
                           "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
                           "start": round(started, 2), "end": round(time.time(), 2)})
        with open(timeline, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


@pytest.fixture(scope="session")
def database() -> Path:
    """The database `python3 scripts/run.py test` has just built on the demo data (it passes the
    path in REVOPS_TEST_DUCKDB_PATH). By hand: `REVOPS_TEST_DUCKDB_PATH=revops.duckdb
    .venv/bin/pytest tests/<suite>.py` after `python3 scripts/run.py build`."""
    path = os.environ.get("REVOPS_TEST_DUCKDB_PATH")
    if not path:
        pytest.skip("REVOPS_TEST_DUCKDB_PATH is not set: no built database to test (scripts/run.py test sets it)")
    return Path(path)
