"""Connector adapters (macros/connectors.sql, models/adapters/): the demo business landed as a
connector lands it builds through the adapter into the same marts as the canonical build.

The generator writes the demo with the CRM as Fivetran's Salesforce connector lands it (custom
fields as utm_source_c, roles in user_role, country codes beside names, forecast categories as
API values, the OpportunityHistory object, and the opportunity in History Mode in
salesforce_history), billing as Fivetran's Stripe connector lands it
(scripts/demo_connectors.py: subscription_history versions, items changed in place with their
history in the invoice lines' prorations, prices and products, coupons), support as Fivetran's
Zendesk connector lands it (no first-reply or solve time on the ticket: comments and the status
history; CSAT in the field history; domains in domain_name) and the ad spend as Fivetran's
Google Ads (network x device rows, micros), Facebook Ads (ad-day rows, campaigns through
ad_history) and LinkedIn Ads connectors land it (names and currencies in history tables with an
older version each), the rest in the raw contract, as Parquet. Built in files mode through these
connectors, every mart must equal the build of `scripts/run.py test` on the seeds, row for row
and to the cent, except what is by construction a count of the raw rows as landed
(marts.data_coverage) and the ids of Zendesk ratings (named by their ticket). The same folder
loaded as tables (each connector in the schema Fivetran names it) builds the same marts in
tables mode. A third build reads the CRM as Airbyte's Salesforce source lands it (stream tables,
API field names, _airbyte_extracted_at) through the same adapter: the same marts again.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import dbt_helpers
from test_cross_engine import MARTS

ROOT = Path(__file__).resolve().parent.parent
DEMO_SALT = "revops-demo-salt"  # macros/identity.sql's salt of the demo data, as scripts/run.py test uses it
# data_coverage counts raw rows as landed: the canonical demo re-delivers a few lead,
# opportunity and subscription rows (Salesforce and Stripe's subscription_history keep one
# current row per record), and Stripe records each in-place
# change as two proration lines the canonical demo's items do not need
RAW_COUNT_COLUMNS = {"raw_rows", "first_loaded_at", "last_loaded_at"}
CONNECTOR_SETTINGS = {"REVOPS_CRM_CONNECTOR": "salesforce", "REVOPS_BILLING_CONNECTOR": "stripe",
                      "REVOPS_SUPPORT_CONNECTOR": "zendesk",
                      "REVOPS_AD_CONNECTORS": "google_ads,facebook_ads,linkedin_ads"}
CONNECTORS = ("salesforce", "stripe", "ads", "zendesk")  # generate_demo_data.py --connector
# Fivetran's default schema (and files-mode folder) names
CONNECTOR_SCHEMAS = {"salesforce", "salesforce_history", "stripe", "zendesk", "google_ads", "facebook_ads",
                     "linkedin_ads"}
# The tables-mode build reads the stage history from History Mode (salesforce_history.opportunity):
# its warehouse has no OpportunityHistory table
NOT_LOADED_AS_TABLES = {("salesforce", "opportunity_history")}
# Zendesk's field history gives a rating no id of its own: the adapter names it by its ticket,
# where the canonical demo has a rating id. Journey rows of ratings are compared without their
# id columns (test_ratings_are_named_by_their_ticket checks those).
RATING_ID_COLUMNS = {"event_id", "source_record_id"}


@pytest.fixture(scope="module")
def connector_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stripe")
    raw = folder / "raw"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_demo_data.py"), "--layout", "files",
                    "--format", "parquet", *(f"--connector={name}" for name in CONNECTORS), "--out", str(raw)],
                   check=True, capture_output=True)
    return dbt_helpers.dbt_build(folder, "stripe", raw, "parquet", REVOPS_PII_SALT=DEMO_SALT, **CONNECTOR_SETTINGS)


@pytest.fixture(scope="module")
def connector_tables_build(connector_build: Path) -> Path:
    """The same folder loaded as tables, as Fivetran lands them in a warehouse: each connector in
    the schema Fivetran names it (salesforce, salesforce_history, stripe, ...), the other systems
    in raw_<system>, in an attached DuckDB file; no opportunity_history (NOT_LOADED_AS_TABLES)."""
    raw = connector_build.parent / "raw"
    landing = connector_build.parent / "landing.duckdb"
    with duckdb.connect(str(landing)) as connection:
        for folder in sorted(raw.iterdir()):
            schema = folder.name if folder.name in CONNECTOR_SCHEMAS else f"raw_{folder.name}"
            connection.execute(f"create schema {schema}")
            for file in sorted(folder.glob("*.parquet")):
                if (folder.name, file.stem) in NOT_LOADED_AS_TABLES:
                    continue
                connection.execute(f"create table {schema}.{file.stem} as select * from read_parquet('{file}')")
    return dbt_helpers.dbt_build(connector_build.parent, "stripe_tables", None, REVOPS_PII_SALT=DEMO_SALT,
                                 REVOPS_RAW_MODE="tables", REVOPS_RAW_ATTACH_PATH=str(landing),
                                 REVOPS_RAW_ATTACH_ALIAS="landing", REVOPS_RAW_DATABASE="landing",
                                 **CONNECTOR_SETTINGS)


@pytest.fixture(scope="module")
def airbyte_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with the CRM as Airbyte's Salesforce source lands it in DuckDB (stream tables
    such as opportunityhistory, API field names such as createddate and utm_source__c,
    _airbyte_extracted_at), the rest in the contract: read by the same adapter, settings only."""
    folder = tmp_path_factory.mktemp("airbyte")
    raw = folder / "raw"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_demo_data.py"), "--layout", "files",
                    "--format", "parquet", "--connector=salesforce_airbyte", "--out", str(raw)],
                   check=True, capture_output=True)
    return dbt_helpers.dbt_build(folder, "airbyte", raw, "parquet", REVOPS_PII_SALT=DEMO_SALT,
                                 REVOPS_CRM_CONNECTOR="salesforce")


@pytest.fixture(scope="module")
def both(database: Path, connector_build: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"attach '{database}' as canonical (read_only)")
    connection.execute(f"attach '{connector_build}' as stripe (read_only)")
    yield connection
    connection.close()


def columns(connection: duckdb.DuckDBPyConnection, catalog: str, mart: str) -> list[str]:
    return [name for (name,) in connection.execute(
        "select column_name from information_schema.columns where table_catalog = ? and table_schema = 'marts' "
        "and table_name = ? order by ordinal_position", [catalog, mart]).fetchall()]


def compared(mart: str, names: list[str], unnamed: tuple[str, ...] = ("satisfaction_rating",)) -> str:
    """The select list a mart is compared by (journey rows of the unnamed source tables without
    their ids)."""
    if mart != "fct_customer_journey":
        return ", ".join(f'"{name}"' for name in names)
    tables = ", ".join(f"'{table}'" for table in unnamed)
    return ", ".join(
        f"case when source_table in ({tables}) then null else \"{name}\" end as \"{name}\""
        if name in RATING_ID_COLUMNS else f'"{name}"' for name in names)


def assert_same_rows(connection: duckdb.DuckDBPyConnection, left: str, right: str, mart: str, listed: str) -> None:
    """The mart has the same rows (the listed columns, duplicates counted) in both attached builds."""
    for first, second in ((left, right), (right, left)):
        (extra,) = connection.execute(
            f"select count(*) from (select {listed} from {first}.marts.{mart} "
            f"except all select {listed} from {second}.marts.{mart})").fetchone()
        assert extra == 0, f"{extra} row(s) of {mart} only in the {first} build"


def test_the_layout_is_what_fivetran_lands(connector_build: Path) -> None:
    raw = connector_build.parent / "raw"
    assert not (raw / "billing").exists() and not (raw / "marketing" / "ad_spend.parquet").exists()
    assert {path.name for path in raw.iterdir()} >= CONNECTOR_SCHEMAS
    assert not (raw / "crm").exists()
    assert sorted(path.stem for path in (raw / "salesforce").iterdir()) == sorted([
        "account", "campaign", "campaign_member", "contact", "event", "lead", "opportunity", "opportunity_history",
        "task", "user", "user_role"])
    assert sorted(path.stem for path in (raw / "stripe").iterdir()) == sorted([
        "coupon", "customer", "invoice", "invoice_line_item", "price", "product", "subscription_discount",
        "subscription_history", "subscription_item"])
    connection = duckdb.connect()
    items = f"read_parquet('{raw}/stripe/subscription_item.parquet')"
    # one item per subscription, changed in place: no end date, the price as plan_id
    assert {name for (name, *_) in connection.execute(f"describe select * from {items}").fetchall()} == {
        "_fivetran_synced", "created", "id", "metadata", "plan_id", "quantity", "subscription_id"}
    (per_subscription,) = connection.execute(
        f"select max(n) from (select count(*) as n from {items} group by subscription_id)").fetchone()
    assert per_subscription == 1
    # Zendesk: no rating table, no first-reply or solve time on the ticket, domains in a table
    assert not (raw / "support").exists()
    assert sorted(path.stem for path in (raw / "zendesk").iterdir()) == sorted([
        "domain_name", "organization", "ticket", "ticket_comment", "ticket_field_history", "user"])
    ticket = {name for (name, *_) in connection.execute(
        f"describe select * from read_parquet('{raw}/zendesk/ticket.parquet')").fetchall()}
    assert "id" in ticket and not ticket & {"first_reply_at", "solved_at"}
    # Salesforce: custom fields with one underscore, the role in user_role, History Mode versions
    lead = {name for (name, *_) in connection.execute(
        f"describe select * from read_parquet('{raw}/salesforce/lead.parquet')").fetchall()}
    assert {"utm_source_c", "mql_date_c", "country_code"} <= lead and not lead & {"utm_source__c", "mql_date__c"}
    user = {name for (name, *_) in connection.execute(
        f"describe select * from read_parquet('{raw}/salesforce/user.parquet')").fetchall()}
    assert "user_role_id" in user and "user_role" not in user
    (versions, current, opportunities) = connection.execute(f"""
        select count(*), count(*) filter (where _fivetran_active), count(distinct id)
        from read_parquet('{raw}/salesforce_history/opportunity.parquet')
    """).fetchone()
    assert versions > current == opportunities > 0


def test_ratings_are_named_by_their_ticket(both: duckdb.DuckDBPyConnection) -> None:
    """A Zendesk rating read from the field history is named by its ticket id: one per ticket."""
    (ratings, named_by_a_ticket, canonical) = both.execute("""
        select
            count(*),
            count(distinct journey.source_record_id) filter (
                where journey.source_record_id in (
                    select cast(ticket_id as varchar) from stripe.marts.fct_support_tickets
                )
            ),
            (select count(*) from canonical.marts.fct_customer_journey where source_table = 'satisfaction_rating')
        from stripe.marts.fct_customer_journey as journey
        where journey.source_table = 'satisfaction_rating'
    """).fetchone()
    assert ratings == named_by_a_ticket == canonical > 0


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_equals_the_canonical_build(both: duckdb.DuckDBPyConnection, mart: str) -> None:
    names = columns(both, "canonical", mart)
    assert names and names == columns(both, "stripe", mart), "columns differ"
    if mart == "data_coverage":
        names = [name for name in names if name not in RAW_COUNT_COLUMNS]
    listed = compared(mart, names)
    assert_same_rows(both, "canonical", "stripe", mart, listed)


def test_tables_named_as_fivetran_names_them_build_the_same_marts(connector_build: Path,
                                                                 connector_tables_build: Path) -> None:
    """Tables mode, Salesforce in the schemas `salesforce` and `salesforce_history`, Stripe in
    `stripe`, Zendesk in `zendesk` and the ad platforms in theirs (the adapters' defaults),
    settings only. The stage history comes from History Mode here: the same stage changes, named
    <opportunity id>@<version start> (journey rows compared without their ids); every other id
    is compared."""
    connection = duckdb.connect()
    connection.execute(f"attach '{connector_build}' as files (read_only)")
    connection.execute(f"attach '{connector_tables_build}' as tables (read_only)")
    (from_history_mode, changes, native) = connection.execute("""
        select
            count(*) filter (where source_record_id like '006%@____-__-__ __:__:__%'),
            count(*),
            (select count(*) from files.marts.fct_customer_journey where source_table = 'opportunity_history')
        from tables.marts.fct_customer_journey
        where source_table = 'opportunity_history'
    """).fetchone()
    assert from_history_mode == changes == native > 0
    for mart in MARTS:
        listed = compared(mart, columns(connection, "files", mart), unnamed=("opportunity_history",))
        assert_same_rows(connection, "files", "tables", mart, listed)
    connection.close()


def test_an_in_place_seat_expansion_is_expansion_mrr_in_its_month(both: duckdb.DuckDBPyConnection) -> None:
    """sub_000000000009: 18 seats of Starter yearly at 290.00 a seat from 2024-12-10; on
    2025-02-10 its one Stripe item went to 22 seats in place (subscription_item says 28 now:
    another change on 2026-03-29). Only the proration lines date the change. MRR 18 x 290 / 12
    = 435.00, then 22 x 290 / 12 = 531.67: expansion 96.67 in February 2025."""
    rows = both.execute("""
        select months.date_month, months.previous_mrr, months.mrr, months.expansion_mrr, months.change_category
        from stripe.marts.fct_mrr_account_months as months
        where months.account_key = (
            select account_key from stripe.marts.fct_customer_journey
            where source_record_id = 'sub_000000000009' and event_type = 'subscription_started'
        )
            and months.date_month between '2025-01-01' and '2025-03-01'
        order by 1
    """).fetchall()
    assert [row[1:] for row in rows] == [
        (Decimal("435.00"), Decimal("435.00"), Decimal("0.00"), "unchanged"),
        (Decimal("435.00"), Decimal("531.67"), Decimal("96.67"), "expansion"),
        (Decimal("531.67"), Decimal("531.67"), Decimal("0.00"), "unchanged"),
    ]
    versions = both.execute("""
        select id, quantity, cast(created as varchar), cast(ended_at as varchar)
        from stripe.adapters.stripe__subscription_item
        where stripe_item_id = 'si_000000000009' order by created
    """).fetchall()
    assert versions == [
        ("si_000000000009", 18, "2024-12-10 10:59:11", "2025-02-10 21:25:18"),
        ("si_000000000009_v2", 22, "2025-02-10 21:25:18", "2026-03-29 08:30:44"),
        ("si_000000000009_v3", 28, "2026-03-29 08:30:44", None),
    ]


def test_salesforce_as_airbyte_lands_it_builds_the_same_marts(database: Path, airbyte_build: Path) -> None:
    raw = airbyte_build.parent / "raw"
    assert sorted(path.stem for path in (raw / "salesforce").iterdir()) == sorted([
        "account", "campaign", "campaignmember", "contact", "event", "lead", "opportunity", "opportunityhistory",
        "task", "user", "userrole"])
    connection = duckdb.connect()
    lead = {name for (name, *_) in connection.execute(
        f"describe select * from read_parquet('{raw}/salesforce/lead.parquet')").fetchall()}
    assert {"createddate", "isdeleted", "utm_source__c", "mql_date__c", "_airbyte_extracted_at"} <= lead
    assert not lead & {"created_date", "_fivetran_synced"}
    connection.execute(f"attach '{database}' as canonical (read_only)")
    connection.execute(f"attach '{airbyte_build}' as airbyte (read_only)")
    for mart in MARTS:
        names = columns(connection, "canonical", mart)
        assert names == columns(connection, "airbyte", mart), f"{mart}: columns differ"
        if mart == "data_coverage":
            names = [name for name in names if name not in RAW_COUNT_COLUMNS]
        listed = ", ".join(f'"{name}"' for name in names)
        assert_same_rows(connection, "canonical", "airbyte", mart, listed)
    connection.close()
