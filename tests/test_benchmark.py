"""Smoke run of scripts/benchmark.py at a tiny scale: it runs end to end and writes every key
the README's table is made of. Not a timed test: no number is compared with a target here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dbt_helpers

KEYS = {
    "rows", "fct_customer_journey_rows", "full_build_s", "incremental_build_s", "raw_pass_s",
    "dbt_overhead_s", "peak_rss_mb", "bi_query_p50_ms",
}


def test_benchmark_writes_results_with_every_key(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "scripts/benchmark.py", "--scales", "0.05", "--out", str(tmp_path), "--bi-repeats", "1"],
        cwd=dbt_helpers.ROOT, capture_output=True, text=True,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    results = json.loads((tmp_path / "results.json").read_text())
    (scale,) = results["scales"]
    assert scale.keys() >= KEYS, KEYS - scale.keys()
    assert len(scale["rows"]) == 24 and all(rows > 0 for rows in scale["rows"].values()), scale["rows"]
    assert scale["fct_customer_journey_rows"] > 0
    assert len(scale["bi_query_p50_ms"]) == 5
    for key in ("full_build_s", "incremental_build_s", "raw_pass_s", "dbt_overhead_s", "peak_rss_mb"):
        assert scale[key] > 0, key
    table = (tmp_path / "results.md").read_text()
    assert table.startswith("| scale |") and "| 0.05 |" in table
    assert not (tmp_path / "work").exists(), "scratch data left behind"
