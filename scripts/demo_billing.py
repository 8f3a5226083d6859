"""Billing (Stripe): customers, subscriptions and their items over time.

A won New Business deal creates a Stripe customer and a subscription a few days after the close, on the deal's
plan. Seat and plan upgrades or downgrades end the current item and start a new one at the same instant;
churn cancels the subscription and ends its open item. Some accounts add a second, concurrent subscription
(an add-on), some churned customers come back months later on the same customer (reactivation), and a few
customers sign up by themselves with no CRM record at all. A hidden health flag per customer drives both churn
and the support experience (demo_support), so bad CSAT and urgent tickets go with churn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

import demo_people as dp
import demo_support
from demo_common import (
    DAY,
    HOUR,
    MINUTE,
    Ctx,
    add_months,
    business_time_of_day,
    day_floor,
    expand,
    group_cumsum,
    lognormal,
    pick,
)
from demo_crm import Leads
from demo_deals import NewBusiness, annual_value, expansion_created

MAIN, ADDON, REACTIVATION = 0, 1, 2


@dataclass
class Customers:
    account: np.ndarray  # NewBusiness account index, -1 for self-serve customers
    name: pa.Array
    domain: pa.Array
    email: pa.Array  # the main person's normalized email
    person_name: pa.Array
    free_mail: np.ndarray
    country: np.ndarray
    currency: np.ndarray
    created: np.ndarray
    unhealthy: np.ndarray
    deleted: np.ndarray
    metadata_link: np.ndarray  # True when metadata carries the Salesforce account id
    team: np.ndarray  # how many people of the customer use the product (support end-users)


@dataclass
class Billing:
    cust: Customers
    s_customer: np.ndarray
    s_kind: np.ndarray
    s_start: np.ndarray
    s_end: np.ndarray  # NaN while running at the horizon
    s_canceled: np.ndarray  # NaN unless a cancellation was requested by the horizon
    s_yearly: np.ndarray
    s_discount: np.ndarray
    i_sub: np.ndarray  # items, grouped by subscription in time order
    i_start: np.ndarray
    i_end: np.ndarray
    i_tier: np.ndarray
    i_seats: np.ndarray
    expansions: dict
    renewals: dict
    tickets: dict  # support tickets and ratings while paying (demo_support.tickets)
    account_type: np.ndarray  # per NewBusiness account: 0 Prospect, 1 Customer, 2 Former Customer

    def s_currency(self) -> np.ndarray:
        return self.cust.currency[self.s_customer]


def lifecycle(ctx: Ctx, rng: np.random.Generator, start: np.ndarray, yearly: np.ndarray, unhealthy: np.ndarray):
    """When each subscription would end (maybe after the horizon) and when its cancellation was requested."""
    n = len(start)
    p = np.where(yearly, 0.1, 0.012) * np.where(unhealthy, 1.6, 1.0)
    k = rng.geometric(p)
    step = np.where(yearly, 12, 1)
    end = add_months(start, k * step)
    period_start = add_months(start, (k - 1) * step)
    immediate = ~yearly & (rng.random(n) < 0.12)
    end = np.where(immediate, np.floor(period_start + (end - period_start) * rng.uniform(0.2, 0.9, n)), end)
    notice = np.floor(rng.uniform(1, 25, n) * DAY * np.where(yearly, 2.4, 1.0))
    canceled = np.where(immediate, end, np.maximum(end - notice, period_start + HOUR))
    return end, canceled


def _customers(ctx: Ctx, leads: Leads, nb: NewBusiness):
    rng = ctx.rng("billing.customers")
    won = np.flatnonzero(nb.opps.won[:len(nb.lead)])
    close = nb.opps.last_modified[won]
    start = np.maximum(day_floor(close) + np.floor(rng.uniform(0, 7, len(won))) * DAY
                       + business_time_of_day(rng, len(won)), close + HOUR)
    won, start = won[start <= ctx.horizon], start[start <= ctx.horizon]
    person = leads.person[nb.lead[won]]
    comp, ppl = leads.companies, leads.people
    # Self-serve sign-ups: companies and people nobody in sales ever saw.
    n_self = max(3, ctx.count(90))
    first = len(comp.idx)
    sc = dp.companies(rng, first + np.arange(n_self), np.zeros(n_self, dtype=np.int64))
    sp = dp.people(rng, first + np.arange(n_self), sc.domain, sc.country, 0.5)
    s_start = np.floor(ctx.start + rng.uniform(0.02, 0.98, n_self) ** 0.8 * (ctx.horizon - ctx.start))
    s_start = day_floor(s_start) + business_time_of_day(rng, n_self)
    idx = pa.array(person)
    nc = len(won)
    cust = Customers(
        account=np.r_[won, np.full(n_self, -1)],
        name=pa.concat_arrays([comp.name.take(idx), sc.name]),
        domain=pa.concat_arrays([comp.domain.take(idx), sc.domain]),
        email=pa.concat_arrays([ppl.work_email.take(idx), sp.email]),
        person_name=pa.concat_arrays([ppl.full_name.take(idx), sp.full_name]),
        free_mail=np.r_[np.zeros(len(won), dtype=bool), sp.free_mail],
        country=np.r_[comp.country[person], sc.country],
        currency=np.r_[nb.currency[won], sc.currency],
        created=np.r_[start, s_start] - np.floor(rng.uniform(MINUTE, 50 * MINUTE, nc + n_self)),
        unhealthy=rng.random(nc + n_self) < 0.2,
        deleted=np.zeros(nc + n_self, dtype=bool),
        metadata_link=np.r_[rng.random(nc) < 0.9, np.zeros(n_self, dtype=bool)],
        team=np.zeros(nc + n_self, dtype=np.int64))
    tier = np.r_[nb.tier[won], (rng.random(n_self) < 0.2).astype(np.int64)]
    yearly = np.r_[nb.yearly[won], rng.random(n_self) < 0.15]
    seats = np.r_[nb.seats[won], rng.integers(1, 6, n_self)]
    discount = np.r_[nb.discount[won], np.where(rng.random(n_self) < 0.05, 10, 0)]
    cust.team = np.minimum(1 + rng.poisson(np.minimum(seats, 40) / 8.0), 6)
    return cust, np.r_[start, s_start], tier, yearly, seats, discount


def simulate(ctx: Ctx, leads: Leads, nb: NewBusiness) -> Billing:
    cust, start, tier0, yearly, seats0, discount = _customers(ctx, leads, nb)
    rng = ctx.rng("billing.subscriptions")
    nc = len(start)
    H = ctx.horizon
    end_raw, canceled_raw = lifecycle(ctx, rng, start, yearly, cust.unhealthy)

    # Support while paying: after a bad rating or a second urgent ticket, many customers leave at the next renewal.
    tk = demo_support.tickets(ctx, cust.unhealthy, cust.team, start, np.fmin(end_raw, H))
    rng = ctx.rng("billing.churn_after_support")
    trigger = tk["trigger"]
    found = np.isfinite(trigger)
    leave = np.where(found, trigger, start) + np.floor(rng.uniform(3, 30, nc) * DAY)
    step = np.where(yearly, 12, 1)
    k0 = np.maximum(np.floor((leave - start) / (step * 31 * DAY)), 0).astype(np.int64)
    boundary = np.full(nc, np.inf)
    for j in range(3, -1, -1):  # the first period boundary on or after leave
        b = add_months(start, (k0 + j) * step)
        boundary = np.where(b >= leave, b, boundary)
    hit = found & (rng.random(nc) < 0.55) & (boundary < end_raw)
    canceled_raw = np.where(hit, np.minimum(trigger + np.floor(rng.uniform(1, 10, nc) * DAY), boundary), canceled_raw)
    end_raw = np.where(hit, boundary, end_raw)
    tickets = demo_support.keep_until(tk, np.fmin(end_raw, H))
    rng = ctx.rng("billing.plan_changes")

    # Plan changes of the main subscriptions (candidates run 75 days past the horizon for open expansion deals).
    span_end = np.fmin(end_raw, H + 75 * DAY)
    months = np.maximum(span_end - start - 14 * DAY, 0) / (30.4 * DAY)
    up_rate = np.where(cust.unhealthy, 0.015, 0.04)
    down_rate = np.where(cust.unhealthy, 0.03, 0.007)
    n_up, n_down = rng.poisson(up_rate * months), rng.poisson(down_rate * months)
    ev_sub, pos = expand(n_up + n_down)
    direction = np.where(pos < n_up[ev_sub], 1, -1)
    ev_time = start[ev_sub] + 14 * DAY
    ev_time = np.floor(ev_time + rng.random(len(ev_sub)) * (span_end[ev_sub] - ev_time))
    order = np.lexsort((ev_time, ev_sub))
    ev_sub, ev_time, direction = ev_sub[order], ev_time[order], direction[order]
    crm = cust.account[ev_sub] >= 0
    has_opp = crm & (direction > 0) & (rng.random(len(ev_sub)) < 0.65)
    failed = has_opp & (rng.random(len(ev_sub)) < 0.2)
    applied = ~failed & (ev_time <= H)
    a_sub, a_time, a_dir = ev_sub[applied], ev_time[applied], direction[applied]
    tier_step = rng.random(len(a_sub)) < 0.25
    step_size = np.maximum(1, np.round(seats0[a_sub] * rng.uniform(0.1, 0.5, len(a_sub))))
    seat_delta = np.where(tier_step, 0, a_dir * step_size)
    seats = np.maximum(1, seats0[a_sub] + group_cumsum(seat_delta, a_sub)).astype(np.int64)
    tier = np.clip(tier0[a_sub] + group_cumsum(np.where(tier_step, a_dir, 0), a_sub), 0, 2).astype(np.int64)
    first = np.r_[True, a_sub[1:] != a_sub[:-1]]
    prev_seats = np.where(first, seats0[a_sub], np.r_[0, seats[:-1]])
    prev_tier = np.where(first, tier0[a_sub], np.r_[0, tier[:-1]])
    changed = (seats != prev_seats) | (tier != prev_tier)
    cur = cust.currency
    delta = annual_value(tier, yearly[a_sub], seats, cur[a_sub], discount[a_sub]) \
        - annual_value(prev_tier, yearly[a_sub], prev_seats, cur[a_sub], discount[a_sub])
    won_exp = changed & has_opp[applied] & (delta > 0)

    # Expansion deals: won ones match an applied upgrade; lost ones never happened; late ones are still open.
    base = annual_value(tier0, yearly, seats0, cur, discount)
    other = ~applied & has_opp & (ev_time < end_raw[ev_sub])
    e_sub = np.r_[a_sub[won_exp], ev_sub[other]]
    e_close = np.r_[a_time[won_exp] - np.floor(rng.uniform(0, 2 * DAY, won_exp.sum())), ev_time[other]]
    e_amount = np.r_[delta[won_exp], np.round(base[ev_sub[other]] * rng.uniform(0.15, 0.5, other.sum()) / 100) * 100]
    e_outcome = np.r_[np.ones(won_exp.sum()), np.where(failed[other], 0, -1)].astype(np.int64)
    e_created = expansion_created(rng, e_close, start[e_sub])
    e_close = np.maximum(e_close, e_created + DAY)
    ok = e_created <= H
    expansions = dict(account=cust.account[e_sub][ok], created=e_created[ok], close=e_close[ok],
                      amount=e_amount[ok], outcome=e_outcome[ok])

    # Main items: the initial plan, then one item per effective change.
    k_sub, k_time, k_seats, k_tier = a_sub[changed], a_time[changed], seats[changed], tier[changed]
    i_sub = np.r_[np.arange(nc), k_sub]
    i_start = np.r_[start, k_time]
    i_seats = np.r_[seats0, k_seats]
    i_tier = np.r_[tier0, k_tier]

    # Add-ons: a second, concurrent subscription for some sales-led customers.
    rng = ctx.rng("billing.addons")
    room = np.fmin(end_raw, H) - start
    cand = np.flatnonzero((cust.account >= 0) & (room > 60 * DAY) & (rng.random(nc) < 0.12))
    a_start = day_floor(start[cand] + rng.uniform(30 * DAY, np.maximum(room[cand] - DAY, 31 * DAY))) \
        + business_time_of_day(rng, len(cand))
    cand, a_start = cand[a_start < np.fmin(end_raw[cand], H)], a_start[a_start < np.fmin(end_raw[cand], H)]
    a_end = np.minimum(a_start + lognormal(rng, 240 * DAY, 0.6, len(cand)), end_raw[cand])
    a_cancel = np.where(a_end == end_raw[cand], canceled_raw[cand], a_end - 9 * DAY)
    a_cancel = np.minimum(np.maximum(a_cancel, a_start + HOUR), a_end)

    # Reactivations: some churned customers come back on the same Stripe customer months later.
    rng = ctx.rng("billing.reactivations")
    churned = np.flatnonzero(end_raw <= H)
    back = churned[rng.random(len(churned)) < 0.35]
    r_start = day_floor(end_raw[back] + rng.uniform(45, 200, len(back)) * DAY) + business_time_of_day(rng, len(back))
    back, r_start = back[r_start <= H], r_start[r_start <= H]
    srt = np.lexsort((i_start, i_sub))
    last_item = np.searchsorted(i_sub[srt], back, side="right") - 1
    r_tier = i_tier[srt][last_item]
    r_seats = np.maximum(1, np.round(i_seats[srt][last_item] * rng.uniform(0.6, 1.1, len(back)))).astype(np.int64)
    r_yearly = yearly[back] & (rng.random(len(back)) < 0.6)
    r_end, r_cancel = lifecycle(ctx, rng, r_start, r_yearly, cust.unhealthy[back])

    # All subscriptions: main, add-on, reactivation.
    s_customer = np.r_[np.arange(nc), cand, back]
    s_kind = np.r_[np.full(nc, MAIN), np.full(len(cand), ADDON), np.full(len(back), REACTIVATION)]
    s_start = np.r_[start, a_start, r_start]
    end_all = np.r_[end_raw, a_end, r_end]
    cancel_all = np.r_[canceled_raw, a_cancel, r_cancel]
    s_yearly = np.r_[yearly, np.zeros(len(cand), dtype=bool), r_yearly]
    s_discount = np.r_[discount, np.zeros(len(cand)), discount[back]]
    i_sub = np.r_[i_sub, nc + np.arange(len(cand)), nc + len(cand) + np.arange(len(back))]
    i_start = np.r_[i_start, a_start, r_start]
    i_seats = np.r_[i_seats, rng.integers(1, 11, len(cand)), r_seats]
    i_tier = np.r_[i_tier, (rng.random(len(cand)) < 0.4).astype(np.int64), r_tier]
    order = np.lexsort((i_start, i_sub))
    i_sub, i_start, i_seats, i_tier = i_sub[order], i_start[order], i_seats[order], i_tier[order]
    s_end = np.where(end_all <= H, end_all, np.nan)
    nxt = np.r_[i_start[1:], np.nan]
    last = np.r_[i_sub[1:] != i_sub[:-1], True]
    i_end = np.where(last, s_end[i_sub], nxt)

    # Renewal deals of annual subscriptions of sales-led customers, one per anniversary.
    rng = ctx.rng("billing.renewals")
    annual = np.flatnonzero(s_yearly & (cust.account[s_customer] >= 0))
    years = np.floor((np.fmin(end_all[annual], H + 80 * DAY) - s_start[annual]) / (365 * DAY)).astype(np.int64)
    r_sub, k = expand(np.maximum(years, 0))
    sub = annual[r_sub]
    anniversary = add_months(s_start[sub], 12 * (k + 1))
    lost = np.abs(anniversary - end_all[sub]) < DAY
    r_created = anniversary - np.floor(rng.uniform(60, 90, len(sub)) * DAY)
    r_close = np.where(lost, anniversary - np.floor(rng.uniform(0, 10, len(sub)) * DAY),
                       anniversary - np.floor(rng.uniform(2, 20, len(sub)) * DAY))
    key = i_sub * 10**10 + i_start.astype(np.int64)
    at = np.searchsorted(key, sub * 10**10 + r_created.astype(np.int64), "right") - 1
    value = annual_value(i_tier[at], s_yearly[sub], i_seats[at], cur[s_customer[sub]], s_discount[sub])
    ok = r_created <= H
    renewals = dict(account=cust.account[s_customer[sub]][ok], created=r_created[ok], close=r_close[ok],
                    amount=value[ok], outcome=np.where(lost, 0, 1)[ok])

    # Account type in the CRM follows billing; one self-serve customer was deleted in Stripe.
    running = np.bincount(s_customer[np.isnan(s_end)], minlength=len(cust.account)) > 0
    acct_type = np.zeros(len(nb.lead), dtype=np.int64)
    acct_type[nb.opps.won[:len(nb.lead)]] = 1
    sales = cust.account >= 0
    acct_type[cust.account[sales]] = np.where(running[sales], 1, 2)
    selfserve = np.flatnonzero(~sales)
    gone = selfserve[~running[selfserve]]
    cust.deleted[pick(rng, gone if len(gone) else selfserve, 1)] = True
    return Billing(cust, s_customer, s_kind, s_start, s_end, np.where(cancel_all <= H, cancel_all, np.nan),
                   s_yearly, s_discount, i_sub, i_start, i_end, i_tier, i_seats, expansions, renewals, tickets,
                   acct_type)
