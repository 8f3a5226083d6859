"""The raw table contract: every raw table the warehouse reads, its grain and its columns.

This module is the one place the raw layer is defined. The demo-data generator writes
exactly these columns, `write_raw_contract.py` renders the dbt sources YAML, the seed
column types and docs/raw_contract.md from it, and a test checks that they agree.

Types are DuckDB logical types. Money columns carry the unit in their description:
Stripe amounts are integer minor units (cents), every other system lands decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class RawTable:
    system: str
    name: str
    description: str
    grain: str
    loaded_at_field: str
    primary_key: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


@dataclass(frozen=True)
class RawSystem:
    name: str
    description: str
    tables: tuple[RawTable, ...]


def _t(system: str, name: str, description: str, grain: str, loaded_at: str, pk: str,
       columns: list[tuple[str, str, str]]) -> RawTable:
    return RawTable(
        system=system,
        name=name,
        description=description,
        grain=grain,
        loaded_at_field=loaded_at,
        primary_key=pk,
        columns=tuple(Column(n, t, d) for n, t, d in columns),
    )


FIVETRAN_SYNCED = ("_fivetran_synced", "timestamp", "UTC time the extract-load tool last wrote this row.")
SF_DELETED = ("is_deleted", "boolean", "True when the record was deleted in Salesforce (soft delete kept by the extract).")
ZD_DELETED = ("_fivetran_deleted", "boolean", "True when the record was deleted in Zendesk.")

MARKETING = RawSystem(
    name="marketing",
    description=(
        "Ad platforms (Google Ads, Meta Ads, LinkedIn Ads) unioned to one daily campaign report, "
        "web sessions from the product analytics tracker, and website form submissions."
    ),
    tables=(
        _t("marketing", "ad_spend", "Daily campaign report of the ad platforms, unioned.",
           "One row per platform, campaign and day.", "_loaded_at", "platform, campaign_id, date_day", [
               ("date_day", "date", "Report day in the ad account's time zone."),
               ("platform", "varchar", "Ad platform, e.g. google_ads, meta_ads, linkedin_ads (mapped to a channel by seeds/mappings/map_ad_platforms.csv)."),
               ("ad_account_id", "varchar", "Ad account id on the platform."),
               ("campaign_id", "varchar", "Campaign id on the platform."),
               ("campaign_name", "varchar", "Campaign name; its utm_campaign tag is the lower-cased name."),
               ("spend", "decimal(18,2)", "Spend of the day in the ad account currency."),
               ("currency", "varchar", "ISO 4217 code of the ad account currency."),
               ("impressions", "bigint", "Impressions of the day."),
               ("clicks", "bigint", "Clicks of the day."),
               ("_loaded_at", "timestamp", "UTC time the row was loaded."),
           ]),
        _t("marketing", "web_sessions", "Website sessions with their UTM tags, from the tracker.",
           "One row per session.", "_loaded_at", "session_id", [
               ("session_id", "varchar", "Session id."),
               ("anonymous_id", "varchar", "Cookie id of the visitor; stable across the visitor's sessions."),
               ("session_started_at", "timestamp", "UTC start of the session."),
               ("landing_page", "varchar", "Path of the first page."),
               ("referrer", "varchar", "Referring host, null when direct."),
               ("utm_source", "varchar", "utm_source tag, null when untagged."),
               ("utm_medium", "varchar", "utm_medium tag, null when untagged."),
               ("utm_campaign", "varchar", "utm_campaign tag, null when untagged."),
               ("utm_content", "varchar", "utm_content tag, optional."),
               ("utm_term", "varchar", "utm_term tag, optional."),
               ("device_type", "varchar", "desktop, mobile or tablet."),
               ("country_code", "varchar", "ISO 3166 alpha-2 country of the visitor, optional."),
               ("_loaded_at", "timestamp", "UTC time the row was loaded; later than the session for late-arriving rows."),
           ]),
        _t("marketing", "form_submissions", "Website form submissions: where an anonymous visitor gives an email.",
           "One row per form submission.", "_loaded_at", "submission_id", [
               ("submission_id", "varchar", "Submission id."),
               ("anonymous_id", "varchar", "Cookie id of the visitor who submitted."),
               ("submitted_at", "timestamp", "UTC time of the submission."),
               ("form_name", "varchar", "Form name, e.g. demo_request, free_trial (mapped by seeds/mappings/map_form_names.csv)."),
               ("email", "varchar", "Email as typed (case and whitespace as entered)."),
               ("first_name", "varchar", "First name as typed. Personal data."),
               ("last_name", "varchar", "Last name as typed. Personal data."),
               ("company_name", "varchar", "Company as typed, optional."),
               ("phone", "varchar", "Phone as typed, optional. Personal data."),
               ("page_url", "varchar", "Page the form was on."),
               ("_loaded_at", "timestamp", "UTC time the row was loaded."),
           ]),
    ),
)

CRM = RawSystem(
    name="crm",
    description="Salesforce objects as landed by a Fivetran-style connector (snake_case columns, soft deletes kept).",
    tables=(
        _t("crm", "user", "Salesforce users: the sales reps and their managers.",
           "One row per user.", "_fivetran_synced", "id", [
               ("id", "varchar", "Salesforce user id."),
               ("name", "varchar", "Full name. Personal data."),
               ("email", "varchar", "Work email. Personal data."),
               ("title", "varchar", "Job title."),
               ("user_role", "varchar", "Sales role, e.g. sdr, ae, manager (mapped by seeds/mappings/map_rep_roles.csv)."),
               ("segment", "varchar", "Segment the rep covers: smb, mid_market or enterprise."),
               ("is_active", "boolean", "False for reps who left."),
               ("created_date", "timestamp", "UTC creation time."),
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "account", "Salesforce accounts (companies).",
           "One row per account.", "_fivetran_synced", "id", [
               ("id", "varchar", "Salesforce account id."),
               ("name", "varchar", "Company name."),
               ("website", "varchar", "Company website, optional."),
               ("industry", "varchar", "Industry, optional."),
               ("billing_country", "varchar", "ISO 3166 alpha-2 billing country, optional."),
               ("number_of_employees", "integer", "Employee count, optional."),
               ("type", "varchar", "Prospect, Customer or Former Customer."),
               ("account_source", "varchar", "Lead source of the account's first converted lead, optional."),
               ("owner_id", "varchar", "Owning user id."),
               ("created_date", "timestamp", "UTC creation time."),
               ("last_modified_date", "timestamp", "UTC time of the last change."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "contact", "Salesforce contacts (people at accounts).",
           "One row per contact.", "_fivetran_synced", "id", [
               ("id", "varchar", "Salesforce contact id."),
               ("account_id", "varchar", "Account of the contact."),
               ("first_name", "varchar", "First name. Personal data."),
               ("last_name", "varchar", "Last name. Personal data."),
               ("email", "varchar", "Email as entered. Personal data."),
               ("phone", "varchar", "Phone, optional. Personal data."),
               ("title", "varchar", "Job title, optional."),
               ("lead_source", "varchar", "Lead source, copied from the converted lead."),
               ("owner_id", "varchar", "Owning user id."),
               ("created_date", "timestamp", "UTC creation time."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "lead", "Salesforce leads, with the MQL and SQL dates kept in custom fields.",
           "One row per lead.", "_fivetran_synced", "id", [
               ("id", "varchar", "Salesforce lead id."),
               ("first_name", "varchar", "First name. Personal data."),
               ("last_name", "varchar", "Last name. Personal data."),
               ("email", "varchar", "Email as entered (case and whitespace vary). Personal data."),
               ("phone", "varchar", "Phone, optional. Personal data."),
               ("company", "varchar", "Company as entered."),
               ("title", "varchar", "Job title, optional."),
               ("status", "varchar", "Lead status, e.g. Open - Not Contacted (mapped by seeds/mappings/map_lead_statuses.csv)."),
               ("lead_source", "varchar", "Lead source, e.g. Web, Paid Search (mapped to a channel by seeds/mappings/map_lead_sources.csv)."),
               ("utm_source__c", "varchar", "utm_source captured on the lead's form, optional."),
               ("utm_medium__c", "varchar", "utm_medium captured on the lead's form, optional."),
               ("utm_campaign__c", "varchar", "utm_campaign captured on the lead's form, optional."),
               ("country", "varchar", "ISO 3166 alpha-2 country, optional."),
               ("number_of_employees", "integer", "Employee count as entered, optional."),
               ("owner_id", "varchar", "Owning user id."),
               ("created_date", "timestamp", "UTC creation time."),
               ("mql_date__c", "timestamp", "UTC time marketing qualified the lead, null if never."),
               ("sql_date__c", "timestamp", "UTC time sales accepted the lead, null if never."),
               ("is_converted", "boolean", "True once converted to account, contact and opportunity."),
               ("converted_date", "date", "Conversion day, null if not converted."),
               ("converted_account_id", "varchar", "Account created or matched on conversion."),
               ("converted_contact_id", "varchar", "Contact created on conversion."),
               ("converted_opportunity_id", "varchar", "Opportunity created on conversion, optional."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "opportunity", "Salesforce opportunities: new business, expansion and renewal deals.",
           "One row per opportunity.", "_fivetran_synced", "id", [
               ("id", "varchar", "Salesforce opportunity id."),
               ("account_id", "varchar", "Account of the deal."),
               ("name", "varchar", "Deal name."),
               ("type", "varchar", "New Business, Expansion or Renewal."),
               ("stage_name", "varchar", "Current stage, e.g. Discovery ... Closed Won (mapped by seeds/mappings/map_opportunity_stages.csv)."),
               ("amount", "decimal(18,2)", "Annual contract value in the opportunity currency."),
               ("currency_iso_code", "varchar", "ISO 4217 code of the amount."),
               ("probability", "integer", "Stage probability in percent."),
               ("forecast_category", "varchar", "Pipeline, Best Case, Commit, Closed or Omitted."),
               ("lead_source", "varchar", "Lead source of the deal, optional."),
               ("owner_id", "varchar", "Owning rep."),
               ("created_date", "timestamp", "UTC creation time."),
               ("close_date", "date", "Expected or actual close day."),
               ("is_closed", "boolean", "True when closed won or lost."),
               ("is_won", "boolean", "True when closed won."),
               ("last_modified_date", "timestamp", "UTC time of the last change."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "opportunity_history", "Salesforce OpportunityHistory: a row each time stage, amount or close date changes.",
           "One row per opportunity change.", "_fivetran_synced", "id", [
               ("id", "varchar", "History row id."),
               ("opportunity_id", "varchar", "Opportunity changed."),
               ("stage_name", "varchar", "Stage after the change."),
               ("amount", "decimal(18,2)", "Amount after the change, in the opportunity currency."),
               ("probability", "integer", "Probability after the change."),
               ("close_date", "date", "Close day after the change."),
               ("created_by_id", "varchar", "User who made the change."),
               ("created_date", "timestamp", "UTC time of the change."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "task", "Salesforce tasks: calls and emails logged by reps.",
           "One row per task.", "_fivetran_synced", "id", [
               ("id", "varchar", "Task id."),
               ("who_id", "varchar", "Lead or contact the task is about, optional."),
               ("what_id", "varchar", "Opportunity or account the task is about, optional."),
               ("account_id", "varchar", "Account of the task, optional."),
               ("owner_id", "varchar", "Rep who did the task."),
               ("subject", "varchar", "Subject line."),
               ("type", "varchar", "Task type, e.g. Call, Email (mapped by seeds/mappings/map_activity_types.csv)."),
               ("status", "varchar", "Completed or Not Started."),
               ("activity_date", "date", "Due or done day."),
               ("completed_date_time", "timestamp", "UTC completion time, null if not completed."),
               ("created_date", "timestamp", "UTC creation time."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "event", "Salesforce events: meetings and demos logged by reps.",
           "One row per event.", "_fivetran_synced", "id", [
               ("id", "varchar", "Event id."),
               ("who_id", "varchar", "Lead or contact met, optional."),
               ("what_id", "varchar", "Opportunity or account of the meeting, optional."),
               ("account_id", "varchar", "Account of the event, optional."),
               ("owner_id", "varchar", "Rep who held the meeting."),
               ("subject", "varchar", "Subject line."),
               ("type", "varchar", "Meeting or Demo."),
               ("start_date_time", "timestamp", "UTC start."),
               ("end_date_time", "timestamp", "UTC end."),
               ("created_date", "timestamp", "UTC creation time."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "campaign", "Salesforce campaigns (webinars, events, email programs, paid programs).",
           "One row per campaign.", "_fivetran_synced", "id", [
               ("id", "varchar", "Campaign id."),
               ("name", "varchar", "Campaign name."),
               ("type", "varchar", "Webinar, Event, Email, Paid Search, Paid Social or Content."),
               ("status", "varchar", "Planned, In Progress or Completed."),
               ("start_date", "date", "First day."),
               ("end_date", "date", "Last day, optional."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("crm", "campaign_member", "Salesforce campaign members: a lead or contact's membership of a campaign.",
           "One row per campaign and lead or contact.", "_fivetran_synced", "id", [
               ("id", "varchar", "Campaign member id."),
               ("campaign_id", "varchar", "Campaign."),
               ("lead_id", "varchar", "Lead member, optional."),
               ("contact_id", "varchar", "Contact member, optional."),
               ("status", "varchar", "Sent, Registered, Attended or Responded."),
               ("has_responded", "boolean", "True once the member responded."),
               ("created_date", "timestamp", "UTC time the member was added."),
               ("first_responded_date", "date", "Day of the first response, optional."),
               SF_DELETED,
               FIVETRAN_SYNCED,
           ]),
    ),
)

BILLING = RawSystem(
    name="billing",
    description=(
        "Stripe objects as landed by a Fivetran-style connector. Amounts are integer minor units (cents). "
        "A plan or quantity change ends a subscription item and starts a new one, so items carry their history."
    ),
    tables=(
        _t("billing", "customer", "Stripe customers; metadata holds the Salesforce account id when sales created them.",
           "One row per customer.", "_fivetran_synced", "id", [
               ("id", "varchar", "Stripe customer id (cus_...)."),
               ("email", "varchar", "Billing email as entered. Personal data."),
               ("name", "varchar", "Billing name, optional."),
               ("description", "varchar", "Free text, optional."),
               ("currency", "varchar", "Lower-case ISO 4217 billing currency."),
               ("address_country", "varchar", "ISO 3166 alpha-2 billing country, optional."),
               ("metadata", "varchar", "JSON object; key sfdc_account_id holds the Salesforce account id where known."),
               ("created", "timestamp", "UTC creation time."),
               ("is_deleted", "boolean", "True when the customer was deleted in Stripe."),
               FIVETRAN_SYNCED,
           ]),
        _t("billing", "subscription", "Stripe subscriptions.",
           "One row per subscription.", "_fivetran_synced", "id", [
               ("id", "varchar", "Stripe subscription id (sub_...)."),
               ("customer_id", "varchar", "Customer billed."),
               ("status", "varchar", "active, past_due or canceled."),
               ("currency", "varchar", "Lower-case ISO 4217 currency."),
               ("discount_percent_off", "decimal(5,2)", "Percent off from the subscription's coupon, null when none."),
               ("start_date", "timestamp", "UTC start of the subscription."),
               ("current_period_start", "timestamp", "UTC start of the current billing period."),
               ("current_period_end", "timestamp", "UTC end of the current billing period."),
               ("cancel_at_period_end", "boolean", "True when cancellation is scheduled for the period end."),
               ("canceled_at", "timestamp", "UTC time the cancellation was requested, optional."),
               ("ended_at", "timestamp", "UTC time the subscription ended, null while it runs."),
               ("created", "timestamp", "UTC creation time."),
               FIVETRAN_SYNCED,
           ]),
        _t("billing", "subscription_item", "Stripe subscription items with their price; one item per plan phase.",
           "One row per subscription item (a plan and quantity over a span of time).", "_fivetran_synced", "id", [
               ("id", "varchar", "Stripe subscription item id (si_...)."),
               ("subscription_id", "varchar", "Subscription."),
               ("price_id", "varchar", "Stripe price id."),
               ("product_name", "varchar", "Plan (product) name, e.g. Starter (mapped to a tier by seeds/mappings/map_plans.csv)."),
               ("plan_interval", "varchar", "month or year."),
               ("plan_interval_count", "integer", "Number of intervals per billing period (1)."),
               ("quantity", "integer", "Seats."),
               ("unit_amount", "bigint", "Price per seat per interval, in minor units of the currency."),
               ("currency", "varchar", "Lower-case ISO 4217 currency."),
               ("created", "timestamp", "UTC start of the item."),
               ("ended_at", "timestamp", "UTC end of the item (plan change or subscription end), null while current."),
               FIVETRAN_SYNCED,
           ]),
        _t("billing", "invoice", "Stripe invoices.",
           "One row per invoice.", "_fivetran_synced", "id", [
               ("id", "varchar", "Stripe invoice id (in_...)."),
               ("customer_id", "varchar", "Customer billed."),
               ("subscription_id", "varchar", "Subscription invoiced."),
               ("number", "varchar", "Invoice number."),
               ("status", "varchar", "paid, open, void or uncollectible."),
               ("currency", "varchar", "Lower-case ISO 4217 currency."),
               ("subtotal", "bigint", "Sum of lines before discounts, minor units."),
               ("total_discount_amount", "bigint", "Discounts, minor units."),
               ("total", "bigint", "Total after discounts, minor units."),
               ("amount_paid", "bigint", "Paid, minor units."),
               ("period_start", "timestamp", "UTC start of the invoiced period."),
               ("period_end", "timestamp", "UTC end of the invoiced period."),
               ("created", "timestamp", "UTC creation time."),
               ("paid_at", "timestamp", "UTC payment time, optional."),
               FIVETRAN_SYNCED,
           ]),
        _t("billing", "invoice_line_item", "Stripe invoice line items.",
           "One row per invoice line.", "_fivetran_synced", "id", [
               ("id", "varchar", "Line id (il_...)."),
               ("invoice_id", "varchar", "Invoice."),
               ("subscription_id", "varchar", "Subscription of the line."),
               ("subscription_item_id", "varchar", "Subscription item of the line."),
               ("price_id", "varchar", "Stripe price id."),
               ("description", "varchar", "Line text."),
               ("quantity", "integer", "Seats."),
               ("amount", "bigint", "Line amount before discount, minor units."),
               ("discount_amount", "bigint", "Discount on the line, minor units."),
               ("currency", "varchar", "Lower-case ISO 4217 currency."),
               ("period_start", "timestamp", "UTC start of the line's period."),
               ("period_end", "timestamp", "UTC end of the line's period."),
               ("proration", "boolean", "True for proration lines."),
               FIVETRAN_SYNCED,
           ]),
    ),
)

SUPPORT = RawSystem(
    name="support",
    description="Zendesk objects as landed by a Fivetran-style connector; the ticket carries its first-reply and solve times.",
    tables=(
        _t("support", "organization", "Zendesk organizations; external_id holds the Salesforce account id where synced.",
           "One row per organization.", "_fivetran_synced", "id", [
               ("id", "bigint", "Zendesk organization id."),
               ("name", "varchar", "Organization name."),
               ("domain_names", "varchar", "Comma-separated email domains of the organization, optional."),
               ("external_id", "varchar", "Salesforce account id where synced, optional."),
               ("created_at", "timestamp", "UTC creation time."),
               ("updated_at", "timestamp", "UTC time of the last change."),
               ZD_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("support", "user", "Zendesk users: end users (customers) and agents.",
           "One row per user.", "_fivetran_synced", "id", [
               ("id", "bigint", "Zendesk user id."),
               ("name", "varchar", "Name. Personal data."),
               ("email", "varchar", "Email as entered. Personal data."),
               ("phone", "varchar", "Phone, optional. Personal data."),
               ("role", "varchar", "User role, e.g. end-user, agent, admin (mapped by seeds/mappings/map_support_user_roles.csv)."),
               ("organization_id", "bigint", "Organization of the user, optional."),
               ("active", "boolean", "False for suspended users."),
               ("created_at", "timestamp", "UTC creation time."),
               ("updated_at", "timestamp", "UTC time of the last change."),
               ZD_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("support", "ticket", "Zendesk tickets, with first-reply and solve times from ticket metrics.",
           "One row per ticket.", "_fivetran_synced", "id", [
               ("id", "bigint", "Zendesk ticket id."),
               ("requester_id", "bigint", "User who asked."),
               ("assignee_id", "bigint", "Agent assigned, optional."),
               ("organization_id", "bigint", "Organization of the requester, optional."),
               ("subject", "varchar", "Subject line."),
               ("status", "varchar", "new, open, pending, solved or closed."),
               ("priority", "varchar", "Priority, e.g. low ... urgent (mapped by seeds/mappings/map_ticket_priorities.csv); optional."),
               ("type", "varchar", "question, incident, problem or task; optional."),
               ("via_channel", "varchar", "email, web, chat or phone."),
               ("created_at", "timestamp", "UTC creation time."),
               ("first_reply_at", "timestamp", "UTC time of the first public agent reply, optional."),
               ("solved_at", "timestamp", "UTC time the ticket was last solved, optional."),
               ("updated_at", "timestamp", "UTC time of the last change."),
               ZD_DELETED,
               FIVETRAN_SYNCED,
           ]),
        _t("support", "satisfaction_rating", "Zendesk CSAT ratings offered after a ticket is solved.",
           "One row per rating.", "_fivetran_synced", "id", [
               ("id", "bigint", "Rating id."),
               ("ticket_id", "bigint", "Ticket rated."),
               ("requester_id", "bigint", "User who rated."),
               ("score", "varchar", "good, bad, offered (sent, no answer) or unoffered."),
               ("comment", "varchar", "Free text, optional."),
               ("created_at", "timestamp", "UTC time the rating was given."),
               ("updated_at", "timestamp", "UTC time of the last change."),
               ZD_DELETED,
               FIVETRAN_SYNCED,
           ]),
    ),
)

FINANCE = RawSystem(
    name="finance",
    description="Finance exports: monthly sales and marketing expenses from the general ledger, and daily FX rates.",
    tables=(
        _t("finance", "sm_expenses", "Monthly sales and marketing expenses by category, excluding ad spend (that comes from the ad platforms).",
           "One row per month, department and category.", "_loaded_at", "expense_month, department, category", [
               ("expense_month", "date", "First day of the month booked."),
               ("department", "varchar", "sales or marketing."),
               ("category", "varchar", "Expense category, e.g. salaries, tools (mapped by seeds/mappings/map_expense_categories.csv)."),
               ("amount", "decimal(18,2)", "Expense in the booking currency."),
               ("currency", "varchar", "ISO 4217 code of the booking currency."),
               ("_loaded_at", "timestamp", "UTC time the row was loaded."),
           ]),
        _t("finance", "fx_rates", "Daily reference FX rates against a base currency, business days only.",
           "One row per day and quote currency.", "_loaded_at", "rate_date, quote_currency", [
               ("rate_date", "date", "Business day of the rate."),
               ("base_currency", "varchar", "ISO 4217 base currency (USD)."),
               ("quote_currency", "varchar", "ISO 4217 quote currency."),
               ("rate", "decimal(18,8)", "Units of the quote currency for one unit of the base currency."),
               ("_loaded_at", "timestamp", "UTC time the row was loaded."),
           ]),
    ),
)

SYSTEMS: tuple[RawSystem, ...] = (MARKETING, CRM, BILLING, SUPPORT, FINANCE)

# The staging model that reads each raw table (one row per primary key of the raw table).
STAGING_MODELS: dict[tuple[str, str], str] = {
    ("marketing", "ad_spend"): "stg_marketing__ad_spend",
    ("marketing", "web_sessions"): "stg_marketing__web_sessions",
    ("marketing", "form_submissions"): "stg_marketing__form_submissions",
    ("crm", "user"): "stg_crm__users",
    ("crm", "account"): "stg_crm__accounts",
    ("crm", "contact"): "stg_crm__contacts",
    ("crm", "lead"): "stg_crm__leads",
    ("crm", "opportunity"): "stg_crm__opportunities",
    ("crm", "opportunity_history"): "stg_crm__opportunity_history",
    ("crm", "task"): "stg_crm__tasks",
    ("crm", "event"): "stg_crm__events",
    ("crm", "campaign"): "stg_crm__campaigns",
    ("crm", "campaign_member"): "stg_crm__campaign_members",
    ("billing", "customer"): "stg_billing__customers",
    ("billing", "subscription"): "stg_billing__subscriptions",
    ("billing", "subscription_item"): "stg_billing__subscription_items",
    ("billing", "invoice"): "stg_billing__invoices",
    ("billing", "invoice_line_item"): "stg_billing__invoice_line_items",
    ("support", "organization"): "stg_support__organizations",
    ("support", "user"): "stg_support__users",
    ("support", "ticket"): "stg_support__tickets",
    ("support", "satisfaction_rating"): "stg_support__satisfaction_ratings",
    ("finance", "sm_expenses"): "stg_finance__sm_expenses",
    ("finance", "fx_rates"): "stg_finance__fx_rates",
}


def all_tables() -> list[RawTable]:
    return [table for system in SYSTEMS for table in system.tables]


def table(system: str, name: str) -> RawTable:
    for candidate in all_tables():
        if candidate.system == system and candidate.name == name:
            return candidate
    raise KeyError(f"no raw table {system}.{name} in the contract")


# What each KPI needs of the raw data, by the name of its docs block (the KPI catalog). Every
# system and table is optional: a KPI whose needs are not all loaded is null, never 0, and
# marts.kpi_coverage says which tables it misses. `needs` must all be loaded; of `needs_any`, at
# least one. A table counts as loaded when it is present and holds at least one row.
# `improved_by` tables refine a KPI without being required (e.g. touches for attribution).
BILLING_CORE = ("billing.customer", "billing.subscription", "billing.subscription_item")


@dataclass(frozen=True)
class KpiNeeds:
    needs: tuple[str, ...]
    needs_any: tuple[str, ...] = ()
    improved_by: tuple[str, ...] = ()


_TOUCHES = ("marketing.web_sessions", "marketing.form_submissions", "crm.lead", "crm.opportunity")

KPI_NEEDS: dict[str, KpiNeeds] = {
    # acquisition
    "kpi_ad_spend": KpiNeeds(("marketing.ad_spend",)),
    "kpi_attribution": KpiNeeds(BILLING_CORE, improved_by=_TOUCHES),
    "kpi_sales_marketing_expense": KpiNeeds(("finance.sm_expenses",), improved_by=("marketing.ad_spend",)),
    "kpi_cac_blended": KpiNeeds((*BILLING_CORE, "finance.sm_expenses"), improved_by=("marketing.ad_spend",)),
    "kpi_cac_channel": KpiNeeds((*BILLING_CORE, "marketing.ad_spend"), improved_by=_TOUCHES),
    "kpi_cac_paid": KpiNeeds((*BILLING_CORE, "marketing.ad_spend"), improved_by=_TOUCHES),
    "kpi_cac_payback_months": KpiNeeds((*BILLING_CORE, "finance.sm_expenses"), improved_by=("marketing.ad_spend",)),
    "kpi_cost_per_lead": KpiNeeds(("marketing.ad_spend", "crm.lead")),
    "kpi_ltv": KpiNeeds(BILLING_CORE),
    "kpi_ltv_to_cac": KpiNeeds((*BILLING_CORE, "finance.sm_expenses"), improved_by=("marketing.ad_spend",)),
    "kpi_new_customer_arpa": KpiNeeds(BILLING_CORE),
    # cross-functional
    "kpi_channel_economics": KpiNeeds(BILLING_CORE, improved_by=("marketing.ad_spend", *_TOUCHES)),
    "kpi_driver_tree": KpiNeeds((*BILLING_CORE, "crm.lead")),
    "kpi_funnel_leaks": KpiNeeds(("crm.lead", "crm.opportunity")),
    # revenue
    **{kpi: KpiNeeds(BILLING_CORE) for kpi in (
        "kpi_active_customers", "kpi_arpa", "kpi_arr", "kpi_churned_customers", "kpi_churned_mrr",
        "kpi_cohort_retention", "kpi_contraction_mrr", "kpi_expansion_mrr", "kpi_gross_mrr_churn_rate",
        "kpi_gross_revenue_retention", "kpi_logo_churn_rate", "kpi_mrr", "kpi_net_mrr_churn_rate",
        "kpi_net_revenue_retention", "kpi_new_customers", "kpi_new_mrr", "kpi_quick_ratio", "kpi_reactivation_mrr",
    )},
    # sales
    "kpi_leads": KpiNeeds(("crm.lead",)),
    "kpi_mqls": KpiNeeds(("crm.lead",)),
    "kpi_sqls": KpiNeeds(("crm.lead",)),
    "kpi_cohort_mqls": KpiNeeds(("crm.lead",)),
    "kpi_cohort_sqls": KpiNeeds(("crm.lead",)),
    "kpi_cohort_opportunities": KpiNeeds(("crm.lead", "crm.opportunity")),
    "kpi_customers": KpiNeeds(("crm.lead", "crm.opportunity")),
    "kpi_funnel_conversion_rates": KpiNeeds(("crm.lead", "crm.opportunity")),
    "kpi_funnel_stage_days": KpiNeeds(("crm.lead", "crm.opportunity")),
    "kpi_lead_to_customer_rate": KpiNeeds(("crm.lead", "crm.opportunity")),
    "kpi_speed_to_lead_hours": KpiNeeds(("crm.lead",), needs_any=("crm.task", "crm.event")),
    "kpi_speed_to_lead_sla_rate": KpiNeeds(("crm.lead",), needs_any=("crm.task", "crm.event")),
    "kpi_opportunities": KpiNeeds(("crm.opportunity",)),
    **{kpi: KpiNeeds(("crm.opportunity",), improved_by=("crm.opportunity_history",)) for kpi in (
        "kpi_open_pipeline", "kpi_pipeline_created", "kpi_pipeline_velocity", "kpi_sales_cycle_days",
        "kpi_weighted_pipeline", "kpi_win_rate", "kpi_win_rate_amount",
    )},
    # support
    "kpi_tickets": KpiNeeds(("support.ticket",)),
    "kpi_backlog": KpiNeeds(("support.ticket",)),
    "kpi_first_reply_hours": KpiNeeds(("support.ticket",)),
    "kpi_resolution_hours": KpiNeeds(("support.ticket",)),
    "kpi_csat": KpiNeeds(("support.satisfaction_rating",)),
    "kpi_tickets_per_active_customer": KpiNeeds(("support.ticket", *BILLING_CORE)),
    **{kpi: KpiNeeds(("support.ticket", *BILLING_CORE), improved_by=("support.satisfaction_rating",)) for kpi in (
        "kpi_support_band_churn_vs_rest", "kpi_support_band_churned_accounts", "kpi_support_band_logo_churn_rate",
        "kpi_support_band_net_revenue_retention", "kpi_support_band_starting_accounts",
    )},
}
