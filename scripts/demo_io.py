"""Arrow side of the demo-data generator: string columns, typed tables driven by the contract, CSV and Parquet writers.

Internal columns are numpy arrays (see demo_common) or the small `Ids` / `Cat` descriptions below; `build_table`
turns them into an Arrow table with exactly the contract's columns, in order, with the contract's types.
Both writers are deterministic: the same table always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from demo_common import DAY


# --------------------------------------------------------------------------- string columns
@dataclass
class Ids:
    """Ids rendered as prefix + zero-padded number; NaN or negative numbers are null."""

    prefix: str
    nums: np.ndarray
    width: int = 15


@dataclass
class Cat:
    """Categorical strings: codes into cats, code -1 is null."""

    codes: np.ndarray
    cats: list[str] | np.ndarray


def null_mask(nums: np.ndarray) -> np.ndarray:
    nums = np.asarray(nums, dtype=np.float64)
    return np.isnan(nums) | (nums < 0)


def render_ids(prefix: str, nums: np.ndarray, width: int) -> pa.Array:
    mask = null_mask(nums)
    ints = pa.array(np.where(mask, 0, np.asarray(nums, dtype=np.float64)).astype(np.int64))
    out = pc.binary_join_element_wise(prefix, pc.utf8_lpad(pc.cast(ints, pa.string()), width=width, padding="0"), "")
    return with_nulls(out, mask)


def with_nulls(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    if mask.any():
        return pc.if_else(pa.array(mask), pa.scalar(None, arr.type), arr)
    return arr


def words(cats: list[str] | np.ndarray, codes: np.ndarray) -> pa.Array:
    """Strings picked from a word list by code; code -1 is null."""
    codes = np.asarray(codes, dtype=np.int64)
    mask = codes < 0
    return pc.take(pa.array(list(cats), type=pa.string()), pa.array(np.where(mask, 0, codes), mask=mask))


def num_text(nums: np.ndarray) -> pa.Array:
    """Integers as decimal text."""
    return pc.cast(pa.array(np.asarray(nums, dtype=np.int64)), pa.string())


def concat(*parts) -> pa.Array:
    """Element-wise concatenation of string arrays and literals (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, "")


def slug(arr: pa.Array) -> pa.Array:
    """Lower-case, spaces and apostrophes removed: the host part of a company domain."""
    return pc.replace_substring_regex(pc.utf8_lower(arr), pattern="[ ']", replacement="")


def to_string_array(values) -> pa.Array:
    if isinstance(values, Ids):
        return render_ids(values.prefix, values.nums, values.width)
    if isinstance(values, Cat):
        return words(values.cats, values.codes)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
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
    buf = np.empty((len(ints), 2), dtype="<i8")
    buf[:, 0] = ints
    buf[:, 1] = np.where(ints < 0, -1, 0)
    arr = pa.Array.from_buffers(pa.decimal128(precision, scale), len(ints), [None, pa.py_buffer(buf.tobytes())])
    return with_nulls(arr, mask)


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
        return pa.array(np.where(mask, 0, f).astype(np.int64) * 1_000_000, type=pa.timestamp("us"), mask=m)
    if t == "date":
        return pa.array(np.floor(np.where(mask, 0, f) / DAY).astype(np.int32), type=pa.date32(), mask=m)
    if t.startswith("decimal"):
        precision, scale = (int(x) for x in t[t.index("(") + 1:-1].split(","))
        return _decimal_array(f, precision, scale)
    raise ValueError(f"unsupported contract type {duck_type}")


def build_table(contract_table, columns: dict, sort: bool = True) -> pa.Table:
    """The contract's columns, in order, typed; rows sorted by the primary key (stable)."""
    names = contract_table.column_names
    missing = [n for n in names if n not in columns]
    extra = [n for n in columns if n not in names]
    if missing or extra:
        raise ValueError(f"{contract_table.system}.{contract_table.name}: missing {missing}, unexpected {extra}")
    arrays = [arrow_column(columns[c.name], c.type) for c in contract_table.columns]
    table = pa.Table.from_arrays(arrays, names=names)
    if sort and table.num_rows:
        keys = [(k.strip(), "ascending") for k in contract_table.primary_key.split(",")]
        table = table.take(pc.sort_indices(table, sort_keys=keys))
    return table


def redeliver(table: pa.Table, contract_table, rng: np.random.Generator, horizon: float,
              eligible: np.ndarray | None = None, loaded: str = "_fivetran_synced") -> pa.Table:
    """The connector delivers two to four rows again: exact copies loaded later (never after the horizon).

    Each copy follows its original (rows stay sorted by the primary key) and loads one hour to two days later.
    """
    sec = pc.cast(table.column(loaded), pa.int64()).to_numpy(zero_copy_only=False) / 1e6
    ok = sec <= horizon - 2 * DAY
    if eligible is not None:
        ok &= eligible
    candidates = np.flatnonzero(ok)
    rows = np.sort(rng.choice(candidates, size=min(int(rng.integers(2, 5)), len(candidates)), replace=False))
    copies = table.take(pa.array(rows))
    later = np.minimum(sec[rows] + np.floor(rng.uniform(3600, 2 * DAY, len(rows))), horizon)
    copies = copies.set_column(copies.schema.get_field_index(loaded), loaded, arrow_column(later, "timestamp"))
    both = pa.concat_tables([table, copies])
    keys = [(k.strip(), "ascending") for k in contract_table.primary_key.split(",")]
    return both.take(pc.sort_indices(both, sort_keys=keys))


# --------------------------------------------------------------------------- writers
_NEEDS_QUOTES = r'[",\r\n]|^\s|\s$'


def _csv_text(col: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(col.type):
        col = col.cast(pa.timestamp("s"))
    if pa.types.is_string(col.type):
        needs = pc.fill_null(pc.match_substring_regex(col, _NEEDS_QUOTES), False)
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
            col = pc.if_else(needs, quoted, col)
        return col
    return col.cast(pa.string())


def _csv_bytes(table: pa.Table) -> bytes:
    texts = [_csv_text(table.column(i).combine_chunks()) for i in range(table.num_columns)]
    lines = pc.binary_join_element_wise(*texts, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(lines, pa.scalar("\n"), "").cast(pa.large_string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + len(lines) + 1]
    return lines.buffers()[2].to_pybytes()[offsets[0]:offsets[-1]]


def table_path(out: Path, layout: str, fmt: str, system: str, name: str) -> Path:
    ext = "csv" if fmt == "csv" else "parquet"
    if layout == "seeds":
        return Path(out) / system / f"{system}__{name}.{ext}"
    return Path(out) / system / f"{name}.{ext}"


def write_tables(parts: Iterable[pa.Table], path: Path, fmt: str, step: int = 250_000) -> int:
    """Write one raw table given as consecutive parts; returns the number of rows written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    writer = None
    with open(path, "wb") as fh:
        for part in parts:
            if fmt == "csv":
                if rows == 0 and writer is None:
                    fh.write((",".join(part.column_names) + "\n").encode("utf-8"))
                    writer = True
                for offset in range(0, part.num_rows, step):
                    fh.write(_csv_bytes(part.slice(offset, step)))
            else:
                if writer is None:
                    writer = pq.ParquetWriter(fh, part.schema, compression="zstd", compression_level=3,
                                              use_dictionary=True, write_statistics=True, store_schema=False)
                writer.write_table(part, row_group_size=1_000_000)
            rows += part.num_rows
        if fmt != "csv" and writer is not None:
            writer.close()
    return rows
