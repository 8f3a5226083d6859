"""CRM part two: opportunities and their stage history.

New Business deals come from converted leads (demo_crm); Expansion deals from seat and plan upgrades in billing,
Renewal deals from the anniversaries of annual subscriptions (demo_billing). Every opportunity walks
Discovery -> Demo -> Proposal -> Negotiation -> Closed Won / Closed Lost (expansions and renewals skip stages),
enterprise deals slowly; a few move back one stage once. Rows after the horizon are cut, so deals still open
at the end stay open.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo_common import DAY, HOUR, Ctx, choice, choice_by_group, day_floor, expand, group_cumsum, group_last, lognormal
from demo_crm import Leads, Users

STAGES = ["Discovery", "Demo", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]  # codes 1..6
PROBABILITY = np.array([0, 10, 30, 60, 80, 100, 0])
FORECAST = ["Pipeline", "Pipeline", "Pipeline", "Best Case", "Commit", "Closed", "Omitted"]  # by code
STAGE_DAYS = np.array([0, 6.0, 10.0, 9.0, 8.0])  # median days spent in a stage, by code
SEG_SLOWNESS = np.array([1.0, 1.6, 2.5])
WIN_RATE = np.array([0.42, 0.3, 0.42, 0.44, 0.55, 0.46, 0.37, 0.6, 0.42, 0.35])  # by lead channel
DEAL_SIZE = np.array([1.0, 0.7, 1.8, 1.0, 1.3, 1.1, 0.9, 1.5, 1.4, 1.6])  # by lead channel
TIERS = ["Starter", "Growth", "Enterprise"]
PRICE_MONTH = np.array([[2900, 2700, 2300], [5900, 5500, 4700], [9900, 9200, 7900]])  # cents per seat, [tier, cur]
USD_TO = np.array([1.0, 0.92, 0.79])  # rough units of usd, eur, gbp per USD, for sizing deals only
NEW, EXPANSION, RENEWAL = 0, 1, 2
OPP_TYPES = ["New Business", "Expansion", "Renewal"]


def annual_value(tier: np.ndarray, yearly: np.ndarray, seats: np.ndarray, cur: np.ndarray,
                 discount: np.ndarray) -> np.ndarray:
    """Annual contract value in cents of the currency: an annual plan costs ten months."""
    per_seat = PRICE_MONTH[tier, cur] * np.where(yearly, 10, 12)
    return np.round(seats * per_seat * (1 - discount / 100.0))


@dataclass
class Opps:
    """Opportunities (any type) with their stage-change rows, before ids are assigned."""

    account: np.ndarray  # account index (row of NewBusiness.lead)
    kind: np.ndarray  # NEW, EXPANSION or RENEWAL
    created: np.ndarray
    owner: np.ndarray
    currency: np.ndarray
    amount: np.ndarray  # cents, current
    stage: np.ndarray  # current stage code
    close_date: np.ndarray
    last_modified: np.ndarray
    row_opp: np.ndarray  # history rows
    row_stage: np.ndarray
    row_time: np.ndarray
    row_amount: np.ndarray
    row_close: np.ndarray

    @property
    def won(self) -> np.ndarray:
        return self.stage == 5

    @property
    def closed(self) -> np.ndarray:
        return self.stage >= 5


def finish(ctx: Ctx, account, kind, created, owner, currency, expected_close, row_opp, row_stage, row_time,
           row_amount) -> Opps:
    """Cut stage changes after the horizon; the last remaining change is each opportunity's current state."""
    keep = row_time <= ctx.horizon
    row_opp, row_stage, row_time, row_amount = row_opp[keep], row_stage[keep], row_time[keep], row_amount[keep]
    last = np.flatnonzero(group_last(row_opp))
    stage = row_stage[last]
    closed = stage >= 5
    open_close = np.maximum(expected_close, day_floor(row_time[last]) + 7 * DAY)
    close_date = np.minimum(np.where(closed, day_floor(row_time[last]), day_floor(open_close)), ctx.end)
    # The expected close of each change: the opportunity's close date, or the change day on closing rows.
    row_close = np.where(row_stage >= 5, day_floor(row_time), np.maximum(close_date[row_opp], day_floor(row_time)))
    row_close = np.minimum(row_close, ctx.end)
    return Opps(account, kind, created, owner, currency, row_amount[last], stage, close_date, row_time[last],
                row_opp, row_stage, row_time, row_amount, row_close)


@dataclass
class NewBusiness:
    lead: np.ndarray  # account index -> converted lead
    created: np.ndarray  # conversion time = account, contact and opportunity creation
    segment: np.ndarray
    currency: np.ndarray
    owner: np.ndarray  # account owner (the AE of the first deal)
    tier: np.ndarray
    yearly: np.ndarray
    seats: np.ndarray
    discount: np.ndarray
    opps: Opps


def new_business(ctx: Ctx, leads: Leads, us: Users) -> NewBusiness:
    rng = ctx.rng("crm.new_business")
    lead = np.flatnonzero(~np.isnan(leads.conv) & ~leads.deleted)
    n = len(lead)
    created = leads.conv[lead]
    seg = leads.segment[lead]
    cur = leads.companies.currency[leads.person[lead]]
    ch = leads.channel[lead]
    owner = us.owner(rng, "ae", seg, created)
    tier = choice_by_group(rng, seg, np.array([[0.6, 0.4, 0.0], [0.1, 0.7, 0.2], [0.0, 0.25, 0.75]]))
    yearly = rng.random(n) < np.array([0.3, 0.45, 0.75])[seg]
    acv_usd = np.array([7000.0, 30000.0, 110000.0])[seg] * DEAL_SIZE[ch] * np.exp(rng.normal(0, 0.6, n))
    seat_cents = PRICE_MONTH[tier, cur] * np.where(yearly, 10, 12)
    seats = np.maximum(1, np.round(acv_usd * USD_TO[cur] * 100 / seat_cents)).astype(np.int64)
    discount = np.where(rng.random(n) < 0.25, np.array([10, 15, 20])[rng.integers(0, 3, n)], 0)
    amount = annual_value(tier, yearly, seats, cur, discount)

    # Stage path: 1..reached, optionally one step back, then the closing stage.
    won = rng.random(n) < WIN_RATE[ch] * np.array([1.05, 1.0, 0.85])[seg]
    reached = np.where(won, 4, 1 + choice(rng, n, [0.35, 0.3, 0.2, 0.15]))
    back = (reached >= 3) & (rng.random(n) < 0.06)
    b = np.where(back, 2 + np.floor(rng.random(n) * (reached - 1)).astype(np.int64), 0)
    nrows = reached + 1 + 2 * back
    opp, p = expand(nrows)
    bb = b[opp]
    fwd = np.where(bb == 0, p + 1, np.where(p < bb, p + 1, np.where(p == bb, bb - 1, p - 1)))
    stage = np.where(p == nrows[opp] - 1, np.where(won[opp], 5, 6), fwd)
    prev = np.r_[1, stage[:-1]]
    median = STAGE_DAYS[np.minimum(prev, 4)] * DAY * SEG_SLOWNESS[seg[opp]] * np.where(stage == 6, 1.3, 1.0)
    median = np.where(stage < prev, 2 * DAY, median)
    gap = np.where(p == 0, 0.0, lognormal(rng, median, 0.55, len(opp)))
    time = created[opp] + group_cumsum(gap, opp)
    estimate = np.round(amount * rng.uniform(0.8, 1.3, n) / 10000) * 10000
    row_amount = np.where(stage <= 2, estimate[opp], amount[opp])
    expected = day_floor(created + STAGE_DAYS[1:].sum() * DAY * SEG_SLOWNESS[seg] * 1.2)
    opps = finish(ctx, np.arange(n), np.full(n, NEW), created, owner, cur, expected, opp, stage, time, row_amount)
    return NewBusiness(lead, created, seg, cur, owner, tier, yearly, seats, discount, opps)


def _template_rows(rng, created, close, outcome, template_won, template_lost):
    """Rows of short deals: stage codes at fixed fractions of [created, close]; outcome 1 won, 0 lost, -1 open."""
    won = outcome != 0
    n_rows = np.where(won, len(template_won), len(template_lost))
    opp, p = expand(n_rows)
    tw = np.array([s for s, _ in template_won])
    tl = np.array([s for s, _ in template_lost])
    fw = np.array([f for _, f in template_won])
    fl = np.array([f for _, f in template_lost])
    pw, pl = np.minimum(p, len(tw) - 1), np.minimum(p, len(tl) - 1)
    stage = np.where(won[opp], tw[pw], tl[pl])
    frac = np.where(won[opp], fw[pw], fl[pl])
    jitter = np.where((frac > 0) & (frac < 1), rng.uniform(-0.08, 0.08, len(opp)), 0.0)
    time = np.floor(created[opp] + (close[opp] - created[opp]) * np.clip(frac + jitter, 0, 1))
    return opp, stage, time


def later_deals(ctx: Ctx, nb: NewBusiness, expansions: dict, renewals: dict) -> Opps:
    """Expansion and renewal opportunities from billing, owned by the account's AE."""
    rng = ctx.rng("crm.later_deals")
    parts = []
    for kind, d, won_t, lost_t in (
            (EXPANSION, expansions, [(1, 0.0), (3, 0.45), (4, 0.75), (5, 1.0)], [(1, 0.0), (3, 0.5), (6, 1.0)]),
            (RENEWAL, renewals, [(1, 0.0), (3, 0.35), (4, 0.7), (5, 1.0)], [(1, 0.0), (3, 0.4), (6, 1.0)])):
        opp, stage, time = _template_rows(rng, d["created"], d["close"], d["outcome"], won_t, lost_t)
        parts.append((kind, d, opp, stage, time))
    offset = 0
    cols = {k: [] for k in ("account", "kind", "created", "currency", "amount", "expected", "opp", "stage", "time")}
    for kind, d, opp, stage, time in parts:
        n = len(d["created"])
        cols["account"].append(d["account"])
        cols["kind"].append(np.full(n, kind))
        cols["created"].append(d["created"])
        cols["currency"].append(nb.currency[d["account"]])
        cols["amount"].append(d["amount"])
        cols["expected"].append(day_floor(d["close"]))
        cols["opp"].append(opp + offset)
        cols["stage"].append(stage)
        cols["time"].append(time)
        offset += n
    c = {k: np.concatenate(v) for k, v in cols.items()}
    owner = nb.owner[c["account"]]
    return finish(ctx, c["account"], c["kind"], c["created"], owner, c["currency"], c["expected"], c["opp"],
                  c["stage"], c["time"], c["amount"][c["opp"]])


def combine(a: Opps, b: Opps) -> Opps:
    """All opportunities in one set (b's history rows re-pointed after a's opportunities)."""
    n = len(a.created)
    fields = {}
    for name in Opps.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        fields[name] = np.concatenate([x, y + n if name == "row_opp" else y])
    return Opps(**fields)


def expansion_created(rng: np.random.Generator, when: np.ndarray, not_before: np.ndarray) -> np.ndarray:
    """Creation time of an expansion deal: two to six weeks before the change, never before not_before."""
    return np.maximum(when - lognormal(rng, 24 * DAY, 0.5, len(when)), not_before + 2 * HOUR)
