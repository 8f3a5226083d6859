"""Golden numbers: the project built on a tiny hand-made raw folder (tests/data/golden) gives
every KPI worked out by hand in tests/data/golden/GOLDEN.md, money to the cent, rates to 1e-9.

The expected values are the table EXPECTED below, in the order of GOLDEN.md; the tests only
read the marts and compare (see "Disagreements" in GOLDEN.md for what it found).
"""

from __future__ import annotations

import statistics
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

import dbt_helpers
import raw_contract

GOLDEN = dbt_helpers.ROOT / "tests" / "data" / "golden"
AS_OF_DATE = "2025-04-30"
MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04")
AE = "005000000000000001"
SDR = "005000000000000002"
# Billing customer of each paying account, to name the account keys of the MRR marts.
CUSTOMERS = {
    "cus_000000000001": "Acme", "cus_000000000002": "Bravo", "cus_000000000003": "Charlie",
    "cus_000000000004": "Delta", "cus_000000000005": "Echo",
}


def D(amount: str) -> Decimal:
    return Decimal(amount)


# ---------------------------------------------------------------------------------------------
# EXPECTED: every number of GOLDEN.md. Money is Decimal (to the cent), counts int, rates and
# hours float written as their hand arithmetic, None where the KPI is null.
# ---------------------------------------------------------------------------------------------
EXPECTED: dict[str, Any] = {
    # MRR per account (month-end snapshot): (mrr, change_category); no row before the first paid month.
    "mrr_per_account": {
        "Acme": {"2025-02": (D("1000.00"), "new"), "2025-03": (D("1500.00"), "expansion"),
                 "2025-04": (D("1500.00"), "unchanged")},
        "Bravo": {"2025-02": (D("1250.00"), "new"), "2025-03": (D("1250.00"), "unchanged"),
                  "2025-04": (D("1250.00"), "unchanged")},
        "Charlie": {"2025-01": (D("300.00"), "new"), "2025-02": (D("300.00"), "unchanged"),
                    "2025-03": (D("250.00"), "contraction"), "2025-04": (D("250.00"), "unchanged")},
        "Delta": {"2025-01": (D("300.00"), "new"), "2025-02": (D("0.00"), "churn"),
                  "2025-03": (D("0.00"), "inactive"), "2025-04": (D("200.00"), "reactivation")},
        "Echo": {"2025-04": (D("500.00"), "new")},
    },
    "mrr_bridge": {
        "2025-01": dict(
            starting_mrr=D("0.00"), new_mrr=D("600.00"), expansion_mrr=D("0.00"), reactivation_mrr=D("0.00"),
            contraction_mrr=D("0.00"), churned_mrr=D("0.00"), ending_mrr=D("600.00"), ending_arr=D("7200.00"),
            starting_customers=0, new_customers=2, reactivated_customers=0, churned_customers=0,
            active_customers=2, arpa=D("300.00"), logo_churn_rate=None, gross_mrr_churn_rate=None,
            net_mrr_churn_rate=None, quick_ratio=None, mrr_12_months_ago=D("0.00"),
            net_revenue_retention=None, gross_revenue_retention=None,
        ),
        "2025-02": dict(
            starting_mrr=D("600.00"), new_mrr=D("2250.00"), expansion_mrr=D("0.00"), reactivation_mrr=D("0.00"),
            contraction_mrr=D("0.00"), churned_mrr=D("300.00"), ending_mrr=D("2550.00"), ending_arr=D("30600.00"),
            starting_customers=2, new_customers=2, reactivated_customers=0, churned_customers=1,
            active_customers=3, arpa=D("850.00"), logo_churn_rate=1 / 2, gross_mrr_churn_rate=(0 + 300) / 600,
            net_mrr_churn_rate=(0 + 300 - 0 - 0) / 600, quick_ratio=(2250 + 0 + 0) / (0 + 300),
            mrr_12_months_ago=D("0.00"), net_revenue_retention=None, gross_revenue_retention=None,
        ),
        "2025-03": dict(
            starting_mrr=D("2550.00"), new_mrr=D("0.00"), expansion_mrr=D("500.00"), reactivation_mrr=D("0.00"),
            contraction_mrr=D("50.00"), churned_mrr=D("0.00"), ending_mrr=D("3000.00"), ending_arr=D("36000.00"),
            starting_customers=3, new_customers=0, reactivated_customers=0, churned_customers=0,
            active_customers=3, arpa=D("1000.00"), logo_churn_rate=0 / 3, gross_mrr_churn_rate=(50 + 0) / 2550,
            net_mrr_churn_rate=(50 + 0 - 500 - 0) / 2550, quick_ratio=(0 + 500 + 0) / (50 + 0),
            mrr_12_months_ago=D("0.00"), net_revenue_retention=None, gross_revenue_retention=None,
        ),
        "2025-04": dict(
            starting_mrr=D("3000.00"), new_mrr=D("500.00"), expansion_mrr=D("0.00"), reactivation_mrr=D("200.00"),
            contraction_mrr=D("0.00"), churned_mrr=D("0.00"), ending_mrr=D("3700.00"), ending_arr=D("44400.00"),
            starting_customers=3, new_customers=1, reactivated_customers=1, churned_customers=0,
            active_customers=5, arpa=D("740.00"), logo_churn_rate=0 / 3, gross_mrr_churn_rate=0 / 3000,
            net_mrr_churn_rate=(0 + 0 - 0 - 200) / 3000, quick_ratio=None,
            mrr_12_months_ago=D("0.00"), net_revenue_retention=None, gross_revenue_retention=None,
        ),
    },
    # Ad spend by month and channel (ad_spend_monthly summed over campaigns: one campaign each).
    "ad_spend": {
        ("2025-01", "paid_search"): D("400.00"), ("2025-01", "paid_social"): D("1000.00"),
        ("2025-02", "paid_search"): D("600.00"), ("2025-02", "paid_social"): D("500.00"),
        ("2025-03", "paid_search"): D("500.00"), ("2025-03", "paid_social"): D("600.00"),
        ("2025-04", "paid_search"): D("300.00"), ("2025-04", "paid_social"): D("200.00"),
    },
    "acquisition_months": {
        "2025-01": dict(
            ad_spend=D("1400.00"), other_sales_marketing_expense=D("10600.00"), sales_marketing_expense=D("12000.00"),
            leads=4, new_customers=2, paid_new_customers=D("0"), new_mrr=D("600.00"), arpa=D("300.00"),
            new_customer_arpa=D("300.00"), trailing_logo_churn_rate=None, cac_blended=D("6000.00"), cac_paid=None,
            cac_payback_months=6000 / (300 * 0.8), ltv=None, ltv_to_cac=None,
        ),
        "2025-02": dict(
            ad_spend=D("1100.00"), other_sales_marketing_expense=D("13300.00"), sales_marketing_expense=D("14400.00"),
            leads=2, new_customers=2, paid_new_customers=D("2"), new_mrr=D("2250.00"), arpa=D("850.00"),
            new_customer_arpa=D("1125.00"), trailing_logo_churn_rate=(0 + 1) / (0 + 2), cac_blended=D("7200.00"),
            cac_paid=D("550.00"), cac_payback_months=7200 / (1125 * 0.8), ltv=D("1360.00"),
            ltv_to_cac=1360 / 7200,
        ),
        "2025-03": dict(
            ad_spend=D("1100.00"), other_sales_marketing_expense=D("10800.00"), sales_marketing_expense=D("11900.00"),
            leads=0, new_customers=0, paid_new_customers=D("0"), new_mrr=D("0.00"), arpa=D("1000.00"),
            new_customer_arpa=None, trailing_logo_churn_rate=(0 + 1 + 0) / (0 + 2 + 3), cac_blended=None,
            cac_paid=None, cac_payback_months=None, ltv=D("4000.00"), ltv_to_cac=None,
        ),
        "2025-04": dict(
            ad_spend=D("500.00"), other_sales_marketing_expense=D("12300.00"), sales_marketing_expense=D("12800.00"),
            leads=2, new_customers=1, paid_new_customers=D("1"), new_mrr=D("500.00"), arpa=D("740.00"),
            new_customer_arpa=D("500.00"), trailing_logo_churn_rate=(0 + 1 + 0 + 0) / (0 + 2 + 3 + 3),
            cac_blended=D("12800.00"), cac_paid=D("500.00"), cac_payback_months=12800 / (500 * 0.8),
            ltv=D("4736.00"), ltv_to_cac=4736 / 12800,
        ),
    },
    # acquisition_channel_months: (ad_spend, leads, mqls, sqls, opportunities, new_customers,
    # cost_per_lead, cac_channel).
    "channel_months": {
        ("2025-01", "organic_search"): (D("0.00"), 1, 1, 0, 0, D("1"), 0 / 1, D("0.00")),
        ("2025-01", "paid_search"): (D("400.00"), 1, 1, 1, 1, D("0"), 400 / 1, None),
        ("2025-01", "paid_social"): (D("1000.00"), 1, 1, 1, 1, D("0"), 1000 / 1, None),
        ("2025-01", "referral"): (D("0.00"), 1, 1, 1, 0, D("1"), 0 / 1, D("0.00")),
        ("2025-02", "paid_search"): (D("600.00"), 2, 2, 1, 1, D("1"), 600 / 2, D("600.00")),
        ("2025-02", "paid_social"): (D("500.00"), 0, 0, 0, 0, D("1"), None, D("500.00")),
        ("2025-03", "unknown"): (D("0.00"), 0, 0, 0, 1, D("0"), None, None),
        ("2025-03", "paid_search"): (D("500.00"), 0, 0, 1, 1, D("0"), None, None),
        ("2025-03", "paid_social"): (D("600.00"), 0, 0, 0, 0, D("0"), None, None),
        ("2025-04", "direct"): (D("0.00"), 1, 1, 0, 0, D("0"), 0 / 1, None),
        ("2025-04", "unknown"): (D("0.00"), 1, 0, 0, 0, D("0"), 0 / 1, None),
        ("2025-04", "paid_search"): (D("300.00"), 0, 0, 0, 0, D("1"), None, D("300.00")),
        ("2025-04", "paid_social"): (D("200.00"), 0, 0, 0, 0, D("0"), None, None),
        ("2025-04", "referral"): (D("0.00"), 0, 0, 0, 1, D("0"), None, None),
    },
    # Totals per month over the channels: (leads, mqls, sqls, opportunities).
    "funnel_totals": {
        "2025-01": (4, 4, 3, 2), "2025-02": (2, 2, 1, 1), "2025-03": (0, 0, 1, 2), "2025-04": (2, 1, 0, 1),
    },
    # lead_funnel: (leads, mqls, sqls, opportunities, customers, lead_to_customer_rate).
    "lead_cohorts": {
        ("2025-01", "organic_search"): (1, 1, 0, 0, 0, 0 / 1),
        ("2025-01", "paid_search"): (1, 1, 1, 1, 1, 1 / 1),
        ("2025-01", "paid_social"): (1, 1, 1, 1, 1, 1 / 1),
        ("2025-01", "referral"): (1, 1, 1, 0, 0, 0 / 1),
        ("2025-02", "paid_search"): (2, 2, 2, 2, 1, 1 / 2),
        ("2025-04", "direct"): (1, 1, 0, 0, 0, 0 / 1),
        ("2025-04", "unknown"): (1, 0, 0, 0, 0, 0 / 1),
    },
    # speed_to_lead (rep: the SDR): (mqls, worked, within SLA, median hours, SLA rate).
    "speed_to_lead": {
        ("2025-01", "organic_search"): (1, 1, 1, 4.0, 1 / 1),
        ("2025-01", "paid_search"): (1, 1, 1, 1.0, 1 / 1),
        ("2025-01", "paid_social"): (1, 1, 0, 30.0, 0 / 1),
        ("2025-01", "referral"): (1, 1, 1, 2.0, 1 / 1),
        ("2025-02", "paid_search"): (2, 2, 1, (3 + 29) / 2, 1 / 2),
        ("2025-04", "direct"): (1, 0, 0, None, 0 / 1),
    },
    # Hours from the MQL to the first sales activity, per lead (fct_lead_funnel).
    "speed_to_lead_per_lead": {
        "00Q000000000000001": 1.0, "00Q000000000000002": 30.0, "00Q000000000000003": 4.0,
        "00Q000000000000004": 2.0, "00Q000000000000005": 29.0, "00Q000000000000007": 3.0,
        "00Q000000000000008": None,
    },
    # Median over the month's worked MQLs.
    "speed_to_lead_month_median": {
        "2025-01": (2 + 4) / 2, "2025-02": (3 + 29) / 2, "2025-03": None, "2025-04": None,
    },
    "sales_pipeline": {
        "2025-01": dict(
            opportunities_created=2, pipeline_created=D("42000.00"), closed_opportunities=1, won_opportunities=1,
            lost_opportunities=0, won_amount=D("12000.00"), lost_amount=D("0.00"), win_rate=1 / 1,
            win_rate_amount=12000 / 12000, sales_cycle_days=21.0, open_opportunities=1,
            open_pipeline=D("30000.00"), weighted_pipeline=30000 * 10 / 100, pipeline_velocity=1 * 1 * 12000 / 21,
        ),
        "2025-02": dict(
            opportunities_created=1, pipeline_created=D("6000.00"), closed_opportunities=1, won_opportunities=1,
            lost_opportunities=0, won_amount=D("30000.00"), lost_amount=D("0.00"), win_rate=1 / 1,
            win_rate_amount=30000 / 30000, sales_cycle_days=25.0, open_opportunities=1,
            open_pipeline=D("6000.00"), weighted_pipeline=6000 * 10 / 100, pipeline_velocity=1 * 1 * 30000 / 25,
        ),
        "2025-03": dict(
            opportunities_created=2, pipeline_created=D("18000.00"), closed_opportunities=3, won_opportunities=2,
            lost_opportunities=1, won_amount=D("18000.00"), lost_amount=D("6000.00"), win_rate=2 / 3,
            win_rate_amount=18000 / 24000, sales_cycle_days=(4 + 25) / 2, open_opportunities=0,
            open_pipeline=D("0.00"), weighted_pipeline=0.0, pipeline_velocity=0 * (2 / 3) * 9000 / 14.5,
        ),
        "2025-04": dict(
            opportunities_created=1, pipeline_created=D("3000.00"), closed_opportunities=0, won_opportunities=0,
            lost_opportunities=0, won_amount=D("0.00"), lost_amount=D("0.00"), win_rate=None,
            win_rate_amount=None, sales_cycle_days=None, open_opportunities=1,
            open_pipeline=D("3000.00"), weighted_pipeline=3000 * 10 / 100, pipeline_velocity=None,
        ),
    },
    "support_kpis_monthly": {
        "2025-01": dict(
            tickets=2, active_customers=2, tickets_per_active_customer=2 / 2, replied_tickets=2,
            first_reply_hours=(2 + 4) / 2, solved_tickets=2, resolution_hours=(24 + 48) / 2,
            good_ratings=1, bad_ratings=1, csat=1 / 2, backlog=0,
        ),
        "2025-02": dict(
            tickets=3, active_customers=3, tickets_per_active_customer=3 / 3, replied_tickets=3,
            first_reply_hours=3.0, solved_tickets=3, resolution_hours=48.0,
            good_ratings=1, bad_ratings=0, csat=1 / 1, backlog=1,
        ),
        "2025-03": dict(
            tickets=2, active_customers=3, tickets_per_active_customer=2 / 3, replied_tickets=2,
            first_reply_hours=(1 + 8) / 2, solved_tickets=1, resolution_hours=48.0,
            good_ratings=1, bad_ratings=1, csat=1 / 2, backlog=1,
        ),
        "2025-04": dict(
            tickets=2, active_customers=5, tickets_per_active_customer=2 / 5, replied_tickets=1,
            first_reply_hours=4.0, solved_tickets=1, resolution_hours=24.0,
            good_ratings=1, bad_ratings=0, csat=1 / 1, backlog=2,
        ),
    },
    "quarantine": [
        ("lead", "00Q000000000000006", "duplicate_lead"),
        ("satisfaction_rating", "408", "parent_deleted_in_source"),
        ("ticket", "310", "deleted_in_source"),
    ],
}


# ---------------------------------------------------------------------------------------------
# The build and the comparison
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    tmp_path = tmp_path_factory.mktemp("golden")
    # Unit tests run on their own fixtures, not on this folder (dbt_build leaves them out).
    database = dbt_helpers.dbt_build(
        tmp_path, "golden", GOLDEN, "csv",
        REVOPS_AS_OF_DATE=AS_OF_DATE, REVOPS_PII_SALT="golden-test-salt",
    )
    connection = duckdb.connect(str(database), read_only=True)
    yield connection
    connection.close()


def records(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def month(value: Any) -> str:
    return str(value)[:7]


def same(actual: Any, expected: Any) -> bool:
    """Money to the cent, rates and hours to 1e-9, counts and text exactly, null as null."""
    if expected is None or actual is None:
        return actual is None and expected is None
    if isinstance(expected, Decimal):
        return round(Decimal(str(actual)), 2) == round(expected, 2)
    if isinstance(expected, float):
        return abs(float(actual) - expected) <= 1e-9
    return actual == expected


def assert_same(actual: dict[str, Any], expected: dict[str, Any], where: str) -> None:
    differences = {
        name: (actual.get(name, "<missing>"), value)
        for name, value in expected.items()
        if name not in actual or not same(actual[name], value)
    }
    assert not differences, f"{where}: column: (warehouse, hand-computed) {differences}"


def keyed(rows: list[dict[str, Any]], *key_columns: str) -> dict[tuple, dict[str, Any]]:
    out = {}
    for row in rows:
        key = tuple(month(row[c]) if c.endswith("month") else row[c] for c in key_columns)
        assert key not in out, f"duplicate row {key}"
        out[key] = row
    return out


def channel_params(table: str) -> list:
    return [
        pytest.param(key, id="/".join(key))
        for key in EXPECTED[table]
    ]


# ---------------------------------------------------------------------------------------------
# The folder and the build
# ---------------------------------------------------------------------------------------------
def test_every_contract_table_is_in_the_folder_with_the_contract_header() -> None:
    for table in raw_contract.all_tables():
        path: Path = GOLDEN / table.system / f"{table.name}.csv"
        assert path.read_text().splitlines()[0].split(",") == table.column_names, path


def test_as_of_date_is_pinned_and_marts_cover_january_to_april(golden: duckdb.DuckDBPyConnection) -> None:
    assert golden.execute("""
        select cast(as_of_date as varchar), as_of_date_source from staging.stg_run__as_of_date
    """).fetchall() == [(AS_OF_DATE, "var")]
    for mart in ("mrr_bridge", "acquisition_months", "support_kpis_monthly"):
        months = [month(m) for (m,) in golden.execute(f"select date_month from marts.{mart} order by 1").fetchall()]
        assert tuple(months) == MONTHS, mart


def test_kept_out_of_the_journey(golden: duckdb.DuckDBPyConnection) -> None:
    assert golden.execute("""
        select source_table, source_record_id, quarantine_reason from intermediate.int_journey_quarantine
        order by 1, 2
    """).fetchall() == EXPECTED["quarantine"]


# ---------------------------------------------------------------------------------------------
# Revenue
# ---------------------------------------------------------------------------------------------
def test_mrr_per_account(golden: duckdb.DuckDBPyConnection) -> None:
    rows = golden.execute("""
        select identities.source_record_id, account_months.date_month, account_months.mrr,
            account_months.change_category
        from marts.fct_mrr_account_months as account_months
        inner join intermediate.int_identities_resolved as identities
            on account_months.account_key = identities.account_key
                and identities.source_table = 'customer'
    """).fetchall()
    actual: dict[str, dict[str, tuple]] = {}
    for customer_id, date_month, mrr, category in rows:
        actual.setdefault(CUSTOMERS[customer_id], {})[month(date_month)] = (mrr, category)
    assert actual == EXPECTED["mrr_per_account"]
    # every account-month row is a paying customer's (no row without a billing customer)
    assert golden.execute("select count(*) from marts.fct_mrr_account_months").fetchone() == (len(rows),)


@pytest.mark.parametrize("date_month", MONTHS)
def test_mrr_bridge(golden: duckdb.DuckDBPyConnection, date_month: str) -> None:
    actual = keyed(records(golden, "select * from marts.mrr_bridge"), "date_month")
    assert_same(actual[(date_month,)], EXPECTED["mrr_bridge"][date_month], f"mrr_bridge {date_month}")


# ---------------------------------------------------------------------------------------------
# Acquisition
# ---------------------------------------------------------------------------------------------
def test_ad_spend_by_month_and_channel(golden: duckdb.DuckDBPyConnection) -> None:
    actual = {
        (month(m), channel): spend
        for m, channel, spend in golden.execute("""
            select date_month, channel, sum(ad_spend) from marts.ad_spend_monthly group by 1, 2
        """).fetchall()
    }
    assert actual == EXPECTED["ad_spend"]


@pytest.mark.parametrize("date_month", MONTHS)
def test_acquisition_months(golden: duckdb.DuckDBPyConnection, date_month: str) -> None:
    actual = keyed(records(golden, "select * from marts.acquisition_months"), "date_month")
    assert_same(actual[(date_month,)], EXPECTED["acquisition_months"][date_month], f"acquisition_months {date_month}")


@pytest.mark.parametrize("key", channel_params("channel_months"))
def test_acquisition_channel_months(golden: duckdb.DuckDBPyConnection, key: tuple[str, str]) -> None:
    actual = keyed(records(golden, "select * from marts.acquisition_channel_months"), "date_month", "channel")
    assert key in actual, f"no acquisition_channel_months row {key}"
    columns = ("ad_spend", "leads", "mqls", "sqls", "opportunities", "new_customers", "cost_per_lead", "cac_channel")
    assert_same(actual[key], dict(zip(columns, EXPECTED["channel_months"][key], strict=True)), str(key))
    assert actual[key]["attribution_model"] == "first_touch"


@pytest.mark.parametrize("date_month", MONTHS)
def test_funnel_totals_per_month(golden: duckdb.DuckDBPyConnection, date_month: str) -> None:
    totals = golden.execute(f"""
        select sum(leads), sum(mqls), sum(sqls), sum(opportunities)
        from marts.acquisition_channel_months where date_month = date '{date_month}-01'
    """).fetchone()
    assert tuple(int(value) for value in totals) == EXPECTED["funnel_totals"][date_month]


# ---------------------------------------------------------------------------------------------
# Sales
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", channel_params("lead_cohorts"))
def test_lead_funnel_cohorts(golden: duckdb.DuckDBPyConnection, key: tuple[str, str]) -> None:
    actual = keyed(records(golden, "select * from marts.lead_funnel"), "cohort_month", "channel")
    assert key in actual, f"no lead_funnel row {key}"
    columns = ("leads", "mqls", "sqls", "opportunities", "customers", "lead_to_customer_rate")
    assert_same(actual[key], dict(zip(columns, EXPECTED["lead_cohorts"][key], strict=True)), str(key))


def test_lead_funnel_counts_every_lead_but_the_duplicate_once(golden: duckdb.DuckDBPyConnection) -> None:
    # (the cohort totals: every lead of the folder but the duplicate is in exactly one row)
    assert golden.execute("select sum(leads) from marts.lead_funnel").fetchone() == (8,)


def test_speed_to_lead(golden: duckdb.DuckDBPyConnection) -> None:
    actual = keyed(records(golden, "select * from marts.speed_to_lead"), "mql_month", "channel")
    assert set(actual) == set(EXPECTED["speed_to_lead"])
    columns = ("mqls", "mqls_worked", "mqls_worked_within_sla", "speed_to_lead_hours", "speed_to_lead_sla_rate")
    for key, values in EXPECTED["speed_to_lead"].items():
        assert actual[key]["owner_user_id"] == SDR
        assert actual[key]["speed_to_lead_sla_hours"] == 24
        assert_same(actual[key], dict(zip(columns, values, strict=True)), f"speed_to_lead {key}")


def test_speed_to_lead_per_lead_and_month_median(golden: duckdb.DuckDBPyConnection) -> None:
    rows = golden.execute("""
        select lead_id, mql_month, speed_to_lead_hours from marts.fct_lead_funnel where mql_at is not null
    """).fetchall()
    per_lead = {lead_id: hours for lead_id, _, hours in rows}
    assert set(per_lead) == set(EXPECTED["speed_to_lead_per_lead"])
    for lead_id, hours in EXPECTED["speed_to_lead_per_lead"].items():
        assert same(per_lead[lead_id], hours), lead_id
    for date_month, expected in EXPECTED["speed_to_lead_month_median"].items():
        worked = [hours for _, m, hours in rows if month(m) == date_month and hours is not None]
        assert same(statistics.median(worked) if worked else None, expected), date_month


@pytest.mark.parametrize("date_month", MONTHS)
def test_sales_pipeline(golden: duckdb.DuckDBPyConnection, date_month: str) -> None:
    rows = records(golden, f"select * from marts.sales_pipeline where date_month = date '{date_month}-01'")
    assert [(row["owner_user_id"], row["segment"]) for row in rows] == [(AE, "smb")]
    assert_same(rows[0], EXPECTED["sales_pipeline"][date_month], f"sales_pipeline {date_month}")


# ---------------------------------------------------------------------------------------------
# Support
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("date_month", MONTHS)
def test_support_kpis_monthly(golden: duckdb.DuckDBPyConnection, date_month: str) -> None:
    actual = keyed(records(golden, "select * from marts.support_kpis_monthly"), "date_month")
    assert_same(actual[(date_month,)], EXPECTED["support_kpis_monthly"][date_month], f"support {date_month}")
