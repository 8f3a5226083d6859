"""`dbt docs generate` works on the built database, and the KPI dashboard is declared as an
exposure that depends on exactly what the page reads: every mart of scripts/dashboard.py's
datasets, and the metrics of the saved queries it shows.

Uses the database `python3 scripts/run.py test` has just built (REVOPS_TEST_DUCKDB_PATH); the
docs are generated into a scratch target path, with `--static` (one self-contained page).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import dashboard
import dbt_helpers


@pytest.fixture(scope="module")
def docs(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, target = dbt_helpers.dbt_on_a_copy(database, tmp_path_factory.mktemp("docs"), ["docs", "generate", "--static"])
    return target


def test_docs_site_is_generated(docs: Path) -> None:
    catalog = json.loads((docs / "catalog.json").read_text())
    assert "model.revops.mrr_bridge" in catalog["nodes"]
    page = (docs / "static_index.html").read_text()
    assert "kpi_dashboard" in page and len(page) > 1_000_000  # manifest and catalog inlined


def test_dashboard_exposure_depends_on_what_the_page_reads(docs: Path) -> None:
    manifest = json.loads((docs / "manifest.json").read_text())
    exposure = manifest["exposures"]["exposure.revops.kpi_dashboard"]
    assert exposure["type"] == "dashboard"
    depends = set(exposure["depends_on"]["nodes"])

    read = set()
    for query in dashboard.DATASETS.values():
        read |= set(re.findall(r"\bmarts\.(\w+)", query))
    read.add("dim_dates")  # the as-of date of the page's header
    assert {f"model.revops.{mart}" for mart in read} == {
        node for node in depends if node.startswith("model.")}

    semantic = manifest["saved_queries"]
    shown = {name for query in dashboard.DATASETS.values() for name in re.findall(r"\bsemantic\.(\w+)", query)}
    metrics = {metric for name in shown
               for metric in semantic[f"saved_query.revops.{name}"]["query_params"]["metrics"]}
    assert {f"metric.revops.{metric}" for metric in metrics} == {
        node for node in depends if node.startswith("metric.")}
