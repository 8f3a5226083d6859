"""The bad-input corpus: each kind of broken raw input, applied as a small patch to a copy of
tests/data/byod_tiny, must either be quarantined with a reason (in int_journey_quarantine,
counted per table and reason, with the reconciliation tests green: raw rows = accepted +
quarantined) or stop the build with a message naming the table, the column and the problem.
Nothing may be lost, or change a KPI, silently.

The corpus is data: CASES below, one entry per defect, each a SQL patch of one raw CSV and the
outcome the project gives today. tests/data/bad_input/README.md says why each outcome is the
right one. A case with a gap is a known hole: it asserts the goal and is xfail(strict=True)
until the models close it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import dbt_helpers
from test_byod import TINY

# Pinned, so "after the as-of date" is a fixed day (the day the tiny folder derives).
AS_OF_DATE = "2025-03-01"
RECONCILIATION_TESTS = (
    "reconcile_raw_rows_per_table",
    "reconcile_raw_records_accounted_for",
    "reconcile_expected_journey_events",
)
# Unit tests do not read raw data: every case leaves them out.
FULL_BUILD = ["build", "--exclude", "resource_type:unit_test"]
# Staging, identity, billing and journey models with their data tests, up to the three
# reconciliation tests: enough for a case expected to stop, and a few seconds quicker.
RECONCILIATION_BUILD = [
    *FULL_BUILD,
    "--select", *(f"+{test}" for test in RECONCILIATION_TESTS),
    "--indirect-selection", "buildable",
]
# As analyses/quarantine_summary.sql: what was kept out of the journey, per table and reason.
QUARANTINE_SUMMARY = """
    select source_table, quarantine_reason, count(*) as records, sum(raw_rows) as raw_rows
    from intermediate.int_journey_quarantine
    group by 1, 2
"""
# What the unpatched tiny folder quarantines: (table, reason) -> (records, raw rows).
BASELINE_QUARANTINE = {
    ("lead", "deleted_in_source"): (1, 1),
    ("lead", "duplicate_lead"): (1, 1),
    ("lead", "duplicate_extract_row"): (1, 1),
    ("web_sessions", "duplicate_extract_row"): (1, 1),
    ("opportunity", "parent_deleted_in_source"): (1, 0),
    ("opportunity_history", "parent_deleted_in_source"): (1, 0),
}


# --- expected outcomes ----------------------------------------------------------------------

@dataclass(frozen=True)
class Quarantined:
    """The whole build passes (reconciliation and KPI mart tests included) and the quarantine
    holds these rows (source_table, source_record_id, reason, event_type or None for a whole
    record); its counts per table and reason are the baseline's plus exactly these rows.
    Each check is a query on the built database and the rows it must return."""

    rows: tuple[tuple[str, str, str, str | None], ...]
    checks: tuple[tuple[str, list[tuple]], ...] = ()


@dataclass(frozen=True)
class Accepted:
    """The whole build passes, the quarantine is the baseline's, and each check holds."""

    checks: tuple[tuple[str, list[tuple]], ...]


@dataclass(frozen=True)
class Stops:
    """The build fails at exactly these nodes (data tests or models, by name), its output says
    each of these things, and no reconciliation test fails (they pass or are skipped)."""

    failing: tuple[str, ...]
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    table: str  # the raw CSV patched: system/table
    patch: str  # SQL run on that CSV loaded as text into table t, then written back
    expected: Quarantined | Accepted | Stops
    gap: str | None = None  # a known gap (reported): xfail(strict=True) with this reason
    # further (table, patch) pairs, for a defect that needs a second file (e.g. its FX rates)
    extra_patches: tuple[tuple[str, str], ...] = ()
    # (old, new): rename a column in the written header line only, to make a header no table
    # can hold (a repeated column)
    header_rename: tuple[str, str] | None = None
    # environment settings of the build (the corpus turns max_quarantine_share off: in the tiny
    # folder's tables of 2 to 12 rows one bad row is over any share)
    settings: tuple[tuple[str, str], ...] = ()


def fx_rate(currency: str, rate: str) -> tuple[str, str]:
    """An extra patch quoting a currency per USD from the first day of the tiny folder's rates
    (forward-filled to the last day)."""
    return ("finance/fx_rates",
            f"insert into t values ('2024-12-31', 'USD', '{currency}', '{rate}', '2024-12-31 18:00:00')")


# Acme's current item (subscription 1, 10% off): 15 seats from 2025-02-15, monthly, priced in
# another currency. MRR = 15 x unit amount x 0.9, converted at the rate of 2025-02-15.
CURRENT_ITEM = "si_000000000002"
ITEM_PRICES = f"""
    select items.unit_amount_local, items.unit_amount, priced.mrr_local, priced.mrr
    from staging.stg_billing__subscription_items as items
    inner join intermediate.int_subscription_items_priced as priced using (subscription_item_id)
    where items.subscription_item_id = '{CURRENT_ITEM}'
"""
FEBRUARY_MRR = "select ending_mrr from marts.mrr_bridge where date_month = '2025-02-01'"
IS_ZERO_PRICED = (f"select is_zero_priced from staging.stg_billing__subscription_items "
                  f"where subscription_item_id = '{CURRENT_ITEM}'")


def stored_failures(test: str, column: str = "subscription_item_id") -> str:
    """The record ids a warn-severity test (with store_failures) is about."""
    return f"select {column} from dbt_test__audit.{test} order by 1"

OPPORTUNITY_STAGE_CHANGES = """
    select event_detail, cast(event_at as varchar), source_record_id
    from marts.fct_customer_journey
    where event_type = 'opportunity_stage_changed'
        and source_record_id in ('008000000000000006', '008000000000000007', '008000000000000009')
    order by event_at
"""

OPPORTUNITY_ACCOUNT = """
    select opportunities.account_status, accounts.account_kind, opportunities.is_closed, opportunities.amount
    from marts.fct_opportunities as opportunities
    inner join marts.dim_accounts as accounts using (account_key)
    where opportunities.opportunity_id = '006000000000000003'
"""
# February's new pipeline is Acme's expansion deal (3,000, created 2025-02-25), the one deal
# open at the month's end (Globex's was lost on 2025-02-20, Initech's account is deleted)
FEBRUARY_PIPELINE = """
    select opportunities_created, pipeline_created, open_opportunities, open_pipeline
    from marts.sales_pipeline
    where date_month = '2025-02-01' and (opportunities_created > 0 or open_opportunities > 0)
"""

CASES: list[Case] = [
    # -- duplicates and keys
    Case(
        "duplicate_id", "crm/opportunity",
        "insert into t select * replace ('3500.00' as amount, '2025-03-01 06:00:00' as _fivetran_synced) "
        "from t where id = '006000000000000003'",
        Quarantined(
            rows=(("opportunity", "006000000000000003", "duplicate_extract_row", None),),
            # the latest load wins
            checks=(("select amount_local from staging.stg_crm__opportunities "
                     "where opportunity_id = '006000000000000003'", [(3500,)]),),
        ),
    ),
    Case(
        "duplicate_id_same_load_time", "support/ticket",
        "insert into t select * replace ('pending' as status) from t where id = '302'",
        # the extra row is counted; with equal load times the first row of the file wins
        Quarantined(rows=(("ticket", "302", "duplicate_extract_row", None),)),
    ),
    Case(
        # ticket 302 (February, open) loses its id: nothing tells the row apart, so it is
        # quarantined, named by the empty key and its load time, and February counts 1 ticket
        "null_key", "support/ticket",
        "update t set id = null where id = '302'",
        Quarantined(
            rows=(("ticket", "no id, loaded at 2025-03-01 00:00:00", "missing_record_id", None),),
            checks=(("select tickets from marts.support_kpis_monthly where date_month = '2025-02-01'", [(1,)]),),
        ),
    ),
    # -- money
    Case(
        # Acme's open expansion deal at -3,000: kept as February's one new and one open deal, its
        # value unknown, so February's pipeline created and open pipeline are null, not -3,000 or 0
        "negative_amount", "crm/opportunity",
        "update t set amount = '-3000.00' where id = '006000000000000003'",
        Accepted(checks=(
            ("select amount, is_amount_missing from marts.fct_opportunities "
             "where opportunity_id = '006000000000000003'", [(None, True)]),
            (FEBRUARY_PIPELINE, [(1, None, 1, None)]),
            (stored_failures("stg_crm__opportunities_amount_not_negative", "opportunity_id, amount_local"),
             [("006000000000000003", Decimal("-3000.00"))]),
        )),
    ),
    Case(
        # Acme's current item (15 seats from 2025-02-15) at -50.00 a seat: left out of MRR and
        # quarantined, so Acme's 450 (10 seats x 50 x 0.9) ends with its first item on 2025-02-15,
        # a churn (February ending MRR 0); the warning names the item
        "negative_unit_amount", "billing/subscription_item",
        "update t set unit_amount = '-5000' where id = 'si_000000000002'",
        Quarantined(
            rows=(("subscription_item", "si_000000000002", "negative_amount", None),),
            checks=(
                ("select event_type, amount from marts.fct_customer_journey "
                 "where source_record_id = 'sub_000000000001' order by event_at",
                 [("subscription_started", Decimal("450.00")), ("churn", Decimal("-450.00"))]),
                (FEBRUARY_MRR, [(Decimal("0.00"),)]),
                (stored_failures("stg_billing__subscription_items_unit_amount_not_negative"),
                 [("si_000000000002",)]),
            ),
        ),
    ),
    Case(
        # staging models are views: the cast fails in the first tests that read the view
        "non_numeric_amount", "billing/subscription_item",
        "update t set unit_amount = '50.00 USD' where id = 'si_000000000002'",
        Stops(
            failing=(
                "stg_billing__subscription_items_unit_amount_not_negative",
                "not_null_stg_billing__subscription_items_unit_amount_local",
                "stg_billing__subscription_items_unit_amount_has_an_fx_rate",
                # the zero-price flag reads the amount too (its warn test errors, it cannot warn)
                "not_null_stg_billing__subscription_items_is_zero_priced",
                "stg_billing__subscription_items_live_items_are_priced",
            ),
            messages=(
                "Runtime Error in test not_null_stg_billing__subscription_items_unit_amount_local",
                "Could not convert string '50.00 USD' to INT64 when casting from source column unit_amount",
            ),
        ),
    ),
    Case(
        # JPY has no minor unit: 10000 is 10,000 yen (it was read as 100.00). At 125 JPY per USD
        # a seat is 80 USD: MRR 15 x 80 x 0.9 = 1,080 (it was 10.80)
        "zero_decimal_currency_jpy", "billing/subscription_item",
        f"update t set currency = 'jpy', unit_amount = '10000' where id = '{CURRENT_ITEM}'",
        Accepted(checks=(
            (ITEM_PRICES, [(Decimal("10000.0000"), Decimal("80.0000"), Decimal("135000.0000"), Decimal("1080.0000"))]),
            (FEBRUARY_MRR, [(Decimal("1080.00"),)]),
        )),
        extra_patches=(fx_rate("JPY", "125.00000000"),),
    ),
    Case(
        # KRW has no minor unit: 50000 is 50,000 won; at 1,250 KRW per USD a seat is 40 USD:
        # MRR 15 x 40 x 0.9 = 540 (it was 5.40)
        "zero_decimal_currency_krw", "billing/subscription_item",
        f"update t set currency = 'krw', unit_amount = '50000' where id = '{CURRENT_ITEM}'",
        Accepted(checks=(
            (ITEM_PRICES, [(Decimal("50000.0000"), Decimal("40.0000"), Decimal("675000.0000"), Decimal("540.0000"))]),
            (FEBRUARY_MRR, [(Decimal("540.00"),)]),
        )),
        extra_patches=(fx_rate("KRW", "1250.00000000"),),
    ),
    Case(
        # KWD has three decimals: 15255 is 15.255 dinars (two decimals would round it to 15.26);
        # at 0.3125 KWD per USD a seat is 15.255 x 3.2 = 48.816 USD: MRR 15 x 48.816 x 0.9 = 659.016
        "three_decimal_currency_kwd", "billing/subscription_item",
        f"update t set currency = 'kwd', unit_amount = '15255' where id = '{CURRENT_ITEM}'",
        Accepted(checks=(
            (ITEM_PRICES, [(Decimal("15.2550"), Decimal("48.8160"), Decimal("205.9425"), Decimal("659.0160"))]),
            (FEBRUARY_MRR, [(Decimal("659.02"),)]),
        )),
        extra_patches=(fx_rate("KWD", "0.31250000"),),
    ),
    Case(
        # XAU (gold) is an ISO 4217 code without a minor unit: its amounts cannot be read, and
        # no exponent is guessed
        "currency_without_minor_unit", "billing/subscription_item",
        f"update t set currency = 'xau' where id = '{CURRENT_ITEM}'",
        Stops(
            failing=(
                "stg_billing__subscription_items_currency_has_a_minor_unit",
                "not_null_stg_billing__subscription_items_unit_amount_local",
            ),
            messages=(
                "Raw table billing.subscription_item (stg_billing__subscription_items), column(s) unit_amount: "
                "currency 'XAU' has no minor unit in seeds/reference/currency_exponents.csv",
                f"1 record(s), e.g. subscription_item_id {CURRENT_ITEM}",
            ),
        ),
        extra_patches=(fx_rate("XAU", "0.00050000"),),
    ),
    Case(
        # Acme's won deal (6,000, closed 2025-01-31) has no amount: one win, amount unknown
        "won_deal_without_amount", "crm/opportunity",
        "update t set amount = null where id = '006000000000000001'",
        Accepted(checks=(
            ("select amount, is_amount_missing from marts.fct_opportunities "
             "where opportunity_id = '006000000000000001'", [(None, True)]),
            ("select won_opportunities, won_opportunities_without_amount, won_amount, avg_won_deal_size, "
             "closed_amount, win_rate from marts.sales_pipeline "
             "where date_month = '2025-01-01' and won_opportunities > 0",
             [(1, 1, None, None, None, 1.0)]),
            ("select deals_won, deals_won_without_amount, won_amount from intermediate.int_funnel_flows_monthly "
             "where date_month = '2025-01-01'", [(1, 1, None)]),
            (stored_failures("fct_opportunities_won_deals_have_an_amount", "opportunity_id"),
             [("006000000000000001",)]),
        )),
    ),
    Case(
        "unknown_currency", "marketing/ad_spend",
        "update t set currency = 'XYZ' where campaign_id = 'lc-1'",
        Stops(
            failing=("stg_marketing__ad_spend_spend_has_an_fx_rate",),
            # the on-run-end report names the raw table, the rule and the offending rows
            messages=(
                "Failed: test stg_marketing__ad_spend_spend_has_an_fx_rate on raw table marketing.ad_spend "
                "(stg_marketing__ad_spend): rule spend is not null, where_clause spend_local is not null: "
                "1 failing row(s)",
                "campaign_id=lc-1, spend_local=200.00, currency_local=XYZ, spend=null",
            ),
        ),
    ),
    Case(
        # EUR is quoted from February only: the EUR opportunity, subscription item, invoice
        # and line of January cannot be converted, nor the EUR expense booked for 2025-02-01
        # (the fx calendar forward-fills, it never back-fills)
        "missing_fx_rate", "finance/fx_rates",
        "delete from t where quote_currency = 'EUR' and rate_date < '2025-02-01'",
        Stops(
            failing=(
                "stg_crm__opportunities_amount_has_an_fx_rate",
                "stg_billing__subscription_items_unit_amount_has_an_fx_rate",
                "stg_billing__invoices_total_has_an_fx_rate",
                "stg_billing__invoice_line_items_net_amount_has_an_fx_rate",
                "not_null_stg_finance__sm_expenses_amount",
            ),
            messages=(
                "Failure in test stg_billing__subscription_items_unit_amount_has_an_fx_rate",
                "Failed: test stg_billing__subscription_items_unit_amount_has_an_fx_rate on raw table "
                "billing.subscription_item (stg_billing__subscription_items)",
                "currency_local=EUR",
            ),
        ),
    ),
    # -- time
    Case(
        "unparseable_timestamp", "support/ticket",
        "update t set created_at = '5 Feb 2025 09:00' where id = '301'",
        Stops(
            failing=(
                "accepted_range_stg_support__tickets_first_reply_hours__0",
                "accepted_range_stg_support__tickets_resolution_hours__0",
                "not_null_stg_support__tickets_created_at",
                # the out-of-order flag reads the times too (its warn test errors, it cannot warn)
                "not_null_stg_support__tickets_has_times_before_creation",
                "stg_support__tickets_times_after_creation",
            ),
            messages=(
                "Runtime Error in test not_null_stg_support__tickets_created_at",
                'invalid timestamp field format: "5 Feb 2025 09:00"',
                "when casting from source column created_at",
            ),
        ),
    ),
    Case(
        "future_ticket", "support/ticket",
        "update t set created_at = '2025-06-02 09:00:00', first_reply_at = '2025-06-03 09:00:00', "
        "updated_at = '2025-06-03 09:00:00' where id = '302'",
        Quarantined(
            rows=(("ticket", "302", "after_as_of_date", "ticket_opened"),),
            checks=(("select count(*) from marts.fct_support_tickets where ticket_id = 302", [(0,)]),),
        ),
    ),
    Case(
        "future_stage_change", "crm/opportunity_history",
        "insert into t select * replace ('008000000000000009' as id, 'Proposal' as stage_name, "
        "'60' as probability, '2025-04-01 10:00:00' as created_date) from t where id = '008000000000000007'",
        Quarantined(rows=(
            ("opportunity_history", "008000000000000009", "after_as_of_date", "opportunity_stage_changed"),
        )),
    ),
    Case(
        "stage_moves_backwards", "crm/opportunity_history",
        "insert into t select * replace ('008000000000000009' as id, 'Discovery' as stage_name, "
        "'10' as probability, '2025-02-27 10:00:00' as created_date) from t where id = '008000000000000007'",
        Accepted(checks=((OPPORTUNITY_STAGE_CHANGES, [
            ("(new) -> Discovery", "2025-02-25 10:00:00", "008000000000000006"),
            ("Discovery -> Demo", "2025-02-26 10:00:00", "008000000000000007"),
            ("Demo -> Discovery", "2025-02-27 10:00:00", "008000000000000009"),
        ]),)),
    ),
    Case(
        "subscription_ends_before_start", "billing/subscription",
        "update t set ended_at = '2025-01-10 10:00:00', canceled_at = '2025-01-10 10:00:00' "
        "where id = 'sub_000000000002'",
        # Newco's subscription (105.26 of January MRR) ends ten days before it starts: it has no
        # period to bill, so it is quarantined and Newco has no MRR; the warning names it
        Quarantined(
            rows=(("subscription", "sub_000000000002", "ends_before_start", None),),
            checks=(
                ("select count(*) from marts.fct_customer_journey where source_record_id = 'sub_000000000002'",
                 [(0,)]),
                (stored_failures("stg_billing__subscriptions_end_not_before_start", "subscription_id"),
                 [("sub_000000000002",)]),
            ),
        ),
    ),
    Case(
        # created 02:00 at +03:00 is 2025-01-31 23:00 UTC, ten hours before its subscription
        # (2025-02-01 09:00): the item's MRR starts with the subscription, so Acme has no
        # January MRR (450 = 10 x 50 x 0.9 without the rule)
        "item_starts_before_subscription", "billing/subscription_item",
        "update t set created = '2025-02-01 02:00:00+03:00' where id = 'si_000000000001'",
        Accepted(checks=(
            ("select cast(started_at as varchar), has_start_before_subscription "
             "from intermediate.int_subscription_items_priced where subscription_item_id = 'si_000000000001'",
             [("2025-02-01 09:00:00", True)]),
            ("select date_month, mrr from marts.fct_mrr_account_months "
             "where account_key = (select account_key from intermediate.int_subscription_items_priced "
             "where subscription_item_id = 'si_000000000001') and mrr <> 0 order by 1",
             [(date(2025, 2, 1), Decimal("675.00")), (date(2025, 3, 1), Decimal("675.00"))]),
            (stored_failures("int_subscription_items_priced_start_within_subscription"),
             [("si_000000000001",)]),
        )),
    ),
    Case(
        # Acme's current item drops to 0 seats while the subscription stays active: kept,
        # flagged and warned about; at 0 MRR the customer counts as churned on 2025-02-15
        "active_subscription_quantity_zero", "billing/subscription_item",
        f"update t set quantity = '0' where id = '{CURRENT_ITEM}'",
        Accepted(checks=(
            (IS_ZERO_PRICED, [(True,)]),
            ("select event_type, amount from marts.fct_customer_journey "
             "where source_record_id = 'sub_000000000001' order by event_at",
             [("subscription_started", Decimal("450.00")), ("churn", Decimal("-450.00"))]),
            (stored_failures("stg_billing__subscription_items_live_items_are_priced"),
             [(CURRENT_ITEM,)]),
        )),
    ),
    Case(
        # as above with a price of 0 (a free plan)
        "active_subscription_priced_zero", "billing/subscription_item",
        f"update t set unit_amount = '0' where id = '{CURRENT_ITEM}'",
        Accepted(checks=(
            (IS_ZERO_PRICED, [(True,)]),
            (FEBRUARY_MRR, [(Decimal("0.00"),)]),
            (stored_failures("stg_billing__subscription_items_live_items_are_priced"),
             [(CURRENT_ITEM,)]),
        )),
    ),
    Case(
        # ticket 301 (created 2025-02-05 09:00, replied 11:00) solved on 2025-02-04: kept and solved,
        # its first reply 2 hours, its resolution time unknown (not negative), warned about
        "ticket_solved_before_created", "support/ticket",
        "update t set solved_at = '2025-02-04 09:00:00' where id = '301'",
        Accepted(checks=(
            ("select is_solved, first_reply_hours, resolution_hours from marts.fct_support_tickets "
             "where ticket_id = 301", [(True, 2.0, None)]),
            (stored_failures("stg_support__tickets_times_after_creation", "ticket_id"), [(301,)]),
        )),
    ),
    # -- references
    Case(
        # Acme's open expansion deal names an account the extract does not hold (a filtered
        # export): kept on an account key of its own, still 3,000 of February pipeline, warned about
        "orphan_opportunity_account", "crm/opportunity",
        "update t set account_id = '001000000000000099' where id = '006000000000000003'",
        Accepted(checks=(
            (OPPORTUNITY_ACCOUNT, [("not_in_extract", "record", False, Decimal("3000.00"))]),
            (FEBRUARY_PIPELINE, [(1, Decimal("3000.00"), 1, Decimal("3000.00"))]),
            (stored_failures("stg_crm__opportunities_account_in_extract", "opportunity_id, account_id"),
             [("006000000000000003", "001000000000000099")]),
        )),
    ),
    Case(
        # the deal without a creation time (500 prospecting deals of a real export): dated by its
        # first stage change, 2025-02-25 10:00 (before its last change on 2025-02-26 and its
        # close day 2025-04-30), so still February pipeline; flagged and warned about
        "undated_deal", "crm/opportunity",
        "update t set created_date = null where id = '006000000000000003'",
        Accepted(checks=(
            ("select cast(created_at as varchar), is_created_date_inferred, amount from marts.fct_opportunities "
             "where opportunity_id = '006000000000000003'", [("2025-02-25 10:00:00", True, Decimal("3000.00"))]),
            (FEBRUARY_PIPELINE, [(1, Decimal("3000.00"), 1, Decimal("3000.00"))]),
            (stored_failures("stg_crm__opportunities_created_date_present", "opportunity_id"),
             [("006000000000000003",)]),
        )),
    ),
    Case(
        # Four row faults of real exports in one folder, each kept and flagged, the build green:
        # - Acme's open expansion deal without an account id (an open deal nobody attached yet:
        #   1,425 of 8,800 in a real export): the deal is its own account; the numbers do not move
        # - Acme's won deal without a creation time (500 prospecting deals of a real export): dated
        #   by its first stage change, 2025-01-10 10:00 (its close day is 2025-01-31); the win still
        #   counts in January, but it measures no sales cycle
        # - ticket 302 names an organization the extract does not hold (a filtered Zendesk export):
        #   kept, resolved through its requester
        # - the CRM recorded Acme's lead on 2025-02-02, after its deal was won on 2025-01-31 (a real
        #   funnel has such leads): a real event, kept, the step counts 0 days
        # and a warn test with stored failures names each record.
        "row_faults_kept_together", "crm/opportunity",
        "update t set account_id = null where id = '006000000000000003'",
        Accepted(checks=(
            (OPPORTUNITY_ACCOUNT, [("no_account_id", "record", False, Decimal("3000.00"))]),
            (FEBRUARY_PIPELINE, [(1, Decimal("3000.00"), 1, Decimal("3000.00"))]),
            (stored_failures("stg_crm__opportunities_account_in_extract", "opportunity_id, account_id"),
             [("006000000000000003", None)]),
            ("select cast(created_at as varchar), is_created_date_inferred, is_won, sales_cycle_days "
             "from marts.fct_opportunities where opportunity_id = '006000000000000001'",
             [("2025-01-10 10:00:00", True, True, None)]),
            ("select won_opportunities, won_amount, sales_cycle_days from marts.sales_pipeline "
             "where date_month = '2025-01-01' and won_opportunities > 0", [(1, Decimal("6000.00"), None)]),
            (stored_failures("stg_crm__opportunities_created_date_present", "opportunity_id"),
             [("006000000000000001",)]),
            ("select count(*) from marts.fct_support_tickets where ticket_id = 302", [(1,)]),
            (stored_failures("stg_support__tickets_organization_in_extract", "from_field"), [(999,)]),
            ("select is_won, days_lead_to_won from marts.fct_lead_funnel where lead_id = '00Q000000000000001'",
             [(True, 0.0)]),
            (stored_failures("stg_crm__leads_funnel_in_order", "lead_id"), [("00Q000000000000001",)]),
        )),
        extra_patches=(
            ("crm/opportunity", "update t set created_date = null where id = '006000000000000001'"),
            ("support/ticket", "update t set organization_id = '999' where id = '302'"),
            ("crm/lead", "update t set created_date = '2025-02-02 09:00:00', mql_date__c = null, "
                         "sql_date__c = null where id = '00Q000000000000001'"),
        ),
    ),
    Case(
        # Acme's lead names an opportunity the extract does not hold: kept and warned about; the
        # funnel follows Acme's first opportunity created after the lead (the same won deal)
        "lead_converted_to_missing_opportunity", "crm/lead",
        "update t set converted_opportunity_id = '006000000000000099' where id = '00Q000000000000001'",
        Accepted(checks=(
            ("select has_opportunity, is_won from marts.fct_lead_funnel where lead_id = '00Q000000000000001'",
             [(True, True)]),
            (stored_failures("stg_crm__leads_converted_opportunity_in_extract", "from_field"),
             [("006000000000000099",)]),
        )),
    ),
    # -- funnel order
    # -- emails
    Case(
        "malformed_email_customer", "billing/customer",
        "update t set email = 'solo(at)newco.io' where id = 'cus_000000000002'",
        Quarantined(
            rows=(("customer", "cus_000000000002", "malformed_email", None),),
            checks=(
                # the junk address is dropped, not matched: the customer keys on itself
                ("select email, has_malformed_email from staging.stg_billing__customers "
                 "where customer_id = 'cus_000000000002'", [(None, True)]),
                ("select account_key_source from intermediate.int_identities_resolved "
                 "where source_table = 'customer' and source_record_id = 'cus_000000000002'", [("record",)]),
                # and its subscription's MRR still enters the journey
                ("select event_type, amount from marts.fct_customer_journey "
                 "where source_record_id = 'sub_000000000002' order by event_at",
                 [("subscription_started", Decimal("105.26")), ("churn", Decimal("-105.26"))]),
            ),
        ),
    ),
    Case(
        "malformed_email_lead", "crm/lead",
        "update t set email = 'bob@gmail' where id = '00Q000000000000005'",
        Quarantined(
            rows=(("lead", "00Q000000000000005", "malformed_email", None),),
            checks=(
                # 'gmail' never becomes a company: the lead keys on itself and stays in the funnel
                ("select account_key_source from intermediate.int_identities_resolved "
                 "where source_table = 'lead' and source_record_id = '00Q000000000000005'", [("record",)]),
                ("select event_type from marts.fct_customer_journey "
                 "where source_record_id = '00Q000000000000005' order by event_at", [("lead_created",), ("mql",)]),
                ("select count(*) from marts.dim_accounts where account_kind = 'business_domain'", [(1,)]),
            ),
        ),
    ),
    Case(
        # the same bad lead with the default max_quarantine_share (5%): 1 of the 6 raw lead rows (16.7%)
        # is past it, so the build stops naming the table, the share, the reason and the id
        "quarantine_over_max_share", "crm/lead",
        "update t set email = 'bob@gmail' where id = '00Q000000000000005'",
        Stops(
            failing=("assert_quarantine_within_max_share",),
            messages=(
                "Quarantine too large: raw table crm.lead: 1 of 6 records (16.7%) quarantined as malformed_email, "
                "e.g. source_record_id 00Q000000000000005",
                "Over max_quarantine_share 0.05 of a raw table",
            ),
        ),
        settings=(("REVOPS_MAX_QUARANTINE_SHARE", "0.05"),),
    ),
    # -- file shape
    Case(
        # stg_run__raw_tables reads every raw table first, so it is the node that stops
        "missing_column", "billing/subscription_item",
        "alter table t drop column currency",
        Stops(
            failing=("stg_run__raw_tables",),
            messages=(
                "Raw table billing.subscription_item",
                "is missing column(s) currency required by the raw contract",
            ),
        ),
    ),
    Case(
        "renamed_column", "crm/opportunity",
        "alter table t rename column amount to amount_usd",
        Stops(
            failing=("stg_run__raw_tables",),
            messages=("Raw table crm.opportunity", "is missing column(s) amount required by the raw contract",
                      "amount_usd"),
        ),
    ),
    Case(
        # DuckDB reads `id,...,amount,...,amount` as amount and amount_1: the second would be dropped
        "duplicated_header", "crm/opportunity",
        "alter table t add column amount_2 varchar; update t set amount_2 = '1.00'",
        Stops(
            failing=("stg_run__raw_tables",),
            messages=("Raw table crm.opportunity (", "opportunity.csv) has a duplicated column in its header: amount."),
        ),
        header_rename=("amount_2", "amount"),
    ),
]


# Cases that share one build: each case of a group patches records and reads numbers no other
# case of its group touches (a group never holds two cases on the same record, e.g. Acme's
# current item si_000000000002, opportunity 3, ticket 302, nor two cases reading the same total),
# so each still proves its own outcome. Each case's checks run on the group's database; the
# quarantine counts are the clean folder's plus the rows of every case of the group. Sharing
# cuts 23 builds to 7 (each build is about 50 s of dbt start-up and node overhead whatever the
# data). A case that stops the build, has a gap or its own settings builds alone.
SHARED_BUILDS: dict[str, tuple[str, ...]] = {
    "jpy_and_duplicates": (
        "zero_decimal_currency_jpy", "duplicate_id", "duplicate_id_same_load_time", "won_deal_without_amount",
    ),
    "krw_and_keys": ("zero_decimal_currency_krw", "negative_amount", "null_key", "future_stage_change"),
    "kwd_and_references": (
        "three_decimal_currency_kwd", "orphan_opportunity_account", "future_ticket", "subscription_ends_before_start",
    ),
    "negative_price_and_times": ("negative_unit_amount", "undated_deal", "ticket_solved_before_created"),
    "zero_seats_and_row_faults": (
        "active_subscription_quantity_zero", "row_faults_kept_together", "malformed_email_customer",
    ),
    "free_plan_and_history": (
        "active_subscription_priced_zero", "lead_converted_to_missing_opportunity", "stage_moves_backwards",
    ),
    "item_start_and_lead_email": ("item_starts_before_subscription", "malformed_email_lead"),
}
CASES_BY_NAME = {case.name: case for case in CASES}
GROUP_OF = {name: group for group, names in SHARED_BUILDS.items() for name in names}


def build_of(case: Case) -> tuple[str, tuple[Case, ...]]:
    """The build a case's checks read: its group's, or its own."""
    group = GROUP_OF.get(case.name)
    if group is None:
        return case.name, (case,)
    return group, tuple(CASES_BY_NAME[name] for name in SHARED_BUILDS[group])


# --- running a case -------------------------------------------------------------------------

def apply_patch(folder: Path, table: str, patch: str, header_rename: tuple[str, str] | None = None) -> None:
    """Load folder/<table>.csv as text into table t, run the patch, write t back as CSV (with
    one column renamed in the header line only, when told)."""
    path = folder / f"{table}.csv"
    with duckdb.connect() as connection:
        connection.execute(f"create table t as select * from read_csv('{path}', header = true, all_varchar = true)")
        connection.execute(patch)
        connection.execute(f"copy t to '{path}' (header, delimiter ',')")
    if header_rename:
        old, new = header_rename
        header, rest = path.read_text().split("\n", 1)
        columns = header.split(",")
        assert old in columns, f"{old} not in the header of {table}"
        path.write_text(",".join(new if column == old else column for column in columns) + "\n" + rest)


@dataclass
class Outcome:
    returncode: int
    output: str
    statuses: dict[str, str]  # node name -> pass, fail, error, skipped, success, ...
    database: Path

    @property
    def failing(self) -> set[str]:
        return {name for name, status in self.statuses.items() if status in ("fail", "error")}

    def describe(self) -> str:
        return f"returncode {self.returncode}, failing {sorted(self.failing)}\n{self.output[-6000:]}"


def case_env(settings: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The environment of a case build. dbt runs in the case's own folder (case.duckdb, raw/,
    duckdb_tmp/ relative to it), so every case has the same environment and dbt reuses one
    parse of the project (partial parsing) instead of parsing it again for each case."""
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(dbt_helpers.ROOT), REVOPS_DUCKDB_PATH="case.duckdb", REVOPS_TEMP_DIRECTORY="duckdb_tmp",
        REVOPS_RAW_MODE="files", REVOPS_RAW_FILES_PATH="raw", REVOPS_RAW_FILES_FORMAT="csv",
        REVOPS_AS_OF_DATE=AS_OF_DATE, REVOPS_PII_SALT="byod-test-salt", REVOPS_MAX_QUARANTINE_SHARE="1",
    )
    env.update(settings)
    return env


def run_case_dbt(folder: Path, args: list[str],
                 settings: tuple[tuple[str, str], ...] = ()) -> subprocess.CompletedProcess:
    command = [dbt_helpers.DBT, *args, "--project-dir", str(dbt_helpers.ROOT),
               "--target-path", str(folder / "case_target"), "--log-path", str(folder / "case_logs")]
    return subprocess.run(command, cwd=folder, env=case_env(settings), capture_output=True, text=True)


@pytest.fixture(scope="session")
def shared_parse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `dbt parse` in a case environment (per pytest worker): its partial_parse.msgpack,
    copied into each case's target folder, saves each build the full parse (13 s of 58)."""
    folder = tmp_path_factory.mktemp("corpus_parse")
    completed = run_case_dbt(folder, ["parse"])
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return folder / "case_target" / "partial_parse.msgpack"


def build_case(tmp_path: Path, cases: tuple[Case, ...], shared_parse: Path) -> Outcome:
    """Patch a copy of the tiny folder with every case's patches, in order, and build it."""
    raw = tmp_path / "raw"
    shutil.copytree(TINY, raw)
    for case in cases:
        apply_patch(raw, case.table, case.patch, case.header_rename)
        for table, patch in case.extra_patches:
            apply_patch(raw, table, patch)
    first = cases[0]
    args = RECONCILIATION_BUILD if isinstance(first.expected, Stops) else FULL_BUILD
    (tmp_path / "case_target").mkdir()
    shutil.copy(shared_parse, tmp_path / "case_target")
    completed = run_case_dbt(tmp_path, args, first.settings)
    statuses = {}
    results = tmp_path / "case_target" / "run_results.json"
    if results.exists():
        for result in json.loads(results.read_text())["results"]:
            # model.revops.<name> or test.revops.<name>.<hash>
            statuses[result["unique_id"].split(".")[2]] = result["status"]
    return Outcome(completed.returncode, completed.stdout + completed.stderr, statuses, tmp_path / "case.duckdb")


# Builds made in this pytest worker, by group name (the cases of a group share a worker).
_BUILDS: dict[str, Outcome] = {}


def query(database: Path, sql: str) -> list[tuple]:
    """Run sql on a case database from the case's folder: its staging views read raw/
    relative to it (see case_env)."""
    previous = Path.cwd()
    os.chdir(database.parent)
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            return connection.execute(sql).fetchall()
    finally:
        os.chdir(previous)


def quarantine_summary(database: Path) -> dict[tuple[str, str], tuple[int, int]]:
    return {(table, reason): (records, int(raw_rows))
            for table, reason, records, raw_rows in query(database, QUARANTINE_SUMMARY)}


def assert_reconciled(outcome: Outcome) -> None:
    assert outcome.returncode == 0, outcome.describe()
    for test in RECONCILIATION_TESTS:
        assert outcome.statuses.get(test) == "pass", f"{test}: {outcome.statuses.get(test)}"


def expected_summary(cases: tuple[Case, ...]) -> dict[tuple[str, str], tuple[int, int]]:
    """The clean folder's quarantine counts plus the rows every quarantined case of a build adds."""
    rows = [row for case in cases if isinstance(case.expected, Quarantined) for row in case.expected.rows]
    summary = dict(BASELINE_QUARANTINE)
    added = Counter((table, reason) for table, _, reason, _ in rows)
    # a record kept out stands for its raw row; an event, or a record flagged malformed_email
    # (it entered the journey without its email), for none
    raw_rows = Counter(
        (table, reason) for table, _, reason, event_type in rows
        if event_type is None and reason != "malformed_email"
    )
    for key, records in added.items():
        before_records, before_raw_rows = summary.get(key, (0, 0))
        summary[key] = (before_records + records, before_raw_rows + raw_rows[key])
    return summary


def check_quarantined(outcome: Outcome, expected: Quarantined, build: tuple[Case, ...]) -> None:
    assert_reconciled(outcome)
    quarantined = set(query(outcome.database, """
        select source_table, source_record_id, quarantine_reason, event_type
        from intermediate.int_journey_quarantine
    """))
    assert set(expected.rows) <= quarantined
    assert quarantine_summary(outcome.database) == expected_summary(build)
    for sql, rows in expected.checks:
        assert query(outcome.database, sql) == rows, sql


def check_accepted(outcome: Outcome, expected: Accepted, build: tuple[Case, ...]) -> None:
    assert_reconciled(outcome)
    # the clean folder's, plus what the other cases of a shared build quarantine
    assert quarantine_summary(outcome.database) == expected_summary(build)
    for sql, rows in expected.checks:
        assert query(outcome.database, sql) == rows, sql


def check_stops(outcome: Outcome, expected: Stops, build: tuple[Case, ...]) -> None:
    assert len(build) == 1, "a case that stops the build builds alone"
    assert outcome.returncode != 0, outcome.describe()
    assert outcome.failing == set(expected.failing), outcome.describe()
    for message in expected.messages:
        assert message in outcome.output, f"{message!r} not in the output\n{outcome.describe()}"
    # a failing reconciliation test would mean rows were lost before the stop
    for test in RECONCILIATION_TESTS:
        assert outcome.statuses.get(test) in (None, "pass", "skipped"), f"{test}: {outcome.statuses.get(test)}"


CHECKS = {Quarantined: check_quarantined, Accepted: check_accepted, Stops: check_stops}


def test_case_names_are_unique_and_documented() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    readme = (Path(__file__).parent / "data" / "bad_input" / "README.md").read_text()
    for name in names:
        assert f"`{name}`" in readme, f"{name} is not described in tests/data/bad_input/README.md"


def test_shared_builds_hold_only_cases_that_can_share() -> None:
    grouped = [name for names in SHARED_BUILDS.values() for name in names]
    assert len(grouped) == len(set(grouped)), "a case is in two shared builds"
    for name in grouped:
        case = CASES_BY_NAME[name]
        assert not isinstance(case.expected, Stops), f"{name} stops the build: it builds alone"
        assert case.gap is None and not case.settings and case.header_rename is None, name
    for group, names in SHARED_BUILDS.items():
        # no two cases of a build patch the same table with the same record id in the patch
        patched = Counter()
        for name in names:
            case = CASES_BY_NAME[name]
            for table, patch in ((case.table, case.patch), *case.extra_patches):
                for record in set(re.findall(r"'((?:si|sub|cus)_\d+|0[0-9][0-9A-Z]\d{12,}|30\d)'", patch)):
                    patched[(table, record)] += 1
        assert all(count == 1 for count in patched.values()), (group, patched)


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=case.name,
                  marks=[pytest.mark.xfail(strict=True, reason=case.gap)] if case.gap else
                  [pytest.mark.xdist_group(f"corpus_{GROUP_OF[case.name]}")] if case.name in GROUP_OF else [])
     for case in CASES],
)
def test_bad_input(case: Case, tmp_path_factory: pytest.TempPathFactory, shared_parse: Path) -> None:
    name, build = build_of(case)
    if name not in _BUILDS:
        _BUILDS[name] = build_case(tmp_path_factory.mktemp(f"case_{name}"), build, shared_parse)
    CHECKS[type(case.expected)](_BUILDS[name], case.expected, build)
