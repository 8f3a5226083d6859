"""CRM part one: Salesforce users, the campaign calendar, and leads with their MQL / SQL / conversion funnel.

Web leads come from form submissions (demo_marketing) a few minutes after the form; event leads after trade
shows; outbound leads are created by SDRs. Lead quality, speed-to-lead and conversion depend on the channel,
the company's size segment and the SDR. A converted lead creates an account, a contact and an opportunity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

import demo_people as dp
from demo_common import (
    DAY,
    HOUR,
    MINUTE,
    Ctx,
    business_time_of_day,
    choice_by_group,
    expand,
    few,
    lognormal,
    pick,
    pick_eligible,
    seasonality,
    weekday,
)
from demo_marketing import LEAD_SOURCE_OF_CHANNEL, Marketing, lead_utm

LEAD_SOURCES = ["Web", "Paid Search", "Paid Social", "Organic Search", "Referral", "Partner", "Event", "Outbound",
                "Email"]
LEAD_STATUSES = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]
EVENT, OUTBOUND = 8, 9  # lead channels after the eight web channels of demo_marketing.CHANNELS
SOURCE_OF_CHANNEL = np.array(LEAD_SOURCE_OF_CHANNEL + [6, 7])
SEG_MIX = np.array([[0.6, 0.3, 0.1], [0.75, 0.2, 0.05], [0.25, 0.4, 0.35], [0.6, 0.3, 0.1], [0.45, 0.35, 0.2],
                    [0.55, 0.3, 0.15], [0.55, 0.3, 0.15], [0.35, 0.4, 0.25], [0.3, 0.4, 0.3], [0.2, 0.4, 0.4]])
MQL_RATE = np.array([0.45, 0.30, 0.60, 0.45, 0.65, 0.50, 0.40, 0.70, 0.55, 0.35])
SQL_RATE = np.array([0.40, 0.26, 0.48, 0.40, 0.55, 0.44, 0.32, 0.58, 0.40, 0.42])
FORM_MQL = np.array([1.5, 1.15, 0.5, 0.7, 1.25, 1.0])  # by form; last: no form (event, outbound)
MQL_DELAY_HOURS = np.array([0.5, 2.0, 30.0, 48.0, 1.0, 24.0])

# name, role, segment, title, joined (fraction of the period; < 0 before it), left (fraction or None), speed
USERS = [
    ("Maya Lindqvist", "manager", "enterprise", "VP Sales", -1, None, 1.0),
    ("Daniel Okafor", "manager", "smb", "Sales Manager SMB", -1, None, 1.0),
    ("Claire Dubois", "manager", "mid_market", "Sales Manager Mid-Market", -1, None, 1.0),
    ("Priya Raman", "sdr", "smb", "Sales Development Rep", -1, None, 0.6),
    ("Tom Becker", "sdr", "smb", "Sales Development Rep", -1, None, 1.0),
    ("Lucia Costa", "sdr", "mid_market", "Sales Development Rep", -1, None, 1.4),
    ("Jonas Visser", "sdr", "enterprise", "Senior SDR", -1, None, 1.1),
    ("Kenji Walker", "sdr", "smb", "Sales Development Rep", -1, 0.45, 2.5),
    ("Freya Morgan", "sdr", "smb", "Sales Development Rep", 0.44, None, 0.9),
    ("Oscar Nilsson", "ae", "smb", "Account Executive", -1, None, 1.0),
    ("Grace Kim", "ae", "smb", "Account Executive", -1, 0.6, 1.0),
    ("Hugo Martin", "ae", "smb", "Account Executive", 0.58, None, 1.0),
    ("Amelia Chen", "ae", "mid_market", "Account Executive", -1, None, 1.0),
    ("Felix Schmidt", "ae", "mid_market", "Account Executive", -1, None, 1.0),
    ("Ruby Evans", "ae", "enterprise", "Enterprise Account Executive", -1, None, 1.0),
    ("Samuel Rossi", "ae", "enterprise", "Enterprise Account Executive", -1, None, 1.0),
]


@dataclass
class Users:
    role: np.ndarray
    segment: np.ndarray  # 0 smb, 1 mid_market, 2 enterprise
    created: np.ndarray
    left: np.ndarray  # NaN while employed
    speed: np.ndarray

    def owner(self, rng: np.random.Generator, role: str, segment: np.ndarray, at: np.ndarray) -> np.ndarray:
        """A rep of the role covering the segment who worked here at the time (any such rep if none covers it)."""
        employed = (self.created[None, :] <= at[:, None]) & ~(self.left[None, :] <= at[:, None])
        fits = employed & (self.role == role)[None, :]
        best = pick_eligible(rng, fits & (self.segment[None, :] == np.asarray(segment)[:, None]))
        return np.where(best >= 0, best, pick_eligible(rng, fits))


def users(ctx: Ctx) -> Users:
    rng = ctx.rng("crm.users")
    joined = np.array([u[4] for u in USERS], dtype=np.float64)
    created = np.where(joined < 0, ctx.start - np.floor(rng.uniform(60, 700, len(USERS))) * DAY,
                       np.array([ctx.at(max(j, 0)) for j in joined])) + 9 * HOUR
    left = np.array([np.nan if u[5] is None else ctx.at(u[5]) + 17 * HOUR for u in USERS])
    return Users(np.array([u[1] for u in USERS]), np.array([dp.SEGMENTS.index(u[2]) for u in USERS]), created, left,
                 np.array([u[6] for u in USERS]))


def campaign_calendar(ctx: Ctx) -> dict:
    """Salesforce campaigns: quarterly webinars and newsletters, trade shows, always-on paid programs, ebooks."""
    rows = []
    for q in range(0, 40):
        day = ctx.start + (q * 91 + 40) * DAY
        if day > ctx.end:
            break
        iso = str(np.datetime64(int(day), "s"))
        year, quarter = iso[:4], (int(iso[5:7]) - 1) // 3 + 1
        rows.append((f"Webinar: RevOps Metrics That Matter Q{quarter} {year}", "Webinar", day, day))
        rows.append((f"Newsletter {year}-Q{quarter}", "Email", day - 40 * DAY, min(day + 50 * DAY, ctx.end)))
    shows = ["RevOps Summit London", "SaaS Growth Expo Berlin", "Pipeline Conference Austin", "B2B Forum Amsterdam"]
    for k in range(0, 20):
        day = ctx.start + (110 + k * 150) * DAY
        if day + 2 * DAY > ctx.end:
            break
        rows.append((f"{shows[k % 4]} {str(np.datetime64(int(day), 's'))[:4]}", "Event", day, day + 2 * DAY))
    rows += [("Google Ads - Always On", "Paid Search", ctx.start, np.nan),
             ("Meta Ads - Prospecting", "Paid Social", ctx.start, np.nan),
             ("LinkedIn Ads - ABM", "Paid Social", ctx.start, np.nan),
             ("Ebook: The RevOps Playbook", "Content", ctx.at(0.1), ctx.at(0.1) + 180 * DAY),
             ("Ebook: Forecasting Without Spreadsheets", "Content", ctx.at(0.55), np.nan)]
    start = np.array([r[2] for r in rows])
    end = np.minimum(np.array([r[3] for r in rows], dtype=np.float64), ctx.end)
    return dict(name=np.array([r[0] for r in rows]), type=np.array([r[1] for r in rows]), start=start, end=end)


@dataclass
class Leads:
    created: np.ndarray
    channel: np.ndarray  # 0..7 web channels, 8 event, 9 outbound
    form: np.ndarray  # -1 when no form
    submission: np.ndarray  # form submission index, -1 when none
    event_campaign: np.ndarray  # campaign calendar row of an event lead, else -1
    dup_of: np.ndarray  # the earlier lead of the same person, else -1
    person: np.ndarray  # row in people / companies
    typed_email: pa.Array
    owner: np.ndarray
    mql: np.ndarray
    touch: np.ndarray  # the SDR's first touch, NaN if never worked
    sql: np.ndarray
    conv: np.ndarray
    status: np.ndarray
    deleted: np.ndarray
    utm: tuple
    companies: dp.Companies
    people: dp.People

    @property
    def segment(self) -> np.ndarray:
        return self.companies.segment[self.person]


def simulate_leads(ctx: Ctx, mk: Marketing, us: Users, calendar: dict) -> Leads:
    rng = ctx.rng("crm.leads")
    n_web = len(mk.sub_time)
    ev_rows = np.flatnonzero(calendar["type"] == "Event")
    ev_parent, _ = expand(rng.poisson(90 * ctx.scale, len(ev_rows)))
    ev_time = calendar["start"][ev_rows][ev_parent] + np.floor(rng.uniform(1, 5, len(ev_parent))) * DAY \
        + business_time_of_day(rng, len(ev_parent))
    days = ctx.days
    out_day, _ = expand(rng.poisson(0.9 * ctx.scale * ctx.growth(days) * np.minimum(seasonality(days), 1.0)
                                    * (weekday(days) < 5)))
    out_time = days[out_day] + business_time_of_day(rng, len(out_day))
    web_time = ctx.clip(mk.sub_time + np.floor(rng.uniform(MINUTE, 10 * MINUTE, n_web)))
    created = np.concatenate([web_time, ev_time, out_time])
    keep = created <= ctx.horizon
    keep[:n_web] = True
    channel = np.concatenate([mk.sub_channel, np.full(len(ev_time), EVENT), np.full(len(out_time), OUTBOUND)])[keep]
    created = created[keep]
    n = len(created)
    form = np.r_[mk.sub_form, np.full(n - n_web, -1)]
    submission = np.r_[np.arange(n_web), np.full(n - n_web, -1)]
    event_campaign = np.r_[np.full(n_web, -1), ev_rows[ev_parent], np.full(len(out_time), -1)][keep]
    dup_of = np.r_[mk.sub_repeat_of, np.full(n - n_web, -1)]
    is_dup = dup_of >= 0

    # People and their companies: one company per person; a duplicate lead is the same person again.
    primary = np.flatnonzero(~is_dup)
    person = np.zeros(n, dtype=np.int64)
    person[primary] = np.arange(len(primary))
    person[is_dup] = person[dup_of[is_dup]]
    visitor_country = np.r_[mk.v_country[mk.s_visitor[mk.sub_session]], np.full(n - n_web, -1)]
    segment = choice_by_group(rng, channel[primary], SEG_MIX)
    comp = dp.companies(rng, np.arange(len(primary)), segment, visitor_country[primary])
    ppl = dp.people(rng, np.arange(len(primary)), comp.domain, comp.country,
                    np.where(channel[primary] < EVENT, 0.12, 0.03))
    email = ppl.email.take(pa.array(person))
    typed = dp.as_typed(rng, email, np.where(is_dup, 1.0, np.where(channel < EVENT, 0.1, 0.04)),
                        np.where(is_dup, 0.5, np.where(channel < EVENT, 0.03, 0.0)))

    # Funnel: MQL, the SDR's first touch (speed-to-lead), SQL, conversion; censored at the horizon.
    seg = comp.segment[person]
    owner = us.owner(rng, "sdr", seg, created)
    fcode = np.where(form < 0, 5, form)
    p_mql = np.clip(MQL_RATE[channel] * FORM_MQL[fcode] * np.array([0.95, 1.0, 1.1])[seg], 0, 0.95) * ~is_dup
    mql = created + lognormal(rng, MQL_DELAY_HOURS[fcode] * HOUR, 0.8, n)
    never_worked = rng.random(n) < 0.08
    speed = us.speed[owner] * np.where((form == 0) | (form == 4), 0.35, 1.0) * np.where(channel == OUTBOUND, 0.3, 1.0)
    touch = mql + lognormal(rng, 5 * HOUR * speed, 1.0, n)
    sql = touch + lognormal(rng, 4 * DAY, 0.6, n)
    conv = sql + lognormal(rng, 1 * DAY, 0.7, n)
    is_mql = (rng.random(n) < p_mql) & (mql <= ctx.horizon)
    touch = np.where(is_mql & ~never_worked & (touch <= ctx.horizon), touch, np.nan)
    is_sql = (rng.random(n) < SQL_RATE[channel] * np.array([1.0, 0.95, 0.9])[seg]) & (sql <= ctx.horizon)
    sql = np.where(is_sql & ~np.isnan(touch), sql, np.nan)
    conv = np.where((rng.random(n) < 0.88) & ~np.isnan(sql) & (conv <= ctx.horizon), conv, np.nan)
    mql = np.where(is_mql, mql, np.nan)
    age = ctx.horizon - np.fmax(np.fmax(created, touch), sql)
    status = np.select([~np.isnan(conv), ~np.isnan(touch), ~np.isnan(mql)],
                       [2, np.where(age < 50 * DAY, 1, 3), 0], np.where(age < 30 * DAY, 0, 3))
    # A few leads deleted in Salesforce (never ones that were converted or duplicated).
    clean = np.isnan(mql) & ~is_dup & ~np.isin(np.arange(n), dup_of)
    deleted = np.zeros(n, dtype=bool)
    deleted[pick(rng, np.flatnonzero(clean), few(n, 0.003))] = True
    src, medium, campaign = lead_utm(ctx, mk)
    pad = np.full(n - n_web, -1)
    utm = (np.r_[src, pad], np.r_[medium, pad], np.r_[campaign, pad])
    return Leads(created, channel, form, submission, event_campaign, dup_of, person, typed, owner, mql, touch, sql,
                 conv, status, deleted, utm, comp, ppl)

