"""Shared helpers of the demo-data generator: random streams, time arithmetic, ids and the table writers.

Internal conventions (kept deliberately simple so everything vectorises):
- timestamps are float64 seconds since the Unix epoch (UTC), NaN for null, always whole seconds;
- nullable integers and money are float64 in minor units (cents) with NaN for null;
- ids are integers until a table is built; `Ids` and `Cat` describe how to render string columns.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0


# --------------------------------------------------------------------------- random streams
class Streams:
    """Independent, named random generators derived from one seed.

    Each step asks for its own stream by name, so adding a step or a table never reshuffles the others.
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def __call__(self, name: str) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, zlib.crc32(name.encode("utf-8"))]))


# --------------------------------------------------------------------------- time helpers
def date_to_sec(day: str | np.datetime64) -> float:
    return float(np.datetime64(day, "D").astype("datetime64[s]").astype(np.int64))


def sec_to_day(sec: np.ndarray) -> np.ndarray:
    """Day number (days since epoch) of each timestamp."""
    return np.floor(np.asarray(sec, dtype=np.float64) / DAY)


def add_months(sec: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Add whole months to timestamps, clipping the day of month like Stripe billing anchors do."""
    sec = np.asarray(sec, dtype=np.float64)
    months = np.asarray(months)
    nan = np.isnan(sec)
    s = np.where(nan, 0, sec).astype(np.int64).astype("datetime64[s]")
    day = s.astype("datetime64[D]")
    month = s.astype("datetime64[M]")
    dom = (day - month.astype("datetime64[D]")).astype(np.int64)
    tod = (s - day.astype("datetime64[s]")).astype(np.int64)
    new_month = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    month_len = ((new_month + 1).astype("datetime64[D]") - new_month.astype("datetime64[D]")).astype(np.int64)
    new_day = new_month.astype("datetime64[D]") + np.minimum(dom, month_len - 1).astype("timedelta64[D]")
    out = new_day.astype("datetime64[s]").astype(np.int64) + tod
    return np.where(nan, np.nan, out.astype(np.float64))


def month_index(sec: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each timestamp."""
    return np.asarray(sec, dtype=np.float64).astype(np.int64).astype("datetime64[s]").astype("datetime64[M]").astype(
        np.int64)


def seasonality(sec: np.ndarray) -> np.ndarray:
    """Demand multiplier of B2B SaaS: weak July-August and late December, strong Q1 and September-November."""
    sec = np.asarray(sec, dtype=np.float64)
    s = sec.astype(np.int64).astype("datetime64[s]")
    month = (s.astype("datetime64[M]").astype(np.int64) % 12) + 1
    factors = np.array([0, 1.15, 1.2, 1.25, 1.0, 1.0, 0.95, 0.75, 0.7, 1.2, 1.25, 1.2, 0.95])
    f = factors[month]
    dom = (s.astype("datetime64[D]") - s.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    late_december = (month == 12) & (dom >= 20)
    f = np.where(late_december, 0.45, f)
    weekday = (s.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
    return f * np.where(weekday >= 5, 0.45, 1.0)


def business_time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds into the UTC day, concentrated on European and American office hours."""
    hours = np.where(rng.random(n) < 0.45, rng.normal(10.5, 2.2, n), rng.normal(16.5, 2.8, n))
    return np.floor(np.mod(hours, 24.0) * HOUR)


def lognormal_seconds(rng: np.random.Generator, median_sec: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
    return np.floor(np.asarray(median_sec) * np.exp(rng.normal(0.0, sigma, n)))


def choice(rng: np.random.Generator, n: int, p: list[float] | np.ndarray) -> np.ndarray:
    """Vectorised categorical draw returning codes 0..len(p)-1."""
    p = np.asarray(p, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(p) - 1)


def choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a probability matrix."""
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(probs))[:, None]
    return np.minimum((u >= cdf).sum(axis=1), probs.shape[1] - 1)


def group_cumcount(keys: np.ndarray) -> np.ndarray:
    """0-based running number within runs of equal keys (keys must be sorted)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[True, keys[1:] != keys[:-1]]
    idx = np.arange(n)
    first = np.maximum.accumulate(np.where(starts, idx, 0))
    return idx - first


def sync_time(rng: np.random.Generator, last_change: np.ndarray, horizon: float,
              lo: float = 5 * MINUTE, hi: float = 6 * HOUR) -> np.ndarray:
    """Extract-load time of a row: a little after its last change, never after the horizon."""
    last_change = np.asarray(last_change, dtype=np.float64)
    lag = np.floor(rng.uniform(lo, hi, len(last_change)))
    return np.minimum(last_change + lag, np.maximum(horizon, last_change))


# --------------------------------------------------------------------------- string columns
@dataclass
class Ids:
    """Ids rendered as prefix + zero-padded number; NaN numbers are null."""

    prefix: str | np.ndarray
    nums: np.ndarray
    width: int = 15


@dataclass
class Cat:
    """Categorical strings: codes into cats, code -1 is null."""

    codes: np.ndarray
    cats: list[str] | np.ndarray


def render_ids(prefix: str | np.ndarray, nums: np.ndarray, width: int) -> pa.Array:
    nums = np.asarray(nums, dtype=np.float64)
    mask = np.isnan(nums)
    ints = pa.array(np.where(mask, 0, nums).astype(np.int64))
    text = pc.utf8_lpad(pc.cast(ints, pa.string()), width=width, padding="0")
    pre = pa.array(np.asarray(prefix, dtype=object)) if isinstance(prefix, np.ndarray) else prefix
    out = pc.binary_join_element_wise(pre, text, "")
    if mask.any():
        out = pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), out)
    return out


def to_string_array(values) -> pa.Array:
    if isinstance(values, Ids):
        return render_ids(values.prefix, values.nums, values.width)
    if isinstance(values, Cat):
        codes = np.asarray(values.codes, dtype=np.int64)
        cats = pa.array(list(values.cats), type=pa.string())
        mask = codes < 0
        return pc.take(cats, pa.array(np.where(mask, 0, codes), mask=mask))
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.cast(pa.string())
    arr = np.asarray(values)
    if arr.dtype.kind == "U":
        return pa.array(arr, type=pa.string())
    return pa.array(arr, type=pa.string(), from_pandas=True)


def hex_digits(ints: np.ndarray, width: int) -> np.ndarray:
    """Upper-case hexadecimal rendering of non-negative integers, vectorised."""
    ints = np.asarray(ints, dtype=np.int64)
    shifts = np.arange(width - 1, -1, -1) * 4
    digits = (ints[:, None] >> shifts) & 15
    chars = np.array(list("0123456789ABCDEF"), dtype="U1")[digits]
    return np.ascontiguousarray(chars).view(f"U{width}").reshape(-1)


# --------------------------------------------------------------------------- typed tables
def _decimal_array(units: np.ndarray, precision: int, scale: int) -> pa.Array:
    units = np.asarray(units, dtype=np.float64)
    mask = np.isnan(units)
    ints = np.where(mask, 0, np.round(units)).astype(np.int64)
    buf = np.empty((len(ints), 2), dtype=np.int64)
    buf[:, 0] = ints
    buf[:, 1] = np.where(ints < 0, -1, 0)
    arr = pa.Array.from_buffers(pa.decimal128(precision, scale), len(ints), [None, pa.py_buffer(buf.tobytes())])
    if mask.any():
        arr = pc.if_else(pa.array(mask), pa.scalar(None, pa.decimal128(precision, scale)), arr)
    return arr


def arrow_column(values, duck_type: str) -> pa.Array:
    """Convert an internal column to the Arrow type of its contract DuckDB type.

    Decimals are given in units of their scale (cents for decimal(18,2), 1e-8 for decimal(18,8)).
    """
    t = duck_type.lower()
    if t == "varchar":
        return to_string_array(values)
    arr = np.asarray(values)
    if t == "boolean":
        if arr.dtype == object:
            return pa.array(arr, type=pa.bool_(), from_pandas=True)
        return pa.array(arr.astype(bool), type=pa.bool_())
    f = arr.astype(np.float64)
    mask = np.isnan(f)
    m = mask if mask.any() else None
    if t in ("bigint", "integer"):
        typ = pa.int64() if t == "bigint" else pa.int32()
        return pa.array(np.where(mask, 0, f).astype(np.int64), type=pa.int64(), mask=m).cast(typ)
    if t == "timestamp":
        return pa.array((np.where(mask, 0, f).astype(np.int64) * 1_000_000), type=pa.timestamp("us"), mask=m)
    if t == "date":
        days = np.floor(np.where(mask, 0, f) / DAY).astype(np.int32)
        return pa.array(days, type=pa.date32(), mask=m)
    if t.startswith("decimal"):
        precision, scale = (int(x) for x in t[t.index("(") + 1:-1].split(","))
        return _decimal_array(f, precision, scale)
    raise ValueError(f"unsupported contract type {duck_type}")


def build_table(contract_table, columns: dict) -> pa.Table:
    names = contract_table.column_names
    missing = [n for n in names if n not in columns]
    extra = [n for n in columns if n not in names]
    if missing or extra:
        raise ValueError(f"{contract_table.system}.{contract_table.name}: missing {missing}, unexpected {extra}")
    arrays = [arrow_column(columns[c.name], c.type) for c in contract_table.columns]
    return pa.Table.from_arrays(arrays, names=names)


_NEEDS_QUOTES = r'[",\r\n]|^\s|\s$'


def _csv_text(col: pa.ChunkedArray) -> pa.Array:
    col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_timestamp(col.type):
        col = col.cast(pa.timestamp("s"))
    if pa.types.is_string(col.type):
        needs = pc.fill_null(pc.match_substring_regex(col, _NEEDS_QUOTES), False)
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
            col = pc.if_else(needs, quoted, col)
        return col
    return col.cast(pa.string())


def write_csv(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ",".join(table.column_names)
    with open(path, "wb") as fh:
        fh.write((header + "\n").encode("utf-8"))
        step = 200_000
        for offset in range(0, table.num_rows, step):
            part = table.slice(offset, step)
            texts = [_csv_text(part.column(i)) for i in range(part.num_columns)]
            lines = pc.binary_join_element_wise(*texts, ",", null_handling="replace", null_replacement="")
            fh.write(("\n".join(lines.to_pylist()) + "\n").encode("utf-8"))


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", compression_level=3, use_dictionary=True,
                   write_statistics=True, store_schema=False, row_group_size=1_000_000)
