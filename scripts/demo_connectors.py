"""The demo business as an extract-load connector lands it (generate_demo_data.py --connector).

The raw contract (scripts/raw_contract.py) is the canonical shape; real companies land their
systems through Fivetran or Airbyte, whose tables look different. This module reshapes the
canonical demo tables into a connector's real tables, so that the connector adapters
(models/adapters/) can be tested on the same business: built through the adapter, every mart
must equal the canonical build.

Fivetran Stripe (schema `stripe`; tables and columns as Fivetran's connector docs and its dbt
package column lists give them, see DECISIONS.md):
- subscription_history: one row per version (`_fivetran_start`, `_fivetran_end`,
  `_fivetran_active`); a canceled subscription also has its earlier active version. No currency
  column (the adapter takes the items' currency).
- subscription_item: the item as it is now. A plan or seat change updates the item in place (one
  item per subscription, its current plan and quantity, created when the subscription started);
  its history is in invoice_line_item.
- invoice_line_item: the canonical lines (regular subscription lines, `proration` false) plus,
  for each change, the two proration lines Stripe writes: "Unused time on ..." (the old plan and
  quantity, a credit) and "Remaining time on ..." (the new ones, a charge), whose period starts
  at the change. They are put on the subscription's latest invoice created at or before the
  change (Stripe puts them on the next one; the adapter reads only the lines).
- price and product (items carry `plan_id`, the price id), coupon and subscription_discount
  (the subscription's percent off), customer and invoice (`status_transitions_paid_at`).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

STRIPE_TABLES = ("customer", "subscription_history", "subscription_item", "price", "product", "invoice",
                 "invoice_line_item", "coupon", "subscription_discount")

_STRIPE_SQL = {
    "customer": """
        select
            id, _fivetran_synced, 0::bigint as account_balance, address_country, 0::bigint as balance, created,
            currency, false as delinquent, description, email, upper(substr(md5(id), 1, 8)) as invoice_prefix,
            is_deleted, true as livemode, metadata, name, 'none' as tax_exempt
        from customer
    """,
    # the last delivery of each subscription is its current version; a canceled subscription
    # was active (not yet canceled) until it was canceled
    "subscription_history": """
        with latest as (
            select * from subscription
            qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
        ),
        versions as (
            select
                id, coalesce(canceled_at, ended_at) as _fivetran_start,
                timestamp '9999-12-31 23:59:59' as _fivetran_end,
                true as _fivetran_active, _fivetran_synced, customer_id, status, start_date, current_period_start,
                current_period_end, cancel_at_period_end, canceled_at, ended_at, created
            from latest where coalesce(canceled_at, ended_at) is not null
            union all
            select
                id, created, coalesce(canceled_at, ended_at) - interval 1 second, false, _fivetran_synced,
                customer_id, 'active', start_date, current_period_start, current_period_end, false, null, null,
                created
            from latest where coalesce(canceled_at, ended_at) is not null
            union all
            select
                id, created, timestamp '9999-12-31 23:59:59', true, _fivetran_synced, customer_id, status,
                start_date, current_period_start, current_period_end, cancel_at_period_end, canceled_at, ended_at,
                created
            from latest where coalesce(canceled_at, ended_at) is null
        )
        select
            id, _fivetran_start, _fivetran_end, _fivetran_active, _fivetran_synced, 'charge_automatically' as billing,
            start_date as billing_cycle_anchor, cancel_at_period_end, canceled_at, created, current_period_end,
            current_period_start, customer_id, ended_at, true as livemode, '{}' as metadata, start_date, status
        from versions
    """,
    "subscription_item": """
        select
            max(_fivetran_synced) as _fivetran_synced, min(created) as created, arg_min(id, created) as id,
            '{}' as metadata, arg_max(price_id, created) as plan_id, arg_max(quantity, created) as quantity,
            subscription_id
        from subscription_item
        group by subscription_id
    """,
    "price": """
        select
            price_id as id, max(_fivetran_synced) as _fivetran_synced, true as active, 'per_unit' as billing_scheme,
            min(created) as created, any_value(currency) as currency, false as is_deleted, true as livemode,
            '{}' as metadata, any_value(product_name) as nickname,
            'prod_' || substr(md5(any_value(product_name)), 1, 14) as product_id,
            any_value(plan_interval) as recurring_interval,
            any_value(plan_interval_count) as recurring_interval_count, 'licensed' as recurring_usage_type,
            'recurring' as type, any_value(unit_amount) as unit_amount,
            cast(any_value(unit_amount) as varchar) as unit_amount_decimal
        from subscription_item
        group by price_id
    """,
    "product": """
        select
            'prod_' || substr(md5(product_name), 1, 14) as id, max(_fivetran_synced) as _fivetran_synced,
            true as active, min(created) as created, false as is_deleted, true as livemode, '{}' as metadata,
            product_name as name, 'service' as type, min(created) as updated
        from subscription_item
        group by product_name
    """,
    "invoice": """
        select
            id, _fivetran_synced, total as amount_due, amount_paid, total - amount_paid as amount_remaining,
            0::bigint as attempt_count, 'charge_automatically' as billing, 'subscription_cycle' as billing_reason,
            created, currency, customer_id, false as is_deleted, true as livemode, '{}' as metadata, number,
            status = 'paid' as paid, period_end, period_start, status, paid_at as status_transitions_paid_at,
            subscription_id, subtotal, 0::bigint as tax, total
        from invoice
    """,
    "coupon": """
        select distinct
            'coupon_' || cast(cast(discount_percent_off as integer) as varchar) || '_off' as id,
            cast(null as bigint) as amount_off, timestamp '2024-01-01 00:00:00' as created,
            cast(null as varchar) as currency, 'forever' as duration, cast(null as integer) as duration_in_months,
            true as livemode, cast(discount_percent_off as integer) || '% off' as name,
            cast(discount_percent_off as double) as percent_off, true as valid,
            timestamp '2024-01-01 00:00:00' as _fivetran_synced
        from subscription
        where discount_percent_off is not null
    """,
    "subscription_discount": """
        with latest as (
            select * from subscription
            qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
        )
        select
            'di_' || substr(id, 5) as id, _fivetran_synced,
            'coupon_' || cast(cast(discount_percent_off as integer) as varchar) || '_off' as coupon_id, customer_id,
            cast(null as timestamp) as "end", start_date as "start", id as subscription_id
        from latest
        where discount_percent_off is not null
        order by id
    """,
}

# The canonical lines on the item as Stripe keeps it (the subscription's first item id), and
# the proration pair of every change of plan or quantity within a subscription.
_STRIPE_LINES = """
    with items as (
        select
            *,
            arg_min(id, created) over (partition by subscription_id) as stripe_item_id,
            lag(price_id) over (partition by subscription_id order by created) as previous_price_id,
            lag(quantity) over (partition by subscription_id order by created) as previous_quantity,
            lag(product_name) over (partition by subscription_id order by created) as previous_product_name,
            lag(unit_amount) over (partition by subscription_id order by created) as previous_unit_amount,
            row_number() over (partition by subscription_id order by created) as version
        from subscription_item
    ),
    changes as (
        select
            items.*,
            (
                select max_by(invoice.id, invoice.created) from invoice
                where invoice.subscription_id = items.subscription_id and invoice.created <= items.created
            ) as invoice_id,
            (
                select max(line.period_end) from invoice_line_item as line
                where line.subscription_id = items.subscription_id and line.period_start <= items.created
            ) as period_end,
            (
                select max(line.period_start) from invoice_line_item as line
                where line.subscription_id = items.subscription_id and line.period_start <= items.created
            ) as billed_from
        from items
        where version > 1
    ),
    -- the share of the billed period left at the change
    prorated as (
        select
            *,
            epoch(period_end - created) / nullif(epoch(period_end - billed_from), 0) as remaining_share
        from changes
    ),
    prorations as (
        select
            'il_' || substr(md5(id || ':unused'), 1, 12) as id, invoice_id, _fivetran_synced,
            -cast(round(previous_unit_amount * previous_quantity * remaining_share) as bigint) as amount, currency,
            'Unused time on ' || previous_quantity || ' × ' || previous_product_name || ' after '
                || strftime(created, '%d %b %Y') as description,
            false as discountable, period_end, created as period_start, previous_price_id as plan_id,
            previous_price_id as price_id, true as proration, previous_quantity as quantity, subscription_id,
            stripe_item_id as subscription_item_id, 'subscription' as type
        from prorated
        union all
        select
            'il_' || substr(md5(id || ':remaining'), 1, 12), invoice_id, _fivetran_synced,
            cast(round(unit_amount * quantity * remaining_share) as bigint),
            currency,
            'Remaining time on ' || quantity || ' × ' || product_name || ' after ' || strftime(created, '%d %b %Y'),
            false, period_end, created, price_id, price_id, true, quantity, subscription_id, stripe_item_id,
            'subscription'
        from prorated
    )
    select
        line.id, line.invoice_id, line._fivetran_synced, line.amount, line.currency, line.description,
        true as discountable, line.period_end, line.period_start, line.price_id as plan_id, line.price_id,
        line.proration, line.quantity, line.subscription_id, stripe.stripe_item_id as subscription_item_id,
        'subscription' as type
    from invoice_line_item as line
    left join (select distinct id, stripe_item_id from items) as stripe on line.subscription_item_id = stripe.id
    union all
    select * from prorations
    order by subscription_id, period_start, id
"""


def stripe_fivetran(tables: dict[tuple[str, str], pa.Table]) -> dict[str, pa.Table]:
    """The canonical billing tables as Fivetran's Stripe connector lands them."""
    connection = duckdb.connect()
    for name in ("customer", "subscription", "subscription_item", "invoice", "invoice_line_item"):
        connection.register(name, tables[("billing", name)])
    out = {name: connection.execute(sql).fetch_arrow_table() for name, sql in _STRIPE_SQL.items()}
    out["invoice_line_item"] = connection.execute(_STRIPE_LINES).fetch_arrow_table()
    connection.close()
    return {name: out[name] for name in STRIPE_TABLES}


# The three ad platforms as Fivetran lands them (schemas google_ads, facebook_ads, linkedin_ads):
# daily facts below campaign grain or beside it, names and currencies in history tables whose
# latest version counts. Each campaign had an earlier name (an older version), so the adapter
# must take the latest.
_ADS_SQL = {
    # Google: several rows per campaign and day (network x device), spend in micros; the
    # account id is the number without dashes
    ("google_ads", "campaign_stats"): """
        select
            substr(md5(campaign_id || cast(date_day as varchar) || part.device), 1, 27) || '=' as _fivetran_id,
            cast(replace(ad_account_id, '-', '') as bigint) as customer_id, date_day as date,
            _loaded_at as _fivetran_synced, 'SEARCH' as ad_network_type,
            case part.device when 'DESKTOP' then clicks - clicks // 2 else clicks // 2 end as clicks,
            case part.device
                when 'DESKTOP' then cast(spend * 100 as bigint) - cast(spend * 100 as bigint) // 2
                else cast(spend * 100 as bigint) // 2
            end * 10000 as cost_micros,
            part.device, cast(campaign_id as bigint) as id,
            case part.device when 'DESKTOP' then impressions - impressions // 2 else impressions // 2 end
                as impressions
        from ad_spend
        cross join (values ('DESKTOP'), ('MOBILE')) as part (device)
        where platform = 'google_ads'
        order by date, id, device
    """,
    ("google_ads", "campaign_history"): """
        select distinct
            cast(campaign_id as bigint) as id, version.updated_at,
            case version.is_latest when true then campaign_name else campaign_name || ' (draft)' end as name,
            cast(replace(ad_account_id, '-', '') as bigint) as customer_id, 'SEARCH' as advertising_channel_type,
            'ENABLED' as status, true as _fivetran_active, version.updated_at as _fivetran_synced
        from ad_spend
        cross join (values (timestamp '2024-06-01 09:00:00', false), (timestamp '2024-06-20 09:00:00', true))
            as version (updated_at, is_latest)
        where platform = 'google_ads'
        order by id, updated_at
    """,
    ("google_ads", "account_history"): """
        select distinct
            cast(replace(ad_account_id, '-', '') as bigint) as id, timestamp '2024-06-01 09:00:00' as updated_at,
            timestamp '2024-06-01 09:05:00' as _fivetran_synced, true as auto_tagging_enabled,
            upper(currency) as currency_code, 'RevOps Demo' as descriptive_name, 'Europe/Berlin' as time_zone,
            true as _fivetran_active
        from ad_spend
        where platform = 'google_ads'
    """,
    # Facebook: one row per ad and day (two ads per campaign), spend in major units as a double;
    # the campaign only through ad_history
    ("facebook_ads", "basic_ad"): """
        select
            cast(campaign_id as bigint) * 10 + part.ad as ad_id, 'Ad ' || part.ad as ad_name,
            campaign_name || ' - ad set' as adset_name, date_day as date,
            cast(replace(ad_account_id, 'act_', '') as bigint) as account_id,
            case part.ad when 1 then impressions - impressions // 2 else impressions // 2 end as impressions,
            case part.ad when 1 then clicks - clicks // 2 else clicks // 2 end as inline_link_clicks,
            cast(case part.ad
                when 1 then cast(spend * 100 as bigint) - cast(spend * 100 as bigint) // 2
                else cast(spend * 100 as bigint) // 2
            end as double) / 100 as spend,
            _loaded_at as _fivetran_synced
        from ad_spend
        cross join (values (1), (2)) as part (ad)
        where platform = 'meta_ads'
        order by date, ad_id
    """,
    ("facebook_ads", "ad_history"): """
        select distinct
            cast(campaign_id as bigint) * 10 + part.ad as id, cast(replace(ad_account_id, 'act_', '') as bigint)
                as account_id,
            cast(campaign_id as bigint) * 10 as ad_set_id, cast(campaign_id as bigint) as campaign_id,
            'Ad ' || part.ad as name, timestamp '2024-06-01 09:00:00' as updated_time,
            timestamp '2024-06-01 09:05:00' as _fivetran_synced
        from ad_spend
        cross join (values (1), (2)) as part (ad)
        where platform = 'meta_ads'
        order by id
    """,
    ("facebook_ads", "campaign_history"): """
        select distinct
            cast(campaign_id as bigint) as id, cast(replace(ad_account_id, 'act_', '') as bigint) as account_id,
            case version.is_latest when true then campaign_name else campaign_name || ' (draft)' end as name,
            'ACTIVE' as status, version.updated_time, version.updated_time as _fivetran_synced
        from ad_spend
        cross join (values (timestamp '2024-06-01 09:00:00', false), (timestamp '2024-06-20 09:00:00', true))
            as version (updated_time, is_latest)
        where platform = 'meta_ads'
        order by id, updated_time
    """,
    ("facebook_ads", "account_history"): """
        select distinct
            cast(replace(ad_account_id, 'act_', '') as bigint) as id, 'RevOps Demo' as name,
            'ACTIVE' as account_status, upper(currency) as currency, 'Europe/Berlin' as timezone_name,
            timestamp '2024-06-01 09:05:00' as _fivetran_synced
        from ad_spend
        where platform = 'meta_ads'
    """,
    # LinkedIn: one row per campaign and day, the day as a timestamp, cost in the account's
    # currency and in USD (at a made-up rate: the adapter reads the local one)
    ("linkedin_ads", "ad_analytics_by_campaign"): """
        select
            cast(campaign_id as bigint) as campaign_id, cast(date_day as timestamp) as day, clicks, impressions,
            spend as cost_in_local_currency, round(spend * 1.27, 2) as cost_in_usd,
            _loaded_at as _fivetran_synced
        from ad_spend
        where platform = 'linkedin_ads'
        order by day, campaign_id
    """,
    ("linkedin_ads", "campaign_history"): """
        select distinct
            cast(campaign_id as bigint) as id, version.last_modified_time,
            cast(ad_account_id as bigint) as account_id, 600000001 as campaign_group_id,
            timestamp '2024-05-01 09:00:00' as created_time,
            case version.is_latest when true then campaign_name else campaign_name || ' (draft)' end as name,
            'ACTIVE' as status, version.version_tag
        from ad_spend
        cross join (values (timestamp '2024-06-01 09:00:00', false, '1'), (timestamp '2024-06-20 09:00:00', true, '2'))
            as version (last_modified_time, is_latest, version_tag)
        where platform = 'linkedin_ads'
        order by id, last_modified_time
    """,
    ("linkedin_ads", "account_history"): """
        select distinct
            cast(ad_account_id as bigint) as id, timestamp '2024-06-01 09:00:00' as last_modified_time,
            timestamp '2024-04-01 09:00:00' as created_time, 'RevOps Demo' as name, upper(currency) as currency,
            'ACTIVE' as status, '1' as version_tag
        from ad_spend
        where platform = 'linkedin_ads'
    """,
}


def ads_fivetran(tables: dict[tuple[str, str], pa.Table]) -> dict[tuple[str, str], pa.Table]:
    """The canonical ad_spend table as Fivetran's Google Ads, Facebook Ads and LinkedIn Ads
    connectors land it, keyed by (connector, table)."""
    connection = duckdb.connect()
    connection.register("ad_spend", tables[("marketing", "ad_spend")])
    out = {key: connection.execute(sql).fetch_arrow_table() for key, sql in _ADS_SQL.items()}
    connection.close()
    return out


# Zendesk Support as Fivetran lands it (schema `zendesk`; tables and columns as Fivetran's
# connector schema and its dbt_zendesk_source column lists give them, see DECISIONS.md): the
# ticket carries no first-reply or solve time and there is no rating table. The first reply is
# the first public comment by an agent (ticket_comment), the solve time the last change of the
# status to solved (ticket_field_history, where some tickets were solved, reopened and solved
# again), and CSAT the satisfaction_score field (offered, then good or bad). Organization domains
# sit in domain_name; organization has no deletion flag. One row per id (Fivetran upserts), so a
# re-delivered ticket is its latest load.
def _between(start: str, end: str, fraction: str) -> str:
    """SQL: the time a fraction of the way from start to end."""
    return f"{start} + to_microseconds(cast((epoch_us({end}) - epoch_us({start})) * {fraction} as bigint))"


ZENDESK_TABLES = ("organization", "domain_name", "user", "ticket", "ticket_comment", "ticket_field_history")

_ZENDESK_SQL = {
    "organization": """
        select
            id, _fivetran_synced, created_at, cast(null as varchar) as details, external_id,
            cast(null as bigint) as group_id, name, cast(null as varchar) as notes, false as shared_comments,
            false as shared_tickets, updated_at,
            'https://revops-demo.zendesk.com/api/v2/organizations/' || id || '.json' as url
        from organization
        qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
        order by id
    """,
    "domain_name": """
        select organization_id, cast(domain.index - 1 as bigint) as index, _fivetran_synced, domain.domain_name
        from (
            select id as organization_id, _fivetran_synced, domain_names
            from organization
            qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
        ) as organizations
        cross join lateral (
            select generate_subscripts(string_split(domain_names, ','), 1) as index,
                unnest(string_split(domain_names, ',')) as domain_name
        ) as domain
        where nullif(trim(domain_names), '') is not null
        order by organization_id, index
    """,
    "user": """
        select
            id, _fivetran_synced, _fivetran_deleted, active, cast(null as varchar) as alias, false as chat_only,
            created_at, email, cast(null as varchar) as external_id, 'en-US' as locale, false as moderator, name,
            false as only_private_comments, organization_id, phone, false as restricted_agent, role,
            false as shared, false as shared_agent, not active as suspended, 'UTC' as time_zone,
            false as two_factor_auth_enabled, updated_at,
            'https://revops-demo.zendesk.com/api/v2/users/' || id || '.json' as url, true as verified
        from "user"
        qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
        order by id
    """,
    "ticket": """
        select
            id, _fivetran_synced, _fivetran_deleted, false as allow_channelback, assignee_id,
            360000000001 as brand_id, created_at, cast(null as timestamp) as due_at, 360000000010 as group_id,
            false as has_incidents, true as is_public, organization_id, priority, requester_id, status, subject,
            requester_id as submitter_id, type, updated_at,
            'https://revops-demo.zendesk.com/api/v2/tickets/' || id || '.json' as url, via_channel
        from latest_ticket
        order by id
    """,
    # the requester's description first; for some tickets an agent's internal note (not public)
    # and another public comment of the requester before the first public agent reply; a
    # follow-up of the requester after it. The reply is the assignee's, or an agent's when nobody
    # is assigned (users 200001 to 200006 are the agents, 200002 one who left).
    "ticket_comment": f"""
        with comments as (
            select id as ticket_id, created_at as created, requester_id as user_id, true as public, 1 as n,
                _fivetran_synced
            from latest_ticket
            union all
            select id, {_between('created_at', 'first_reply_at', '0.5')}, 200003 + id % 4, false, 2, _fivetran_synced
            from latest_ticket where first_reply_at is not null and id % 5 = 0
            union all
            select id, {_between('created_at', 'first_reply_at', '0.3')}, requester_id, true, 3, _fivetran_synced
            from latest_ticket where first_reply_at is not null and id % 7 = 0
            union all
            select id, first_reply_at, coalesce(assignee_id, 200001 + id % 6), true, 4, _fivetran_synced
            from latest_ticket where first_reply_at is not null
            union all
            select id, first_reply_at + interval 1 hour, requester_id, true, 5, _fivetran_synced
            from latest_ticket where first_reply_at is not null and id % 3 = 0
                and first_reply_at + interval 1 hour <= updated_at
        )
        select
            ticket_id * 10 + n as id, _fivetran_synced, false as _fivetran_deleted,
            'comment ' || n || ' on ticket ' || ticket_id as body, created, false as facebook_comment, public,
            ticket_id, false as tweet, user_id, false as voice_comment
        from comments
        order by ticket_id, created, id
    """,
    "ticket_field_history": f"""
        with changes as (
            select id as ticket_id, created_at as updated, 'status' as field_name, 'new' as value,
                requester_id as user_id, _fivetran_synced
            from latest_ticket
            union all
            select id, first_reply_at, 'status', 'open', assignee_id, _fivetran_synced
            from latest_ticket where first_reply_at is not null
            union all
            select id, first_reply_at, 'status', 'pending', assignee_id, _fivetran_synced
            from latest_ticket where status = 'pending'
            -- solved, reopened by the requester and solved again: the last solve counts
            union all
            select id, {_between('first_reply_at', 'solved_at', '0.5')}, 'status', 'solved', assignee_id,
                _fivetran_synced
            from latest_ticket where solved_at is not null and first_reply_at is not null and id % 4 = 0
            union all
            select id, {_between('first_reply_at', 'solved_at', '0.75')}, 'status', 'open', requester_id,
                _fivetran_synced
            from latest_ticket where solved_at is not null and first_reply_at is not null and id % 4 = 0
            union all
            select id, solved_at, 'status', 'solved', assignee_id, _fivetran_synced
            from latest_ticket where solved_at is not null
            union all
            select id, solved_at + interval 4 day, 'status', 'closed', null, _fivetran_synced
            from latest_ticket where status = 'closed'
            -- CSAT: a rating answered good or bad was offered first, when the ticket was solved
            union all
            select ratings.ticket_id,
                case when tickets.solved_at < ratings.created_at then tickets.solved_at
                    else ratings.created_at - interval 1 minute end,
                'satisfaction_score', 'offered', null, ratings._fivetran_synced
            from latest_rating as ratings
            left join latest_ticket as tickets on ratings.ticket_id = tickets.id
            where ratings.score <> 'offered'
            union all
            select ticket_id, created_at, 'satisfaction_score', score, requester_id, _fivetran_synced
            from latest_rating
            union all
            select ticket_id, created_at, 'satisfaction_comment', comment, requester_id, _fivetran_synced
            from latest_rating where comment is not null
        )
        select field_name, ticket_id, updated, _fivetran_synced, user_id, value
        from changes
        order by ticket_id, updated, field_name
    """,
}


def zendesk_fivetran(tables: dict[tuple[str, str], pa.Table]) -> dict[tuple[str, str], pa.Table]:
    """The canonical support tables as Fivetran's Zendesk Support connector lands them."""
    connection = duckdb.connect()
    for name in ("organization", "user", "ticket", "satisfaction_rating"):
        connection.register(name, tables[("support", name)])
    connection.execute("""
        create temp table latest_ticket as
        select * from ticket qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
    """)
    connection.execute("""
        create temp table latest_rating as
        select * from satisfaction_rating
        qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
    """)
    out = {("zendesk", name): connection.execute(_ZENDESK_SQL[name]).fetch_arrow_table() for name in ZENDESK_TABLES}
    connection.close()
    return out


# Fivetran Salesforce (schema `salesforce`; columns as Fivetran's dbt_salesforce package lists
# them, docs/connectors/salesforce_fivetran_spec.md): one row per record (Fivetran upserts: the
# canonical re-deliveries collapse to the latest load); custom fields with one underscore
# (utm_source_c, mql_date_c, segment_c); the role in user_role (user.user_role_id); countries as
# ISO codes in *_country_code and as names in billing_country / country; forecast_category as
# its API value beside forecast_category_name (the label); probability a float; the
# OpportunityHistory object in opportunity_history. The schema `salesforce_history` holds the
# opportunity in History Mode: one version per change of the history (_fivetran_start, _end,
# _active), the latest carrying the opportunity's current values.
SALESFORCE_TABLES = ("user", "user_role", "account", "contact", "lead", "opportunity", "opportunity_history", "task",
                     "event", "campaign", "campaign_member")

_COUNTRY_NAMES = {"AT": "Austria", "BE": "Belgium", "CA": "Canada", "DE": "Germany", "ES": "Spain", "FR": "France",
                  "GB": "United Kingdom", "IE": "Ireland", "IT": "Italy", "NL": "Netherlands", "US": "United States"}
_COUNTRY_NAME_SQL = "case {column} " + " ".join(
    f"when '{code}' then '{name}'" for code, name in _COUNTRY_NAMES.items()) + " end"
_FORECAST_API_SQL = ("case forecast_category when 'Best Case' then 'BestCase' when 'Commit' then 'Forecast' "
                     "else forecast_category end")

_SALESFORCE_SQL = {
    ("salesforce", "user"): """
        select
            id, _fivetran_synced, false as _fivetran_deleted, 'Standard' as user_type, name,
            split_part(name, ' ', 1) as first_name, split_part(name, ' ', 2) as last_name, email,
            email as username, lower(substr(replace(name, ' ', ''), 1, 8)) as alias, title,
            '00E' || lpad(cast(dense_rank() over (order by user_role) as varchar), 15, '0') as user_role_id,
            segment as segment_c, is_active, created_date, 'America/New_York' as time_zone_sid_key
        from latest_user
        order by id
    """,
    ("salesforce", "user_role"): """
        select distinct
            '00E' || lpad(cast(dense_rank() over (order by user_role) as varchar), 15, '0') as id,
            user_role as name, upper(user_role) as developer_name, cast(null as varchar) as parent_role_id,
            false as _fivetran_deleted, timestamp '2022-09-11 12:30:41' as _fivetran_synced
        from latest_user
        order by id
    """,
    ("salesforce", "account"): f"""
        select
            id, _fivetran_synced, is_deleted, cast(null as varchar) as master_record_id, name, type,
            cast(null as varchar) as parent_id, billing_country as billing_country_code,
            {_COUNTRY_NAME_SQL.format(column="billing_country")} as billing_country, website, industry,
            number_of_employees, cast(number_of_employees as double) * 100000 as annual_revenue, owner_id,
            created_date, last_modified_date, last_modified_date as system_modstamp, account_source
        from (select * from account {{latest}})
        order by id
    """,
    ("salesforce", "contact"): """
        select
            id, _fivetran_synced, is_deleted, cast(null as varchar) as master_record_id, account_id, last_name,
            first_name, coalesce(first_name || ' ', '') || last_name as name, phone, email, title, lead_source,
            owner_id, created_date, created_date as last_modified_date, _fivetran_synced as system_modstamp
        from (select * from contact {latest})
        order by id
    """,
    ("salesforce", "lead"): f"""
        select
            id, _fivetran_synced, is_deleted, cast(null as varchar) as master_record_id, last_name, first_name,
            coalesce(first_name || ' ', '') || last_name as name, title, company, country as country_code,
            {_COUNTRY_NAME_SQL.format(column="country")} as country, phone, email, status, lead_source,
            number_of_employees, owner_id, false as is_unread_by_owner, created_date,
            _fivetran_synced as system_modstamp, is_converted, converted_date, converted_account_id,
            converted_contact_id, converted_opportunity_id, utm_source__c as utm_source_c,
            utm_medium__c as utm_medium_c, utm_campaign__c as utm_campaign_c, mql_date__c as mql_date_c,
            sql_date__c as sql_date_c
        from (select * from lead {{latest}})
        order by id
    """,
    ("salesforce", "opportunity"): f"""
        select
            id, _fivetran_synced, is_deleted, account_id, name, type, stage_name, amount,
            cast(probability as double) as probability,
            cast(amount * probability / 100.0 as decimal(18, 2)) as expected_revenue, close_date, lead_source,
            is_closed, is_won, {_FORECAST_API_SQL} as forecast_category,
            forecast_category as forecast_category_name, currency_iso_code, owner_id, created_date,
            last_modified_date, last_modified_date as system_modstamp,
            cast(null as varchar) as campaign_id, false as has_opportunity_line_item
        from (select * from opportunity {{latest}})
        order by id
    """,
    ("salesforce", "opportunity_history"): """
        select
            history.id, history._fivetran_synced, history.is_deleted, history.opportunity_id, history.created_by_id,
            history.created_date, history.stage_name, history.amount,
            cast(history.amount * history.probability / 100.0 as decimal(18, 2)) as expected_revenue,
            history.close_date, cast(history.probability as double) as probability,
            opportunities.currency_iso_code, history._fivetran_synced as system_modstamp
        from (select * from opportunity_history {latest}) as history
        left join (select * from opportunity {latest}) as opportunities on history.opportunity_id = opportunities.id
        order by history.opportunity_id, history.created_date, history.id
    """,
    # each change of the history is a version of the opportunity, the last one current
    ("salesforce_history", "opportunity"): """
        with history as (
            select *, lead(created_date) over (partition by opportunity_id order by created_date) as next_change
            from (select * from opportunity_history {latest})
        )
        select
            history.opportunity_id as id, history.created_date as _fivetran_start,
            coalesce(history.next_change - interval 1 millisecond, timestamp '9999-12-31 23:59:59')
                as _fivetran_end,
            history.next_change is null as _fivetran_active, history._fivetran_synced,
            opportunities.is_deleted and history.next_change is null as is_deleted, opportunities.account_id,
            opportunities.name, opportunities.type, history.stage_name, history.amount,
            cast(history.probability as double) as probability, history.close_date, opportunities.lead_source,
            opportunities.owner_id, opportunities.currency_iso_code, opportunities.created_date,
            history.created_by_id as last_modified_by_id, history.created_date as last_modified_date
        from history
        inner join (select * from opportunity {latest}) as opportunities on history.opportunity_id = opportunities.id
        order by id, _fivetran_start
    """,
    ("salesforce", "task"): """
        select
            id, _fivetran_synced, is_deleted, who_id, what_id, account_id, owner_id, subject, activity_date, status,
            'Normal' as priority, status = 'Completed' as is_closed, type,
            case type when 'Call' then 'Call' when 'Email' then 'Email' else 'Task' end as task_subtype,
            completed_date_time, created_date, created_date as last_modified_date, false as is_archived,
            false as is_recurrence
        from (select * from task {latest})
        order by id
    """,
    ("salesforce", "event"): """
        select
            id, _fivetran_synced, is_deleted, who_id, what_id, account_id, owner_id, subject, type,
            start_date_time as activity_date_time, cast(start_date_time as date) as activity_date,
            cast(date_diff('minute', start_date_time, end_date_time) as integer) as duration_in_minutes,
            false as is_all_day_event, start_date_time, end_date_time, created_date, false as is_child,
            false as is_recurrence
        from (select * from event {latest})
        order by id
    """,
    ("salesforce", "campaign"): """
        select
            id, _fivetran_synced, is_deleted, name, type, status, start_date, end_date, true as is_active,
            cast(null as varchar) as parent_id
        from (select * from campaign {latest})
        order by id
    """,
    ("salesforce", "campaign_member"): """
        select
            id, _fivetran_synced, is_deleted, campaign_id, lead_id, contact_id, status, has_responded,
            created_date, first_responded_date
        from (select * from campaign_member {latest})
        order by id
    """,
}


def salesforce_fivetran(tables: dict[tuple[str, str], pa.Table]) -> dict[tuple[str, str], pa.Table]:
    """The canonical CRM tables as Fivetran's Salesforce connector lands them (and the
    opportunity as History Mode lands it, in salesforce_history)."""
    connection = duckdb.connect()
    for name in ("user", "account", "contact", "lead", "opportunity", "opportunity_history", "task", "event",
                 "campaign", "campaign_member"):
        connection.register(name, tables[("crm", name)])
    connection.execute("""
        create temp table latest_user as
        select * from "user" qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
    """)
    latest = "qualify row_number() over (partition by id order by _fivetran_synced desc) = 1"
    out = {key: connection.execute(sql.format(latest=latest)).fetch_arrow_table()
           for key, sql in _SALESFORCE_SQL.items()}
    connection.close()
    return out


# Airbyte Salesforce (Destinations V2 into DuckDB, docs/connectors/airbyte_spec.md): one table per
# stream, named by the object's API name and lower-cased (OpportunityHistory -> opportunityhistory),
# columns the field API names lower-cased (CreatedDate -> createddate, custom UTM_Source__c ->
# utm_source__c), soft deletes in isdeleted, the load time in _airbyte_extracted_at beside
# _airbyte_raw_id and _airbyte_meta. No History Mode, no _fivetran_deleted.
def _airbyte_column(name: str) -> str:
    """A Fivetran Salesforce column as Airbyte lands the field in DuckDB: utm_source_c -> utm_source__c
    (a custom field keeps its underscores), created_date -> createddate."""
    if name.endswith("_c"):
        return name[:-2] + "__c"
    return name.replace("_", "")


_AIRBYTE_NUMBERS = {"amount", "probability", "expected_revenue", "annual_revenue"}


def salesforce_airbyte(tables: dict[tuple[str, str], pa.Table]) -> dict[tuple[str, str], pa.Table]:
    """The canonical CRM tables as Airbyte's Salesforce source lands them in DuckDB (schema salesforce)."""
    connection = duckdb.connect()
    out = {}
    for (schema, name), data in salesforce_fivetran(tables).items():
        if schema != "salesforce":
            continue  # History Mode is Fivetran's
        connection.register("landed", data)
        columns = [column for column in data.column_names if column not in ("_fivetran_synced", "_fivetran_deleted")]
        # Salesforce currency and percent fields are JSON numbers: DECIMAL(38,9) in DuckDB
        select = ", ".join(
            f'cast("{column}" as decimal(38, 9)) as "{_airbyte_column(column)}"' if column in _AIRBYTE_NUMBERS
            else f'"{column}" as "{_airbyte_column(column)}"' for column in columns)
        out[("salesforce", name.replace("_", ""))] = connection.execute(f"""
            select
                md5('{name}' || id) as _airbyte_raw_id, _fivetran_synced as _airbyte_extracted_at,
                '{{}}' as _airbyte_meta, {select}
            from landed
        """).fetch_arrow_table()
        connection.unregister("landed")
    connection.close()
    return out


def _stripe_tables(tables: dict[tuple[str, str], pa.Table]) -> dict[tuple[str, str], pa.Table]:
    return {("stripe", name): data for name, data in stripe_fivetran(tables).items()}


# connector -> (the contract tables it replaces, the function writing its tables from the
# canonical ones, keyed by (folder, table))
CONNECTORS = {
    "salesforce": (tuple(("crm", name) for name in ("user", "account", "contact", "lead", "opportunity",
                                                    "opportunity_history", "task", "event", "campaign",
                                                    "campaign_member")), salesforce_fivetran),
    "stripe": ((("billing", "customer"), ("billing", "subscription"), ("billing", "subscription_item"),
                ("billing", "invoice"), ("billing", "invoice_line_item")), _stripe_tables),
    "salesforce_airbyte": (tuple(("crm", name) for name in ("user", "account", "contact", "lead", "opportunity",
                                                            "opportunity_history", "task", "event", "campaign",
                                                            "campaign_member")), salesforce_airbyte),
    "ads": ((("marketing", "ad_spend"),), ads_fivetran),
    "zendesk": ((("support", "organization"), ("support", "user"), ("support", "ticket"),
                 ("support", "satisfaction_rating")), zendesk_fivetran),
}
