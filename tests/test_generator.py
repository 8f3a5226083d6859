"""The demo-data generator: deterministic, exactly the contract's columns, and a business that adds up.

The committed bundle (seeds/demo) must equal a fresh generation with the default arguments; its business
invariants and each kind of deliberate dirt are checked with DuckDB on the committed CSV files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import generate_demo_data as gen
import raw_contract

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "seeds" / "demo"
END = "2026-10-31 23:59:59"
SMALL = ["--scale", "0.05", "--start", "2025-01-01", "--end", "2025-12-31"]
FORWARD_LOOKING = {("billing", "invoice", "period_end"), ("billing", "invoice_line_item", "period_end"),
                   ("billing", "subscription", "current_period_end")}
ARROW_TYPES = {"varchar": "string", "boolean": "bool", "bigint": "int64", "integer": "int32",
               "timestamp": "timestamp[us]", "date": "date32[day]"}


def run(out: Path, *args: str) -> Path:
    assert gen.main(["--out", str(out), *args]) == 0
    return out


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.suffix in (".csv", ".parquet")}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("gen")
    return {
        "csv_a": run(base / "csv_a", *SMALL, "--format", "csv"),
        "csv_b": run(base / "csv_b", *SMALL, "--format", "csv"),
        "csv_seed7": run(base / "csv_seed7", *SMALL, "--format", "csv", "--seed", "7"),
        "pq_a": run(base / "pq_a", *SMALL, "--format", "parquet"),
        "pq_b": run(base / "pq_b", *SMALL, "--format", "parquet"),
        "seeds": run(base / "seeds", *SMALL, "--format", "csv", "--layout", "seeds"),
    }


def test_same_seed_gives_identical_csv_and_parquet(small):
    assert digests(small["csv_a"]) == digests(small["csv_b"])
    assert digests(small["pq_a"]) == digests(small["pq_b"])
    assert len(digests(small["csv_a"])) == len(digests(small["pq_a"])) == len(raw_contract.all_tables())


def test_different_seed_gives_different_data(small):
    a, b = digests(small["csv_a"]), digests(small["csv_seed7"])
    changed = [name for name in a if a[name] != b[name]]
    assert "marketing/web_sessions.csv" in changed and "crm/lead.csv" in changed


@pytest.mark.parametrize("layout", ["files", "seeds"])
def test_csv_files_have_exactly_the_contract_columns(small, layout):
    folder = small["csv_a"] if layout == "files" else small["seeds"]
    for t in raw_contract.all_tables():
        name = f"{t.name}.csv" if layout == "files" else f"{t.system}__{t.name}.csv"
        with open(folder / t.system / name, "rb") as fh:
            header = fh.readline()
        assert header == (",".join(t.column_names) + "\n").encode(), f"{t.system}.{t.name}"


def test_parquet_files_have_the_contract_columns_and_types(small):
    for t in raw_contract.all_tables():
        schema = pq.read_schema(small["pq_a"] / t.system / f"{t.name}.parquet")
        assert schema.names == t.column_names, f"{t.system}.{t.name}"
        for column in t.columns:
            expected = ARROW_TYPES.get(column.type, column.type.replace("decimal", "decimal128").replace(",", ", "))
            assert str(schema.field(column.name).type) == expected, f"{t.system}.{t.name}.{column.name}"


def test_committed_bundle_equals_a_fresh_generation(tmp_path):
    fresh = run(tmp_path / "demo", "--layout", "seeds", "--format", "csv")
    committed = {k: v for k, v in digests(BUNDLE).items()}
    assert committed == digests(fresh)


def test_bundle_is_small_and_web_sessions_are_the_largest_table():
    files = {p.name: p.stat().st_size for p in BUNDLE.rglob("*.csv")}
    assert sum(files.values()) < 8.5 * 2**20
    assert max(files, key=files.get) == "marketing__web_sessions.csv"
    raw = b"".join(p.read_bytes() for p in BUNDLE.rglob("*.csv"))
    assert b"\r" not in raw
    assert raw.count(b"\n") - len(files) <= 150_000


@pytest.fixture(scope="module")
def db():
    """The committed bundle in DuckDB, each table read with the contract's types (raw_<system>.<table>)."""
    connection = duckdb.connect()
    for t in raw_contract.all_tables():
        connection.execute(f"create schema if not exists {t.system}")
        casts = ", ".join(f"cast({c.name} as {c.type}) as {c.name}" for c in t.columns)
        path = BUNDLE / t.system / f"{t.system}__{t.name}.csv"
        connection.execute(f'create table {t.system}."{t.name}" as select {casts} '
                           f"from read_csv('{path}', header = true, all_varchar = true)")
    yield connection
    connection.close()


def count(db, sql: str) -> int:
    return db.execute(f"select count(*) from ({sql})").fetchone()[0]


def test_nothing_happens_or_loads_after_the_end(db):
    for t in raw_contract.all_tables():
        for c in t.columns:
            if c.type in ("timestamp", "date") and (t.system, t.name, c.name) not in FORWARD_LOOKING:
                late = count(db, f'select 1 from {t.system}."{t.name}" where {c.name} > timestamp \'{END}\'')
                assert late == 0, f"{t.system}.{t.name}.{c.name}"


LOADED_AFTER_EVENT = {
    "marketing.ad_spend": "_loaded_at >= date_day", "marketing.web_sessions": "_loaded_at >= session_started_at",
    "marketing.form_submissions": "_loaded_at >= submitted_at", "finance.fx_rates": "_loaded_at >= rate_date",
    "finance.sm_expenses": "_loaded_at >= expense_month",
    "crm.lead": "_fivetran_synced >= greatest(created_date, mql_date__c, sql_date__c, converted_date)",
    "crm.opportunity": "_fivetran_synced >= last_modified_date and last_modified_date >= created_date",
    "crm.opportunity_history": "_fivetran_synced >= created_date",
    "crm.task": "_fivetran_synced >= greatest(created_date, completed_date_time)",
    "crm.event": "_fivetran_synced >= created_date", "crm.contact": "_fivetran_synced >= created_date",
    "crm.account": "_fivetran_synced >= last_modified_date and last_modified_date >= created_date",
    "crm.campaign_member": "_fivetran_synced >= created_date", "crm.user": "_fivetran_synced >= created_date",
    "billing.customer": "_fivetran_synced >= created",
    "billing.subscription": "_fivetran_synced >= greatest(start_date, canceled_at, ended_at)",
    "billing.subscription_item": "_fivetran_synced >= greatest(created, ended_at)",
    "billing.invoice": "_fivetran_synced >= greatest(created, paid_at)",
    "billing.invoice_line_item": "_fivetran_synced >= period_start",
    "support.organization": "_fivetran_synced >= updated_at and updated_at >= created_at",
    "support.user": "_fivetran_synced >= updated_at and updated_at >= created_at",
    "support.ticket": """_fivetran_synced >= updated_at
        and updated_at >= greatest(created_at, first_reply_at, solved_at)""",
    "support.satisfaction_rating": "_fivetran_synced >= created_at",
}


@pytest.mark.parametrize("table", sorted(LOADED_AFTER_EVENT))
def test_rows_load_after_their_own_event(db, table):
    system, name = table.split(".")
    assert count(db, f'select 1 from {system}."{name}" where not ({LOADED_AFTER_EVENT[table]})') == 0


INVARIANTS = {
    "lead funnel in order": """select 1 from crm.lead where mql_date__c < created_date or sql_date__c < mql_date__c
        or converted_date < cast(sql_date__c as date) or (is_converted and sql_date__c is null)""",
    "conversion ids iff converted": "select 1 from crm.lead where is_converted <> (converted_account_id is not null)",
    "converted deal on converted account": """select 1 from crm.lead l join crm.opportunity o
        on o.id = l.converted_opportunity_id where o.account_id <> l.converted_account_id""",
    "stage flags": """select 1 from crm.opportunity where is_closed <> (stage_name in ('Closed Won', 'Closed Lost'))
        or is_won <> (stage_name = 'Closed Won') or close_date < cast(created_date as date)""",
    "history within deal": """select 1 from crm.opportunity_history h join crm.opportunity o on o.id = h.opportunity_id
        where h.created_date < o.created_date or h.created_date > o.last_modified_date""",
    "first history row is Discovery at creation": """select 1 from (select opportunity_id,
            arg_min(stage_name, created_date) s, min(created_date) t from crm.opportunity_history group by 1) h
        join crm.opportunity o on o.id = h.opportunity_id where h.s <> 'Discovery' or h.t <> o.created_date""",
    "closed deal ends its history": """select 1 from (select opportunity_id,
            arg_max(stage_name, created_date) s, max(created_date) t from crm.opportunity_history group by 1) h
        join crm.opportunity o on o.id = h.opportunity_id
        where h.s <> o.stage_name or (o.is_closed and cast(h.t as date) <> o.close_date)""",
    "subscription after won deal": """select 1 from billing.subscription s
        join billing.customer c on c.id = s.customer_id
        join crm.opportunity o on o.account_id = json_extract_string(c.metadata, '$.sfdc_account_id')
            and o.type = 'New Business'
        where not o.is_won or cast(s.start_date as date) < o.close_date""",
    "subscription dates": """select 1 from billing.subscription where ended_at < start_date
        or canceled_at > ended_at or canceled_at < start_date or (status = 'canceled') <> (ended_at is not null)""",
    "items chain within subscription": """select 1 from (select *,
            lead(created) over (partition by subscription_id order by created) nxt from billing.subscription_item) i
        join billing.subscription s on s.id = i.subscription_id
        where i.created < s.start_date or i.ended_at < i.created
            or coalesce(i.nxt <> i.ended_at, i.nxt is null and i.ended_at is distinct from s.ended_at)""",
    "invoice arithmetic": """select 1 from billing.invoice i join (select invoice_id, sum(amount) a,
            sum(discount_amount) d from billing.invoice_line_item group by 1) l on l.invoice_id = i.id
        where i.subtotal <> l.a or i.total_discount_amount <> l.d or i.total <> i.subtotal - i.total_discount_amount
            or i.amount_paid > i.total or i.paid_at < i.created""",
    "ticket times": """select 1 from support.ticket where first_reply_at < created_at or solved_at < first_reply_at
        or (status in ('solved', 'closed')) <> (solved_at is not null)""",
    "rating after solve": """select 1 from support.satisfaction_rating r join support.ticket t on t.id = r.ticket_id
        where r.created_at < t.solved_at""",
    "events ordered": "select 1 from crm.event where end_date_time < start_date_time or created_date > start_date_time",
    "web lead minutes after its form": """select 1 from crm.lead l where lead_source not in ('Event', 'Outbound')
        and not exists (select 1 from marketing.form_submissions f where f.email = l.email
            and l.created_date between f.submitted_at and f.submitted_at + interval 11 minute)""",
    "paid sessions tagged": """select 1 from marketing.web_sessions s
        where (utm_medium = 'cpc' and (utm_source <> 'google' or utm_campaign not in
                (select lower(campaign_name) from marketing.ad_spend where platform = 'google_ads')))
            or (utm_medium = 'paid_social' and utm_campaign not in
                (select lower(campaign_name) from marketing.ad_spend where platform <> 'google_ads'))""",
    "lead source matches form tags": """select 1 from crm.lead
        where (utm_medium__c = 'cpc' and lead_source <> 'Paid Search')
            or (utm_medium__c = 'paid_social' and lead_source <> 'Paid Social')
            or (lead_source in ('Event', 'Outbound') and utm_medium__c is not null)""",
    "ad currencies": """select 1 from marketing.ad_spend where clicks > impressions
        or currency <> case platform when 'google_ads' then 'USD' when 'meta_ads' then 'EUR' else 'GBP' end""",
    "fx business days": "select 1 from finance.fx_rates where dayofweek(rate_date) in (0, 6) or base_currency <> 'USD'",
    "references exist": """
        select 1 from crm.opportunity where account_id not in (select id from crm.account)
        union all select 1 from crm.task where what_id not in (select id from crm.opportunity)
        union all select 1 from crm.task
            where who_id not in (select id from crm.lead union all select id from crm.contact)
        union all select 1 from billing.invoice_line_item
            where subscription_item_id not in (select id from billing.subscription_item)
        union all select 1 from support.ticket where requester_id not in (select id from support."user")
        union all select 1 from support.organization where external_id not in (select id from crm.account)""",
}


@pytest.mark.parametrize("name", sorted(INVARIANTS))
def test_business_invariants(db, name):
    assert count(db, INVARIANTS[name]) == 0, name


DIRT = {
    "duplicate leads": """select lower(trim(email)) from crm.lead where not is_deleted group by 1
        having count(*) > 1 and count(distinct email) > 1""",
    "emails with stray spaces": """select 1 from crm.lead where email <> trim(email)
        union all select 1 from billing.customer where email <> trim(email)""",
    "emails in other case": """select 1 from crm.contact where email <> lower(email)
        union all select 1 from support."user" where email <> lower(email)""",
    "deleted leads": "select 1 from crm.lead where is_deleted",
    "deleted contacts": "select 1 from crm.contact where is_deleted",
    "deleted deals": "select 1 from crm.opportunity where is_deleted",
    "deleted tasks": "select 1 from crm.task where is_deleted",
    "deleted tickets": "select 1 from support.ticket where _fivetran_deleted",
    "deleted support users": 'select 1 from support."user" where _fivetran_deleted',
    "late sessions": "select 1 from marketing.web_sessions where _loaded_at > session_started_at + interval 2 day",
    "late tickets": "select 1 from support.ticket where _fivetran_synced > updated_at + interval 2 day",
    "late history": "select 1 from crm.opportunity_history where _fivetran_synced > created_date + interval 2 day",
    "re-extracted sessions": """select session_id from marketing.web_sessions group by 1
        having count(*) = 2 and count(distinct (anonymous_id, session_started_at, utm_source)) = 1""",
    "missing optional values": "select 1 from crm.lead where phone is null and title is null",
    "self-serve customers": """select 1 from billing.customer where metadata = '{}'
        and split_part(lower(trim(email)), '@', 2) not in (select split_part(lower(email), '@', 2) from crm.contact)""",
    "open deals": "select 1 from crm.opportunity where not is_closed",
    "backward stage moves": """select 1 from (select list_position(['Discovery', 'Demo', 'Proposal', 'Negotiation'],
            stage_name) pos, lag(pos) over (partition by opportunity_id order by created_date) prev
        from crm.opportunity_history) where pos < prev""",
    "add-on and reactivation": "select customer_id from billing.subscription group by 1 having count(*) > 1",
}


@pytest.mark.parametrize("name", sorted(DIRT))
def test_each_kind_of_dirt_and_edge_case_is_present(db, name):
    assert count(db, DIRT[name]) >= 1, name


@pytest.mark.parametrize("table", ["crm.lead", "crm.opportunity", "billing.subscription", "support.ticket"])
def test_connector_redelivered_a_few_rows_later(db, table):
    """Two to four exact copies of a row, loaded later than the original (the warehouse keeps the latest)."""
    system, name = table.split(".")
    others = ", ".join(c for c in raw_contract.table(system, name).column_names if c != "_fivetran_synced")
    extra, copied, identical, later = db.execute(f"""
        select sum(n - 1), count(*), count(*) filter (versions = 1), count(*) filter (loads = n)
        from (select id, count(*) as n, count(distinct ({others})) as versions,
                     count(distinct _fivetran_synced) as loads
              from {system}."{name}" group by id having count(*) > 1)""").fetchone()
    assert 2 <= extra <= 4 and identical == copied and later == copied, (extra, copied, identical, later)


def test_a_deleted_account_takes_its_contacts_and_deals_along(db):
    cascaded = """select a.id from crm.account a where a.is_deleted
        and exists (select 1 from crm.contact c where c.account_id = a.id)
        and exists (select 1 from crm.opportunity o where o.account_id = a.id)
        and not exists (select 1 from crm.contact c where c.account_id = a.id and not c.is_deleted)
        and not exists (select 1 from crm.opportunity o where o.account_id = a.id and not o.is_deleted)"""
    assert count(db, cascaded) >= 1
    # Stripe and Zendesk do not hear of a Salesforce deletion.
    assert count(db, f"""select 1 from billing.customer
        where is_deleted and json_extract_string(metadata, '$.sfdc_account_id') in ({cascaded})
        union all select 1 from support.organization where _fivetran_deleted and external_id in ({cascaded})""") == 0


def test_a_deleted_account_keeps_a_live_deal_with_history(db):
    assert count(db, """select 1 from crm.account a join crm.opportunity o on o.account_id = a.id
        where a.is_deleted and not o.is_deleted
            and exists (select 1 from crm.opportunity_history h where h.opportunity_id = o.id)""") >= 1


def test_exactly_one_deleted_stripe_customer(db):
    assert count(db, "select 1 from billing.customer where is_deleted") == 1


def test_bad_support_goes_with_churn(db):
    rates = dict(db.execute("""
        with accounts as (select json_extract_string(c.metadata, '$.sfdc_account_id') as account_id,
                                 bool_and(s.status = 'canceled') as churned
                          from billing.subscription s join billing.customer c on c.id = s.customer_id group by 1),
        unhappy as (select o.external_id as account_id from support.ticket t
                    join support.organization o on o.id = t.organization_id
                    left join support.satisfaction_rating r on r.ticket_id = t.id
                    where o.external_id is not null group by 1
                    having count(*) filter (r.score = 'bad') > 0 or count(*) filter (t.priority = 'urgent') >= 2)
        select a.account_id in (select account_id from unhappy), avg(a.churned::int)
        from accounts a where a.account_id is not null group by 1""").fetchall())
    assert rates[True] >= 2 * rates[False]


def test_default_scale_sizes(db):
    assert 300 <= count(db, "select 1 from crm.account") <= 600
    assert 120 <= count(db, "select 1 from billing.customer") <= 400
    assert 10 <= count(db, 'select 1 from crm."user"') <= 20


def test_rows_are_sorted_by_primary_key(db):
    for t in raw_contract.all_tables():
        key = f"row({t.primary_key})"
        unsorted = count(db, f'select 1 from (select {key} as k, lag({key}) over (order by rowid) as prev '
                             f'from {t.system}."{t.name}") where k < prev')
        assert unsorted == 0, f"{t.system}.{t.name}"
