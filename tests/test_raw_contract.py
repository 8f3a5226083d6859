"""The raw contract is the single definition of the raw layer: the sources YAML, the seed
column types and docs/raw_contract.md are rendered from it and must be up to date."""

from __future__ import annotations

import raw_contract
import write_raw_contract


def test_rendered_files_are_up_to_date() -> None:
    assert write_raw_contract.main(["--check"]) == 0


def test_every_table_has_its_primary_key_and_loaded_at_columns() -> None:
    for table in raw_contract.all_tables():
        names = table.column_names
        assert len(names) == len(set(names)), f"{table.system}.{table.name} repeats a column"
        assert table.loaded_at_field in names
        for key in table.primary_key.split(", "):
            assert key in names, f"{table.system}.{table.name}: primary key {key} is not a column"


def test_every_raw_table_has_one_staging_model_file() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    assert set(raw_contract.STAGING_MODELS) == {(t.system, t.name) for t in raw_contract.all_tables()}
    for (system, _), model in raw_contract.STAGING_MODELS.items():
        assert (root / "models" / "staging" / system / f"{model}.sql").exists(), model


def test_every_source_has_freshness_thresholds_and_a_loaded_at_field() -> None:
    rendered = write_raw_contract.rendered_files()
    for system in raw_contract.SYSTEMS:
        text = next(body for path, body in rendered.items() if path.name == f"_{system.name}__sources.yml")
        assert "warn_after: {count: 2, period: day}" in text
        assert "error_after: {count: 4, period: day}" in text
        assert text.count("loaded_at_field:") == len(system.tables)


def test_currency_exponents_seed_equals_its_iso_4217_source() -> None:
    import write_currency_exponents

    assert write_currency_exponents.main(["--check"]) == 0
    rows = {line.split(",")[0]: line.split(",")[1]
            for line in write_currency_exponents.render().splitlines()[1:]}
    # zero-decimal, two-decimal and three-decimal currencies, and Stripe's departures from ISO
    assert {code: rows[code] for code in ("JPY", "KRW", "CLP", "VND", "USD", "EUR", "KWD", "BHD", "ISK", "MGA")} == {
        "JPY": "0", "KRW": "0", "CLP": "0", "VND": "0", "USD": "2", "EUR": "2", "KWD": "3", "BHD": "3",
        "ISK": "2", "MGA": "0",
    }
    # codes without a minor unit (gold, SDR, test) are left out, never defaulted to 2
    assert not {"XAU", "XDR", "XTS", "XXX"} & set(rows)
