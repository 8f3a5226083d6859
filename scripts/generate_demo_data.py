"""Generate the demo raw data of the warehouse: a simulated B2B SaaS business across five source systems.

    python scripts/generate_demo_data.py [--seed 42] [--scale 0.3] [--format csv|parquet] [--layout seeds|files]
                                         [--out DIR] [--start 2024-07-01] [--end 2026-10-31]
                                         [--connector salesforce|stripe|ads|zendesk]

Every raw table of the contract (scripts/raw_contract.py) is written with exactly its columns, in order:
  --layout files   <out>/<system>/<table>.<csv|parquet>   (the "bring your own data" folder layout)
  --layout seeds   <out>/<system>/<system>__<table>.csv   (dbt seeds; the bundled demo data is
                   --layout seeds --format csv --out seeds/demo with the default seed and scale)
--connector salesforce writes the CRM as Fivetran's Salesforce connector lands it, in <out>/salesforce/<table>, with
the opportunity in History Mode in <out>/salesforce_history/opportunity; --connector stripe billing as Fivetran's
Stripe connector lands it, in <out>/stripe/<table>; --connector ads the ad spend as Fivetran's Google Ads, Facebook
Ads and LinkedIn Ads connectors land it; --connector zendesk support as Fivetran's Zendesk Support connector lands
it, in <out>/zendesk/<table> (demo_connectors.py).
The same arguments always give byte-identical files: nothing depends on the wall clock, and every table and step
draws from its own random stream. --scale multiplies entity counts linearly (scale 1 is about 1,000 CRM
accounts); the simulation is vectorised, so large scales are practical in Parquet.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parent))

import demo_activities  # noqa: E402
import demo_billing  # noqa: E402
import demo_connectors  # noqa: E402
import demo_crm  # noqa: E402
import demo_crm_tables  # noqa: E402
import demo_deals  # noqa: E402
import demo_finance  # noqa: E402
import demo_invoices  # noqa: E402
import demo_marketing  # noqa: E402
import demo_support  # noqa: E402
import raw_contract  # noqa: E402
from demo_common import Ctx, chrono_ids, date_to_sec  # noqa: E402
from demo_io import redeliver, table_path, write_tables  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = dict(seed=42, scale=0.3, start="2024-07-01", end="2026-10-31")


def progress_printer() -> Callable[[str], None]:
    """Progress lines on stderr (stdout keeps the row counts), with the seconds since the start."""
    started = time.perf_counter()

    def say(step: str) -> None:
        print(f"[generate {time.perf_counter() - started:6.1f}s] {step}", file=sys.stderr, flush=True)

    return say


def _quiet(_: str) -> None:
    pass


def generate(seed: int = 42, scale: float = 0.3, start: str = "2024-07-01", end: str = "2026-10-31",
             progress: Callable[[str], None] = _quiet) -> dict[tuple[str, str], pa.Table | Iterator[pa.Table]]:
    """Simulate the business and return every raw table (web sessions as an iterator of parts)."""
    ctx = Ctx(int(seed), float(scale), date_to_sec(start), date_to_sec(end))
    progress(f"simulating scale {scale} from {start} to {end}: sales reps and campaigns")
    us = demo_crm.users(ctx)
    calendar = demo_crm.campaign_calendar(ctx)
    progress("marketing: ad spend, web visits, form submissions")
    mk = demo_marketing.simulate(ctx)
    progress("leads")
    leads = demo_crm.simulate_leads(ctx, mk, us, calendar)
    progress("new business deals")
    nb = demo_deals.new_business(ctx, leads, us)
    progress("billing: subscriptions, expansions, churn")
    bl = demo_billing.simulate(ctx, leads, nb)
    progress("support tickets")
    sp = demo_support.simulate(ctx, bl)
    progress("renewals, expansion deals, contacts and the raw tables")
    opps = demo_deals.combine(nb.opps, demo_deals.later_deals(ctx, nb, bl.expansions, bl.renewals))
    ct = demo_crm_tables.contacts(ctx, leads, nb, bl, sp)
    ids = dict(user=chrono_ids(us.created), lead=chrono_ids(leads.created), account=chrono_ids(nb.created),
               opp=chrono_ids(opps.created, opps.kind), campaign=chrono_ids(calendar["start"]))

    n_web = len(mk.sub_time)
    out: dict[tuple[str, str], pa.Table | Iterator[pa.Table]] = {
        ("marketing", "ad_spend"): demo_marketing.ad_spend_table(mk),
        ("marketing", "web_sessions"): demo_marketing.web_session_parts(ctx, mk),
        ("marketing", "form_submissions"): demo_marketing.form_submissions_table(
            ctx, mk, leads.typed_email.slice(0, n_web), leads.people, leads.companies.name, leads.person[:n_web]),
    }
    crm = demo_crm_tables.tables(ctx, us, leads, nb, bl, opps, ct, calendar, ids)
    crm.update(demo_activities.tables(ctx, leads, opps, ct, calendar, ids))
    out.update({("crm", k): v for k, v in crm.items()})
    out.update({("billing", k): v for k, v in demo_invoices.tables(ctx, bl, ids["account"]).items()})
    out.update({("support", k): v for k, v in demo_support.tables(ctx, sp, bl, ids["account"]).items()})
    out[("finance", "sm_expenses")] = demo_finance.sm_expenses(ctx, calendar)
    out[("finance", "fx_rates")] = demo_finance.fx_rates(ctx)
    redeliver_some(ctx, out)
    return out


REDELIVERED = {("crm", "lead"): "is_deleted", ("crm", "opportunity"): "is_deleted",
               ("billing", "subscription"): None, ("support", "ticket"): "_fivetran_deleted"}


def redeliver_some(ctx: Ctx, out: dict) -> None:
    """The connector re-delivers a few live rows of some tables (exact copies, loaded later).

    The opportunities of accounts deleted in Salesforce are left alone: they are dirt of their own.
    """
    accounts = out[("crm", "account")]
    gone = accounts.filter(accounts.column("is_deleted")).column("id")
    for (system, name), deleted in REDELIVERED.items():
        table = out[(system, name)]
        eligible = np.ones(table.num_rows, dtype=bool)
        if deleted:
            eligible &= ~table.column(deleted).to_numpy(zero_copy_only=False)
        if "account_id" in table.column_names:
            eligible &= ~pc.is_in(table.column("account_id"), value_set=gone).to_numpy(zero_copy_only=False)
        rng = ctx.rng(f"redelivered.{system}.{name}")
        out[(system, name)] = redeliver(table, raw_contract.table(system, name), rng, ctx.horizon, eligible)


def write(tables: dict, out: Path, layout: str, fmt: str, progress: Callable[[str], None] = _quiet,
          connectors: tuple[str, ...] = ()) -> dict[tuple[str, str], int]:
    """Write every contract table (in contract order); returns rows per table. A system named in
    connectors is written as that connector lands it instead (demo_connectors.py), in
    <out>/<connector>/<table>, the files-mode layout of a connector."""
    counts = {}
    replaced = {key for connector in connectors for key in demo_connectors.CONNECTORS[connector][0]}
    contract = [t for t in raw_contract.all_tables() if (t.system, t.name) not in replaced]
    for index, t in enumerate(contract, 1):
        progress(f"writing [{index}/{len(contract)}] {t.system}.{t.name}")
        data = tables[(t.system, t.name)]
        parts = [data] if isinstance(data, pa.Table) else data
        counts[(t.system, t.name)] = write_tables(parts, table_path(out, layout, fmt, t.system, t.name), fmt)
    for connector in connectors:
        progress(f"writing the {connector} connector's tables")
        for (folder, name), data in demo_connectors.CONNECTORS[connector][1](tables).items():
            counts[(folder, name)] = write_tables([data], table_path(out, "files", fmt, folder, name), fmt)
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--scale", type=float, default=DEFAULTS["scale"],
                        help="multiplies entity counts; 1 is about 1,000 CRM accounts (default 0.3)")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--layout", choices=["seeds", "files"], default="files")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: seeds/demo for --layout seeds, data/raw for --layout files)")
    parser.add_argument("--connector", action="append", default=[], choices=sorted(demo_connectors.CONNECTORS),
                        help="write a system as this connector lands it (repeatable; --layout files only): "
                             "stripe = billing as Fivetran's Stripe tables in <out>/stripe/; ads = "
                             "marketing.ad_spend as Fivetran's Google Ads, Facebook Ads and LinkedIn Ads tables")
    parser.add_argument("--start", default=DEFAULTS["start"], help="first simulated day (YYYY-MM-DD)")
    parser.add_argument("--end", default=DEFAULTS["end"], help="last simulated day (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.layout == "seeds" and args.format != "csv":
        parser.error("dbt seeds are CSV files: use --format csv with --layout seeds, or --layout files")
    if args.connector and args.layout != "files":
        parser.error("--connector writes the files layout of a connector: use it with --layout files")
    if date_to_sec(args.end) - date_to_sec(args.start) < 60 * 86400:
        parser.error("--end must be at least 60 days after --start")
    if args.out is None:
        args.out = ROOT / ("seeds/demo" if args.layout == "seeds" else "data/raw")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()  # only to report the duration; the data never depends on it
    say = progress_printer()
    tables = generate(args.seed, args.scale, args.start, args.end, progress=say)
    counts = write(tables, args.out, args.layout, args.format, progress=say, connectors=tuple(args.connector))
    width = max(len(f"{s}.{t}") for s, t in counts)
    for (system, name), rows in counts.items():
        print(f"{system + '.' + name:<{width}}  {rows:>12,}")
    print(f"{'total':<{width}}  {sum(counts.values()):>12,}")
    print(f"wrote {len(counts)} tables ({args.format}, layout {args.layout}) to {args.out} "
          f"in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
