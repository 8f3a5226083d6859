"""Billing tables: Stripe customers, subscriptions, subscription items, invoices and invoice lines.

One invoice per billing period (monthly or annual) of each subscription, with one line per item billed at the
period start. Most invoices are paid; a few are open, void or uncollectible. Amounts are integer cents.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import demo_people as dp
import demo_words as w
import raw_contract
from demo_billing import Billing
from demo_common import DAY, HOUR, Ctx, add_months, chrono_ids, expand, few, group_cumcount, lognormal, pick, sync_time
from demo_deals import PRICE_MONTH, TIERS
from demo_io import Cat, Ids, build_table, concat, hex_digits, render_ids


def price_code(tier: np.ndarray, yearly: np.ndarray, cur: np.ndarray) -> np.ndarray:
    return 1 + tier * 6 + yearly.astype(np.int64) * 3 + cur


def unit_amount(tier: np.ndarray, yearly: np.ndarray, cur: np.ndarray) -> np.ndarray:
    return PRICE_MONTH[tier, cur] * np.where(yearly, 10, 1)


def invoices(ctx: Ctx, bl: Billing) -> dict:
    """Invoice and line rows; also which subscriptions are past due."""
    rng = ctx.rng("billing.invoices")
    step = np.where(bl.s_yearly, 12, 1)
    stop = np.fmin(bl.s_end, ctx.horizon)
    approx = np.ceil((stop - bl.s_start) / (28 * DAY) / step).astype(np.int64) + 1
    sub, k = expand(approx)
    ps = add_months(bl.s_start[sub], k * step[sub])
    keep = (ps < stop[sub]) | (k == 0)
    sub, k, ps = sub[keep], k[keep], ps[keep]
    pe = add_months(bl.s_start[sub], (k + 1) * step[sub])
    key = bl.i_sub.astype(np.int64) * 10**10 + bl.i_start.astype(np.int64)
    item = np.searchsorted(key, sub.astype(np.int64) * 10**10 + ps.astype(np.int64), side="right") - 1
    cur = bl.s_currency()[sub]
    amount = bl.i_seats[item] * unit_amount(bl.i_tier[item], bl.s_yearly[sub], cur)
    discount = np.round(amount * bl.s_discount[sub] / 100.0)
    n = len(sub)
    paid_at = ps + lognormal(rng, 2 * HOUR, 1.5, n)
    status = np.where(paid_at <= ctx.horizon, 0, 1)  # 0 paid, 1 open, 2 void, 3 uncollectible
    last = np.r_[sub[1:] != sub[:-1], True]
    ended = ~np.isnan(bl.s_end[sub])
    sick = bl.cust.unhealthy[bl.s_customer[sub]]
    status = np.where(last & ended & sick & (rng.random(n) < 0.4), 3, status)
    status = np.where((rng.random(n) < 0.007) & ~last, 2, status)
    running_last = np.flatnonzero(last & ~ended & (ps < ctx.horizon - 3 * DAY) & (ps > ctx.horizon - 25 * DAY))
    overdue = pick(rng, running_last, few(n, 0.002))
    status[overdue] = 1
    past_due = np.zeros(len(bl.s_start), dtype=bool)
    past_due[sub[overdue]] = True
    return dict(sub=sub, ps=ps, pe=pe, item=item, amount=amount, discount=discount, status=status,
                paid_at=np.where(status == 0, paid_at, np.nan), past_due=past_due)


def tables(ctx: Ctx, bl: Billing, account_num: np.ndarray) -> dict[str, pa.Table]:
    rng = ctx.rng("billing.tables")
    cust, H = bl.cust, ctx.horizon
    nc = len(cust.account)
    cus_num = chrono_ids(cust.created)
    sub_num = chrono_ids(bl.s_start, bl.s_customer)
    inv = invoices(ctx, bl)

    alias = concat(pc.choose(pa.array(rng.integers(0, 3, nc).astype(np.int8)), "billing@", "finance@", "accounts@"),
                   cust.domain)
    use_alias = pa.array((rng.random(nc) < 0.4) & ~cust.free_mail)
    email = dp.as_typed(rng, pc.if_else(use_alias, alias, cust.email), 0.15, 0.05)
    link = np.where(cust.metadata_link & (cust.account >= 0), account_num[np.maximum(cust.account, 0)], -1)
    meta_link = concat('{"sfdc_account_id": "', render_ids("001", np.maximum(link, 0), 15), '"}')
    metadata = pc.if_else(pa.array(link >= 0), meta_link, pa.scalar("{}"))
    selfserve = cust.account < 0
    name = pc.if_else(pa.array(selfserve & cust.free_mail), cust.person_name, cust.name)
    last_sub_change = np.zeros(nc)
    np.maximum.at(last_sub_change, bl.s_customer, np.fmax(bl.s_start, np.nan_to_num(bl.s_end, nan=0.0)))
    out = {"customer": build_table(raw_contract.table("billing", "customer"), {
        "id": Ids("cus_", cus_num, 12), "email": email, "name": name,
        "description": Cat(np.where(selfserve, 0, -1), ["Self-serve signup"]),
        "currency": Cat(cust.currency, w.CURRENCIES),
        "address_country": Cat(np.where(rng.random(nc) < 0.05, -1, cust.country), w.COUNTRIES),
        "metadata": metadata, "created": cust.created, "is_deleted": cust.deleted,
        "_fivetran_synced": sync_time(rng, np.fmax(cust.created, last_sub_change), H)})}

    # Subscriptions: the current period is the last invoiced one.
    ns = len(bl.s_start)
    last_inv = np.flatnonzero(np.r_[inv["sub"][1:] != inv["sub"][:-1], True])
    cps, cpe = np.full(ns, np.nan), np.full(ns, np.nan)
    cps[inv["sub"][last_inv]], cpe[inv["sub"][last_inv]] = inv["ps"][last_inv], inv["pe"][last_inv]
    ended = ~np.isnan(bl.s_end)
    status = np.where(ended, 2, np.where(inv["past_due"], 1, 0))
    at_period_end = ~np.isnan(bl.s_canceled) & (~ended | (bl.s_canceled < np.nan_to_num(bl.s_end)))
    changed = np.fmax(np.fmax(bl.s_start, bl.s_canceled), bl.s_end)
    out["subscription"] = build_table(raw_contract.table("billing", "subscription"), {
        "id": Ids("sub_", sub_num, 12), "customer_id": Ids("cus_", cus_num[bl.s_customer], 12),
        "status": Cat(status, ["active", "past_due", "canceled"]), "currency": Cat(bl.s_currency(), w.CURRENCIES),
        "discount_percent_off": np.where(bl.s_discount > 0, bl.s_discount * 100, np.nan),
        "start_date": bl.s_start, "current_period_start": cps, "current_period_end": cpe,
        "cancel_at_period_end": at_period_end, "canceled_at": bl.s_canceled, "ended_at": bl.s_end,
        "created": bl.s_start, "_fivetran_synced": sync_time(rng, np.fmax(changed, cps), H)})

    item_num = chrono_ids(bl.i_start, bl.i_sub)
    yearly = bl.s_yearly[bl.i_sub]
    icur = bl.s_currency()[bl.i_sub]
    out["subscription_item"] = build_table(raw_contract.table("billing", "subscription_item"), {
        "id": Ids("si_", item_num, 12), "subscription_id": Ids("sub_", sub_num[bl.i_sub], 12),
        "price_id": Ids("price_", price_code(bl.i_tier, yearly, icur), 6), "product_name": Cat(bl.i_tier, TIERS),
        "plan_interval": Cat(yearly.astype(np.int64), ["month", "year"]), "plan_interval_count": np.ones(len(yearly)),
        "quantity": bl.i_seats, "unit_amount": unit_amount(bl.i_tier, yearly, icur),
        "currency": Cat(icur, w.CURRENCIES), "created": bl.i_start, "ended_at": bl.i_end,
        "_fivetran_synced": sync_time(rng, np.fmax(bl.i_start, bl.i_end), H)})

    n = len(inv["sub"])
    inv_num = chrono_ids(inv["ps"], inv["sub"])
    inv_cust = bl.s_customer[inv["sub"]]
    by_customer = np.lexsort((inv_num, inv_cust))
    seq = np.empty(n, dtype=np.int64)
    seq[by_customer] = group_cumcount(inv_cust[by_customer]) + 1
    number = concat(pa.array(hex_digits(cus_num[inv_cust] * 2654435761 % 2**32, 8)), "-",
                    pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), width=4, padding="0"))
    total = inv["amount"] - inv["discount"]
    icur = bl.s_currency()[inv["sub"]]
    out["invoice"] = build_table(raw_contract.table("billing", "invoice"), {
        "id": Ids("in_", inv_num, 12), "customer_id": Ids("cus_", cus_num[inv_cust], 12),
        "subscription_id": Ids("sub_", sub_num[inv["sub"]], 12), "number": number,
        "status": Cat(inv["status"], ["paid", "open", "void", "uncollectible"]), "currency": Cat(icur, w.CURRENCIES),
        "subtotal": inv["amount"], "total_discount_amount": inv["discount"], "total": total,
        "amount_paid": np.where(inv["status"] == 0, total, 0), "period_start": inv["ps"], "period_end": inv["pe"],
        "created": inv["ps"], "paid_at": inv["paid_at"],
        "_fivetran_synced": sync_time(rng, np.fmax(inv["ps"], inv["paid_at"]), H)})

    item = inv["item"]
    tier, iyearly = bl.i_tier[item], bl.s_yearly[inv["sub"]]
    base = concat(pc.cast(pa.array(bl.i_seats[item]), pa.string()), " x ", pc.take(pa.array(TIERS), pa.array(tier)))
    desc = pc.if_else(pa.array(iyearly), concat(base, " (yearly)"), base)
    out["invoice_line_item"] = build_table(raw_contract.table("billing", "invoice_line_item"), {
        "id": Ids("il_", inv_num, 12), "invoice_id": Ids("in_", inv_num, 12),
        "subscription_id": Ids("sub_", sub_num[inv["sub"]], 12), "subscription_item_id": Ids("si_", item_num[item], 12),
        "price_id": Ids("price_", price_code(tier, iyearly, icur), 6), "description": desc,
        "quantity": bl.i_seats[item], "amount": inv["amount"], "discount_amount": inv["discount"],
        "currency": Cat(icur, w.CURRENCIES), "period_start": inv["ps"], "period_end": inv["pe"],
        "proration": np.zeros(n, dtype=bool),
        "_fivetran_synced": sync_time(rng, np.fmax(inv["ps"], inv["paid_at"]), H)})
    return out
