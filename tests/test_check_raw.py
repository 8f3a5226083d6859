"""The raw check (scripts/check_raw.py): one run lists every problem of a raw folder, grouped by
table, with the names, ids, values and counts a user needs to fix them; exit 1 on an error.

The broken folder is tests/data/byod_tiny with, all at once:
  crm.lead            utm_source__c renamed utm_source_c, mql_date__c renamed mql_date
  support.ticket      priority renamed ticket_priority
  marketing.ad_spend  clicks removed (no near name)
  crm.opportunity     the file renamed opportunities.csv (missing table, with a near name)
  billing.customer    a second `email` column in the header
  billing.subscription_item  two created timestamps that do not parse
  crm.opportunity_history    stages Qualification (2 rows) and Legal Review (1 row), not in the mapping
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import check_raw
import raw_contract

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "byod_tiny"
DEMO_STAGES = ("Discovery", "Demo", "Proposal", "Negotiation", "Closed Won", "Closed Lost")


@pytest.fixture(autouse=True)
def no_raw_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check reads REVOPS_RAW_* like dbt: each test sets what it means with flags."""
    for name in list(os.environ):
        if name.startswith("REVOPS_RAW_") or name.endswith(("_CONNECTOR", "_CONNECTORS")):
            monkeypatch.delenv(name)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def rename_column(path: Path, old: str, new: str) -> None:
    rows = read_rows(path)
    rows[0] = [new if name == old else name for name in rows[0]]
    write_rows(path, rows)


def drop_column(path: Path, name: str) -> None:
    rows = read_rows(path)
    index = rows[0].index(name)
    write_rows(path, [row[:index] + row[index + 1:] for row in rows])


def set_value(path: Path, row_id: str, column: str, value: str) -> None:
    rows = read_rows(path)
    index = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == row_id:
            row[index] = value
    write_rows(path, rows)


def write_stage_mapping(folder: Path) -> Path:
    """A mapping folder in the convention (seeds/mappings): the demo's six stages only."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_mappings__seeds.yml").write_text("""
version: 2
seeds:
  - name: map_opportunity_stages
    description: "One row per raw opportunity stage."
    config:
      meta:
        vocabulary:
          raw: [{system: crm, table: opportunity, column: stage_name},
                {system: crm, table: opportunity_history, column: stage_name}]
          key: stage_name
          unmapped: unmapped
      column_types: {stage_name: varchar, canonical_stage: varchar, stage_order: integer}
""")
    write_rows(folder / "map_opportunity_stages.csv",
               [["stage_name", "canonical_stage", "stage_order"]]
               # keys in another case and with spaces: matching is on lower(trim())
               + [[f" {stage.upper()} ", stage.lower().replace(" ", "_"), str(order)]
                  for order, stage in enumerate(DEMO_STAGES, start=1)])
    return folder


def broken_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(TINY, raw)
    rename_column(raw / "crm" / "lead.csv", "utm_source__c", "utm_source_c")
    rename_column(raw / "crm" / "lead.csv", "mql_date__c", "mql_date")
    rename_column(raw / "support" / "ticket.csv", "priority", "ticket_priority")
    drop_column(raw / "marketing" / "ad_spend.csv", "clicks")
    (raw / "crm" / "opportunity.csv").rename(raw / "crm" / "opportunities.csv")
    rows = read_rows(raw / "billing" / "customer.csv")
    write_rows(raw / "billing" / "customer.csv", [rows[0] + ["email"]] + [row + ["x@example.com"] for row in rows[1:]])
    set_value(raw / "billing" / "subscription_item.csv", "si_000000000001", "created", "not a date")
    set_value(raw / "billing" / "subscription_item.csv", "si_000000000002", "created", "2025-02-30 09:00:00")
    history = raw / "crm" / "opportunity_history.csv"
    ids = [row[0] for row in read_rows(history)[1:]]
    for row_id, stage in zip(ids, ("Qualification", " qualification ", "Legal Review"), strict=False):
        set_value(history, row_id, "stage_name", stage)
    return raw


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = check_raw.main(list(args))
    return code, capsys.readouterr().out


def files_args(folder: Path, file_format: str = "csv") -> list[str]:
    return ["--mode", "files", "--files-path", str(folder), "--files-format", file_format,
            "--files-template", "{path}/{system}/{table}.{format}"]


def lines_with(output: str, *words: str) -> list[str]:
    return [line for line in output.splitlines() if all(word in line for word in words)]


def test_the_clean_tiny_folder_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, output = run(capsys, *files_args(TINY))
    assert code == 0, output
    assert not lines_with(output, "ERROR")
    assert "marketing: 3 of 3 tables found" in output
    assert "Every KPI has the tables it needs." in output
    assert lines_with(output, "event", "1 row, loaded 2025-03-01 00:00:00 to 2025-03-01 00:00:00")
    # its stages are the demo's: none unmapped by the stage mapping
    code, output = run(capsys, *files_args(TINY), "--mappings", str(write_stage_mapping(tmp_path / "mappings")))
    assert code == 0 and "WARNING" not in output and "Vocabulary: skipped" not in output, output


def test_one_run_lists_every_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    raw = broken_folder(tmp_path)
    mappings = write_stage_mapping(tmp_path / "mappings")
    code, output = run(capsys, *files_args(raw), "--mappings", str(mappings))
    assert code == 1, output

    # missing columns in three tables, each with the file, and a near name where one exists
    lead = f"{raw}/crm/lead.csv"
    [utm] = lines_with(output, "ERROR", "crm.lead: missing column utm_source__c (varchar)")
    assert lead in utm and utm.endswith("did you mean utm_source_c?")
    [mql] = lines_with(output, "ERROR", "crm.lead: missing column mql_date__c (timestamp)")
    assert mql.endswith("did you mean mql_date?")
    [priority] = lines_with(output, "ERROR", "support.ticket: missing column priority", f"{raw}/support/ticket.csv")
    assert priority.endswith("did you mean ticket_priority?")
    [clicks] = lines_with(output, "ERROR", "marketing.ad_spend: missing column clicks (bigint)")
    assert "did you mean" not in clicks
    assert len(lines_with(output, "ERROR", "missing column")) == 4

    # the missing table: optional, its KPIs, and the file of a near name
    [opportunity] = lines_with(output, "MISSING", "crm.opportunity: not found")
    assert f"{raw}/crm/opportunity.csv" in opportunity
    assert f"did you mean {raw}/crm/opportunities.csv?" in opportunity
    assert opportunity.index("did you mean") < opportunity.index("optional, KPIs NULL without it: ")
    null_part = opportunity.split("KPIs NULL without it: ")[1].split(";")[0].split(", ")
    assert {"kpi_win_rate", "kpi_opportunities", "kpi_open_pipeline", "kpi_funnel_leaks"} <= set(null_part)
    assert "kpi_mrr" not in null_part and "kpi_leads" not in null_part
    assert "computed with less detail: " in opportunity and "kpi_attribution" in opportunity.split("less detail: ")[1]

    # the duplicated header, with its positions
    [duplicate] = lines_with(output, "ERROR", "billing.customer: column email appears 2 times")
    assert f"{raw}/billing/customer.csv" in duplicate and "(positions 2, 11)" in duplicate

    # unparseable timestamps: count, the ids and the values
    [created] = lines_with(output, "ERROR", "billing.subscription_item: 2 value(s) of column created")
    assert "do not parse as timestamp" in created
    assert "si_000000000001: 'not a date'" in created and "si_000000000002: '2025-02-30 09:00:00'" in created

    # the unmapped stages, counted after lower(trim()), with the seed they are missing from
    [stages] = lines_with(output, "WARNING", "crm.opportunity_history: 2 value(s) of column stage_name (3 rows)")
    assert "'Qualification' (2 rows), 'Legal Review' (1 row)" in stages
    assert str(mappings / "map_opportunity_stages.csv") in stages and "build as 'unmapped'" in stages

    # grouped by table: each table's problems under its own heading
    headings = [line for line in output.splitlines() if line and not line.startswith(" ") and "  (" in line]
    assert [heading.split()[0] for heading in headings] == [
        "marketing.ad_spend", "crm.lead", "crm.opportunity", "crm.opportunity_history", "billing.customer",
        "billing.subscription_item", "support.ticket"]

    # the summary: what was found, which KPIs are NULL and why
    assert "crm: 9 of 10 tables found" in output
    assert lines_with(output, "without crm.opportunity:", "kpi_win_rate")
    assert lines_with(output, "without crm.lead, crm.opportunity:") == []  # crm.lead is present
    assert "6 error(s), 1 warning(s), 1 table(s) not found (optional)." in output


def test_json_output_carries_the_same_problems(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    raw = broken_folder(tmp_path)
    code, output = run(capsys, *files_args(raw), "--mappings", str(write_stage_mapping(tmp_path / "mappings")),
                       "--format", "json")
    assert code == 1
    report = json.loads(output)
    problems = [problem for table in report["tables"] for problem in table["problems"]]
    kinds = sorted((p["kind"], f"{p['system']}.{p['table']}", p["column"] or "") for p in problems)
    assert kinds == [
        ("duplicated_header", "billing.customer", "email"),
        ("missing_column", "crm.lead", "mql_date__c"),
        ("missing_column", "crm.lead", "utm_source__c"),
        ("missing_column", "marketing.ad_spend", "clicks"),
        ("missing_column", "support.ticket", "priority"),
        ("missing_table", "crm.opportunity", ""),
        ("unmapped", "crm.opportunity_history", "stage_name"),
        ("unparseable", "billing.subscription_item", "created"),
    ]
    [unparseable] = [p for p in problems if p["kind"] == "unparseable"]
    assert unparseable["details"]["samples"] == [{"id": "si_000000000001", "value": "not a date"},
                                                 {"id": "si_000000000002", "value": "2025-02-30 09:00:00"}]
    [unmapped] = [p for p in problems if p["kind"] == "unmapped"]
    assert unmapped["details"]["values"] == [{"value": "Qualification", "rows": 2},
                                             {"value": "Legal Review", "rows": 1}]
    assert report["errors"] == 6 and report["warnings"] == 1
    assert report["kpis_null"]["kpi_win_rate"] == ["crm.opportunity"]
    lead = next(table for table in report["tables"] if table["system"] == "crm" and table["table"] == "lead")
    assert lead["rows"] == 6 and lead["loaded"] is True


def test_a_mapping_of_a_column_outside_the_contract_is_named(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    mappings = write_stage_mapping(tmp_path / "mappings")
    declaration = mappings / "_mappings__seeds.yml"
    declaration.write_text(declaration.read_text().replace("column: stage_name}]", "column: stage}]"))
    code, output = run(capsys, *files_args(TINY), "--mappings", str(mappings))
    assert code == 0
    [warning] = lines_with(output, "WARNING")
    assert warning.endswith("map_opportunity_stages maps crm.opportunity_history.stage, which is not a column of "
                            "the raw contract: not checked.")


def test_without_mapping_seeds_the_vocabulary_is_skipped_in_one_line(capsys: pytest.CaptureFixture[str],
                                                                     tmp_path: Path) -> None:
    code, output = run(capsys, *files_args(broken_folder(tmp_path)), "--mappings", str(tmp_path / "no_mappings"))
    assert code == 1
    [skipped] = lines_with(output, "Vocabulary: skipped")
    assert str(tmp_path / "no_mappings" / "_mappings__seeds.yml") in skipped
    assert "WARNING" not in output


def test_a_missing_system_names_the_null_kpis_and_is_not_an_error(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(TINY, raw)
    shutil.rmtree(raw / "support")
    shutil.rmtree(raw / "marketing")
    code, output = run(capsys, *files_args(raw))
    assert code == 0, output
    assert "support: 0 of 4 tables found" in output and "marketing: 0 of 3 tables found" in output
    # one line per missing system, not per table
    assert not lines_with(output, "support.ticket: not found")
    [support] = lines_with(output, "MISSING", "support: none of its 4 tables found (organization, user, ticket, "
                           f"satisfaction_rating at {raw}/support/{{table}}.csv)")
    assert "kpi_tickets" in support and "kpi_csat" in support and "kpi_mrr" not in support
    [marketing] = lines_with(output, "MISSING", "marketing: none of its 3 tables found")
    # web sessions refine attribution; ad spend is needed by paid CAC
    assert "kpi_cac_paid" in marketing.split("KPIs NULL without it: ")[1].split(";")[0]
    assert "kpi_attribution" in marketing.split("computed with less detail: ")[1]
    assert lines_with(output, "without support.ticket:", "kpi_first_reply_hours")
    assert lines_with(output, "without marketing.ad_spend:", "kpi_ad_spend")
    assert "7 table(s) not found (optional)" in output


def typed_parquet(source: Path, destination: Path, typed: bool) -> None:
    """The CSV folder as Parquet: with the contract's types, or every column as text."""
    with duckdb.connect() as connection:
        for table in raw_contract.all_tables():
            csv_path = source / table.system / f"{table.name}.csv"
            if not csv_path.exists():
                continue
            (destination / table.system).mkdir(parents=True, exist_ok=True)
            columns = ", ".join(f"cast({c.name} as {c.type}) as {c.name}" if typed else c.name for c in table.columns)
            select = f"select {columns} from read_csv('{csv_path}', header = true, all_varchar = true)"
            connection.execute(f"copy ({select}) to '{destination / table.system / table.name}.parquet' "
                               "(format parquet)")


def test_parquet_folders(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    typed_parquet(TINY, tmp_path / "typed", typed=True)
    code, output = run(capsys, *files_args(tmp_path / "typed", "parquet"))
    assert code == 0 and not lines_with(output, "ERROR"), output
    assert "crm: 10 of 10 tables found" in output

    # text columns in Parquet are cast as staging casts them; an absent table is found as such
    text = tmp_path / "text"
    typed_parquet(TINY, text, typed=False)
    (text / "finance" / "sm_expenses.parquet").rename(text / "finance" / "sm_expense.parquet")
    with duckdb.connect() as connection:
        path = text / "crm" / "lead.parquet"
        connection.execute(f"copy (select * replace (case when id = '00Q000000000000001' then 'yesterday' "
                           f"else created_date end as created_date) from read_parquet('{path}')) "
                           f"to '{tmp_path / 'lead.parquet'}' (format parquet)")
    shutil.move(tmp_path / "lead.parquet", path)
    code, output = run(capsys, *files_args(text, "parquet"))
    assert code == 1, output
    [created] = lines_with(output, "ERROR", "crm.lead: 1 value(s) of column created_date", str(path))
    assert "00Q000000000000001: 'yesterday'" in created
    [expenses] = lines_with(output, "MISSING", "finance.sm_expenses: not found")
    assert f"did you mean {text}/finance/sm_expense.parquet?" in expenses
    assert "kpi_cac_blended" in expenses


def test_the_configured_format_is_checked_against_the_files_there(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    typed_parquet(TINY, tmp_path / "raw", typed=True)
    code, output = run(capsys, *files_args(tmp_path / "raw", "csv"))
    assert code == 1  # no table at all is a setting to fix, not a company without systems
    assert lines_with(output, "ERROR", "No raw table found at all (files mode, csv")
    [lead] = lines_with(output, "MISSING", "crm.lead: not found")
    assert f"{tmp_path}/raw/crm/lead.parquet exists: is REVOPS_RAW_FILES_FORMAT csv meant to be parquet?" in lead


def test_tables_mode_reads_the_schemas_of_a_duckdb_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "landing.duckdb"
    with duckdb.connect(str(database)) as connection:
        for table in raw_contract.all_tables():
            if (table.system, table.name) == ("crm", "task"):
                continue
            connection.execute(f"create schema if not exists landing_{table.system}")
            connection.execute(f'create table landing_{table.system}."{table.name}" as select * from '
                               f"read_csv('{TINY / table.system / table.name}.csv', header = true, all_varchar = true)")
        connection.execute("alter table landing_crm.lead rename column mql_date__c to mql_date")
    # the file and the schema pattern as profiles.yml and the sources read them
    monkeypatch.setenv("REVOPS_RAW_MODE", "tables")
    monkeypatch.setenv("REVOPS_RAW_ATTACH_PATH", str(database))
    monkeypatch.setenv("REVOPS_RAW_ATTACH_ALIAS", "landing")
    monkeypatch.setenv("REVOPS_RAW_DATABASE", "landing")
    monkeypatch.setenv("REVOPS_RAW_SCHEMA_PATTERN", "landing_{system}")
    code, output = run(capsys)
    assert code == 1, output
    assert f"tables mode: schemas landing_{{system}} in the DuckDB file {database}" in output
    [mql] = lines_with(output, "ERROR", "crm.lead: missing column mql_date__c", f"landing_crm.lead in {database}")
    assert mql.endswith("did you mean mql_date?")
    [task] = lines_with(output, "MISSING", "crm.task: not found")
    # speed to lead needs a task or an event: the events are there
    assert "kpi_speed_to_lead_hours" not in task and "kpi_speed_to_lead_hours" not in output.split("Summary")[1]


def test_the_demo_data_passes_in_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code, output = run(capsys, "--mode", "demo")
    seconds = time.monotonic() - started
    assert code == 0, output
    assert not lines_with(output, "ERROR") and not lines_with(output, "MISSING")
    for system in raw_contract.SYSTEMS:
        assert f"{system.name}: {len(system.tables)} of {len(system.tables)} tables found" in output
    assert lines_with(output, "web_sessions", "27,571 rows")
    assert seconds < 60, f"the raw check took {seconds:.1f}s on the demo data"
    print(f"demo raw check: {seconds:.1f}s", file=sys.stderr)


def test_the_command_line_exit_code(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("REVOPS_RAW_")}
    env.update(REVOPS_RAW_MODE="files", REVOPS_RAW_FILES_PATH=str(broken_folder(tmp_path)))
    completed = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_raw.py"), "--mappings",
                                str(tmp_path / "none")], capture_output=True, text=True, env=env)
    assert completed.returncode == 1, completed.stderr
    assert "crm.lead: missing column utm_source__c" in completed.stdout
    # a flag wins over its environment variable
    completed = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_raw.py"), "--files-path", str(TINY),
                                "--mappings", str(tmp_path / "none")], capture_output=True, text=True, env=env)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_rows_without_their_primary_key_are_a_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The build quarantines them (missing_record_id), so the check warns and names the count."""
    raw = tmp_path / "raw"
    shutil.copytree(TINY, raw)
    set_value(raw / "support" / "ticket.csv", "301", "id", "")
    rows = read_rows(raw / "marketing" / "ad_spend.csv")
    rows[1][rows[0].index("campaign_id")] = "  "
    write_rows(raw / "marketing" / "ad_spend.csv", rows)
    code, output = run(capsys, *files_args(raw))
    assert code == 0, output
    [ticket] = lines_with(output, "WARNING", "support.ticket: 1 row(s)")
    assert f"{raw}/support/ticket.csv have no id" in ticket and "missing_record_id" in ticket
    [spend] = lines_with(output, "WARNING", "marketing.ad_spend: 1 row(s)")
    assert "have no platform, campaign_id, date_day" in spend


def test_a_system_read_through_its_connector_is_checked_against_the_connector_tables(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tiny folder with support as Fivetran's Zendesk lands it (tests/data/connectors_tiny):
    the contract's support tables are found through the connector's, and a missing connector
    table is named with where it was looked for, the other systems checked as before."""
    folder = tmp_path / "raw"
    shutil.copytree(TINY, folder)
    shutil.rmtree(folder / "support")
    shutil.copytree(ROOT / "tests" / "data" / "connectors_tiny" / "zendesk", folder / "zendesk")
    monkeypatch.setenv("REVOPS_SUPPORT_CONNECTOR", "zendesk")
    code, output = run(capsys, *files_args(folder))
    assert code == 0, output
    assert "support: 4 of 4 tables found" in output and "Every KPI has the tables it needs." in output
    assert lines_with(output, "ticket", "2 rows", "(through the zendesk connector: zendesk.ticket)")
    # no rating table: the ratings are read from the field history
    assert lines_with(output, "satisfaction_rating", "(through the zendesk connector: zendesk.ticket_field_history)")

    (folder / "zendesk" / "ticket.csv").unlink()
    code, output = run(capsys, *files_args(folder))
    assert code == 0, output  # a missing table is optional, as in the contract
    assert lines_with(output, "MISSING", "support.ticket", "read through the zendesk connector, which needs "
                      f"zendesk.ticket ({folder}/zendesk/ticket.csv): not found", "kpi_first_reply_hours")

    with pytest.raises(SystemExit, match="a connector reads your own data"):
        run(capsys, "--mode", "demo")


def test_salesforce_is_checked_through_its_connector_under_fivetran_or_airbyte_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tiny folder with the CRM as Fivetran's Salesforce lands it: no OpportunityHistory table,
    so the stage history is found in History Mode (salesforce_history.opportunity). Renamed as
    Airbyte names its streams (campaignmember, userrole), the same tables are found under those."""
    folder = tmp_path / "raw"
    shutil.copytree(TINY, folder)
    shutil.rmtree(folder / "crm")
    for name in ("salesforce", "salesforce_history"):
        shutil.copytree(ROOT / "tests" / "data" / "connectors_tiny" / name, folder / name)
    monkeypatch.setenv("REVOPS_CRM_CONNECTOR", "salesforce")
    code, output = run(capsys, *files_args(folder))
    assert code == 0, output
    assert "crm: 10 of 10 tables found" in output
    assert lines_with(output, "opportunity_history", "12 rows",
                      "(through the salesforce connector: salesforce_history.opportunity)")
    assert lines_with(output, "campaign_member", "1 row",
                      "(through the salesforce connector: salesforce.campaign_member)")

    (folder / "salesforce" / "campaign_member.csv").rename(folder / "salesforce" / "campaignmember.csv")
    code, output = run(capsys, *files_args(folder))
    assert code == 0, output
    assert lines_with(output, "campaign_member", "1 row",
                      "(through the salesforce connector: salesforce.campaignmember)")

    # dbt's --vars: the connector and a table landed under another name
    monkeypatch.delenv("REVOPS_CRM_CONNECTOR")
    (folder / "salesforce" / "lead.csv").rename(folder / "salesforce" / "leads.csv")
    code, output = run(capsys, *files_args(folder),
                       "--vars", "{crm_connector: salesforce, salesforce_identifiers: {lead: leads}}")
    assert code == 0, output
    assert lines_with(output, "lead", "5 rows", "(through the salesforce connector: salesforce.leads)")
