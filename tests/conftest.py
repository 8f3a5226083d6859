"""Fixtures shared by the pytest suites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def database() -> Path:
    """The database `python3 scripts/run.py test` has just built on the demo data (it passes the
    path in REVOPS_TEST_DUCKDB_PATH). By hand: `REVOPS_TEST_DUCKDB_PATH=revops.duckdb
    .venv/bin/pytest tests/<suite>.py` after `python3 scripts/run.py build`."""
    path = os.environ.get("REVOPS_TEST_DUCKDB_PATH")
    if not path:
        pytest.skip("REVOPS_TEST_DUCKDB_PATH is not set: no built database to test (scripts/run.py test sets it)")
    return Path(path)
