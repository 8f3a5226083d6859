"""The contracts still catch a change of a public mart's columns.

Every public mart ends in `select {{ contract_columns() }} from final`, which casts each column
to its contract type (so DuckDB and Spark return the same types). Those casts would also hide
a change dbt's contract check exists to catch: a column added to the SQL but not to the YAML
would be dropped, and a column whose computed type changed would be converted silently. So
this test takes each mart's compiled SQL, replaces the contract's casts with `select *`, and
asks DuckDB for the columns the model's own SQL computes: the same names in the same order
as the contract, and each computed type the contract's type, or one it only widens or narrows
across engines (a sum of bigints is hugeint in DuckDB; text is varchar for `string`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

import dbt_helpers

# The computed DuckDB type a contract type may come from: the engine's own spelling, and the
# aggregate widenings that contract_columns() casts back (DuckDB sums bigints to hugeint).
SAME = {
    "string": {"VARCHAR"},
    "bigint": {"BIGINT", "HUGEINT", "INTEGER"},
    "integer": {"INTEGER"},
    "double": {"DOUBLE"},
    "boolean": {"BOOLEAN"},
    "date": {"DATE"},
    "timestamp": {"TIMESTAMP"},
}


@pytest.fixture(scope="module")
def compiled(database: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The marts compiled against a copy of the test database (under its own name: its catalog)."""
    copy, target = dbt_helpers.dbt_on_a_copy(database, tmp_path_factory.mktemp("contracts"),
                                             ["compile", "--select", "path:models/marts"])
    return copy, json.loads((target / "manifest.json").read_text())


def contracted_marts(manifest: dict) -> list[dict]:
    return [node for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["config"].get("contract", {}).get("enforced")]


def computed_columns(connection: duckdb.DuckDBPyConnection, node: dict) -> list[tuple[str, str]]:
    """The columns of the model's SQL without the contract's casts."""
    sql = node["compiled_code"]
    # the last select that starts a line and casts: KPI columns hold scalar subqueries
    # (kpi_coverage) inside their casts, so the last "select" of the text is not the contract's
    starts = [match.start() for match in re.finditer(r"^select\s+cast\(", sql, re.M)]
    start = starts[-1] if starts else sql.rfind("select")
    final = re.fullmatch(r"select\s+(cast\(.*)\s+from\s+(\w+)\s*", sql[start:], re.S)
    assert final, f"{node['name']} does not end in select {{{{ contract_columns() }}}} from <cte>"
    uncast = sql[:start] + f"select * from {final.group(2)}"
    return [(name, kind) for name, kind, *_ in connection.execute(f"describe {uncast}").fetchall()]


def test_every_public_mart_is_contracted_and_ends_in_the_contract_select(compiled: tuple[Path, dict]) -> None:
    _, manifest = compiled
    names = {node["name"] for node in contracted_marts(manifest)}
    marts = {node["name"] for node in manifest["nodes"].values()
             if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")}
    assert names == marts
    for node in contracted_marts(manifest):
        assert node["raw_code"].rstrip().endswith("from final") or "contract_columns('with_ratio')" in node[
            "raw_code"], node["name"]
        assert "contract_columns(" in node["raw_code"], node["name"]


def test_the_sql_computes_the_contract_columns(compiled: tuple[Path, dict]) -> None:
    database, manifest = compiled
    problems = []
    with duckdb.connect(str(database), read_only=True) as connection:
        for node in sorted(contracted_marts(manifest), key=lambda n: n["name"]):
            contract = [(name, column["data_type"]) for name, column in node["columns"].items()]
            computed = computed_columns(connection, node)
            if [name for name, _ in computed] != [name for name, _ in contract]:
                extra = [name for name, _ in computed if name not in dict(contract)]
                missing = [name for name, _ in contract if name not in dict(computed)]
                problems.append(f"{node['name']}: columns differ from the contract (not in the contract: {extra}; "
                                f"not computed: {missing}; or the order)")
                continue
            for (name, wanted), (_, kind) in zip(contract, computed, strict=True):
                allowed = SAME.get(wanted, {wanted.upper().replace(" ", "")})
                if kind.replace(" ", "") not in allowed:
                    problems.append(f"{node['name']}.{name}: the SQL computes {kind}, the contract says {wanted}")
    assert problems == []
