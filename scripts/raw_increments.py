"""Cut a raw Parquet folder into what a loader had delivered by a given time, and the loads after it.

    python scripts/raw_increments.py SRC DST --cutoff 2026-10-30T00:00:00 [--late-share 0.1]

SRC is a folder in the files layout (<system>/<table>.parquet, e.g. written by
generate_demo_data.py --format parquet --layout files). DST gets one folder per raw table:

    <DST>/<system>/<table>/part-0000.parquet   rows loaded at or before the cutoff
    <DST>/<system>/<table>/part-0001.parquet   rows loaded after it (--append), plus the late rows

which the warehouse reads in place with
    REVOPS_RAW_FILES_TEMPLATE='{path}/{system}/{table}/*.{format}'

Late rows: a share of the rows loaded in the day before the cutoff is held back from the first
part and delivered with the second, as when a loader commits a batch stamped with its start
time after the next batch. Their load time is before the journey's watermark, so an incremental
build finds them only through its lookback window (var incremental_lookback_days).

The load time of a row is the raw table's loaded-at column (_fivetran_synced or _loaded_at,
see scripts/raw_contract.py). Which rows are late is decided by a hash of the row's primary key,
so the cut is the same on every run.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

import raw_contract  # noqa: E402

TEMPLATE = "{path}/{system}/{table}/*.{format}"


def _late_rows(table: raw_contract.RawTable, cutoff: datetime, late_share: float) -> str:
    """A SQL condition true for the rows held back from the first part."""
    if late_share <= 0:
        return "false"
    key = " || '|' || ".join(f"coalesce(cast({k.strip()} as varchar), '')" for k in table.primary_key.split(","))
    window_start = cutoff - timedelta(days=1)
    return (f"({table.loaded_at_field} > timestamp '{window_start:%Y-%m-%d %H:%M:%S}' "
            f"and {table.loaded_at_field} <= timestamp '{cutoff:%Y-%m-%d %H:%M:%S}' "
            f"and hash({key}) % 1000 < {int(round(late_share * 1000))})")


def split(src: Path, dst: Path, cutoff: datetime, late_share: float = 0.0,
          until: datetime | None = None,
          system_cutoffs: dict[str, datetime] | None = None) -> dict[str, dict[str, int]]:
    """Write part-0000 (loaded <= cutoff, late rows held back) and part-0001 (loaded in
    (cutoff, until], all loads after the cutoff when until is None, plus the late rows) for
    every raw table. system_cutoffs gives a system an earlier cutoff of its own (a connector
    that lagged behind the others). Returns the rows written per table and part."""
    counts: dict[str, dict[str, int]] = {}
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    for table in raw_contract.all_tables():
        table_cutoff = (system_cutoffs or {}).get(table.system, cutoff)
        source = src / table.system / f"{table.name}.parquet"
        if not source.exists():
            raise FileNotFoundError(f"{source}: raw table {table.system}.{table.name} is missing")
        folder = dst / table.system / table.name
        folder.mkdir(parents=True, exist_ok=True)
        loaded = table.loaded_at_field
        late = _late_rows(table, table_cutoff, late_share)
        after = f"{loaded} > timestamp '{table_cutoff:%Y-%m-%d %H:%M:%S}'"
        if until is not None:
            after += f" and {loaded} <= timestamp '{until:%Y-%m-%d %H:%M:%S}'"
        parts = {
            "part-0000": f"{loaded} <= timestamp '{table_cutoff:%Y-%m-%d %H:%M:%S}' and not {late}",
            "part-0001": f"({after}) or {late}",
        }
        counts[f"{table.system}.{table.name}"] = {}
        for part, condition in parts.items():
            relation = f"select * from read_parquet('{source}') where {condition}"
            (rows,) = connection.execute(f"select count(*) from ({relation})").fetchone()
            counts[f"{table.system}.{table.name}"][part] = rows
            target = folder / f"{part}.parquet"
            if part != "part-0000" and rows == 0:
                target.unlink(missing_ok=True)
                continue
            connection.execute(f"copy ({relation}) to '{target}' (format parquet)")
    return counts


def latest_load(src: Path) -> datetime:
    """The latest load time of any raw row in a files-layout Parquet folder."""
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    latest = max(
        connection.execute(
            f"select max({t.loaded_at_field}) from read_parquet('{src / t.system / (t.name + '.parquet')}')"
        ).fetchone()[0]
        for t in raw_contract.all_tables()
    )
    return latest.replace(tzinfo=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--cutoff", type=datetime.fromisoformat, required=True)
    parser.add_argument("--until", type=datetime.fromisoformat, default=None)
    parser.add_argument("--late-share", type=float, default=0.0)
    args = parser.parse_args()
    counts = split(args.src, args.dst, args.cutoff, args.late_share, args.until)
    first = sum(c["part-0000"] for c in counts.values())
    second = sum(c["part-0001"] for c in counts.values())
    print(f"wrote {len(counts)} tables to {args.dst}: {first:,} rows loaded by {args.cutoff}, {second:,} after")


if __name__ == "__main__":
    main()
