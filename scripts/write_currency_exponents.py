"""Write seeds/reference/currency_exponents.csv: the minor-unit exponent of every currency, the
power of ten billing amounts are divided by (Stripe lands 5000 for USD 50.00, 5000 for JPY 5000,
5000 for KWD 5.000).

Source: the ISO 4217 list of currencies and funds (table A.1 of the maintenance agency), as
shipped by the Python package `iso4217` (its version carries the list's publication date and is
pinned in constraints.txt). Codes without a minor unit (gold, SDR, test codes: "N.A.") are left
out, so an amount in them stops the build instead of being read with a guessed exponent.

Stripe's API departs from ISO 4217 for a few currencies (https://docs.stripe.com/currencies:
zero-decimal currencies and "special cases"); the billing system is Stripe, so its convention
wins for those and the ISO exponent is kept beside it:
  ISK, UGX  ISO 0, Stripe two-decimal for backwards compatibility (5 ISK is amount 500)
  MGA       ISO 2, Stripe zero-decimal
HUF and TWD are two-decimal in Stripe's API as in ISO 4217 (Stripe's special case for them is
about payouts), so they need no override.

`--check` writes nothing and exits 1 when the committed seed differs from a fresh rendering
(scripts/run.py test and tests/test_raw_contract.py run it).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import iso4217

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "reference" / "currency_exponents.csv"

# currency -> (exponent of the billing system's amounts, why it differs from ISO 4217)
BILLING_OVERRIDES: dict[str, tuple[int, str]] = {
    "ISK": (2, "Stripe: two-decimal for backwards compatibility"),
    "UGX": (2, "Stripe: two-decimal for backwards compatibility"),
    "MGA": (0, "Stripe: zero-decimal"),
}


def iso_exponents() -> dict[str, int]:
    """ISO 4217 currency code -> minor unit, for the codes that have one."""
    exponents = {}
    for code, entry in iso4217.raw_table.items():
        minor_unit = entry.get("CcyMnrUnts")
        if code and minor_unit is not None and minor_unit.isdigit():
            exponents[code] = int(minor_unit)
    return exponents


def render() -> str:
    iso = iso_exponents()
    missing = sorted(set(BILLING_OVERRIDES) - set(iso))
    if missing:
        raise SystemExit(f"overridden currencies no longer in ISO 4217: {', '.join(missing)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["currency", "minor_unit_exponent", "iso_4217_exponent", "source"])
    for code in sorted(iso):
        exponent, source = BILLING_OVERRIDES.get(code, (iso[code], f"ISO 4217 ({iso4217.__published__})"))
        writer.writerow([code, exponent, iso[code], source])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the seed is out of date; write nothing")
    args = parser.parse_args(argv)
    text = render()
    current = SEED.read_text() if SEED.exists() else None
    if current == text:
        return 0
    if args.check:
        print(f"out of date, run scripts/write_currency_exponents.py: {SEED.relative_to(ROOT)}", file=sys.stderr)
        return 1
    SEED.parent.mkdir(parents=True, exist_ok=True)
    SEED.write_text(text)
    print(f"wrote {SEED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
