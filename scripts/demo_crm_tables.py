"""CRM tables: users, accounts, contacts, leads, opportunities, opportunity history and campaigns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import demo_people as dp
import demo_words as w
import raw_contract
from demo_billing import Billing
from demo_common import DAY, Ctx, chrono_ids, day_floor, few, pick, sync_time
from demo_crm import LEAD_SOURCES, LEAD_STATUSES, SOURCE_OF_CHANNEL, USERS, Leads, Users
from demo_deals import FORECAST, OPP_TYPES, PROBABILITY, STAGES, NewBusiness, Opps
from demo_io import Cat, Ids, build_table, concat, with_nulls
from demo_marketing import UTM_CAMPAIGNS, UTM_MEDIUMS, UTM_SOURCES
from demo_support import Support


@dataclass
class Contacts:
    account: np.ndarray
    created: np.ndarray
    first: pa.Array
    last: pa.Array
    email: pa.Array  # as entered
    lead: np.ndarray  # converted lead of a primary contact, else -1
    num: np.ndarray
    deleted: np.ndarray


def contacts(ctx: Ctx, leads: Leads, nb: NewBusiness, bl: Billing, sp: Support) -> Contacts:
    """The converted lead's person on every account, plus up to two colleagues of each paying account."""
    rng = ctx.rng("crm.contacts")
    na = len(nb.lead)
    person = pa.array(leads.person[nb.lead])
    n_agents = int((sp.u_customer < 0).sum())
    end_user = np.arange(n_agents, len(sp.u_customer))
    acct = bl.cust.account[sp.u_customer[end_user]]
    extra = end_user[(acct >= 0) & (sp.u_rank[end_user] >= 1) & (sp.u_rank[end_user] <= 2)]
    ex = pa.array(extra - n_agents)
    email = pa.concat_arrays([leads.people.work_email.take(person), pc.utf8_lower(pc.utf8_trim_whitespace(
        sp.u_email.take(pa.array(extra))))])
    account = np.r_[np.arange(na), bl.cust.account[sp.u_customer[extra]]]
    created = np.r_[nb.created, sp.u_created[extra]]
    deleted = np.zeros(len(account), dtype=bool)
    prospects = np.flatnonzero(nb.opps.stage[:na] == 6)
    deleted[pick(rng, prospects, few(na, 0.004))] = True
    return Contacts(account, created,
                    pa.concat_arrays([leads.people.first_name.take(person), sp.u_first.take(ex)]),
                    pa.concat_arrays([leads.people.last_name.take(person), sp.u_last.take(ex)]),
                    dp.as_typed(rng, email, 0.12), np.r_[nb.lead, np.full(len(extra), -1)], chrono_ids(created),
                    deleted)


def deleted_accounts(ctx: Ctx, bl: Billing, opps: Opps, ct: Contacts, contact_deleted: np.ndarray,
                     opp_deleted: np.ndarray) -> tuple[int, int]:
    """Two accounts to delete in Salesforce: prospects whose deals were all lost, none of their rows deleted yet."""
    na = len(bl.account_type)
    clean = ((bl.account_type == 0) & (np.bincount(opps.account, minlength=na) > 0)
             & (np.bincount(ct.account, minlength=na) > 0))
    np.logical_and.at(clean, opps.account, (opps.stage == 6) & ~opp_deleted)
    np.logical_and.at(clean, ct.account, ~contact_deleted)
    candidates = np.flatnonzero(clean)
    chosen = ctx.rng("crm.deleted_accounts").choice(candidates, size=min(2, len(candidates)), replace=False)
    cascade, orphan = np.r_[chosen, -1, -1][:2]  # -1: too small a run to have one
    return int(cascade), int(orphan)


def tables(ctx: Ctx, us: Users, leads: Leads, nb: NewBusiness, bl: Billing, opps: Opps, ct: Contacts,
           calendar: dict, ids: dict) -> dict[str, pa.Table]:
    rng = ctx.rng("crm.tables")
    H = ctx.horizon
    user_num, lead_num, account_num, opp_num = ids["user"], ids["lead"], ids["account"], ids["opp"]
    out = {"user": build_table(raw_contract.table("crm", "user"), {
        "id": Ids("005", user_num), "name": np.array([u[0] for u in USERS]),
        "email": np.array([u[0].lower().replace(" ", ".") + "@" + w.VENDOR_DOMAIN for u in USERS]),
        "title": np.array([u[3] for u in USERS]), "user_role": us.role, "segment": Cat(us.segment, dp.SEGMENTS),
        "is_active": np.isnan(us.left), "created_date": us.created,
        "_fivetran_synced": sync_time(rng, np.fmax(us.created, us.left), H)})}

    # Accounts: one per converted lead; the type follows billing.
    na = len(nb.lead)
    comp = leads.companies
    person = leads.person[nb.lead]
    last = nb.created.copy()
    np.maximum.at(last, opps.account, opps.last_modified)
    sales = bl.cust.account[bl.s_customer] >= 0
    np.maximum.at(last, bl.cust.account[bl.s_customer][sales], np.fmax(bl.s_start, bl.s_end)[sales])
    domain = comp.domain.take(pa.array(person))
    style = pa.array(rng.choice(4, na, p=[0.88, 0.05, 0.03, 0.04]).astype(np.int8))
    website = pc.choose(style, concat("https://www.", domain), domain, concat("http://", domain, "/"), domain)
    website = with_nulls(website, np.asarray(style) == 3)
    account_deleted = np.zeros(na, dtype=bool)
    account_cols = {
        "id": Ids("001", account_num), "name": comp.name.take(pa.array(person)), "website": website,
        "industry": Cat(np.where(rng.random(na) < 0.08, -1, comp.industry[person]), w.INDUSTRIES),
        "billing_country": Cat(np.where(rng.random(na) < 0.04, -1, comp.country[person]), w.COUNTRIES),
        "number_of_employees": np.where(rng.random(na) < 0.06, np.nan, comp.employees[person]),
        "type": Cat(bl.account_type, ["Prospect", "Customer", "Former Customer"]),
        "account_source": Cat(SOURCE_OF_CHANNEL[leads.channel[nb.lead]], LEAD_SOURCES),
        "owner_id": Ids("005", user_num[nb.owner]), "created_date": nb.created, "last_modified_date": last,
        "is_deleted": account_deleted, "_fivetran_synced": sync_time(rng, last, H)}

    nct = len(ct.account)
    is_primary = ct.lead >= 0
    title = np.where(is_primary, leads.people.title[leads.person[np.maximum(ct.lead, 0)]], rng.integers(0, 14, nct))
    phone = with_nulls(dp.phones(rng, comp.country[person][ct.account]), rng.random(nct) < 0.55)
    contact_deleted = ct.deleted.copy()
    contact_cols = {
        "id": Ids("003", ct.num), "account_id": Ids("001", account_num[ct.account]), "first_name": ct.first,
        "last_name": ct.last, "email": ct.email, "phone": phone,
        "title": Cat(np.where(rng.random(nct) < 0.1, -1, title), w.TITLES),
        "lead_source": Cat(np.where(is_primary, SOURCE_OF_CHANNEL[leads.channel[np.maximum(ct.lead, 0)]], -1),
                           LEAD_SOURCES),
        "owner_id": Ids("005", user_num[nb.owner[ct.account]]), "created_date": ct.created,
        "is_deleted": contact_deleted, "_fivetran_synced": sync_time(rng, ct.created, H)}

    # Leads, with the conversion's account, contact and New Business opportunity.
    nl = len(leads.created)
    conv_acc = np.full(nl, -1)
    conv_acc[nb.lead] = np.arange(na)
    converted = conv_acc >= 0
    ca = np.maximum(conv_acc, 0)
    p = leads.person
    web = leads.channel < 8
    src, medium, campaign = (np.where(web, x, -1) for x in leads.utm)
    changed = np.fmax(np.fmax(np.fmax(leads.created, leads.mql), np.fmax(leads.touch, leads.sql)), leads.conv)
    out["lead"] = build_table(raw_contract.table("crm", "lead"), {
        "id": Ids("00Q", lead_num), "first_name": leads.people.first_name.take(pa.array(p)),
        "last_name": leads.people.last_name.take(pa.array(p)), "email": leads.typed_email,
        "phone": with_nulls(leads.people.phone.take(pa.array(p)), rng.random(nl) < 0.6),
        "company": comp.name.take(pa.array(p)),
        "title": Cat(np.where(rng.random(nl) < 0.2, -1, leads.people.title[p]), w.TITLES),
        "status": Cat(leads.status, LEAD_STATUSES), "lead_source": Cat(SOURCE_OF_CHANNEL[leads.channel], LEAD_SOURCES),
        "utm_source__c": Cat(src, UTM_SOURCES), "utm_medium__c": Cat(medium, UTM_MEDIUMS),
        "utm_campaign__c": Cat(campaign, UTM_CAMPAIGNS),
        "country": Cat(np.where(rng.random(nl) < 0.05, -1, comp.country[p]), w.COUNTRIES),
        "number_of_employees": np.where(rng.random(nl) < 0.3, np.nan, comp.employees[p]),
        "owner_id": Ids("005", user_num[leads.owner]), "created_date": leads.created, "mql_date__c": leads.mql,
        "sql_date__c": leads.sql, "is_converted": converted,
        "converted_date": np.where(converted, day_floor(leads.conv), np.nan),
        "converted_account_id": Ids("001", np.where(converted, account_num[ca], -1)),
        "converted_contact_id": Ids("003", np.where(converted, ct.num[ca], -1)),
        "converted_opportunity_id": Ids("006", np.where(converted, opp_num[ca], -1)),
        "is_deleted": leads.deleted, "_fivetran_synced": sync_time(rng, changed, H)})

    # Opportunities and their history.
    no = len(opps.created)
    company = comp.name.take(pa.array(person[opps.account]))
    deleted = np.zeros(no, dtype=bool)
    deleted[pick(rng, np.flatnonzero(opps.stage == 6), few(no, 0.004))] = True
    # Two lost prospects deleted in Salesforce: one with the cascade to its contacts and opportunities, one
    # whose opportunity the export still has alive (inconsistent, as exports sometimes are).
    cascade, orphan = deleted_accounts(ctx, bl, opps, ct, contact_deleted, deleted)
    account_deleted[[a for a in (cascade, orphan) if a >= 0]] = True
    if cascade >= 0:
        contact_deleted[ct.account == cascade] = True
        deleted[opps.account == cascade] = True
    out["account"] = build_table(raw_contract.table("crm", "account"), account_cols)
    out["contact"] = build_table(raw_contract.table("crm", "contact"), contact_cols)
    kind_src = np.where(opps.kind == 0, SOURCE_OF_CHANNEL[leads.channel[nb.lead[opps.account]]], -1)
    out["opportunity"] = build_table(raw_contract.table("crm", "opportunity"), {
        "id": Ids("006", opp_num), "account_id": Ids("001", account_num[opps.account]),
        "name": concat(company, " - ", pc.take(pa.array(OPP_TYPES), pa.array(opps.kind))),
        "type": Cat(opps.kind, OPP_TYPES), "stage_name": Cat(opps.stage - 1, STAGES), "amount": opps.amount,
        "currency_iso_code": Cat(opps.currency, ["USD", "EUR", "GBP"]), "probability": PROBABILITY[opps.stage],
        "forecast_category": Cat(opps.stage, FORECAST), "lead_source": Cat(kind_src, LEAD_SOURCES),
        "owner_id": Ids("005", user_num[opps.owner]), "created_date": opps.created, "close_date": opps.close_date,
        "is_closed": opps.closed, "is_won": opps.won, "last_modified_date": opps.last_modified,
        "is_deleted": deleted, "_fivetran_synced": sync_time(rng, opps.last_modified, H)})

    nh = len(opps.row_opp)
    synced = sync_time(rng, opps.row_time, H)
    late = pick(rng, np.flatnonzero(opps.row_time < H - 8 * DAY), few(nh, 0.002))
    synced[late] = opps.row_time[late] + np.floor(rng.uniform(2, 7, len(late)) * DAY)
    out["opportunity_history"] = build_table(raw_contract.table("crm", "opportunity_history"), {
        "id": Ids("008", chrono_ids(opps.row_time, opp_num[opps.row_opp])),
        "opportunity_id": Ids("006", opp_num[opps.row_opp]), "stage_name": Cat(opps.row_stage - 1, STAGES),
        "amount": opps.row_amount, "probability": PROBABILITY[opps.row_stage], "close_date": opps.row_close,
        "created_by_id": Ids("005", user_num[opps.owner[opps.row_opp]]), "created_date": opps.row_time,
        "is_deleted": np.zeros(nh, dtype=bool), "_fivetran_synced": synced})

    nc = len(calendar["start"])
    status = np.where(calendar["end"] < ctx.end, 2, 1)
    out["campaign"] = build_table(raw_contract.table("crm", "campaign"), {
        "id": Ids("701", ids["campaign"]), "name": calendar["name"], "type": calendar["type"],
        "status": Cat(status, ["Planned", "In Progress", "Completed"]), "start_date": calendar["start"],
        "end_date": calendar["end"], "is_deleted": np.zeros(nc, dtype=bool),
        "_fivetran_synced": sync_time(rng, np.minimum(np.fmax(calendar["start"], calendar["end"]), H), H)})
    return out
