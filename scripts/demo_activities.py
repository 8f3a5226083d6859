"""CRM activities: tasks (calls, emails) and events (meetings, demos) logged by reps, and campaign members.

SDRs work MQLs: the first touch is the speed-to-lead moment (demo_crm), then follow-ups until the lead converts
or goes cold; some MQLs are never worked. AEs log calls, emails, demos and meetings on their opportunities.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

import demo_words as w
import raw_contract
from demo_common import (
    DAY,
    HOUR,
    MINUTE,
    Ctx,
    chrono_ids,
    day_floor,
    expand,
    few,
    group_cumsum,
    lognormal,
    pick,
    sync_time,
)
from demo_crm import EVENT, Leads
from demo_crm_tables import Contacts
from demo_deals import Opps
from demo_io import Cat, Ids, build_table, render_ids, words


def _lead_activity(ctx: Ctx, leads: Leads) -> tuple[dict, dict]:
    rng = ctx.rng("crm.lead_activity")
    worked = np.flatnonzero(~np.isnan(leads.touch))
    until = np.fmin(np.where(np.isnan(leads.conv[worked]), leads.touch[worked] + 30 * DAY, leads.conv[worked]),
                    ctx.horizon)
    n_follow = rng.poisson(np.where(np.isnan(leads.sql[worked]), 1.3, 0.9))
    lead_i, pos = expand(1 + n_follow)
    gap = np.where(pos == 0, 0.0, lognormal(rng, 2 * DAY, 0.8, len(lead_i)))
    t = leads.touch[worked][lead_i] + group_cumsum(gap, lead_i)
    keep = t <= until[lead_i]
    lead_i, t = lead_i[keep], t[keep]
    # Some worked leads have a next step planned but not done yet.
    todo = np.flatnonzero(rng.random(len(worked)) < 0.12)
    due = day_floor(leads.touch[worked][todo] + rng.uniform(1, 4, len(todo)) * DAY)
    ok = due <= ctx.end
    todo, due = todo[ok], due[ok]
    created = np.r_[t, leads.touch[worked][todo] + HOUR]
    tasks = dict(who=worked[np.r_[lead_i, todo]], what=np.full(len(created), -1), account=np.full(len(created), -1),
                 completed=np.r_[t, np.full(len(todo), np.nan)], activity_date=np.r_[day_floor(t), due],
                 created=ctx.clip(created), subject=rng.integers(0, len(w.TASK_SUBJECTS_LEAD), len(created)),
                 owner=leads.owner[worked[np.r_[lead_i, todo]]])
    # The qualification meeting just before a lead becomes an SQL.
    q = np.flatnonzero(~np.isnan(leads.sql))
    start = np.maximum(leads.touch[q] + HOUR, leads.sql[q] - np.floor(rng.uniform(2 * HOUR, DAY, len(q))))
    start = np.minimum(start, leads.sql[q])
    events = dict(who=q, what=np.full(len(q), -1), account=np.full(len(q), -1), start=start, end=start + 30 * MINUTE,
                  created=np.maximum(leads.touch[q], start - np.floor(rng.uniform(1, 3, len(q)) * DAY)),
                  kind=np.zeros(len(q), dtype=np.int64), subject=np.zeros(len(q), dtype=np.int64),
                  owner=leads.owner[q])
    keep = events["end"] <= ctx.horizon
    return tasks, {k: v[keep] for k, v in events.items()}


def _opp_activity(ctx: Ctx, opps: Opps) -> tuple[dict, dict]:
    rng = ctx.rng("crm.opp_activity")
    no = len(opps.created)
    rows_per = np.bincount(opps.row_opp, minlength=no)
    opp_i, _ = expand(rng.poisson(0.6 + 0.6 * rows_per))
    t = np.floor(opps.created[opp_i] + rng.random(len(opp_i)) * (opps.last_modified[opp_i] - opps.created[opp_i]))
    open_ = np.flatnonzero(~opps.closed & (rng.random(no) < 0.35))
    due = day_floor(ctx.end - rng.uniform(0, 5, len(open_)) * DAY)
    todo_created = np.maximum(opps.created[open_], ctx.horizon - rng.uniform(5, 9, len(open_)) * DAY)
    tasks = dict(who=np.r_[opp_i, open_], what=np.r_[opp_i, open_], account=np.r_[opp_i, open_],
                 completed=np.r_[t, np.full(len(open_), np.nan)],
                 activity_date=np.r_[day_floor(t), np.maximum(due, day_floor(todo_created))],
                 created=np.r_[t, todo_created], subject=rng.integers(0, len(w.TASK_SUBJECTS_OPP), len(t) + len(open_)),
                 owner=opps.owner[np.r_[opp_i, open_]])
    # A demo when a deal reaches Demo, a meeting at Proposal and Negotiation.
    r = np.flatnonzero((opps.row_stage >= 2) & (opps.row_stage <= 4))
    nxt = np.r_[opps.row_time[1:], np.nan]
    same = np.r_[opps.row_opp[1:] == opps.row_opp[:-1], False]
    window = np.where(same, nxt, ctx.horizon)[r] - opps.row_time[r]
    start = opps.row_time[r] + np.floor(np.minimum(rng.uniform(HOUR, 2 * DAY, len(r)), 0.5 * window))
    end = start + np.where(opps.row_stage[r] == 2, 45, 60) * MINUTE
    created = np.maximum(opps.created[opps.row_opp[r]], start - np.floor(rng.uniform(0, 3 * DAY, len(r))))
    o = opps.row_opp[r]
    events = dict(who=o, what=o, account=o, start=start, end=end, created=created,
                  kind=np.where(opps.row_stage[r] == 2, 1, 0), subject=opps.row_stage[r] - 1, owner=opps.owner[o])
    keep = end <= ctx.horizon
    return tasks, {k: v[keep] for k, v in events.items()}


def tables(ctx: Ctx, leads: Leads, opps: Opps, ct: Contacts, calendar: dict, ids: dict) -> dict[str, pa.Table]:
    lt, le = _lead_activity(ctx, leads)
    ot, oe = _opp_activity(ctx, opps)
    rng = ctx.rng("crm.activity_tables")
    primary_contact = ct.num[:len(ids["account"])]
    nl = len(lt["created"])
    created = np.r_[lt["created"], ot["created"]]
    completed = np.r_[lt["completed"], ot["completed"]]
    n = len(created)
    deleted = np.zeros(n, dtype=bool)
    deleted[pick(rng, np.arange(n), few(n, 0.002))] = True
    out = {"task": build_table(raw_contract.table("crm", "task"), {
        "id": Ids("00T", chrono_ids(created)),
        "who_id": pa.concat_arrays([_ids("00Q", ids["lead"][lt["who"]]),
                                    _ids("003", primary_contact[opps.account[ot["who"]]])]),
        "what_id": pa.concat_arrays([_ids("006", np.full(nl, -1)), _ids("006", ids["opp"][ot["what"]])]),
        "account_id": pa.concat_arrays([_ids("001", np.full(nl, -1)),
                                        _ids("001", ids["account"][opps.account[ot["account"]]])]),
        "owner_id": Ids("005", ids["user"][np.r_[lt["owner"], ot["owner"]]]),
        "subject": pa.concat_arrays([words(w.TASK_SUBJECTS_LEAD, lt["subject"]),
                                     words(w.TASK_SUBJECTS_OPP, ot["subject"])]),
        "type": Cat(rng.integers(0, 2, n), ["Call", "Email"]),
        "status": Cat(np.isnan(completed).astype(np.int64), ["Completed", "Not Started"]),
        "activity_date": np.r_[lt["activity_date"], ot["activity_date"]], "completed_date_time": completed,
        "created_date": created, "is_deleted": deleted,
        "_fivetran_synced": sync_time(rng, np.fmax(created, completed), ctx.horizon)})}
    ne_l, ne_o = len(le["start"]), len(oe["start"])
    start = np.r_[le["start"], oe["start"]]
    e_created = np.r_[le["created"], oe["created"]]
    subjects = ["Qualification meeting", "Product demo", "Proposal review", "Negotiation call"]
    out["event"] = build_table(raw_contract.table("crm", "event"), {
        "id": Ids("00U", chrono_ids(start)),
        "who_id": pa.concat_arrays([_ids("00Q", ids["lead"][le["who"]]),
                                    _ids("003", primary_contact[opps.account[oe["who"]]])]),
        "what_id": pa.concat_arrays([_ids("006", np.full(ne_l, -1)), _ids("006", ids["opp"][oe["what"]])]),
        "account_id": pa.concat_arrays([_ids("001", np.full(ne_l, -1)),
                                        _ids("001", ids["account"][opps.account[oe["account"]]])]),
        "owner_id": Ids("005", ids["user"][np.r_[le["owner"], oe["owner"]]]),
        "subject": Cat(np.r_[le["subject"], oe["subject"]], subjects),
        "type": Cat(np.r_[le["kind"], oe["kind"]], ["Meeting", "Demo"]),
        "start_date_time": start, "end_date_time": np.r_[le["end"], oe["end"]], "created_date": e_created,
        "is_deleted": np.zeros(ne_l + ne_o, dtype=bool),
        "_fivetran_synced": sync_time(rng, np.r_[le["end"], oe["end"]], ctx.horizon)})
    out["campaign_member"] = _members(ctx, leads, ct, calendar, ids)
    return out


def _ids(prefix: str, nums: np.ndarray) -> pa.Array:
    return render_ids(prefix, np.asarray(nums, dtype=np.float64), 15)


def _members(ctx: Ctx, leads: Leads, ct: Contacts, calendar: dict, ids: dict) -> pa.Table:
    rng = ctx.rng("crm.campaign_members")
    ctype, cstart, cend = calendar["type"], calendar["start"], np.nan_to_num(calendar["end"], nan=np.inf)
    name = calendar["name"]
    parts = []

    def latest(kind: str, t: np.ndarray, require_open: bool = False, upcoming: bool = False) -> np.ndarray:
        rows = np.flatnonzero(ctype == kind)
        if upcoming:
            at = np.searchsorted(cstart[rows], day_floor(t), side="left")
            return np.where(at < len(rows), rows[np.minimum(at, len(rows) - 1)], -1)
        at = np.searchsorted(cstart[rows], t, side="right") - 1
        found = np.where(at >= 0, rows[np.maximum(at, 0)], -1)
        return np.where(require_open & (found >= 0) & (cend[np.maximum(found, 0)] < t), -1, found)

    t, form, ch = leads.created, leads.form, leads.channel
    web = np.flatnonzero(form == 3)
    parts.append((web, latest("Webinar", t[web], upcoming=True), np.where(rng.random(len(web)) < 0.55, 2, 1)))
    ebook = np.flatnonzero(form == 2)
    parts.append((ebook, latest("Content", t[ebook], require_open=True), np.full(len(ebook), 3)))
    ev = np.flatnonzero(ch == EVENT)
    parts.append((ev, leads.event_campaign[ev], np.full(len(ev), 2)))
    paid = np.flatnonzero(ch <= 2)
    paid_row = np.array([np.flatnonzero(name == n)[0] for n in
                         ("Google Ads - Always On", "Meta Ads - Prospecting", "LinkedIn Ads - ABM")])
    parts.append((paid, paid_row[ch[paid]], np.full(len(paid), 3)))
    mail = np.flatnonzero(ch == 6)
    parts.append((mail, latest("Email", t[mail], require_open=True), np.full(len(mail), 3)))
    lead = np.concatenate([p[0] for p in parts])
    camp = np.concatenate([p[1] for p in parts])
    status = np.concatenate([p[2] for p in parts])
    ok = camp >= 0
    lead, camp, status = lead[ok], camp[ok], status[ok]
    # Newsletters go to a share of the contacts that existed when they started.
    news = np.flatnonzero(ctype == "Email")
    c_camp, c_contact = [], []
    for row in news:
        eligible = np.flatnonzero(ct.created < cstart[row])
        chosen = pick(rng, eligible, int(round(0.25 * len(eligible))))
        c_camp.append(np.full(len(chosen), row))
        c_contact.append(chosen)
    empty = [np.zeros(0, np.int64)]
    c_camp, c_contact = np.concatenate(c_camp or empty), np.concatenate(c_contact or empty)
    c_status = np.where(rng.random(len(c_camp)) < 0.1, 3, 0)
    created = np.r_[t[lead], cstart[c_camp]]
    lead_day = day_floor(t[lead])
    reply_day = day_floor(np.minimum(cstart[c_camp] + rng.uniform(0, 20, len(c_camp)) * DAY, ctx.horizon))
    responded = np.r_[np.where(status == 2, np.minimum(lead_day, day_floor(cstart[camp])), lead_day),
                      np.where(c_status == 3, reply_day, np.nan)]
    st = np.r_[status, c_status]
    n = len(st)
    return build_table(raw_contract.table("crm", "campaign_member"), {
        "id": Ids("00v", chrono_ids(created, np.r_[camp, c_camp])),
        "campaign_id": Ids("701", ids["campaign"][np.r_[camp, c_camp]]),
        "lead_id": _ids("00Q", np.r_[ids["lead"][lead], np.full(len(c_camp), -1)]),
        "contact_id": _ids("003", np.r_[np.full(len(lead), -1), ct.num[c_contact]]),
        "status": Cat(st, ["Sent", "Registered", "Attended", "Responded"]), "has_responded": st > 0,
        "created_date": created, "first_responded_date": np.where(st > 0, responded, np.nan),
        "is_deleted": np.zeros(n, dtype=bool), "_fivetran_synced": sync_time(rng, created, ctx.horizon)})
