"""Bring your own data: a tiny hand-made folder in the documented contract builds through the
same models, as CSV and as Parquet, and gives the numbers worked out by hand below.

The folder tests/data/byod_tiny holds two CRM accounts (Acme, Globex), a self-serve billing
customer with no CRM record (Newco, EUR), a free-mail prospect (bob@gmail.com) and an
anonymous visitor; see the comments on each assertion for the arithmetic.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import dbt_helpers
import raw_contract

TINY = dbt_helpers.ROOT / "tests" / "data" / "byod_tiny"
# The whole journey, to compare builds of the same data read in different ways.
JOURNEY = """
    select event_id, account_key, event_at, event_type, channel, amount, source_record_id
    from marts.fct_customer_journey order by event_id
"""


def run_dbt(tmp_path: Path, name: str, args: list[str], files_path: Path | None = TINY,
            files_format: str = "csv", **settings: str | None) -> subprocess.CompletedProcess:
    """dbt_helpers.run_dbt reading the tiny folder unless told otherwise."""
    return dbt_helpers.run_dbt(tmp_path, name, args, files_path, files_format, **settings)


def dbt_build(tmp_path: Path, name: str, files_path: Path | None = TINY, files_format: str = "csv",
              **settings: str | None) -> Path:
    return dbt_helpers.dbt_build(tmp_path, name, files_path, files_format, **settings)


def typed_select(table: raw_contract.RawTable, csv_path: Path) -> str:
    """A select reading a contract CSV with the contract's column types."""
    casts = ", ".join(f"cast({c.name} as {c.type}) as {c.name}" for c in table.columns)
    return f"select {casts} from read_csv('{csv_path}', header = true, all_varchar = true)"


def to_parquet(source: Path, destination: Path) -> None:
    """Write the CSV folder as Parquet with the contract's column types."""
    with duckdb.connect() as connection:
        for table in raw_contract.all_tables():
            (destination / table.system).mkdir(parents=True, exist_ok=True)
            select = typed_select(table, source / table.system / f"{table.name}.csv")
            target = destination / table.system / f"{table.name}.parquet"
            connection.execute(f"copy ({select}) to '{target}' (format parquet)")


def to_duckdb_tables(source: Path, database: Path, schema_pattern: str) -> None:
    """Load the CSV folder into typed tables, one schema per system, of another DuckDB file."""
    with duckdb.connect(str(database)) as connection:
        for table in raw_contract.all_tables():
            schema = schema_pattern.format(system=table.system)
            connection.execute(f"create schema if not exists {schema}")
            select = typed_select(table, source / table.system / f"{table.name}.csv")
            connection.execute(f'create table {schema}."{table.name}" as {select}')


@pytest.fixture(scope="module")
def csv_build(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    tmp_path = tmp_path_factory.mktemp("byod_csv")
    database = dbt_build(tmp_path, "csv", TINY, "csv")
    connection = duckdb.connect(str(database), read_only=True)
    yield connection
    connection.close()


def rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


def test_every_raw_file_matches_the_contract() -> None:
    for table in raw_contract.all_tables():
        path = TINY / table.system / f"{table.name}.csv"
        header = path.read_text().splitlines()[0].split(",")
        assert header == table.column_names, f"{path} columns differ from the contract"


def test_as_of_date_is_derived_from_the_data(csv_build: duckdb.DuckDBPyConnection) -> None:
    # Every system's latest load is on 2025-03-01 (marketing: session s-5, loaded at 01:00).
    assert rows(csv_build, """
        select cast(as_of_date as varchar), as_of_date_source, cast(last_loaded_date as varchar)
        from staging.stg_run__as_of_date
    """) == [("2025-03-01", "last_day_every_system_loaded", "2025-03-01")]


def test_mrr_events_are_worked_out_by_hand(csv_build: duckdb.DuckDBPyConnection) -> None:
    events = rows(csv_build, """
        select cast(event_date as varchar), event_type, amount, source_record_id
        from marts.fct_customer_journey
        where event_category = 'billing'
        order by event_date, source_record_id
    """)
    assert events == [
        # Newco: 1 seat x EUR 1,200 a year = EUR 100 a month; USD per EUR = 1 / 0.95 -> 105.26.
        ("2025-01-20", "subscription_started", Decimal("105.26"), "sub_000000000002"),
        # Acme: 10 seats x USD 50 x (1 - 10 % discount) = 450.00.
        ("2025-02-01", "subscription_started", Decimal("450.00"), "sub_000000000001"),
        # Acme upgrades to 15 seats: (15 - 10) x 50 x 0.9 = +225.00.
        ("2025-02-15", "expansion", Decimal("225.00"), "sub_000000000001"),
        # Newco cancels its only subscription: churn of the whole 105.26.
        ("2025-02-25", "churn", Decimal("-105.26"), "sub_000000000002"),
    ]


def test_identity_resolution(csv_build: duckdb.DuckDBPyConnection) -> None:
    resolved = dict(rows(csv_build, """
        select source_table || ':' || source_record_id, match_method
        from intermediate.int_identities_resolved
    """))
    # The Stripe customer names the account in its metadata.
    assert resolved["customer:cus_000000000001"] == "explicit_link"
    # A lead converted to an account is linked by its converted ids.
    assert resolved["lead:00Q000000000000002"] == "explicit_link"
    # The visitor who filled in the demo form with jane@acme.io is matched by email.
    assert resolved["visitor:a-1"] == "email"
    # Newco is in no CRM: billing customer and support user share the business domain.
    assert resolved["customer:cus_000000000002"] == "unmatched"
    keys = dict(rows(csv_build, """
        select source_table || ':' || source_record_id, account_key
        from intermediate.int_identities_resolved
    """))
    assert keys["customer:cus_000000000002"] == keys["user:203"]
    # A gmail prospect never matches a company by domain.
    assert rows(csv_build, """
        select account_key_source from intermediate.int_identities_resolved
        where source_record_id = '00Q000000000000005'
    """) == [("person",)]


def test_duplicates_and_deletes_are_quarantined_not_lost(csv_build: duckdb.DuckDBPyConnection) -> None:
    assert rows(csv_build, """
        select source_record_id, quarantine_reason from intermediate.int_journey_quarantine
        where source_table = 'lead' order by 1
    """) == [
        ("00Q000000000000003", "duplicate_lead"),
        ("00Q000000000000004", "deleted_in_source"),
        # the extract delivered lead 5 twice: the later load wins, the extra row is counted
        ("00Q000000000000005", "duplicate_extract_row"),
    ]
    # Initech's account was deleted in Salesforce but its opportunity was not: the
    # opportunity's events are quarantined with the reason, not given an account of their own.
    assert rows(csv_build, """
        select source_table, event_type, quarantine_reason from intermediate.int_journey_quarantine
        where source_record_id in ('006000000000000004', '008000000000000008') order by 1, 2
    """) == [
        ("opportunity", "opportunity_created", "parent_deleted_in_source"),
        ("opportunity_history", "opportunity_stage_changed", "parent_deleted_in_source"),
    ]
    # The session loaded twice by the tracker is one touch.
    assert rows(csv_build, "select count(*) from marts.fct_customer_journey where source_record_id = 's-3'") == [(1,)]


def test_dim_accounts_has_one_row_per_key_and_no_personal_data(csv_build: duckdb.DuckDBPyConnection) -> None:
    assert rows(csv_build, """
        select account_kind, lifecycle_status, acquisition_channel
        from marts.dim_accounts order by account_kind, lifecycle_status
    """) == [
        ("business_domain", "churned", "unknown"),
        ("crm_account", "closed_lost", "paid_social"),
        ("crm_account", "customer", "paid_search"),
        ("person", "mql", "organic_search"),
        ("visitor", "visitor", "organic_search"),
    ]
    columns = {name for (name,) in rows(csv_build, """
        select column_name from information_schema.columns where table_schema = 'marts'
    """)}
    assert not columns & {"email", "name", "first_name", "last_name", "phone"}


def test_parquet_folder_builds_the_same_journey(
    csv_build: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    parquet_folder = tmp_path / "raw"
    to_parquet(TINY, parquet_folder)
    database = dbt_build(tmp_path, "parquet", parquet_folder, "parquet")
    with duckdb.connect(str(database), read_only=True) as parquet_build:
        assert rows(parquet_build, JOURNEY) == rows(csv_build, JOURNEY)


def test_a_missing_contract_column_fails_naming_table_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "raw"
    shutil.copytree(TINY, broken)
    lead_csv = broken / "crm" / "lead.csv"
    header, rest = lead_csv.read_text().split("\n", 1)
    lead_csv.write_text(header.replace("mql_date__c", "mql_date") + "\n" + rest)
    completed = run_dbt(tmp_path, "broken", ["run", "--select", "stg_crm__leads"], broken)
    assert completed.returncode != 0
    assert "Raw table crm.lead" in completed.stdout
    assert "missing column(s) mql_date__c" in completed.stdout


def test_tables_in_an_attached_database_build_the_same_journey(
    csv_build: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    landing = tmp_path / "landing.duckdb"
    to_duckdb_tables(TINY, landing, "fivetran_{system}")
    database = dbt_build(
        tmp_path, "tables", None,
        REVOPS_RAW_MODE="tables",
        REVOPS_RAW_ATTACH_PATH=str(landing),
        REVOPS_RAW_ATTACH_ALIAS="landing",
        REVOPS_RAW_DATABASE="landing",
        REVOPS_RAW_SCHEMA_PATTERN="fivetran_{system}",
    )
    with duckdb.connect(str(database), read_only=True) as tables_build:
        assert rows(tables_build, JOURNEY) == rows(csv_build, JOURNEY)


def test_own_data_without_a_salt_stops_the_build(tmp_path: Path) -> None:
    completed = run_dbt(tmp_path, "nosalt", ["compile", "--select", "int_identities_resolved"],
                        REVOPS_PII_SALT=None)
    assert completed.returncode != 0
    assert "REVOPS_PII_SALT is not set" in completed.stdout


def test_timestamps_with_an_offset_are_converted_to_utc(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(TINY, raw)
    tickets = raw / "support" / "ticket.csv"
    # Ticket 301 created at 11:00 in UTC+2, i.e. 09:00 UTC, replied at 11:00 UTC: 2 hours.
    tickets.write_text(tickets.read_text().replace(
        "2025-02-05 09:00:00,2025-02-05 11:00:00", "2025-02-05 11:00:00+02:00,2025-02-05 11:00:00"
    ))
    # build, not run: the staging model reads the mapping seeds, loaded by build
    completed = run_dbt(tmp_path, "tz", ["build", "--select", "+stg_support__tickets", "--exclude",
                                         "resource_type:test", "resource_type:unit_test"], raw)
    database = tmp_path / "tz.duckdb"
    assert completed.returncode == 0, completed.stdout[-3000:]
    with duckdb.connect(str(database), read_only=True) as connection:
        assert rows(connection, """
            select cast(created_at as varchar), first_reply_hours
            from staging.stg_support__tickets where ticket_id = 301
        """) == [("2025-02-05 09:00:00", 2.0)]


def test_spark_refuses_csv_files_with_the_way_out(tmp_path: Path) -> None:
    completed = run_dbt(tmp_path, "spark_csv", ["run", "--select", "stg_crm__leads"], TINY, "csv",
                        REVOPS_TARGET="spark", REVOPS_SPARK_DIR=str(tmp_path / "spark"))
    assert completed.returncode != 0
    assert "On Spark, raw_data_mode files reads Parquet only" in completed.stdout
    assert "Convert the files to Parquet, or load them as tables" in completed.stdout
