"""Finance: monthly sales and marketing expenses from the ledger, and daily reference FX rates (business days)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

import raw_contract
from demo_common import DAY, HOUR, Ctx, add_months, month_start, weekday
from demo_io import build_table

QUOTES = [("EUR", 0.92), ("GBP", 0.79), ("CAD", 1.36)]
# department, category, monthly USD at scale 1
EXPENSES = [
    ("marketing", "salaries", 90000.0), ("marketing", "tools", 12000.0), ("marketing", "agencies", 18000.0),
    ("marketing", "events", 9000.0), ("sales", "salaries", 140000.0), ("sales", "tools", 9000.0),
    ("sales", "agencies", 4000.0), ("sales", "events", 6000.0),
]


def fx_rates(ctx: Ctx) -> pa.Table:
    """USD-based rates: a mean-reverting random walk around each currency's usual level, 8 decimals."""
    rng = ctx.rng("finance.fx")
    days = ctx.days[weekday(ctx.days) < 5]
    n = len(days)
    cols = {"rate_date": [], "base_currency": [], "quote_currency": [], "rate": [], "_loaded_at": []}
    for code, center in QUOTES:
        shocks = rng.normal(0, 0.0045, n)
        level = np.zeros(n)
        for i in range(1, n):  # a loop over days, not rows of the big tables
            level[i] = level[i - 1] * 0.995 + shocks[i]
        cols["rate_date"].append(days)
        cols["base_currency"].append(np.full(n, "USD"))
        cols["quote_currency"].append(np.full(n, code))
        cols["rate"].append(np.round(center * np.exp(level) * 1e8))
        cols["_loaded_at"].append(days + 18 * HOUR)
    return build_table(raw_contract.table("finance", "fx_rates"), {k: np.concatenate(v) for k, v in cols.items()})


def sm_expenses(ctx: Ctx, calendar: dict) -> pa.Table:
    """Sales and marketing expenses per month, growing with the business; event months cost more."""
    rng = ctx.rng("finance.expenses")
    first, last = month_start(np.array([ctx.start]))[0], month_start(np.array([ctx.end]))[0]
    months = []
    m = first
    while m <= last:
        months.append(m)
        m = add_months(np.array([m]), np.array([1]))[0]
    months = np.array(months)
    event_days = calendar["start"][calendar["type"] == "Event"]
    has_event = np.isin(months, month_start(event_days))
    cols = {"expense_month": [], "department": [], "category": [], "amount": [], "currency": [], "_loaded_at": []}
    nm = len(months)
    for department, category, base in EXPENSES:
        spike = np.where(has_event, 3.0, 0.8) if category == "events" else 1.0
        amount = base * ctx.scale * ctx.growth(months + 15 * DAY) * spike * np.exp(rng.normal(0, 0.08, nm))
        cols["expense_month"].append(months)
        cols["department"].append(np.full(nm, department))
        cols["category"].append(np.full(nm, category))
        cols["amount"].append(np.round(amount * 100))
        cols["currency"].append(np.full(nm, "USD"))
        nxt = add_months(months, np.ones(nm, dtype=np.int64))
        cols["_loaded_at"].append(np.minimum(nxt + 4 * DAY + 6 * HOUR, ctx.horizon))
    return build_table(raw_contract.table("finance", "sm_expenses"), {k: np.concatenate(v) for k, v in cols.items()})
