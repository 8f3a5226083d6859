"""Great Expectations suites on a built warehouse: grain, money, rates, the as-of window, KPI
ranges and account-key completeness, checked on the public marts and key staging models.

    python scripts/validate_expectations.py [--database PATH] [--docs-dir DIR]

Opens the DuckDB file read-only (default: REVOPS_DUCKDB_PATH, else revops.duckdb), loads each
checked table into pandas and validates it with an in-memory GX context (a pandas data source,
one dataframe asset per table), then writes GX Data Docs (HTML, index.html) into --docs-dir
(default great_expectations_docs/, gitignored). Prints one line per suite and exits 1 when a
critical expectation fails; warnings (judgement-call KPI ranges, empty tables) only print.

The suites are defined here, in code, from TABLE_CHECKS: one suite per table, each expectation
tagged in its meta with a severity (critical or warning) and the kind of check. GX reads
DataFrames, not the database: its SQL path through duckdb-engine errors on every expectation
(great_expectations issues 10738 and 11579).
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations import Expectation

ROOT = Path(__file__).resolve().parent.parent
CRITICAL = "critical"
WARNING = "warning"
AS_OF_TABLE = "staging.stg_run__as_of_date"
DIM_ACCOUNTS = "marts.dim_accounts"
ORPHANS_SUITE = "checks.account_key_orphans"
# Tables whose every account_key must be a row of dim_accounts.
ACCOUNT_KEY_CHILDREN = (
    "marts.fct_customer_journey", "marts.fct_mrr_account_months", "marts.fct_opportunities",
    "marts.fct_support_tickets",
)
DOCS_SITE = "local_site"


@dataclass(frozen=True)
class Range:
    """A judgement-call range for a KPI column; `mostly` is the share of non-null rows that must hold."""

    column: str
    min_value: float | None
    max_value: float | None
    mostly: float = 1.0


@dataclass(frozen=True)
class TableChecks:
    """What must hold for one table. Nulls pass the money, rate, date and range checks (a rate
    whose denominator is zero is null by design)."""

    grain: tuple[str, ...]
    money: tuple[str, ...] = ()
    rates: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    months_through_as_of: str | None = None
    kpi_ranges: tuple[Range, ...] = ()


MONEY_MOVEMENTS = ("new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "reactivation_mrr")
DAYS_2Y = 730.0
TABLE_CHECKS: Mapping[str, TableChecks] = {
    "marts.fct_customer_journey": TableChecks(grain=("event_id",), dates=("event_at", "event_date")),
    "marts.dim_accounts": TableChecks(
        grain=("account_key",), money=("current_mrr",),
        dates=("first_touch_at", "first_lead_created_at", "first_deal_won_at", "acquisition_date"),
    ),
    "marts.fct_mrr_account_months": TableChecks(
        grain=("account_key", "date_month"),
        money=("mrr", "arr", "previous_mrr", *MONEY_MOVEMENTS, "mrr_12_months_ago", "nrr_retained_mrr",
               "grr_retained_mrr"),
        dates=("date_month", "cohort_month"),
    ),
    "marts.mrr_bridge": TableChecks(
        grain=("date_month",),
        money=("starting_mrr", *MONEY_MOVEMENTS, "ending_mrr", "ending_arr", "mrr_12_months_ago", "arpa"),
        rates=("logo_churn_rate", "gross_mrr_churn_rate", "gross_revenue_retention"),
        dates=("date_month",), months_through_as_of="date_month",
        kpi_ranges=(
            Range("arpa", 1, 1e6), Range("quick_ratio", 0, None), Range("net_revenue_retention", 0, 5),
            Range("net_mrr_churn_rate", -5, 1),
        ),
    ),
    "marts.cohort_retention": TableChecks(
        grain=("cohort_month", "months_since_cohort"),
        money=("cohort_starting_mrr", "mrr", "cumulative_revenue", "cumulative_revenue_per_customer"),
        rates=("logo_retention",), dates=("cohort_month",),
        kpi_ranges=(Range("revenue_retention", 0, 5),),
    ),
    "marts.ad_spend_monthly": TableChecks(
        grain=("date_month", "platform", "campaign_id"), money=("ad_spend", "cost_per_click"), dates=("date_month",),
    ),
    "marts.acquisition_months": TableChecks(
        grain=("date_month",),
        money=("ad_spend", "other_sales_marketing_expense", "sales_marketing_expense", "new_mrr", "arpa",
               "new_customer_arpa", "cac_blended", "cac_paid", "ltv"),
        rates=("trailing_logo_churn_rate",),
        dates=("date_month",), months_through_as_of="date_month",
        kpi_ranges=(
            Range("arpa", 1, 1e6), Range("new_customer_arpa", 1, 1e6), Range("cac_blended", 0, 1e6),
            Range("cac_payback_months", 0, 120, mostly=0.9), Range("ltv_to_cac", 0, 100),
        ),
    ),
    "marts.acquisition_channel_months": TableChecks(
        grain=("date_month", "channel"), money=("ad_spend", "cost_per_lead", "cac_channel"), dates=("date_month",),
        kpi_ranges=(Range("cost_per_lead", 0, 1e4), Range("cac_channel", 0, 1e6)),
    ),
    "marts.lead_funnel": TableChecks(
        grain=("cohort_month", "channel"),
        rates=("lead_to_mql_rate", "mql_to_sql_rate", "sql_to_opportunity_rate", "opportunity_to_won_rate",
               "lead_to_customer_rate"),
        dates=("cohort_month",),
        kpi_ranges=tuple(
            Range(f"median_days_{stage}", 0, DAYS_2Y)
            for stage in ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_won", "lead_to_won")
        ),
    ),
    "marts.speed_to_lead": TableChecks(
        grain=("mql_month", "channel", "owner_user_id"), rates=("speed_to_lead_sla_rate",), dates=("mql_month",),
        kpi_ranges=(Range("speed_to_lead_hours", 0, 24 * 30),),
    ),
    "marts.fct_opportunities": TableChecks(
        grain=("opportunity_id",), money=("amount",), dates=("created_at", "closed_at"),
        kpi_ranges=(Range("sales_cycle_days", 0, DAYS_2Y),),
    ),
    "marts.sales_pipeline": TableChecks(
        grain=("date_month", "owner_user_id", "segment"),
        money=("pipeline_created", "closed_amount", "won_amount", "lost_amount", "avg_won_deal_size",
               "open_pipeline", "weighted_pipeline", "pipeline_velocity"),
        rates=("win_rate", "win_rate_amount"), dates=("date_month",),
        kpi_ranges=(Range("sales_cycle_days", 0, DAYS_2Y), Range("avg_sales_cycle_days", 0, DAYS_2Y)),
    ),
    "marts.fct_support_tickets": TableChecks(
        grain=("ticket_id",), dates=("created_at", "first_replied_at", "solved_at"),
        kpi_ranges=(Range("first_reply_hours", 0, 24 * 30), Range("resolution_hours", 0, 24 * 365)),
    ),
    "marts.support_kpis_monthly": TableChecks(
        grain=("date_month",), rates=("csat",), dates=("date_month",),
        kpi_ranges=(
            Range("first_reply_hours", 0, 24 * 30), Range("resolution_hours", 0, 24 * 90),
            Range("tickets_per_active_customer", 0, 10),
        ),
    ),
    "marts.channel_economics": TableChecks(
        grain=("channel",), money=("ad_spend", "cac", "arpa", "ltv"),
        rates=("lead_to_customer_rate", "logo_churn_rate"),
        kpi_ranges=(Range("arpa", 1, 1e6), Range("ltv_to_cac", 0, 500)),
    ),
    "staging.stg_crm__opportunities": TableChecks(grain=("opportunity_id",), money=("amount", "amount_local")),
    "staging.stg_billing__subscription_items": TableChecks(
        grain=("subscription_item_id",), money=("unit_amount", "unit_amount_local", "quantity"),
    ),
    "staging.stg_crm__leads": TableChecks(grain=("lead_id",)),
}


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold (or could not be evaluated)."""

    severity: str
    check: str
    expectation: str
    observed: str

    def __str__(self) -> str:
        return f"{self.severity.upper():8} [{self.check}] {self.expectation}: {self.observed}"


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one suite on one table."""

    suite: str
    rows: int
    critical: int
    warnings: int
    failures: tuple[Failure, ...] = field(default=())

    @property
    def critical_failures(self) -> tuple[Failure, ...]:
        return tuple(failure for failure in self.failures if failure.severity == CRITICAL)

    @property
    def success(self) -> bool:
        return not self.critical_failures

    def summary(self) -> str:
        status = "PASS" if not self.failures else ("FAIL" if self.critical_failures else "WARN")
        failed_warnings = len(self.failures) - len(self.critical_failures)
        return (f"{status}  {self.suite:42} {self.rows:>9,} rows  {self.critical:>3} critical "
                f"{self.warnings:>2} warning expectations  failed: {len(self.critical_failures)} critical, "
                f"{failed_warnings} warning")


def _meta(severity: str, check: str) -> dict[str, str]:
    return {"severity": severity, "check": check}


def _labelled(expectations: list[Expectation]) -> list[Expectation]:
    """Prefix each description with its severity, so the Data Docs show it."""
    for expectation in expectations:
        expectation.description = f"{expectation.meta['severity'].upper()} ({expectation.meta['check']}): " + (
            expectation.description or "")
    return expectations


def months_between(first_month: datetime.date, last_month: datetime.date) -> int:
    """Months from first_month through last_month, both included."""
    return (last_month.year - first_month.year) * 12 + last_month.month - first_month.month + 1


def build_expectations(checks: TableChecks, frame: pd.DataFrame, as_of_date: datetime.date) -> list[Expectation]:
    """The expectations of one table, in the order: rows, grain, money, rates, as-of window, KPI ranges."""
    ex = gx.expectations
    day_after = datetime.datetime.combine(as_of_date + datetime.timedelta(days=1), datetime.time())
    as_of_month = datetime.datetime(as_of_date.year, as_of_date.month, 1)
    expectations: list[Expectation] = [
        ex.ExpectTableRowCountToBeBetween(
            min_value=1, meta=_meta(WARNING, "rows"), description="The table is not empty."),
    ]
    grain = ", ".join(checks.grain)
    if len(checks.grain) == 1:
        expectations += [
            ex.ExpectColumnValuesToBeUnique(
                column=checks.grain[0], meta=_meta(CRITICAL, "grain"), description=f"One row per {grain}."),
            ex.ExpectColumnValuesToNotBeNull(
                column=checks.grain[0], meta=_meta(CRITICAL, "grain"), description=f"Every row has a {grain}."),
        ]
    else:
        expectations.append(ex.ExpectCompoundColumnsToBeUnique(
            column_list=list(checks.grain), ignore_row_if="never", meta=_meta(CRITICAL, "grain"),
            description=f"One row per ({grain})."))
    expectations += [
        ex.ExpectColumnValuesToBeBetween(
            column=column, min_value=0, meta=_meta(CRITICAL, "money"), description="Money is never negative.")
        for column in checks.money
    ]
    expectations += [
        ex.ExpectColumnValuesToBeBetween(
            column=column, min_value=0, max_value=1, meta=_meta(CRITICAL, "rate"),
            description="A rate lies between 0 and 1.")
        for column in checks.rates
    ]
    expectations += [
        ex.ExpectColumnValuesToBeBetween(
            column=column, max_value=day_after, strict_max=True, meta=_meta(CRITICAL, "as_of_window"),
            description=f"Nothing after the as-of date {as_of_date.isoformat()}.")
        for column in checks.dates
    ]
    if checks.months_through_as_of:
        column = checks.months_through_as_of
        first = frame[column].min()
        expected = 0 if pd.isna(first) else months_between(pd.Timestamp(first).date(), as_of_month.date())
        expectations += [
            ex.ExpectTableRowCountToEqual(
                value=expected, meta=_meta(CRITICAL, "as_of_window"),
                description=f"One row per month from the first month through the as-of month ({expected})."),
            ex.ExpectColumnMaxToBeBetween(
                column=column, min_value=as_of_month, max_value=as_of_month, meta=_meta(CRITICAL, "as_of_window"),
                description="The last month is the as-of month."),
        ]
    expectations += [
        ex.ExpectColumnValuesToBeBetween(
            column=kpi.column, min_value=kpi.min_value, max_value=kpi.max_value, mostly=kpi.mostly,
            meta=_meta(WARNING, "kpi_range"), description="A plausible value (a judgement call: warns only).")
        for kpi in checks.kpi_ranges
    ]
    return _labelled(expectations)


def orphan_column(child: str) -> str:
    return f"orphan_rows_in_{child.split('.')[-1]}"


def orphan_checks() -> list[Expectation]:
    """Expectations on the frame of account_key_orphans: no child row without its account."""
    return _labelled([
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=orphan_column(child), min_value=0, max_value=0, meta=_meta(CRITICAL, "referential"),
            description=f"Every account_key of {child} (nulls included) is an account_key of {DIM_ACCOUNTS}.")
        for child in ACCOUNT_KEY_CHILDREN
    ])


def account_key_orphans(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row, one column per child table: its rows whose account_key is null or not in dim_accounts."""
    known = frames[DIM_ACCOUNTS]["account_key"].dropna().unique()
    counts = {
        orphan_column(child): [int((~frames[child]["account_key"].isin(known)).sum())]
        for child in ACCOUNT_KEY_CHILDREN
    }
    return pd.DataFrame(counts)


def make_context(docs_dir: Path | None = None) -> AbstractDataContext:
    """An in-memory GX context with a pandas data source; with docs_dir, a Data Docs site there."""
    sites = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.data_sources.add_pandas("warehouse")
    return context


def _describe(result: dict) -> str:
    if result.get("unexpected_count"):
        examples = ", ".join(map(str, result.get("partial_unexpected_list", [])[:3]))
        return f"{result['unexpected_count']} unexpected ({result.get('unexpected_percent', 0):.2f}%), e.g. {examples}"
    return f"observed {result.get('observed_value')}"


def _expected(kwargs: dict) -> str:
    if "value" in kwargs:
        return f", expected {kwargs['value']}"
    if "min_value" in kwargs or "max_value" in kwargs:
        return f", expected {kwargs.get('min_value')}..{kwargs.get('max_value')}"
    return ""


def outcome_of(suite: str, rows: int, result: ExpectationSuiteValidationResult) -> SuiteOutcome:
    """Count the suite's expectations by severity and collect the ones that failed."""
    severities = [item.expectation_config.meta.get("severity", CRITICAL) for item in result.results]
    failures = []
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        target = config.kwargs.get("column") or config.kwargs.get("column_list") or "table"
        error = (item.exception_info or {}).get("exception_message")
        failures.append(Failure(
            severity=config.meta.get("severity", CRITICAL), check=config.meta.get("check", "?"),
            expectation=f"{config.type}({target})",
            observed=f"error: {error}" if error else _describe(item.result) + _expected(config.kwargs),
        ))
    return SuiteOutcome(
        suite=suite, rows=rows, critical=severities.count(CRITICAL), warnings=severities.count(WARNING),
        failures=tuple(failures),
    )


def run_suite(context: AbstractDataContext, name: str, frame: pd.DataFrame,
              expectations: list[Expectation]) -> SuiteOutcome:
    """Validate one DataFrame against a suite of the given expectations (stored in the context)."""
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    batch = context.data_sources.get("warehouse").add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(
        "whole_table")
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    result = validation.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    return outcome_of(name, len(frame), result)


def validate_frame(table: str, frame: pd.DataFrame, as_of_date: datetime.date,
                   checks: TableChecks | None = None, context: AbstractDataContext | None = None) -> SuiteOutcome:
    """Validate one table's DataFrame against its suite (TABLE_CHECKS[table] unless checks are given)."""
    checks = checks or TABLE_CHECKS[table]
    context = context or make_context()
    return run_suite(context, table, frame, build_expectations(checks, frame, as_of_date))


def validate_frames(frames: Mapping[str, pd.DataFrame], as_of_date: datetime.date,
                    context: AbstractDataContext | None = None,
                    progress: Callable[[str], None] | None = None) -> list[SuiteOutcome]:
    """Every suite: one per table of TABLE_CHECKS, then the account-key orphans."""
    context = context or make_context()
    total = len(TABLE_CHECKS) + 1
    outcomes = []
    for index, table in enumerate(TABLE_CHECKS, 1):
        if progress:
            progress(f"[{index}/{total}] {table} ({len(frames[table]):,} rows)")
        outcomes.append(validate_frame(table, frames[table], as_of_date, context=context))
    if progress:
        progress(f"[{total}/{total}] {ORPHANS_SUITE}")
    outcomes.append(run_suite(context, ORPHANS_SUITE, account_key_orphans(frames), orphan_checks()))
    return outcomes


def load_frames(database: Path) -> tuple[dict[str, pd.DataFrame], datetime.date]:
    """Read every checked table, and the as-of date, through a read-only connection."""
    tables = sorted({*TABLE_CHECKS, *ACCOUNT_KEY_CHILDREN, DIM_ACCOUNTS})
    with duckdb.connect(str(database), read_only=True) as connection:
        frames = {table: connection.sql(f"select * from {table}").df() for table in tables}
        as_of_row = connection.sql(f"select as_of_date from {AS_OF_TABLE}").fetchone()
    if as_of_row is None:
        raise SystemExit(f"{AS_OF_TABLE} is empty: no as-of date to check against")
    return frames, as_of_row[0]


def build_docs(context: AbstractDataContext, docs_dir: Path) -> Path:
    """Write the Data Docs of this run into docs_dir, replacing the pages of an earlier run."""
    if (docs_dir / "index.html").exists():
        for folder in ("validations", "expectations"):
            shutil.rmtree(docs_dir / folder, ignore_errors=True)
    context.build_data_docs(site_names=[DOCS_SITE])
    return docs_dir / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path,
                        default=Path(os.environ.get("REVOPS_DUCKDB_PATH") or ROOT / "revops.duckdb"),
                        help="the built DuckDB file, opened read-only (default: REVOPS_DUCKDB_PATH or revops.duckdb)")
    parser.add_argument("--docs-dir", type=Path, default=ROOT / "great_expectations_docs",
                        help="where the Data Docs HTML goes (default: great_expectations_docs/)")
    args = parser.parse_args(argv)
    if not args.database.exists():
        parser.error(f"no database at {args.database}: build it first (python3 scripts/run.py build)")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)

    started = time.monotonic()

    def say(step: str) -> None:
        print(f"[validate {time.monotonic() - started:5.1f}s] {step}", file=sys.stderr, flush=True)

    say(f"reading the checked tables of {args.database} (read-only)")
    frames, as_of_date = load_frames(args.database)
    context = make_context(args.docs_dir)
    outcomes = validate_frames(frames, as_of_date, context, progress=say)
    say("writing the Data Docs")
    index = build_docs(context, args.docs_dir)

    print(f"Great Expectations on {args.database} (as of {as_of_date.isoformat()})")
    for outcome in outcomes:
        print(outcome.summary())
        for failure in outcome.failures:
            print(f"      {failure}")
    critical_failed = sum(len(outcome.critical_failures) for outcome in outcomes)
    warnings_failed = sum(len(outcome.failures) for outcome in outcomes) - critical_failed
    print(f"{len(outcomes)} suites, {sum(o.critical for o in outcomes)} critical and "
          f"{sum(o.warnings for o in outcomes)} warning expectations: {critical_failed} critical failed, "
          f"{warnings_failed} warnings. Data Docs: {index}")
    return 1 if critical_failed else 0


if __name__ == "__main__":
    sys.exit(main())
