"""Support (Zendesk): an organization per customer company, its end-users, a few agents, tickets and CSAT.

Tickets arrive while a customer pays. Unhealthy customers (demo_billing) file more urgent tickets, wait longer
for replies and rate more tickets bad, and they churn more: support and churn go together in the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import demo_people as dp
import demo_words as w
import raw_contract
from demo_common import (
    DAY,
    HOUR,
    MINUTE,
    Ctx,
    choice,
    choice_by_group,
    expand,
    few,
    group_cumcount,
    lognormal,
    pick,
    sync_time,
)
from demo_io import Cat, Ids, build_table, with_nulls

if TYPE_CHECKING:
    from demo_billing import Billing

AGENTS = ["Nora Bakker", "Lars Jansen", "Ines Fernandez", "Ethan Cooper", "Mei Tanaka", "Paul Byrne"]
PRIORITIES = ["low", "normal", "high", "urgent"]
REPLY_HOURS = np.array([10.0, 6.0, 2.5, 0.8])
SOLVE_HOURS = np.array([30.0, 24.0, 16.0, 8.0])


@dataclass
class Support:
    o_customer: np.ndarray
    o_created: np.ndarray
    u_customer: np.ndarray  # end users; -1 for agents and the admin (the first rows)
    u_email: pa.Array
    u_name: pa.Array
    u_created: np.ndarray
    u_rank: np.ndarray  # 0 for the customer's main person, 1.. for colleagues, -1 for agents
    u_first: pa.Array
    u_last: pa.Array
    t_customer: np.ndarray
    t_requester: np.ndarray
    t_created: np.ndarray
    t_reply: np.ndarray
    t_solved: np.ndarray
    t_priority: np.ndarray
    r_ticket: np.ndarray
    r_created: np.ndarray
    r_score: np.ndarray  # 0 good, 1 bad, 2 offered


def tickets(ctx: Ctx, unhealthy: np.ndarray, team: np.ndarray, first: np.ndarray, last: np.ndarray) -> dict:
    """Tickets of each customer between first and last, their replies, solves and ratings.

    Also returns each customer's trigger: the first bad rating or second urgent ticket, after which a customer
    may decide to leave (demo_billing).
    """
    rng = ctx.rng("support.tickets")
    months = np.maximum(last - first - DAY, 0) / (30.4 * DAY)
    rate = 0.45 * np.sqrt(team) * np.where(unhealthy, 2.4, 1.0)
    t_cust, _ = expand(rng.poisson(rate * months))
    n = len(t_cust)
    t_created = np.floor(first[t_cust] + DAY + rng.random(n) * (last[t_cust] - first[t_cust] - DAY))
    t_member = np.floor(rng.random(n) * team[t_cust]).astype(np.int64)
    sick = unhealthy[t_cust]
    priority = choice_by_group(rng, sick.astype(np.int64), np.array([[0.32, 0.52, 0.15, 0.01], [0.1, 0.35, 0.3, 0.25]]))
    reply = t_created + lognormal(rng, REPLY_HOURS[priority] * HOUR * np.where(sick, 2.0, 1.0), 0.9, n)
    solved = reply + lognormal(rng, SOLVE_HOURS[priority] * HOUR * np.where(sick, 2.0, 1.0), 1.0, n)
    reply = np.where(reply <= ctx.horizon, reply, np.nan)
    solved = np.where(solved <= ctx.horizon, solved, np.nan)
    # Satisfaction: offered after most solved tickets; slow replies and unhealthy customers rate bad.
    r_ticket = np.flatnonzero(~np.isnan(solved) & (rng.random(n) < 0.6))
    r_created = solved[r_ticket] + lognormal(rng, 5 * HOUR, 1.0, len(r_ticket))
    keep = r_created <= ctx.horizon
    r_ticket, r_created = r_ticket[keep], r_created[keep]
    slow = (reply[r_ticket] - t_created[r_ticket]) > 8 * HOUR
    p_bad = 0.02 + 0.06 * slow + 0.3 * sick[r_ticket]
    answered = rng.random(len(r_ticket)) < 0.65
    r_score = np.where(answered, np.where(rng.random(len(r_ticket)) < p_bad, 1, 0), 2)
    trigger = np.full(len(first), np.inf)
    bad = r_score == 1
    np.minimum.at(trigger, t_cust[r_ticket[bad]], r_created[bad])
    urgent = np.flatnonzero(priority == 3)
    urgent = urgent[np.lexsort((t_created[urgent], t_cust[urgent]))]
    second = urgent[group_cumcount(t_cust[urgent]) == 1]
    np.minimum.at(trigger, t_cust[second], t_created[second])
    return dict(cust=t_cust, member=t_member, created=t_created, reply=reply, solved=solved, priority=priority,
                r_ticket=r_ticket, r_created=r_created, r_score=r_score, trigger=trigger)


def keep_until(tk: dict, last: np.ndarray) -> dict:
    """The tickets a customer filed before leaving (and their ratings)."""
    keep = tk["created"] <= last[tk["cust"]]
    new_index = np.cumsum(keep) - 1
    rk = keep[tk["r_ticket"]]
    out = {k: tk[k][keep] for k in ("cust", "member", "created", "reply", "solved", "priority")}
    out.update(r_ticket=new_index[tk["r_ticket"][rk]], r_created=tk["r_created"][rk], r_score=tk["r_score"][rk])
    return out


def simulate(ctx: Ctx, bl: Billing) -> Support:
    rng = ctx.rng("support")
    cust = bl.cust
    has_org = (cust.account >= 0) | ~cust.free_mail
    o_customer = np.flatnonzero(has_org)
    o_created = ctx.clip(cust.created[o_customer] + np.floor(rng.uniform(HOUR, 3 * DAY, len(o_customer))))
    # End-users: the customer's main person first, then colleagues at the company domain.
    team = np.where(has_org, cust.team, 1)
    u_cust, k = expand(team)
    colleagues = dp.people(rng, 10**7 + np.arange(len(u_cust)), cust.domain.take(pa.array(u_cust)),
                           cust.country[u_cust])
    main = pa.array(k == 0)
    email = pc.if_else(main, cust.email.take(pa.array(u_cust)), colleagues.email)
    email = dp.as_typed(rng, email, 0.12, 0.02)
    name = pc.if_else(main, cust.person_name.take(pa.array(u_cust)), colleagues.full_name)
    agent_emails = [f"{a.split()[0].lower()}@{w.VENDOR_DOMAIN}" for a in AGENTS] + [f"admin@{w.VENDOR_DOMAIN}"]
    u_created = ctx.clip(cust.created[u_cust] + np.floor(rng.uniform(MINUTE, DAY, len(u_cust))))
    tk = bl.tickets
    user_first = np.cumsum(team) - team
    t_requester = user_first[tk["cust"]] + np.minimum(tk["member"], team[tk["cust"]] - 1)
    u_email = pa.concat_arrays([pa.array(agent_emails), email])
    u_name = pa.concat_arrays([pa.array(AGENTS + ["Support Admin"]), name])
    na = len(agent_emails)
    return Support(o_customer, o_created, np.r_[np.full(na, -1), u_cust], u_email, u_name,
                   np.r_[np.full(na, ctx.start - 200 * DAY), u_created], np.r_[np.full(na, -1), k],
                   colleagues.first_name, colleagues.last_name, tk["cust"], t_requester + na, tk["created"],
                   tk["reply"], tk["solved"], tk["priority"], tk["r_ticket"], tk["r_created"], tk["r_score"])


def tables(ctx: Ctx, sp: Support, bl: Billing, account_num: np.ndarray) -> dict[str, pa.Table]:
    rng = ctx.rng("support.tables")
    cust = bl.cust
    org_of_customer = np.full(len(cust.account), -1)
    org_id = 100000 + np.argsort(np.argsort(sp.o_created, kind="stable"), kind="stable") + 1
    org_of_customer[sp.o_customer] = org_id
    acct = cust.account[sp.o_customer]
    external = np.where((acct >= 0) & (rng.random(len(acct)) < 0.85), account_num[np.maximum(acct, 0)], -1)
    o_updated = ctx.clip(sp.o_created + np.floor(rng.uniform(0, 60, len(acct)) * DAY))
    out = {"organization": build_table(raw_contract.table("support", "organization"), {
        "id": org_id, "name": cust.name.take(pa.array(sp.o_customer)),
        "domain_names": cust.domain.take(pa.array(sp.o_customer)), "external_id": Ids("001", external),
        "created_at": sp.o_created, "updated_at": o_updated, "_fivetran_deleted": np.zeros(len(acct), dtype=bool),
        "_fivetran_synced": sync_time(rng, o_updated, ctx.horizon)})}

    nu = len(sp.u_customer)
    na = int((sp.u_customer < 0).sum())
    user_id = 200000 + np.arange(1, nu + 1)
    role = np.r_[np.zeros(na - 1), 2, np.ones(nu - na)].astype(np.int64)
    u_org = np.where(sp.u_customer >= 0, org_of_customer[np.maximum(sp.u_customer, 0)], -1)
    deleted = np.zeros(nu, dtype=bool)
    deleted[[1]] = True  # an agent who left
    deleted[pick(rng, np.arange(na, nu), few(nu - na, 0.004))] = True
    active = ~(rng.random(nu) < 0.02)
    u_updated = ctx.clip(sp.u_created + np.floor(rng.uniform(0, 30, nu) * DAY))
    phone = with_nulls(dp.phones(rng, np.zeros(nu, dtype=np.int64)), rng.random(nu) < 0.7)
    out["user"] = build_table(raw_contract.table("support", "user"), {
        "id": user_id, "name": sp.u_name, "email": sp.u_email, "phone": phone,
        "role": Cat(role, ["agent", "end-user", "admin"]), "organization_id": np.where(u_org < 0, np.nan, u_org),
        "active": active, "created_at": sp.u_created, "updated_at": u_updated, "_fivetran_deleted": deleted,
        "_fivetran_synced": sync_time(rng, u_updated, ctx.horizon)})

    n = len(sp.t_created)
    ticket_id = 1000 + np.argsort(np.argsort(sp.t_created, kind="stable"), kind="stable") + 1
    status = np.where(np.isnan(sp.t_reply), 0, np.where(np.isnan(sp.t_solved), np.where(rng.random(n) < 0.3, 2, 1),
                                                         np.where(ctx.horizon - sp.t_solved < 4 * DAY, 3, 4)))
    assignee = np.where(np.isnan(sp.t_reply) & (rng.random(n) < 0.5), -1, rng.integers(0, len(AGENTS), n))
    updated = np.fmax(np.fmax(sp.t_created, sp.t_reply), sp.t_solved)
    t_deleted = np.zeros(n, dtype=bool)
    t_deleted[pick(rng, np.arange(n), few(n, 0.002))] = True
    synced = sync_time(rng, updated, ctx.horizon)
    late = pick(rng, np.flatnonzero(updated < ctx.horizon - 8 * DAY), few(n, 0.003))
    synced[late] = updated[late] + np.floor(rng.uniform(2, 7, len(late)) * DAY)
    t_org = org_of_customer[sp.t_customer]
    out["ticket"] = build_table(raw_contract.table("support", "ticket"), {
        "id": ticket_id, "requester_id": user_id[sp.t_requester],
        "assignee_id": np.where(assignee < 0, np.nan, user_id[np.maximum(assignee, 0)]),
        "organization_id": np.where(t_org < 0, np.nan, t_org),
        "subject": Cat(rng.integers(0, len(w.TICKET_SUBJECTS), n), w.TICKET_SUBJECTS),
        "status": Cat(status, ["new", "open", "pending", "solved", "closed"]),
        "priority": Cat(np.where(rng.random(n) < 0.03, -1, sp.t_priority), PRIORITIES),
        "type": Cat(np.where(rng.random(n) < 0.05, -1, choice(rng, n, [0.5, 0.3, 0.1, 0.1])),
                    ["question", "incident", "problem", "task"]),
        "via_channel": Cat(choice(rng, n, [0.45, 0.3, 0.15, 0.1]), ["email", "web", "chat", "phone"]),
        "created_at": sp.t_created, "first_reply_at": sp.t_reply, "solved_at": sp.t_solved, "updated_at": updated,
        "_fivetran_deleted": t_deleted, "_fivetran_synced": synced})

    m = len(sp.r_ticket)
    comment_good = rng.integers(0, len(w.RATING_COMMENTS_GOOD), m)
    comment_bad = len(w.RATING_COMMENTS_GOOD) + rng.integers(0, len(w.RATING_COMMENTS_BAD), m)
    comment = np.where(sp.r_score == 2, -1, np.where(sp.r_score == 0, comment_good, comment_bad))
    comment = np.where(rng.random(m) < 0.5, -1, comment)
    out["satisfaction_rating"] = build_table(raw_contract.table("support", "satisfaction_rating"), {
        "id": 500000 + np.argsort(np.argsort(sp.r_created, kind="stable"), kind="stable") + 1,
        "ticket_id": ticket_id[sp.r_ticket], "requester_id": user_id[sp.t_requester[sp.r_ticket]],
        "score": Cat(sp.r_score, ["good", "bad", "offered"]),
        "comment": Cat(comment, w.RATING_COMMENTS_GOOD + w.RATING_COMMENTS_BAD),
        "created_at": sp.r_created, "updated_at": sp.r_created,
        "_fivetran_deleted": np.zeros(m, dtype=bool), "_fivetran_synced": sync_time(rng, sp.r_created, ctx.horizon)})
    return out
