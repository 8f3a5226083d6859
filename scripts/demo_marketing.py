"""Marketing: daily ad platform spend, anonymous visitors with their web sessions, and website form submissions.

Paid visitors come from the ad clicks of each campaign and day (paid volume follows spend); the other channels
arrive with seasonality and growth. A share of visitors submit a form during one of their sessions; the CRM
turns each submission into a lead a few minutes later (demo_crm).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import demo_words as w
import raw_contract
from demo_common import (
    DAY,
    HOUR,
    MINUTE,
    Ctx,
    business_time_of_day,
    choice,
    choice_by_group,
    expand,
    few,
    group_cumsum,
    seasonality,
)
from demo_io import Cat, Ids, build_table, words

CHANNELS = ["paid_search", "paid_social_meta", "paid_social_linkedin", "organic_search", "referral", "direct",
            "email", "partner"]
LEAD_SOURCE_OF_CHANNEL = [1, 2, 2, 3, 4, 0, 8, 5]  # index into demo_crm.LEAD_SOURCES
UNPAID_PER_DAY = {3: 17.0, 4: 6.0, 5: 10.5, 6: 4.0, 7: 3.0}  # visitors per day at scale 1, before season/growth
FORM_RATE = np.array([0.087, 0.058, 0.096, 0.067, 0.115, 0.077, 0.096, 0.154])
FORM_MIX = np.array([  # demo_request, free_trial, ebook_download, webinar_registration, contact_us
    [0.35, 0.30, 0.15, 0.10, 0.10], [0.10, 0.20, 0.45, 0.20, 0.05], [0.30, 0.10, 0.30, 0.25, 0.05],
    [0.25, 0.30, 0.25, 0.10, 0.10], [0.40, 0.30, 0.10, 0.10, 0.10], [0.40, 0.25, 0.05, 0.10, 0.20],
    [0.20, 0.10, 0.30, 0.35, 0.05], [0.55, 0.20, 0.05, 0.10, 0.10]])

# platform, ad account, campaign id, name, currency, budget per day at scale 1, cpc, ctr, active window (fractions)
CAMPAIGNS = [
    ("google_ads", "482-193-7710", "1893400101", "Brand Search", "USD", 45.0, 2.2, 0.09, 0.0, 1.0),
    ("google_ads", "482-193-7710", "1893400102", "Competitor Search", "USD", 55.0, 6.5, 0.035, 0.0, 1.0),
    ("google_ads", "482-193-7710", "1893400103", "Generic RevOps Search", "USD", 95.0, 4.8, 0.04, 0.0, 1.0),
    ("google_ads", "482-193-7710", "1893400104", "Performance Max Test", "USD", 60.0, 3.5, 0.02, 0.3, 0.5),
    ("meta_ads", "act_10203040", "23850000000001", "Prospecting Lookalike", "EUR", 30.0, 1.9, 0.011, 0.0, 1.0),
    ("meta_ads", "act_10203040", "23850000000002", "Retargeting Website Visitors", "EUR", 14.0, 1.2, 0.02, 0.0, 1.0),
    ("meta_ads", "act_10203040", "23850000000003", "RevOps Playbook Ebook", "EUR", 22.0, 2.2, 0.012, 0.55, 0.85),
    ("linkedin_ads", "508123456", "512000001", "ABM Enterprise", "GBP", 48.0, 8.5, 0.005, 0.0, 1.0),
    ("linkedin_ads", "508123456", "512000002", "Lead Gen Mid Market", "GBP", 32.0, 6.0, 0.006, 0.1, 1.0),
    ("linkedin_ads", "508123456", "512000003", "Webinar Promotion", "GBP", 18.0, 5.0, 0.007, 0.15, 0.35),
]
PLATFORM_CHANNEL = {"google_ads": 0, "meta_ads": 1, "linkedin_ads": 2}
UTM_SOURCES = ["google", "facebook", "instagram", "linkedin", "newsletter", "hubspot", *w.PARTNERS]
UTM_MEDIUMS = ["cpc", "paid_social", "email", "partner"]
UTM_CAMPAIGNS = [c[3].lower() for c in CAMPAIGNS] + w.EMAIL_CAMPAIGNS + ["partner program"]
REFERRER_HOSTS = ["google.com", "bing.com", "facebook.com", "instagram.com", "linkedin.com", *w.REFERRERS,
                  *[p + ".com" for p in w.PARTNERS]]
_PAGE_GROUPS = [[1, 2, 13, 14], [1, 13, 10], [2, 13, 5], [0, 7, 8, 9, 5, 6], [0, 6, 4], [0, 1, 4, 2],
                [11, 10, 9, 8], [15, 12, 0]]
PAGE_PROBS = np.array([[1.0 if p in g else 0.02 for p in range(len(w.LANDING_PAGES))] for g in _PAGE_GROUPS])


@dataclass
class Marketing:
    ad: dict  # ad_spend rows: day, camp, spend (cents), impressions, clicks, loaded
    v_anon: np.ndarray  # visitor number -> scrambled cookie number
    v_country: np.ndarray
    s_visitor: np.ndarray  # sessions, in chronological order of their ids
    s_time: np.ndarray
    s_channel: np.ndarray
    s_campaign: np.ndarray  # ad campaign (paid), email campaign (email), partner (partner), else -1
    sub_session: np.ndarray  # form submissions: the session they happened in
    sub_time: np.ndarray
    sub_form: np.ndarray
    sub_repeat_of: np.ndarray  # earlier submission of the same visitor (a second form), else -1
    tags: dict | None = None  # per-session referrer, UTM, page, device, country codes and load time

    @property
    def sub_channel(self) -> np.ndarray:
        return self.s_channel[self.sub_session]


def simulate_ad_spend(ctx: Ctx) -> dict:
    rng = ctx.rng("marketing.ad_spend")
    days = ctx.days
    base = seasonality(days + 12 * HOUR) * ctx.growth(days)
    parts = []
    for i, (_, _, _, _, _, budget, cpc, ctr, lo, hi) in enumerate(CAMPAIGNS):
        f = ctx.frac(days)
        d = days[(f >= lo) & (f <= hi)]
        n = len(d)
        spend = np.round(budget * ctx.scale * base[(f >= lo) & (f <= hi)] * np.exp(rng.normal(0, 0.25, n)) * 100)
        spend = np.maximum(spend, 1.0)
        clicks = rng.poisson(spend / 100.0 / (cpc * np.exp(rng.normal(0, 0.15, n))))
        impressions = np.maximum(clicks, np.round(clicks / (ctr * np.exp(rng.normal(0, 0.2, n))) + rng.poisson(30, n)))
        loaded = ctx.clip(d + DAY + 3 * HOUR + np.floor(rng.uniform(0, 40 * MINUTE, n)))
        parts.append(dict(day=d, camp=np.full(n, i), spend=spend, impressions=impressions, clicks=clicks,
                          loaded=loaded))
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def simulate(ctx: Ctx) -> Marketing:
    rng = ctx.rng("marketing.visitors")
    ad = simulate_ad_spend(ctx)
    # Visitors: paid ones from the ad clicks, the others per channel and day.
    paid_n = rng.binomial(ad["clicks"].astype(np.int64), 0.45)
    row, _ = expand(paid_n)
    v_day = [ad["day"][row]]
    v_channel = [np.array([PLATFORM_CHANNEL[c[0]] for c in CAMPAIGNS])[ad["camp"][row]]]
    v_campaign = [ad["camp"][row]]
    days = ctx.days
    base = seasonality(days + 12 * HOUR) * ctx.growth(days) * ctx.scale
    for ch, per_day in UNPAID_PER_DAY.items():
        day_idx, _ = expand(rng.poisson(per_day * base))
        v_day.append(days[day_idx])
        v_channel.append(np.full(len(day_idx), ch))
        camp = {6: rng.integers(0, len(w.EMAIL_CAMPAIGNS), len(day_idx)),
                7: rng.integers(0, len(w.PARTNERS), len(day_idx))}.get(ch, np.full(len(day_idx), -1))
        v_campaign.append(camp)
    v_day, v_channel, v_campaign = (np.concatenate(x) for x in (v_day, v_channel, v_campaign))
    nv = len(v_day)
    v_t0 = v_day + business_time_of_day(rng, nv)
    v_country = choice(rng, nv, w.COUNTRY_WEIGHTS)
    v_anon = ((np.arange(nv, dtype=np.int64) + 1) * 982451653 + 7919) % 10**12

    # Sessions: the first on arrival, returns days to weeks later through other channels.
    s_visitor, pos = expand(rng.geometric(0.65, nv))
    ns = len(s_visitor)
    gap = np.where(pos == 0, 0.0, np.maximum(HOUR, np.floor(4 * DAY * np.exp(rng.normal(0, 1.3, ns)))))
    s_time = v_t0[s_visitor] + group_cumsum(gap, s_visitor)
    back = choice(rng, ns, [0.2, 0.45, 0.25, 0.10])
    s_channel = np.where(pos == 0, v_channel[s_visitor], np.array([-1, 5, 3, 6])[back])
    s_channel = np.where(s_channel < 0, v_channel[s_visitor], s_channel)
    s_campaign = np.where(s_channel == v_channel[s_visitor], v_campaign[s_visitor], -1)
    s_campaign = np.where((s_channel == 6) & (s_campaign < 0), rng.integers(0, len(w.EMAIL_CAMPAIGNS), ns), s_campaign)
    keep = s_time <= ctx.horizon
    s_visitor, s_time, s_channel, s_campaign = (x[keep] for x in (s_visitor, s_time, s_channel, s_campaign))
    order = np.lexsort((s_visitor, s_time))  # session ids follow time
    s_visitor, s_time, s_channel, s_campaign = (x[order] for x in (s_visitor, s_time, s_channel, s_campaign))

    # Form submissions: a share of visitors give their email during one of their sessions.
    rng = ctx.rng("marketing.forms")
    n_kept = np.bincount(s_visitor, minlength=nv)
    by_visitor = np.lexsort((s_time, s_visitor))  # sessions grouped per visitor, in time order
    first_of = np.cumsum(n_kept) - n_kept
    p = FORM_RATE[v_channel] * (0.7 + 0.3 * np.minimum(n_kept, 4))
    submitters = np.flatnonzero((n_kept > 0) & (rng.random(nv) < p))
    k = rng.integers(0, np.maximum(n_kept[submitters], 1))
    sub_session = by_visitor[first_of[submitters] + k]
    later = np.flatnonzero(k < n_kept[submitters] - 1)
    again = later[rng.random(len(later)) < 0.012]
    if len(again) < 2:
        again = later[:2]
    k2 = k[again] + 1 + rng.integers(0, n_kept[submitters[again]] - k[again] - 1)
    sub_session = np.concatenate([sub_session, by_visitor[first_of[submitters[again]] + k2]])
    repeat_of = np.concatenate([np.full(len(submitters), -1), again])
    sub_time = ctx.clip(s_time[sub_session] + np.floor(rng.uniform(MINUTE, 25 * MINUTE, len(sub_session))))
    sub_form = choice_by_group(rng, s_channel[sub_session], FORM_MIX)
    mk = Marketing(ad, v_anon, v_country, s_visitor, s_time, s_channel, s_campaign, sub_session, sub_time,
                   sub_form, repeat_of)
    mk.tags = _session_tags(ctx, mk)
    return mk


def _session_tags(ctx: Ctx, mk: Marketing) -> dict:
    """Referrer, UTM tags, page, device and country codes of every session (one stream, drawn once)."""
    rng = ctx.rng("marketing.session_tags")
    ch, camp = mk.s_channel, mk.s_campaign
    n = len(ch)
    social = np.where(rng.random(n) < 0.7, 1, 2)
    src = np.select([ch == 0, ch == 1, ch == 2, ch == 6, ch == 7],
                    [0, social, 3, 4 + (rng.random(n) < 0.4), 6 + np.maximum(camp, 0)], -1)
    medium = np.select([ch == 0, (ch == 1) | (ch == 2), ch == 6, ch == 7], [0, 1, 2, 3], -1)
    ncamp = len(CAMPAIGNS)
    utm_campaign = np.select([ch <= 2, ch == 6, ch == 7], [camp, ncamp + np.maximum(camp, 0), len(UTM_CAMPAIGNS) - 1],
                             -1)
    organic = np.where(rng.random(n) < 0.85, 0, 1)
    ref = np.select([ch == 0, ch == 1, ch == 2, ch == 3, ch == 4, ch == 7],
                    [np.where(rng.random(n) < 0.7, 0, -1), social + 1, 4, organic,
                     5 + rng.integers(0, len(w.REFERRERS), n), 5 + len(w.REFERRERS) + np.maximum(camp, 0)], -1)
    term = np.where(ch == 0, rng.integers(0, len(w.SEARCH_TERMS), n), -1)
    content = np.where((ch <= 2) & (rng.random(n) < 0.7), rng.integers(0, 3, n), -1)
    page = choice_by_group(rng, ch, PAGE_PROBS)
    device = choice(rng, n, [0.68, 0.27, 0.05])
    country = np.where(rng.random(n) < 0.07, -1, mk.v_country[mk.s_visitor])
    loaded = mk.s_time + np.floor(rng.uniform(20 * MINUTE, 3 * HOUR, n))
    late = rng.random(n) < 0.005
    loaded = ctx.clip(np.where(late, loaded + np.floor(rng.uniform(2 * DAY, 9 * DAY, n)), loaded))
    return dict(src=src, medium=medium, campaign=utm_campaign, ref=ref, term=term, content=content, page=page,
                device=device, country=country, loaded=loaded)


def ad_spend_table(mk: Marketing) -> pa.Table:
    ad, camp = mk.ad, mk.ad["camp"]
    col = [np.array([c[j] for c in CAMPAIGNS]) for j in range(5)]
    return build_table(raw_contract.table("marketing", "ad_spend"), {
        "date_day": ad["day"], "platform": col[0][camp], "ad_account_id": col[1][camp], "campaign_id": col[2][camp],
        "campaign_name": col[3][camp], "spend": ad["spend"], "currency": col[4][camp],
        "impressions": ad["impressions"], "clicks": ad["clicks"], "_loaded_at": ad["loaded"]})


def web_session_parts(ctx: Ctx, mk: Marketing, chunk: int = 1_000_000):
    """The web_sessions table in id order, in parts; a few sessions are extracted twice (a later copy)."""
    tags = mk.tags
    rng = ctx.rng("marketing.session_dirt")
    n = len(mk.s_time)
    dup = rng.choice(np.flatnonzero(mk.s_time < ctx.horizon - 6 * DAY), size=min(few(n, 0.0005, 3), n), replace=False)
    src = np.sort(np.concatenate([np.arange(n), dup]), kind="stable")
    copy = np.r_[False, src[1:] == src[:-1]]
    extra = np.floor(rng.uniform(HOUR, 3 * DAY, len(src)))
    contract = raw_contract.table("marketing", "web_sessions")
    for lo in range(0, max(len(src), 1), chunk):
        i, c = src[lo:lo + chunk], copy[lo:lo + chunk]
        loaded = np.where(c, ctx.clip(tags["loaded"][i] + extra[lo:lo + chunk]), tags["loaded"][i])
        yield build_table(contract, {
            "session_id": Ids("ses_", i + 1, 12), "anonymous_id": Ids("anon_", mk.v_anon[mk.s_visitor[i]], 12),
            "session_started_at": mk.s_time[i], "landing_page": Cat(tags["page"][i], w.LANDING_PAGES),
            "referrer": Cat(tags["ref"][i], REFERRER_HOSTS), "utm_source": Cat(tags["src"][i], UTM_SOURCES),
            "utm_medium": Cat(tags["medium"][i], UTM_MEDIUMS), "utm_campaign": Cat(tags["campaign"][i], UTM_CAMPAIGNS),
            "utm_content": Cat(tags["content"][i], ["ad_a", "ad_b", "ad_c"]),
            "utm_term": Cat(tags["term"][i], w.SEARCH_TERMS),
            "device_type": Cat(tags["device"][i], ["desktop", "mobile", "tablet"]),
            "country_code": Cat(tags["country"][i], w.COUNTRIES), "_loaded_at": loaded}, sort=False)


def lead_utm(ctx: Ctx, mk: Marketing) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """utm_source, utm_medium and utm_campaign codes of each submission's session (copied onto the lead)."""
    tags, s = mk.tags, mk.sub_session
    return tags["src"][s], tags["medium"][s], tags["campaign"][s]


def form_submissions_table(ctx: Ctx, mk: Marketing, typed_email: pa.Array, people, company_name: pa.Array,
                           sub_person: np.ndarray) -> pa.Table:
    """Form submissions; people/company_name are indexed by sub_person (the person who typed the form)."""
    rng = ctx.rng("marketing.form_rows")
    n = len(mk.sub_time)
    sub_id = np.argsort(np.argsort(mk.sub_time, kind="stable"), kind="stable") + 1
    idx = pa.array(sub_person)
    company = _null_where(company_name.take(idx), pa.array(rng.random(n) < 0.12))
    phone = _null_where(people.phone.take(idx), pa.array(rng.random(n) < 0.65))
    return build_table(raw_contract.table("marketing", "form_submissions"), {
        "submission_id": Ids("fs_", sub_id, 10),
        "anonymous_id": Ids("anon_", mk.v_anon[mk.s_visitor[mk.sub_session]], 12),
        "submitted_at": mk.sub_time, "form_name": Cat(mk.sub_form, w.FORMS), "email": typed_email,
        "first_name": people.first_name.take(idx), "last_name": people.last_name.take(idx), "company_name": company,
        "phone": phone, "page_url": words(w.FORM_PAGES, mk.sub_form),
        "_loaded_at": ctx.clip(mk.sub_time + np.floor(rng.uniform(10 * MINUTE, 2 * HOUR, n)))})


def _null_where(arr: pa.Array, mask: pa.Array) -> pa.Array:
    return pc.if_else(mask, pa.scalar(None, pa.string()), arr)
