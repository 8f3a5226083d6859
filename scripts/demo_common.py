"""Shared helpers of the demo-data generator: the run context, random streams, time arithmetic, vectorised draws.

Internal conventions (kept deliberately simple so everything vectorises):
- timestamps are float64 seconds since the Unix epoch (UTC), NaN for null, always whole seconds;
- dates are float64 seconds at midnight UTC;
- decimals are float64 in units of their scale (cents for decimal(18,2)), NaN for null;
- ids are integers until a table is rendered (see demo_io).
Nothing here reads the wall clock: every run is a pure function of its arguments.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0


# --------------------------------------------------------------------------- random streams and run context
class Streams:
    """Independent, named random generators derived from one seed.

    Each step asks for its own stream by name, so adding a step or a table never reshuffles the others.
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def __call__(self, name: str) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, zlib.crc32(name.encode("utf-8"))]))


@dataclass(frozen=True)
class Ctx:
    """One generation run: seed, scale and the simulated period [start, end] (whole days, UTC)."""

    seed: int
    scale: float
    start: float
    end: float

    @property
    def horizon(self) -> float:
        """Last second of the last day: nothing happens or loads after it."""
        return self.end + DAY - 1

    @property
    def days(self) -> np.ndarray:
        return np.arange(self.start, self.end + DAY, DAY)

    def rng(self, name: str) -> np.random.Generator:
        return Streams(self.seed)(name)

    def count(self, per_scale_one: float) -> int:
        return int(round(per_scale_one * self.scale))

    def frac(self, sec: np.ndarray | float) -> np.ndarray:
        """Position in the period: 0 at the start, 1 at the horizon."""
        return (np.asarray(sec, dtype=np.float64) - self.start) / (self.horizon - self.start)

    def growth(self, sec: np.ndarray | float) -> np.ndarray:
        """The business grows: demand and spend rise by about 2.2x over the period (mean 1)."""
        return 0.55 + 0.9 * np.clip(self.frac(sec), 0.0, 1.0)

    def clip(self, sec: np.ndarray) -> np.ndarray:
        return np.minimum(sec, self.horizon)

    def at(self, fraction: float) -> float:
        """The midnight nearest to a fraction of the period."""
        return self.start + np.floor(fraction * (self.end - self.start) / DAY) * DAY


# --------------------------------------------------------------------------- time helpers
def date_to_sec(day: str | np.datetime64) -> float:
    return float(np.datetime64(day, "D").astype("datetime64[s]").astype(np.int64))


def day_floor(sec: np.ndarray) -> np.ndarray:
    """Midnight of the day of each timestamp (NaN stays NaN)."""
    return np.floor(np.asarray(sec, dtype=np.float64) / DAY) * DAY


def add_months(sec: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Add whole months to timestamps, clipping the day of month like Stripe billing anchors do."""
    sec = np.asarray(sec, dtype=np.float64)
    months = np.broadcast_to(np.asarray(months), sec.shape)
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


def month_start(sec: np.ndarray) -> np.ndarray:
    s = np.asarray(sec, dtype=np.float64).astype(np.int64).astype("datetime64[s]")
    return s.astype("datetime64[M]").astype("datetime64[s]").astype(np.int64).astype(np.float64)


def weekday(sec: np.ndarray) -> np.ndarray:
    """0 = Monday ... 6 = Sunday."""
    return (np.floor(np.asarray(sec, dtype=np.float64) / DAY).astype(np.int64) + 3) % 7


def seasonality(sec: np.ndarray) -> np.ndarray:
    """Demand multiplier of B2B SaaS: weak July-August and late December, strong Q1 and September-November."""
    sec = np.asarray(sec, dtype=np.float64)
    s = sec.astype(np.int64).astype("datetime64[s]")
    month = (s.astype("datetime64[M]").astype(np.int64) % 12) + 1
    factors = np.array([0, 1.2, 1.25, 1.3, 1.0, 1.0, 0.95, 0.7, 0.65, 1.2, 1.25, 1.2, 0.95])
    f = factors[month]
    dom = (s.astype("datetime64[D]") - s.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    f = np.where((month == 12) & (dom >= 20), 0.4, f)
    return f * np.where(weekday(sec) >= 5, 0.4, 1.0)


def business_time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds into the UTC day, concentrated on European and American office hours."""
    hours = np.where(rng.random(n) < 0.45, rng.normal(10.5, 2.0, n), rng.normal(16.5, 2.6, n))
    return np.floor(np.clip(hours, 0.0, 23.99) * HOUR)


def lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
    """Whole seconds drawn around a median (seconds), never below one second."""
    return np.maximum(1.0, np.floor(np.asarray(median, dtype=np.float64) * np.exp(rng.normal(0.0, sigma, n))))


def sync_time(rng: np.random.Generator, last_change: np.ndarray, horizon: float,
              lo: float = 5 * MINUTE, hi: float = 6 * HOUR) -> np.ndarray:
    """Extract-load time of a row: a little after its last change, never after the horizon nor before the change."""
    last_change = np.asarray(last_change, dtype=np.float64)
    lag = np.floor(rng.uniform(lo, hi, len(last_change)))
    return np.maximum(np.minimum(last_change + lag, horizon), last_change)


# --------------------------------------------------------------------------- vectorised draws
def choice(rng: np.random.Generator, n: int, p: list[float] | np.ndarray) -> np.ndarray:
    """Vectorised categorical draw returning codes 0..len(p)-1."""
    p = np.asarray(p, dtype=np.float64)
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(p) - 1)


def choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a probability matrix."""
    probs = np.asarray(probs, dtype=np.float64)
    if len(probs) == 0:
        return np.zeros(0, dtype=np.int64)
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(probs))[:, None]
    return np.minimum((u >= cdf).sum(axis=1), probs.shape[1] - 1)


def pick_eligible(rng: np.random.Generator, eligible: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """One random column per row among the True cells of a boolean matrix; -1 where a row has none."""
    w = np.ones(eligible.shape[1]) if weights is None else np.asarray(weights, dtype=np.float64)
    score = np.where(eligible, rng.random(eligible.shape) ** (1.0 / w), -1.0)
    out = score.argmax(axis=1) if eligible.shape[1] else np.zeros(len(eligible), dtype=np.int64)
    return np.where(eligible.any(axis=1), out, -1)


def pick(rng: np.random.Generator, candidates: np.ndarray, k: int) -> np.ndarray:
    """Up to k distinct members of candidates (an index array), sorted."""
    candidates = np.asarray(candidates)
    k = min(int(k), len(candidates))
    return np.sort(rng.choice(candidates, size=k, replace=False)) if k > 0 else candidates[:0]


def few(n: int, rate: float, minimum: int = 2) -> int:
    """How many rows a kind of deliberate dirt gets: a small share, at least a minimum."""
    return max(minimum, int(round(n * rate)))


# --------------------------------------------------------------------------- grouped arrays
def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parent index and 0-based position of each child row for per-parent child counts."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return parent, np.arange(len(parent)) - first


def group_cumcount(keys: np.ndarray) -> np.ndarray:
    """0-based running number within runs of equal keys (keys must be sorted)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[True, keys[1:] != keys[:-1]]
    idx = np.arange(n)
    return idx - np.maximum.accumulate(np.where(starts, idx, 0))


def group_cumsum(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Running sum of values within runs of equal keys (keys sorted), inclusive."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) == 0:
        return values
    total = np.cumsum(values)
    starts = np.r_[True, keys[1:] != keys[:-1]]
    idx = np.arange(len(values))
    first = np.maximum.accumulate(np.where(starts, idx, 0))
    return total - (total - values)[first]


def group_last(keys: np.ndarray) -> np.ndarray:
    """True on the last row of each run of equal keys (keys sorted)."""
    return np.r_[keys[1:] != keys[:-1], True] if len(keys) else np.zeros(0, dtype=bool)


def chrono_ids(times: np.ndarray, *tiebreak: np.ndarray, first: int = 1) -> np.ndarray:
    """Id numbers first.. in chronological order of times (ties broken by the extra keys, then position)."""
    order = np.lexsort((np.arange(len(times)), *reversed(tiebreak), times))
    ids = np.empty(len(times), dtype=np.int64)
    ids[order] = np.arange(first, first + len(times))
    return ids


def choice_by_group(rng: np.random.Generator, groups: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row from the probability row of its group (a loop over groups, not rows)."""
    groups = np.asarray(groups)
    out = np.zeros(len(groups), dtype=np.int64)
    for g in range(len(probs)):
        rows = np.flatnonzero(groups == g)
        if len(rows):
            out[rows] = choice(rng, len(rows), probs[g])
    return out
