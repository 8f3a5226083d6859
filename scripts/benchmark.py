"""Measure how the warehouse's cost grows with the data: full build, incremental build, the raw
floor, dbt's own overhead, peak memory and BI query latency, at several scale factors.

    python scripts/benchmark.py --scales 1 10 100 [--out benchmark] [--readme]

Per scale factor (scale 1 is about 1,000 CRM accounts; see generate_demo_data.py):
  1. generate the demo data as Parquet (files layout) and cut it one day before the latest load
     (scripts/raw_increments.py): the first part is what the warehouse has, the last day (with
     a tenth of the previous day's rows arriving late) is the next delivery;
  2. full_build_s         wall time of `dbt run` (every model, no tests) on the first part,
                          reading the Parquet files in place, into a new database;
  3. incremental_build_s  wall time of `dbt run` after the last day is added;
  4. raw_pass_s           one DuckDB query reading every raw column the models use (all contract
                          columns of all 24 tables, first part and last day) and aggregating
                          each: the floor no build can beat;
  5. dbt_overhead_s       wall time of `dbt run` with a selection that matches nothing (start,
                          parse, connect);
  6. peak_rss_mb          the largest peak resident memory of the dbt processes above;
  7. bi_query_p50_ms      median latency of five typical BI queries on the built marts, each
                          run --bi-repeats times on a read-only connection after one warm-up.

Started with a Python that lacks the project's packages, it installs .venv (as
`python3 scripts/run.py build` does) and runs itself there.
Writes <out>/results.json and <out>/results.md; with --readme, also the table between the
benchmark markers of README.md. Scratch data goes to <out>/work (removed unless --keep).
DuckDB settings come from the environment like any build (REVOPS_THREADS, REVOPS_MEMORY_LIMIT,
REVOPS_TEMP_DIRECTORY; see profiles.yml) and are recorded with the results.
This is a measurement, not a test: nothing fails on a slow number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    import duckdb
except ImportError:  # started with a Python outside the project's environment: use (or make) .venv
    import run  # stdlib only

    run.reexec_in_environment(__file__)

import raw_contract  # noqa: E402
import raw_increments  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MEMORY_LIMIT = "4GB"  # as in profiles.yml
BIN = Path(sys.executable).parent
README = ROOT / "README.md"
MARKERS = ("<!-- benchmark:start -->", "<!-- benchmark:end -->")

# Targets of issue 5 on the 2-core, 24 GB machine, checked at the largest scale run.
TARGETS = {
    "full_build_s": 300,
    "full_build_x_raw_pass": 15,
    "peak_rss_mb": 6144,
    "incremental_share_of_full": 0.10,
    "bi_query_p50_ms": 200,
}

# Five questions a BI tool asks of the marts every day.
BI_QUERIES = {
    "mrr_trend": """
        select date_month, ending_mrr, new_mrr, churned_mrr, net_revenue_retention
        from marts.mrr_bridge order by date_month
    """,
    "ltv_cac_by_channel": """
        select channel, cac, ltv, ltv_to_cac
        from marts.channel_economics order by ltv_to_cac desc nulls last
    """,
    "funnel_last_12_months": """
        select cohort_month, sum(leads) as leads, sum(mqls) as mqls, sum(sqls) as sqls,
            sum(opportunities) as opportunities, sum(customers) as customers
        from marts.lead_funnel
        where cohort_month >= (select max(cohort_month) - interval 11 month from marts.lead_funnel)
        group by cohort_month order by cohort_month
    """,
    "one_account_journey": """
        select event_at, event_type, channel, amount
        from marts.fct_customer_journey
        where account_key = (select min(account_key) from marts.dim_accounts where crm_account_id is not null)
        order by account_event_sequence
    """,
    "accounts_by_channel_and_status": """
        select acquisition_channel, lifecycle_status, count(*) as accounts, sum(current_mrr) as mrr
        from marts.dim_accounts group by all order by accounts desc
    """,
}


def say(message: str) -> None:
    print(f"[benchmark {time.strftime('%H:%M:%S')}] {message}", flush=True)


def timed_process(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run a command to completion: (wall seconds, peak RSS in MB of the process)."""
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text()[-4000:]
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{tail}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def dbt_env(database: Path, parts: Path, temp_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(ROOT),
        REVOPS_DUCKDB_PATH=str(database),
        REVOPS_RAW_MODE="files",
        REVOPS_RAW_FILES_PATH=str(parts),
        REVOPS_RAW_FILES_FORMAT="parquet",
        REVOPS_RAW_FILES_TEMPLATE=raw_increments.TEMPLATE,
        REVOPS_PII_SALT=env.get("REVOPS_PII_SALT") or "benchmark-salt",
        REVOPS_AS_OF_DATE="",
    )
    env.setdefault("REVOPS_TEMP_DIRECTORY", str(temp_dir))
    return env


def slowest_models(target: Path, count: int = 8) -> list[dict[str, float | str]]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:count]
    return [{"model": r["unique_id"].split(".")[-1], "s": round(r["execution_time"], 2)} for r in ranked]


def raw_pass(parts: Path) -> float:
    """Seconds of one query that reads and aggregates every contract column of every raw table."""
    selects = []
    for table in raw_contract.all_tables():
        files = f"{parts}/{table.system}/{table.name}/*.parquet"
        aggregates = " + ".join(f"coalesce(sum(hash({c}) % 1000), 0)" for c in table.column_names)
        selects.append(f"select '{table.system}.{table.name}' as raw_table, count(*) as row_count, "
                       f"{aggregates} as checksum from read_parquet('{files}', union_by_name = true)")
    connection = duckdb.connect()
    connection.execute(f"set threads = {int(os.environ.get('REVOPS_THREADS', '2'))}")
    connection.execute(f"set memory_limit = '{os.environ.get('REVOPS_MEMORY_LIMIT', DEFAULT_MEMORY_LIMIT)}'")
    started = time.perf_counter()
    connection.execute(" union all ".join(selects)).fetchall()
    return time.perf_counter() - started


def bi_latency(database: Path, repeats: int) -> dict[str, float]:
    p50 = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        connection.execute(f"set threads = {int(os.environ.get('REVOPS_THREADS', '2'))}")
        for name, query in BI_QUERIES.items():
            connection.execute(query).fetchall()  # warm-up
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                connection.execute(query).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            p50[name] = round(statistics.median(samples), 1)
    return p50


def run_scale(scale: float, work: Path, bi_repeats: int) -> dict:
    folder = work / f"scale_{scale:g}"
    shutil.rmtree(folder, ignore_errors=True)
    raw, parts, logs = folder / "raw", folder / "parts", folder / "logs"
    logs.mkdir(parents=True)

    say(f"scale {scale:g}: generating the demo data as Parquet")
    generate_s, _ = timed_process(
        [sys.executable, "scripts/generate_demo_data.py", "--scale", str(scale), "--format", "parquet",
         "--layout", "files", "--out", str(raw)], dict(os.environ), logs / "generate.log")
    cutoff = raw_increments.latest_load(raw) - timedelta(days=1)
    say(f"scale {scale:g}: cutting at {cutoff} (last day appended later, 10% of the day before arrives late)")
    counts = raw_increments.split(raw, parts, cutoff, late_share=0.1)
    shutil.rmtree(raw)
    pending = [p for p in parts.glob("*/*/part-0001.parquet")]
    for part in pending:
        part.rename(part.with_suffix(".pending"))

    database = folder / "warehouse.duckdb"
    env = dbt_env(database, parts, folder / "duckdb_tmp")
    dbt = str(BIN / "dbt")
    target = ["--target-path", str(folder / "target"), "--log-path", str(logs)]

    say(f"scale {scale:g}: dbt overhead (empty selection)")
    # Parse once first, so every timed command below starts from the same partial-parse state.
    timed_process([dbt, "parse", *target], env, logs / "parse.log")
    # The mapping and reference seeds (vocabulary, currency minor units) load once, untimed:
    # `dbt run` reads them but does not load them.
    timed_process([dbt, "seed", *target], env, logs / "seed.log")
    overhead_s, overhead_rss = timed_process(
        [dbt, "run", "--select", "tag:benchmark_selects_nothing", *target], env, logs / "overhead.log")

    say(f"scale {scale:g}: full build (dbt run, every model, no tests)")
    full_s, full_rss = timed_process([dbt, "run", *target], env, logs / "full.log")
    full_slowest = slowest_models(folder / "target")

    for part in pending:
        part.with_suffix(".pending").rename(part)
    say(f"scale {scale:g}: incremental build after one more day")
    incremental_s, incremental_rss = timed_process([dbt, "run", *target], env, logs / "incremental.log")
    incremental_slowest = slowest_models(folder / "target")

    say(f"scale {scale:g}: raw pass (every raw column read once, in one query)")
    raw_s = raw_pass(parts)

    say(f"scale {scale:g}: BI queries ({bi_repeats} runs each)")
    p50 = bi_latency(database, bi_repeats)
    with duckdb.connect(str(database), read_only=True) as connection:
        (journey_rows,) = connection.execute("select count(*) from marts.fct_customer_journey").fetchone()
        (refreshed,) = connection.execute(
            "select count(*) from intermediate.int_journey_accounts_to_refresh").fetchone()
        (accounts,) = connection.execute("select count(*) from marts.dim_accounts").fetchone()

    result = {
        "scale": scale,
        "rows": {name: c["part-0000"] + c["part-0001"] for name, c in counts.items()},
        "raw_rows_total": sum(c["part-0000"] + c["part-0001"] for c in counts.values()),
        "raw_rows_appended": sum(c["part-0001"] for c in counts.values()),
        "fct_customer_journey_rows": journey_rows,
        "dim_accounts_rows": accounts,
        "accounts_refreshed_incrementally": refreshed,
        "generate_s": round(generate_s, 2),
        "full_build_s": round(full_s, 2),
        "incremental_build_s": round(incremental_s, 2),
        "raw_pass_s": round(raw_s, 2),
        "dbt_overhead_s": round(overhead_s, 2),
        "peak_rss_mb": round(max(full_rss, incremental_rss, overhead_rss)),
        "bi_query_p50_ms": p50,
        "bi_query_p50_ms_overall": round(statistics.median(p50.values()), 1),
        "slowest_models_full": full_slowest,
        "slowest_models_incremental": incremental_slowest,
    }
    say(f"scale {scale:g}: full {full_s:.1f}s, incremental {incremental_s:.1f}s, raw pass {raw_s:.1f}s, "
        f"overhead {overhead_s:.1f}s, peak RSS {result['peak_rss_mb']} MB, journey {journey_rows:,} rows")
    return result


def markdown(results: dict) -> str:
    rows = results["scales"]
    header = ("| scale | raw rows | journey rows | full_build_s | incremental_build_s | raw_pass_s | "
              "full / raw pass | dbt_overhead_s | peak_rss_mb | BI p50 ms (worst of 5) |")
    lines = [header, "|" + "---|" * 10]
    for r in rows:
        lines.append(
            f"| {r['scale']:g} | {r['raw_rows_total']:,} | {r['fct_customer_journey_rows']:,} | {r['full_build_s']} | "
            f"{r['incremental_build_s']} | {r['raw_pass_s']} | {r['full_build_s'] / max(r['raw_pass_s'], 0.01):.1f}x | "
            f"{r['dbt_overhead_s']} | {r['peak_rss_mb']:,} | {r['bi_query_p50_ms_overall']} "
            f"({max(r['bi_query_p50_ms'].values())}) |")
    machine = results["machine"]
    lines += [
        "",
        f"Measured {results['measured_at_utc']} on {machine['cpus']} CPUs, {machine['memory_gb']} GB RAM, "
        f"DuckDB {machine['duckdb']} with threads={machine['threads']}, memory_limit={machine['memory_limit']}; "
        f"`dbt run` of every model (no tests) reading Parquet in place.",
    ]
    if rows:
        largest = rows[-1]
        checks = {
            "full build <= 300 s": largest["full_build_s"] <= TARGETS["full_build_s"],
            "full build <= 15 x raw pass": largest["full_build_s"]
            <= TARGETS["full_build_x_raw_pass"] * largest["raw_pass_s"],
            "peak RSS <= 6 GB": largest["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
            "incremental <= 10% of full": largest["incremental_build_s"]
            <= TARGETS["incremental_share_of_full"] * largest["full_build_s"],
            "BI p50 <= 200 ms (every query)": max(largest["bi_query_p50_ms"].values()) <= TARGETS["bi_query_p50_ms"],
        }
        lines.append("Targets at scale {:g}: {}.".format(
            largest["scale"], "; ".join(f"{k}: {'met' if ok else 'missed'}" for k, ok in checks.items())))
        tables = list(rows[0]["rows"])
        lines += ["", "<details><summary>Rows per raw table</summary>", "",
                  "| raw table | " + " | ".join(f"scale {r['scale']:g}" for r in rows) + " |",
                  "|---|" + "---:|" * len(rows)]
        lines += [f"| {t} | " + " | ".join(f"{r['rows'][t]:,}" for r in rows) + " |" for t in tables]
        journey = " | ".join(f"{r['fct_customer_journey_rows']:,}" for r in rows)
        lines += [f"| **fct_customer_journey** | {journey} |", "", "</details>"]
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    text = README.read_text()
    start, end = MARKERS
    if start not in text or end not in text:
        raise SystemExit(f"README.md has no {start} ... {end} block to update")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    README.write_text(f"{before}{start}\n{table}{end}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmark")
    parser.add_argument("--bi-repeats", type=int, default=7)
    parser.add_argument("--readme", action="store_true", help="also update the table in README.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch data and databases")
    args = parser.parse_args()

    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    results = {
        "measured_at_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "threads": os.environ.get("REVOPS_THREADS", "2"),
            "memory_limit": os.environ.get("REVOPS_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        },
        "targets": TARGETS,
        "scales": [],
    }
    for scale in args.scales:
        results["scales"].append(run_scale(scale, work, args.bi_repeats))
        (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (args.out / "results.md").write_text(table)
    if args.readme:
        update_readme(table)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(table)


if __name__ == "__main__":
    main()
