"""The company's vocabulary is configuration: a folder that names its stages, plans, lead sources
and ticket priorities in its own words builds green without any edit, keeps every row, and
warns naming each value no mapping knows with its raw row count; after editing only the
mapping seeds (seeds/mappings/*.csv, as a user does in their clone: here in a copy of the
project tree) it gives the funnel, tiers and channels worked out by hand below.

The company is tests/data/byod_tiny (see tests/test_byod.py) with its own words:
  stages       Discovery -> Qualify, Demo -> Solution Demo, Proposal -> Quote Sent,
               Closed Won -> Gewonnen, Closed Lost -> Verloren; and its CRM export has no
               is_closed / is_won flags (empty), so only the stage mapping can tell an
               outcome
  plans        Growth -> Team Monthly, Starter -> Solo Yearly
  lead sources Paid Search -> Google Ads, Paid Social -> LinkedIn Ads, Web -> Website,
               Organic Search -> Programmatic Display (a channel the project does not know:
               the edit adds paid_display to map_channels, paid)
  priorities   high -> P2 - High, normal -> P3 - Normal
"""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import dbt_helpers
from test_byod import TINY

STAGES = {"Discovery": "Qualify", "Demo": "Solution Demo", "Proposal": "Quote Sent",
          "Closed Won": "Gewonnen", "Closed Lost": "Verloren"}
PLANS = {"Growth": "Team Monthly", "Starter": "Solo Yearly"}
LEAD_SOURCES = {"Paid Search": "Google Ads", "Paid Social": "LinkedIn Ads", "Web": "Website",
                "Organic Search": "Programmatic Display"}
PRIORITIES = {"high": "P2 - High", "normal": "P3 - Normal"}

# What the company adds to the mapping seeds (rows appended to seeds/mappings/<seed>.csv).
MAPPING_EDITS = {
    "map_opportunity_stages": [["Qualify", "1", "open"], ["Solution Demo", "2", "open"],
                               ["Quote Sent", "3", "open"], ["Gewonnen", "4", "won"], ["Verloren", "4", "lost"]],
    "map_plans": [["Team Monthly", "team"], ["Solo Yearly", "solo"]],
    "map_channels": [["paid_display", "Programmatic display ads.", "true"]],
    "map_lead_sources": [["Google Ads", "paid_search"], ["LinkedIn Ads", "paid_social"], ["Website", "direct"],
                         ["Programmatic Display", "paid_display"]],
    "map_ticket_priorities": [["P2 - High", "high", "3"], ["P3 - Normal", "normal", "2"]],
}


def rewrite(path: Path, renames: dict[str, dict[str, str]], blank: tuple[str, ...] = ()) -> None:
    """Rename values of some columns of a raw CSV (column -> {old: new}) and empty others."""
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
        fields = list(rows[0].keys())
    for row in rows:
        for column, mapping in renames.items():
            row[column] = mapping.get(row[column], row[column])
        for column in blank:
            row[column] = ""
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def company_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(TINY, raw)
    rewrite(raw / "crm" / "opportunity.csv", {"stage_name": STAGES, "lead_source": LEAD_SOURCES},
            blank=("is_closed", "is_won"))
    rewrite(raw / "crm" / "opportunity_history.csv", {"stage_name": STAGES})
    rewrite(raw / "billing" / "subscription_item.csv", {"product_name": PLANS})
    rewrite(raw / "crm" / "lead.csv", {"lead_source": LEAD_SOURCES})
    rewrite(raw / "support" / "ticket.csv", {"priority": PRIORITIES})
    return raw


def edited_project(tmp_path: Path) -> Path:
    """A copy of the project whose mapping seeds the company edited (rows appended)."""
    project = dbt_helpers.copy_project(tmp_path / "project")
    for seed, rows in MAPPING_EDITS.items():
        with (project / "seeds" / "mappings" / f"{seed}.csv").open("a", newline="") as file:
            csv.writer(file, lineterminator="\n").writerows(rows)
    return project


def rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return company_folder(tmp_path_factory.mktemp("vocabulary_raw"))


@pytest.fixture(scope="module")
def unedited(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> tuple[Path, str]:
    tmp_path = tmp_path_factory.mktemp("vocabulary_unedited")
    # unit tests left out, as dbt_helpers.dbt_build does: they read no raw data
    completed = dbt_helpers.run_dbt(tmp_path, "unedited", ["build", "--exclude-resource-type", "unit_test"], folder)
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]
    return tmp_path / "unedited.duckdb", completed.stdout


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> Path:
    tmp_path = tmp_path_factory.mktemp("vocabulary_edited")
    return dbt_helpers.dbt_build(tmp_path, "edited", folder, project_dir=edited_project(tmp_path))


# --- without edits: green, every row kept, every unknown value named with its count ---------

def test_unedited_build_warns_naming_each_unmapped_value_and_count(unedited: tuple[Path, str]) -> None:
    database, output = unedited
    # Raw rows per value (the tiny folder's, deleted and re-delivered rows included):
    assert sorted(rows(database, """
        select vocabulary_seed, source_table, source_column, raw_value, row_count
        from intermediate.int_vocabulary_unmapped
    """)) == sorted([
        # opportunity stages: 1 Gewonnen, 1 Verloren, 1 Solution Demo, 1 Qualify (Initech)
        ("map_opportunity_stages", "opportunity", "stage_name", "Gewonnen", 1),
        ("map_opportunity_stages", "opportunity", "stage_name", "Verloren", 1),
        ("map_opportunity_stages", "opportunity", "stage_name", "Solution Demo", 1),
        ("map_opportunity_stages", "opportunity", "stage_name", "Qualify", 1),
        # the history: 4 Qualify (one per deal), 1 Quote Sent, 1 Gewonnen, 1 Verloren, 1 Solution Demo
        ("map_opportunity_stages", "opportunity_history", "stage_name", "Qualify", 4),
        ("map_opportunity_stages", "opportunity_history", "stage_name", "Quote Sent", 1),
        ("map_opportunity_stages", "opportunity_history", "stage_name", "Gewonnen", 1),
        ("map_opportunity_stages", "opportunity_history", "stage_name", "Verloren", 1),
        ("map_opportunity_stages", "opportunity_history", "stage_name", "Solution Demo", 1),
        # plans: 2 Team Monthly items (Acme's 10 then 15 seats), 1 Solo Yearly (Newco)
        ("map_plans", "subscription_item", "product_name", "Team Monthly", 2),
        ("map_plans", "subscription_item", "product_name", "Solo Yearly", 1),
        # lead sources: leads 1 Google Ads, 2 LinkedIn Ads, 3 and 4 Website, 5 twice (re-delivered)
        ("map_lead_sources", "lead", "lead_source", "Google Ads", 1),
        ("map_lead_sources", "lead", "lead_source", "LinkedIn Ads", 1),
        ("map_lead_sources", "lead", "lead_source", "Website", 2),
        ("map_lead_sources", "lead", "lead_source", "Programmatic Display", 2),
        # opportunities 1 and 2 (3 has none; Outbound is known)
        ("map_lead_sources", "opportunity", "lead_source", "Google Ads", 1),
        ("map_lead_sources", "opportunity", "lead_source", "LinkedIn Ads", 1),
        # tickets 301 and 302
        ("map_ticket_priorities", "ticket", "priority", "P2 - High", 1),
        ("map_ticket_priorities", "ticket", "priority", "P3 - Normal", 1),
    ])
    # the build says so, one line per value, and only warns
    assert "Unmapped vocabulary: crm.opportunity_history.stage_name value 'Qualify' (4 raw rows) " \
           "is not in seeds/mappings/map_opportunity_stages.csv; it is kept as 'unmapped'." in output
    assert "Unmapped vocabulary: crm.lead.lead_source value 'Programmatic Display' (2 raw rows) " \
           "is not in seeds/mappings/map_lead_sources.csv; it is kept as 'other'." in output
    assert len(re.findall(r"Unmapped vocabulary: ", output)) == 19
    assert re.search(r"WARN 19 vocabulary_is_mapped_int_vocabulary_unmapped", output)
    assert re.search(r"ERROR=0 ", output)


def test_unedited_build_keeps_every_row_as_unmapped(unedited: tuple[Path, str]) -> None:
    database, _ = unedited
    # No stage is known and the export has no outcome flags: every deal is open, order null.
    assert rows(database, """
        select opportunity_id, stage_category, stage_order, is_closed, is_won
        from staging.stg_crm__opportunities order by 1
    """) == [
        ("006000000000000001", "unmapped", None, False, False),
        ("006000000000000002", "unmapped", None, False, False),
        ("006000000000000003", "unmapped", None, False, False),
        ("006000000000000004", "unmapped", None, False, False),
    ]
    assert rows(database, """
        select opportunity_id, is_closed, channel from marts.fct_opportunities order by 1
    """) == [
        # unknown lead sources are channel other (opportunity 3 has no lead source: unknown)
        ("006000000000000001", False, "other"),
        ("006000000000000002", False, "other"),
        ("006000000000000003", False, "unknown"),
    ]
    # every item keeps its MRR, tier unmapped
    assert rows(database, """
        select subscription_item_id, plan_tier, mrr from intermediate.int_subscription_items_priced order by 1
    """) == [
        ("si_000000000001", "unmapped", Decimal("450.0000")),
        ("si_000000000002", "unmapped", Decimal("675.0000")),
        ("si_000000000003", "unmapped", Decimal("105.2632")),
    ]
    assert rows(database, "select ticket_id, priority from marts.fct_support_tickets order by 1") == [
        (301, "unmapped"), (302, "unmapped"),
    ]


# --- after editing the mapping seeds: the right funnel, tiers and channels -------------------

def test_edited_mappings_give_the_funnel_by_hand(edited: Path) -> None:
    # Opportunity 1 (Acme, USD 6,000) reached Gewonnen on 2025-01-31 16:00 (its history): won.
    # Opportunity 2 (Globex, EUR 50,000 / 0.95 = USD 52,631.58) reached Verloren on 2025-02-20: lost.
    # Opportunity 3 (Acme expansion) is in Solution Demo, mapped open: open pipeline of USD 3,000.
    # Opportunity 4 (Initech) belongs to a deleted account: quarantined, not in the mart.
    assert rows(edited, """
        select opportunity_id, is_won, is_lost, amount, cast(closed_at as varchar), channel
        from marts.fct_opportunities order by 1
    """) == [
        ("006000000000000001", True, False, Decimal("6000.00"), "2025-01-31 16:00:00", "paid_search"),
        ("006000000000000002", False, True, Decimal("52631.58"), "2025-02-20 10:00:00", "paid_social"),
        ("006000000000000003", False, False, Decimal("3000.00"), None, "unknown"),
    ]
    # Stage order comes from the mapping (Quote Sent is 3rd, the closed stages 4th).
    assert rows(edited, """
        select stage_name, stage_order, stage_category from staging.stg_crm__opportunity_history
        where opportunity_id = '006000000000000001' order by changed_at
    """) == [("Qualify", 1, "open"), ("Quote Sent", 3, "open"), ("Gewonnen", 4, "won")]
    # Sales pipeline, all reps and segments: January won 1 deal of 6,000 (win rate 1 of 1 closed
    # that month); February lost 52,631.58; at the end of February opportunity 3 (created
    # 2025-02-25) is the only open deal: 3,000.
    assert rows(edited, """
        select cast(date_month as varchar), sum(won_opportunities), sum(won_amount), sum(lost_opportunities),
               sum(lost_amount), sum(open_opportunities), sum(open_pipeline)
        from marts.sales_pipeline
        where date_month in ('2025-01-01', '2025-02-01')
        group by 1 order by 1
    """) == [
        ("2025-01-01", 1, Decimal("6000.00"), 0, Decimal("0.00"), 1, Decimal("52631.58")),
        ("2025-02-01", 0, Decimal("0.00"), 1, Decimal("52631.58"), 1, Decimal("3000.00")),
    ]
    # Lead funnel: lead 1 (Jane, Acme) converted to opportunity 1, won: the cohort of January
    # has one customer; lead 2 (Hans, Globex) reached an opportunity that was lost.
    assert rows(edited, """
        select lead_id, has_opportunity, is_won from marts.fct_lead_funnel
        where lead_id in ('00Q000000000000001', '00Q000000000000002') order by 1
    """) == [("00Q000000000000001", True, True), ("00Q000000000000002", True, False)]


def test_edited_mappings_give_the_tiers_by_hand(edited: Path) -> None:
    # Team Monthly -> team: Acme 10 seats x 50 x 0.9 = 450, then 15 seats = 675.
    # Solo Yearly -> solo: Newco EUR 1,200 / 12 = 100 EUR = 105.2632 USD a month.
    assert rows(edited, """
        select plan_name, plan_tier, mrr from intermediate.int_subscription_items_priced order by subscription_item_id
    """) == [
        ("Team Monthly", "team", Decimal("450.0000")),
        ("Team Monthly", "team", Decimal("675.0000")),
        ("Solo Yearly", "solo", Decimal("105.2632")),
    ]
    assert rows(edited, "select count(*) from intermediate.int_vocabulary_unmapped") == [(0,)]


def test_edited_mappings_give_the_channels_by_hand(edited: Path) -> None:
    # Bob's lead (Programmatic Display, no UTM tags) is now in the channel the company added;
    # leads 1 and 2 keep the channel of their UTM medium (cpc, paid_social).
    assert rows(edited, """
        select source_record_id, channel from marts.fct_customer_journey
        where event_type = 'lead_created' order by 1
    """) == [
        ("00Q000000000000001", "paid_search"),
        ("00Q000000000000002", "paid_social"),
        ("00Q000000000000005", "paid_display"),
    ]
    # Bob's person account is acquired through paid_display (his lead's channel, 2025-02-01
    # before his sessions count: he has none).
    assert rows(edited, """
        select acquisition_channel from marts.dim_accounts where account_kind = 'person'
    """) == [("paid_display",)]
    # February, by channel: Bob's lead counts in paid_display (1 lead, 1 MQL).
    assert rows(edited, """
        select channel, leads, mqls from marts.acquisition_channel_months
        where date_month = '2025-02-01' and channel = 'paid_display'
    """) == [("paid_display", 1, 1)]
    # paid_display is paid in map_channels; the priority mapping gives the levels back.
    assert rows(edited, "select ticket_id, priority from marts.fct_support_tickets order by 1") == [
        (301, "high"), (302, "normal"),
    ]
