"""Render the KPI dashboard: one self-contained HTML page from the serving database.

    python scripts/dashboard.py [--serving-db serving/revops.duckdb] [--out serving/dashboard.html]

`scripts/publish.py` runs this after every publish, so the page always shows the published
numbers; open `serving/dashboard.html` in any browser (no server, no network: plotly.js is
inlined from the `plotly` package). The page holds the rows of the marts it shows, as read from
the serving file, and its filters (month range, channel) only choose which rows to draw: every
number on it is a value of a mart or of a saved query of the semantic layer, never computed
again here or in the page. Contraction and churn are drawn below the axis in the MRR bridge
(the marts store them as positive amounts); that sign is the only change, and only on the bars.

Charts (the element id of each, used by tests/test_dashboard.py):
    chart-mrr-bridge        MRR bridge of the last month of the range (mrr_bridge)
    chart-arr               ARR at each month end in the range (mrr_bridge)
    chart-channel-economics CAC, LTV and LTV:CAC by channel, 12 months to the as-of month (channel_economics)
    chart-channel-cac       CAC by channel and month in the range (acquisition_channel_months)
    chart-funnel            funnel flows and stage conversion of the last month (funnel_leaks)
    chart-funnel-leak       value at stake by funnel stage in the last month (funnel_leaks)
    chart-cohort-retention  logo retention by cohort month and months since (cohort_retention)
    chart-win-rate          win rate and median sales cycle by month (semantic.sales_by_month)
    chart-support-churn     logo churn by support experience against the rest (support_churn_bands_summary)
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import html
import json
import os
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    import duckdb
except ImportError:  # started with a Python outside the project's environment: use (or make) .venv
    import run  # stdlib only

    run.reexec_in_environment(__file__)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "dashboard_page.html"
DASHBOARD_NAME = "dashboard.html"

# What the page reads: one query per dataset, each over one published table, rows as stored.
DATASETS = {
    "mrr_bridge": """
        select date_month, starting_mrr, new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr,
            churned_mrr, ending_mrr, ending_arr, active_customers, logo_churn_rate, net_revenue_retention,
            quick_ratio
        from marts.mrr_bridge order by date_month""",
    "channel_economics": """
        select channel, attribution_model, ad_spend, new_customers, cac, ltv, ltv_to_cac
        from marts.channel_economics order by channel""",
    "channel_months": """
        select date_month, channel, ad_spend, new_customers, cac_channel
        from marts.acquisition_channel_months order by date_month, channel""",
    "funnel": """
        select date_month, stage_order, funnel_stage, entered, converted, conversion_rate, baseline_rate,
            rate_drop, value_at_stake, is_largest_drop
        from marts.funnel_leaks order by date_month, stage_order""",
    "cohort_retention": """
        select cohort_month, months_since_cohort, cohort_customers, active_customers, logo_retention,
            revenue_retention
        from marts.cohort_retention order by cohort_month, months_since_cohort""",
    "sales_by_month": """
        select cast(metric_time__month as date) as date_month, win_rate, win_rate_amount, sales_cycle_days,
            won_opportunities, closed_opportunities
        from semantic.sales_by_month order by date_month""",
    "support_churn": """
        select band_type, band, band_order, account_months, churned_accounts, logo_churn_rate,
            rest_logo_churn_rate, churn_rate_vs_rest, net_revenue_retention, rest_net_revenue_retention
        from marts.support_churn_bands_summary order by band_type, band_order""",
}


def _json_value(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    return value


def load_data(serving_db: Path) -> dict[str, object]:
    """The rows the page shows, read from the serving database (read-only, never locking it)."""
    if not serving_db.exists():
        raise SystemExit(f"{serving_db}: no serving database (run `python3 scripts/run.py publish` first)")
    with duckdb.connect(str(serving_db), read_only=True) as connection:
        data: dict[str, object] = {}
        for name, query in DATASETS.items():
            try:
                cursor = connection.execute(query)
            except duckdb.Error as error:
                raise SystemExit(f"{serving_db}: dataset {name} of the dashboard failed: {error}") from error
            columns = [column[0] for column in cursor.description]
            data[name] = [dict(zip(columns, map(_json_value, row), strict=True)) for row in cursor.fetchall()]
        (publish_id,) = connection.execute("select max(publish_id) from marts.publish_manifest").fetchone()
        (as_of_date,) = connection.execute("select max(date_day) from marts.dim_dates").fetchone()
    data["meta"] = {"publish_id": publish_id, "as_of_date": as_of_date.isoformat()}
    return data


def render(serving_db: Path, out: Path, progress: Callable[[str], None] = print) -> Path:
    """Write the dashboard page for serving_db to out (atomically: a reader never sees half a page)."""
    progress(f"dashboard: reading {len(DATASETS)} datasets from {serving_db}")
    data = load_data(serving_db)
    plotly_js = (resources.files("plotly") / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    # Inside <script>, "</" would end the element: JSON escapes it as "<\/".
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    # plotly.js goes in last, so no placeholder is looked for inside it.
    page = (TEMPLATE.read_text(encoding="utf-8")
            .replace("__TITLE__", html.escape(f"RevOps KPIs as of {data['meta']['as_of_date']}"))
            .replace("/*__DATA__*/null", payload)
            .replace("/*__PLOTLY_JS__*/", plotly_js))
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    staged.write_text(page, encoding="utf-8")
    os.replace(staged, out)
    progress(f"dashboard: wrote {out.name} ({out.stat().st_size / 1e6:.1f} MB)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    serving = Path(os.environ.get("REVOPS_SERVING_DIR", ROOT / "serving"))
    parser.add_argument("--serving-db", type=Path, default=serving / "revops.duckdb")
    parser.add_argument("--out", type=Path, default=serving / DASHBOARD_NAME)
    args = parser.parse_args()
    started = time.monotonic()
    render(args.serving_db, args.out)
    print(f"dashboard: done in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
