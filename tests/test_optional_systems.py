"""Every system and table is optional: folders holding only some systems of the tiny folder
(tests/data/byod_tiny) build green in files mode, with no empty scaffolding files, and the KPIs
of the missing systems are null, never 0 (marts.kpi_coverage says why).

The numbers of the systems present are those of the whole folder, worked out by hand in
tests/test_byod.py: Newco pays EUR 1,200 a year from 2025-01-20 (EUR 100 a month at USD per EUR
1 / 0.95 = 105.26) and cancels on 2025-02-25; Acme pays 10 seats x USD 50 less 10 % from
2025-02-01 (450.00) and grows to 15 seats on 2025-02-15 (+225.00). The CRM holds 3 leads (3 MQLs,
2 SQLs, 2 reaching an opportunity, 1 won: Acme's USD 6,000 deal of January); January's pipeline
created is 6,000 + Globex's EUR 50,000 / 0.95 = 58,631.58. Support holds 2 tickets in February
(first reply after 13 hours, one good rating: CSAT 1.0), one still open at the end of February.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import dbt_helpers
from test_byod import TINY

AS_OF_DATE = "2025-03-01"
# Unit tests read no raw data; every build here leaves them out (dbt_build does so itself).
BUILD_ARGS = ("--exclude-resource-type", "unit_test")


def folder_with(tmp_path: Path, keep: list[str]) -> Path:
    """A copy of the tiny folder with only the listed systems (or system/table files)."""
    folder = tmp_path / "raw"
    for item in keep:
        source = TINY / (item if "/" not in item else item + ".csv")
        target = folder / (item if "/" not in item else item + ".csv")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    return folder


def build(tmp_path: Path, name: str, folder: Path, as_of_date: str | None = AS_OF_DATE,
          **settings: str) -> duckdb.DuckDBPyConnection:
    database = dbt_helpers.dbt_build(tmp_path, name, folder, build_args=BUILD_ARGS,
                                     REVOPS_AS_OF_DATE=as_of_date or "", **settings)
    return duckdb.connect(str(database), read_only=True)


def rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


def unavailable(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(rows(connection, "select kpi_name, missing_tables from marts.kpi_coverage where not is_available"))


def assert_all_null(connection: duckdb.DuckDBPyConnection, mart: str, columns: list[str]) -> None:
    """Every row of the mart has these columns null (and the mart has rows to check)."""
    (total,) = connection.execute(f"select count(*) from marts.{mart}").fetchone()
    assert total > 0, f"{mart} has no rows to check"
    for column in columns:
        (not_null,) = connection.execute(f"select count(*) from marts.{mart} where {column} is not null").fetchone()
        assert not_null == 0, f"{mart}.{column} is not null on {not_null} of {total} rows"


MRR_BRIDGE = "select cast(date_month as varchar), ending_mrr, new_mrr, churned_mrr from marts.mrr_bridge order by 1"
HAND_MRR = [
    ("2025-01-01", Decimal("105.26"), Decimal("105.26"), Decimal("0.00")),
    ("2025-02-01", Decimal("675.00"), Decimal("675.00"), Decimal("105.26")),
    ("2025-03-01", Decimal("675.00"), Decimal("0.00"), Decimal("0.00")),
]
FUNNEL = "select sum(leads), sum(mqls), sum(sqls), sum(opportunities), sum(customers) from marts.lead_funnel"
PIPELINE = """
    select cast(date_month as varchar), sum(won_opportunities), sum(closed_opportunities), sum(pipeline_created)
    from marts.sales_pipeline group by 1 order by 1
"""
HAND_PIPELINE = [
    ("2025-01-01", 1, 1, Decimal("58631.58")),
    ("2025-02-01", 0, 1, Decimal("3000.00")),
    ("2025-03-01", 0, 0, Decimal("0.00")),
]
SUPPORT_FEBRUARY = """
    select tickets, first_reply_hours, csat, backlog from marts.support_kpis_monthly where date_month = '2025-02-01'
"""


@pytest.fixture(scope="module")
def billing_only(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    # Newco bills in EUR: the FX rates come along, nothing else of finance.
    tmp_path = tmp_path_factory.mktemp("billing_only")
    connection = build(tmp_path, "billing_only", folder_with(tmp_path, ["billing", "finance/fx_rates"]))
    yield connection
    connection.close()


def test_billing_alone_gives_mrr_and_null_for_the_rest(billing_only: duckdb.DuckDBPyConnection) -> None:
    assert rows(billing_only, MRR_BRIDGE) == HAND_MRR
    present = dict(rows(billing_only, """
        select source_system || '.' || source_table, is_present from marts.data_coverage
    """))
    assert present["billing.subscription"] and present["finance.fx_rates"]
    assert not present["crm.lead"] and not present["support.ticket"] and not present["finance.sm_expenses"]
    missing = unavailable(billing_only)
    assert missing["kpi_win_rate"] == "crm.opportunity"
    assert missing["kpi_tickets"] == "support.ticket"
    assert missing["kpi_cac_blended"] == "finance.sm_expenses"
    assert missing["kpi_cac_paid"] == "marketing.ad_spend"
    assert "kpi_mrr" not in missing and "kpi_ltv" not in missing
    assert rows(billing_only, "select coverage_note from marts.kpi_coverage where kpi_name = 'kpi_tickets'") == [
        ("null: no rows in support.ticket (absent or empty)",)]
    # Absent systems read as "no data": null, never 0 (it was 0 tickets and CAC 0.00).
    assert_all_null(billing_only, "support_kpis_monthly",
                    ["tickets", "tickets_per_active_customer", "backlog", "good_ratings", "csat"])
    assert_all_null(billing_only, "acquisition_months",
                    ["ad_spend", "sales_marketing_expense", "leads", "cac_blended", "cac_paid", "cac_payback_months"])
    assert_all_null(billing_only, "acquisition_channel_months", ["ad_spend", "leads", "mqls", "cac_channel"])
    assert_all_null(billing_only, "channel_economics", ["ad_spend", "leads", "cac", "ltv_to_cac"])
    assert_all_null(billing_only, "funnel_leaks", ["entered", "converted", "value_at_stake"])
    assert_all_null(billing_only, "support_churn_bands_summary", ["account_months", "logo_churn_rate"])
    # What billing alone answers is there: new customers, ARPA, active customers.
    assert rows(billing_only, """
        select cast(date_month as varchar), new_customers, new_mrr from marts.acquisition_months order by 1
    """) == [("2025-01-01", 1, Decimal("105.26")), ("2025-02-01", 1, Decimal("675.00")),
             ("2025-03-01", 0, Decimal("0.00"))]
    assert rows(billing_only, "select distinct active_customers from marts.support_kpis_monthly") == [(1,)]
    assert rows(billing_only, "select count(*) from marts.lead_funnel union all select count(*) "
                              "from marts.sales_pipeline") == [(0,), (0,)]


def test_the_as_of_date_comes_from_the_loaded_systems(billing_only: duckdb.DuckDBPyConnection,
                                                      tmp_path: Path) -> None:
    # Billing was last loaded on 2025-03-01, the FX rates on 2025-02-28 (18:00): the earliest
    # latest-load day of the loaded systems; the absent CRM and support do not hold it back.
    connection = build(tmp_path, "derived", folder_with(tmp_path, ["billing", "finance/fx_rates"]),
                       as_of_date=None)
    assert rows(connection, "select cast(as_of_date as varchar), as_of_date_source from staging.stg_run__as_of_date"
                ) == [("2025-02-28", "last_day_every_system_loaded")]
    connection.close()


def test_crm_alone_gives_the_funnel_and_pipeline(tmp_path: Path) -> None:
    # Globex's deal is in EUR: the FX rates come along.
    connection = build(tmp_path, "crm_only", folder_with(tmp_path, ["crm", "finance/fx_rates"]))
    assert rows(connection, FUNNEL) == [(3, 3, 2, 2, 1)]
    assert rows(connection, PIPELINE) == HAND_PIPELINE
    assert rows(connection, "select count(*) from marts.mrr_bridge") == [(0,)]
    missing = unavailable(connection)
    assert missing["kpi_mrr"] == "billing.customer, billing.subscription, billing.subscription_item"
    assert_all_null(connection, "acquisition_months", ["new_customers", "new_mrr", "arpa", "ltv", "cac_blended"])
    assert_all_null(connection, "dim_accounts", ["current_mrr"])
    assert_all_null(connection, "support_kpis_monthly", ["tickets", "active_customers"])
    # Leads per month need only the CRM.
    assert rows(connection, "select sum(leads) from marts.acquisition_months") == [(3,)]
    connection.close()


def test_crm_and_billing_together(tmp_path: Path) -> None:
    connection = build(tmp_path, "crm_billing", folder_with(tmp_path, ["crm", "billing", "finance/fx_rates"]))
    assert rows(connection, MRR_BRIDGE) == HAND_MRR
    assert rows(connection, FUNNEL) == [(3, 3, 2, 2, 1)]
    assert rows(connection, PIPELINE) == HAND_PIPELINE
    # The lead-creation touch of the CRM now attributes Acme's new subscription.
    assert rows(connection, """
        select channel, new_customers from marts.channel_economics where new_customers > 0 order by 1
    """) == [
        ("paid_search", Decimal("1.000000")), ("unknown", Decimal("1.000000"))]
    assert_all_null(connection, "support_kpis_monthly", ["tickets", "csat", "backlog"])
    assert_all_null(connection, "channel_economics", ["ad_spend", "cac"])
    connection.close()


def test_crm_billing_and_support_together(tmp_path: Path) -> None:
    connection = build(tmp_path, "crm_billing_support",
                       folder_with(tmp_path, ["crm", "billing", "support", "finance/fx_rates"]))
    assert rows(connection, MRR_BRIDGE) == HAND_MRR
    assert rows(connection, SUPPORT_FEBRUARY) == [(2, 13.0, 1.0, 1)]
    missing = unavailable(connection)
    assert set(missing) >= {"kpi_ad_spend", "kpi_cac_blended", "kpi_cac_paid", "kpi_cac_channel"}
    assert "kpi_tickets" not in missing and "kpi_support_band_logo_churn_rate" not in missing
    assert_all_null(connection, "acquisition_months", ["ad_spend", "cac_blended"])
    connection.close()


def test_a_usd_only_company_needs_no_fx_rates(tmp_path: Path) -> None:
    # Newco moved to USD: USD 1,200 a year is USD 100.00 a month; Acme as before. No finance
    # folder at all.
    folder = folder_with(tmp_path, ["billing"])
    for table in ("customer", "subscription", "subscription_item", "invoice", "invoice_line_item"):
        path = folder / "billing" / f"{table}.csv"
        path.write_text(path.read_text().replace(",eur,", ",usd,"))
    connection = build(tmp_path, "usd_only", folder)
    assert rows(connection, MRR_BRIDGE) == [
        ("2025-01-01", Decimal("100.00"), Decimal("100.00"), Decimal("0.00")),
        ("2025-02-01", Decimal("675.00"), Decimal("675.00"), Decimal("100.00")),
        ("2025-03-01", Decimal("675.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    assert rows(connection, "select count(*) from staging.stg_finance__fx_rates_daily") == [(0,)]
    connection.close()


def test_raw_systems_leaves_systems_out(tmp_path: Path) -> None:
    # The whole folder, with the setting naming billing and finance only: the same as billing alone.
    connection = build(tmp_path, "setting", TINY, REVOPS_RAW_SYSTEMS="billing,finance")
    assert rows(connection, MRR_BRIDGE) == HAND_MRR
    assert rows(connection, """
        select source_system, bool_or(is_present) from marts.data_coverage group by 1 order by 1
    """) == [("billing", True), ("crm", False), ("finance", True), ("marketing", False), ("support", False)]
    connection.close()


def test_a_misspelt_system_stops_naming_it(tmp_path: Path) -> None:
    completed = dbt_helpers.run_dbt(tmp_path, "typo", ["build", *BUILD_ARGS], TINY, REVOPS_RAW_SYSTEMS="billing,crn")
    assert completed.returncode != 0
    assert "raw_systems lists 'crn', which is not a system of the raw contract" in completed.stdout
