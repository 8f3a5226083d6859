"""No personal data reaches the marts: no column named like personal data, and no string value
of any column of any mart looks like an email address or a phone number.

Runs on the database `python3 scripts/run.py test` has just built (REVOPS_TEST_DUCKDB_PATH);
skipped, with the reason, when run by hand without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# A phone number: an international +digits, or digit groups joined by spaces, dots, dashes or
# parentheses. Plain digit strings (Salesforce-style ids, amounts) and ISO dates do not match.
PHONE = re.compile(r"\+\d[\d\s().-]{6,18}\d|\(?\b\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,5}\b")
PERSONAL_COLUMN_NAMES = {"email", "first_name", "last_name", "name", "full_name", "phone", "phone_number"}


def personal_values(values: list[str | None]) -> list[str]:
    """The values that look like an email address or a phone number."""
    return [value for value in values if value and (EMAIL.search(value) or PHONE.search(value))]


def test_the_patterns_catch_emails_and_phones_and_spare_ids_and_dates() -> None:
    assert personal_values([" Jane.Doe@Acme.io ", "+49 30 1234567", "(415) 555-0132", "030-1234-5678"]) == [
        " Jane.Doe@Acme.io ", "+49 30 1234567", "(415) 555-0132", "030-1234-5678",
    ]
    assert personal_values(["001000000000000001", "2025-01-31", "google / cpc / brand", "account mrr 100.00 -> 150.00",
                            "4b227777d4dd1fc61c6f884f48641d02", None]) == []


def test_no_mart_column_is_named_like_personal_data(database: Path) -> None:
    with duckdb.connect(str(database), read_only=True) as connection:
        columns = connection.execute("""
            select table_name, column_name from information_schema.columns where table_schema = 'marts'
        """).fetchall()
    assert columns, "no mart was built"
    assert [(t, c) for t, c in columns if c.lower() in PERSONAL_COLUMN_NAMES] == []


def test_no_mart_string_value_looks_like_an_email_or_a_phone(database: Path) -> None:
    hits: dict[str, list[str]] = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        string_columns = connection.execute("""
            select table_name, column_name from information_schema.columns
            where table_schema = 'marts' and data_type = 'VARCHAR'
        """).fetchall()
        assert string_columns
        for table, column in string_columns:
            values = [value for (value,) in connection.execute(
                f'select distinct "{column}" from marts."{table}"'
            ).fetchall()]
            found = personal_values(values)
            if found:
                hits[f"{table}.{column}"] = found[:5]
    assert hits == {}, f"personal data in the marts: {hits}"
