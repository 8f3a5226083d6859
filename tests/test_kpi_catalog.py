"""The README's KPI catalog is rendered from the kpi_* docs blocks and must be up to date;
every KPI block is used by at least one mart."""

from __future__ import annotations

import write_kpi_catalog


def test_readme_catalog_is_up_to_date() -> None:
    assert write_kpi_catalog.main(["--check"]) == 0


def test_every_kpi_block_is_used_by_a_mart() -> None:
    kpis = write_kpi_catalog.read_kpis()
    write_kpi_catalog.link_usage(kpis)
    unused = sorted(name for name, kpi in kpis.items() if not kpi.marts)
    assert not unused, f"KPI docs blocks no mart uses: {unused}"
