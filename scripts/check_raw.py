"""Check the configured raw data against the raw contract and list every problem in one run.

    python3 scripts/run.py check-raw                      # the settings dbt would use
    python3 scripts/run.py check-raw --mode files --files-path /data/raw --files-format parquet
    python3 scripts/run.py check-raw --format json        # for machines
    python3 scripts/run.py check-raw --vars '{crm_connector: salesforce}'   # dbt's --vars, as for dbt build

It reads the raw data the way the dbt project does (macros/raw_source.sql): the same settings
(REVOPS_RAW_MODE, REVOPS_RAW_FILES_PATH, REVOPS_RAW_FILES_FORMAT, REVOPS_RAW_FILES_TEMPLATE,
REVOPS_RAW_DATABASE, REVOPS_RAW_SCHEMA_PATTERN; a flag wins over its variable), the same reader
(read_csv all_varchar / read_parquet, union_by_name) and the same casts as staging (timestamps
through timestamptz, so a value with an offset parses). It reports, grouped by raw table:

  missing table        optional: which KPIs are NULL without it, and a near name if one exists
  missing column       error, with a near name among the columns found
  duplicated header    error (a CSV header naming a column twice; DuckDB would rename the second)
  unparseable values   error: per typed column, the count and up to 5 sample ids and values
  unmapped vocabulary  warning: raw values not in a mapping seed (seeds/mappings), with row counts

then a summary: the tables found (rows, loaded-at range) and the KPIs that will be NULL and why.
A system read through a connector (REVOPS_CRM_CONNECTOR=salesforce, REVOPS_BILLING_CONNECTOR=stripe,
REVOPS_SUPPORT_CONNECTOR=zendesk, REVOPS_AD_CONNECTORS=...; macros/connectors.sql) is checked against the connector's
tables: each contract table is found when the tables its adapter needs are there, and missing,
naming them, when not; the adapters check the connector columns when dbt compiles them.
Exit code 1 when an error exists, else 0. The raw tables are defined in scripts/raw_contract.py.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import gzip
import io
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

import raw_contract as contract

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SIZE = 5
SHOWN_VALUES = 20  # unmapped values listed per column in the text output
TYPED = ("timestamp", "date", "decimal", "integer", "bigint", "boolean")
# Files or tables present but not in the contract are suggested for a missing name this close.
NEAR_NAME_CUTOFF = 0.6


@dataclass(frozen=True)
class Settings:
    """Where the raw data is: the settings of macros/raw_source.sql raw_setting()."""

    mode: str
    files_path: str
    files_format: str
    files_template: str
    database_file: str
    schema_pattern: str
    demo_path: Path
    mappings_path: Path
    # system -> connector, for the systems read through a connector (REVOPS_<SYSTEM>_CONNECTOR,
    # REVOPS_AD_CONNECTORS for marketing: 'ads'); ad_connectors: the ad platforms chosen
    connectors: tuple[tuple[str, str], ...] = ()
    ad_connectors: tuple[str, ...] = ()
    # connector -> schema in tables mode (REVOPS_<CONNECTOR>_SCHEMA, default the connector's name)
    connector_schemas: tuple[tuple[str, str], ...] = ()
    # (connector, table, landed name): --vars '{<connector>_identifiers: {table: name}}'
    connector_identifiers: tuple[tuple[str, str, str], ...] = ()

    def describe(self) -> str:
        if self.mode == "files":
            return f"files mode, {self.files_format}: {self.files_template} with path {self.files_path}"
        if self.mode == "tables":
            return f"tables mode: schemas {self.schema_pattern} in the DuckDB file {self.database_file}"
        return f"demo mode: the seeds in {self.demo_path}"


@dataclass
class Problem:
    level: str  # error | warning | missing
    kind: str  # missing_table, missing_column, duplicated_header, unparseable, missing_record_id, unmapped, unreadable
    system: str
    table: str
    location: str
    message: str
    column: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class TableReport:
    system: str
    table: str
    location: str
    present: bool
    rows: int | None = None
    loaded_at_min: str | None = None
    loaded_at_max: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.system}.{self.table}"

    @property
    def loaded(self) -> bool:
        """Loaded as the coverage model counts it: present and holding at least one row."""
        return self.present and bool(self.rows)


@dataclass(frozen=True)
class Located:
    """One raw table located: how to read it, and what lies near it for a 'did you mean'."""

    location: str
    relation: str | None  # SQL relation expression; None when the table is absent
    landed_as: str | None = None  # a connector table found under another name (Airbyte's opportunityhistory)
    csv_files: tuple[str, ...] = ()
    near: tuple[tuple[str, str], ...] = ()  # (name, file or relation) found that the contract does not know
    hint: str | None = None  # a ready-made suggestion (e.g. the same file in another format)


# ---------------------------------------------------------------------------------------------
# connectors: read from macros/connectors.sql, the one place they are defined


def connector_macros() -> dict[str, Any]:
    """connector_registry() and ad_connector_facts() of macros/connectors.sql, rendered with Jinja
    as dbt renders them (their `return` hands back the value)."""
    import jinja2  # installed with dbt

    values: dict[str, Any] = {}
    source = (ROOT / "macros" / "connectors.sql").read_text()
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    for name in ("connector_registry", "ad_connector_facts"):
        def give(value: Any, name: str = name) -> str:
            values[name] = value
            return ""
        environment.from_string(source + "{{ " + name + "() }}").render({"return": give})
    return values


def resolve_connectors(env: Mapping[str, str]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...],
                                                        tuple[tuple[str, str], ...]]:
    macros = connector_macros()
    registry, facts = macros["connector_registry"], macros["ad_connector_facts"]
    chosen = []
    for system, connectors in registry.items():
        if system == "marketing":
            continue
        name = env.get(f"REVOPS_{system.upper()}_CONNECTOR", "contract").strip().lower() or "contract"
        if name != "contract":
            if name not in connectors:
                raise SystemExit(f"check-raw: REVOPS_{system.upper()}_CONNECTOR is '{name}', not a connector of "
                                 f"{system}; choose contract or {' or '.join(connectors)}.")
            chosen.append((system, name))
    ads = tuple(name.strip().lower() for name in env.get("REVOPS_AD_CONNECTORS", "").split(",") if name.strip())
    for name in ads:
        if name not in facts:
            raise SystemExit(f"check-raw: REVOPS_AD_CONNECTORS lists '{name}', not an ad platform connector; "
                             f"choose from {', '.join(facts)}.")
    if ads:
        chosen.append(("marketing", "ads"))
    names = {connector for _, connector in chosen if connector != "ads"} | set(ads)
    # connectors a chosen one reads tables of (salesforce: salesforce_history.opportunity)
    names |= {need.split(".", 1)[0] for system, connector in chosen if connector != "ads"
              for entry in registry[system][connector].values() for group in entry["needs"] or []
              for need in group if "." in need}
    schemas = tuple((name, env.get(f"REVOPS_{name.upper()}_SCHEMA", "").strip() or name) for name in sorted(names))
    return tuple(chosen), ads, schemas


def connector_needs(settings: Settings, system: str, table: str) -> list[list[tuple[str, str]]] | None:
    """The (connector, table) groups a contract table read through its connector needs (one table
    of each group), or None when the table is read from the contract."""
    connector = dict(settings.connectors).get(system)
    if connector is None:
        return None
    macros = connector_macros()
    entry = macros["connector_registry"][system][connector].get(table)
    if entry is None:
        return None
    if entry["needs"] is None:  # the ad spend: the chosen platforms' fact tables
        return [[(name, macros["ad_connector_facts"][name]) for name in settings.ad_connectors]]
    return [[tuple(name.split(".", 1)) if "." in name else (connector, name) for name in group]
            for group in entry["needs"]]


def locate_connector_table(connection: duckdb.DuckDBPyConnection, settings: Settings, connector: str,
                           table: str) -> Located:
    """A connector table where the adapter reads it: <path>/<connector>/<table> in files mode,
    <connector schema>.<table> in tables mode; when only the name without underscores is there,
    that one, as Airbyte names tables by their stream (macros/connectors.sql, connector_identifier)."""
    named = {(name, landed_table): landed for name, landed_table, landed in settings.connector_identifiers}
    if (connector, table) in named:
        landed = _locate_connector_table(connection, settings, connector, named[(connector, table)])
        return Located(landed.location, landed.relation, landed_as=named[(connector, table)])
    located = _locate_connector_table(connection, settings, connector, table)
    compact = table.replace("_", "")
    if located.relation is None and compact != table:
        landed = _locate_connector_table(connection, settings, connector, compact)
        if landed.relation is not None:
            return Located(landed.location, landed.relation, landed_as=compact)
    return located


def _locate_connector_table(connection: duckdb.DuckDBPyConnection, settings: Settings, connector: str,
                            table: str) -> Located:
    if settings.mode == "files":
        located = locate_file(connection, settings, connector, table)
        return Located(located.location, located.relation)
    schema = dict(settings.connector_schemas).get(connector, connector)
    location = f"{schema}.{table} in {settings.database_file}"
    found = connection.execute(
        "select count(*) from information_schema.tables where table_catalog = 'raw' and lower(table_schema) = "
        "lower(?) and lower(table_name) = lower(?)", [schema, table]).fetchone()[0]
    return Located(location, f"raw.{_quote_identifier(schema)}.{_quote_identifier(table)}" if found else None)


def check_through_connector(connection: duckdb.DuckDBPyConnection, settings: Settings, table: contract.RawTable,
                            needs: list[list[tuple[str, str]]]) -> tuple[TableReport, Located]:
    """A contract table read through its connector: present when each group of the tables its
    adapter needs has one; its rows are the first needed table's."""
    connector = dict(settings.connectors)[table.system]
    found, lacking, first = [], [], None
    for group in needs:
        located = [(name, locate_connector_table(connection, settings, *name)) for name in group]
        present = [(name, where) for name, where in located if where.relation is not None]
        if present:
            found.append(present[0])
            first = first or present[0][1]
        else:
            lacking.append(" or ".join(f"{c}.{t} ({where.location})" for (c, t), where in located))
    shown = ", ".join(f"{c}.{where.landed_as or t}" for (c, t), where in found) or "none"
    location = f"through the {connector} connector: {shown}"  # rows: the first one's
    report = TableReport(table.system, table.name, location, not lacking)
    if lacking:
        return report, Located(location, None, hint=f"read through the {connector} connector, which needs "
                                                    f"{'; '.join(lacking)}: not found")
    try:
        report.rows = connection.execute(f"select count(*) from {first.relation}").fetchone()[0]
    except duckdb.Error as error:
        report.problems.append(Problem("error", "unreadable", report.system, report.table, first.location,
                                       f"{report.key}: {first.location} cannot be read: {error}"))
    return report, Located(location, None)


# ---------------------------------------------------------------------------------------------
# settings


# the dbt vars check-raw reads, and the environment variable each stands for (macros/raw_source.sql,
# raw_setting(); macros/connectors.sql)
VAR_SETTINGS = {
    "raw_data_mode": "REVOPS_RAW_MODE", "raw_database": "REVOPS_RAW_DATABASE",
    "raw_schema_pattern": "REVOPS_RAW_SCHEMA_PATTERN", "raw_files_path": "REVOPS_RAW_FILES_PATH",
    "raw_files_format": "REVOPS_RAW_FILES_FORMAT", "raw_files_template": "REVOPS_RAW_FILES_TEMPLATE",
    "raw_systems": "REVOPS_RAW_SYSTEMS", "ad_connectors": "REVOPS_AD_CONNECTORS",
}


def apply_vars(text: str | None, env: Mapping[str, str]) -> tuple[dict[str, str], tuple[tuple[str, str, str], ...]]:
    """The environment with the settings of a dbt --vars string on top (dbt's order: vars win),
    and the connector identifier overrides it names. Reads the raw settings, <system>_connector,
    ad_connectors, <connector>_schema and <connector>_database, and <connector>_identifiers."""
    merged = dict(env)
    if not text:
        return merged, ()
    values = yaml.safe_load(text)
    if not isinstance(values, dict):
        raise SystemExit(f"check-raw: --vars must be a YAML or JSON mapping, as dbt's --vars is; got {text!r}")
    identifiers = []
    for name, value in values.items():
        if name in VAR_SETTINGS:
            merged[VAR_SETTINGS[name]] = ",".join(value) if isinstance(value, list) else str(value)
        elif name.endswith("_identifiers") and isinstance(value, dict):
            identifiers += [(name.removesuffix("_identifiers"), str(table), str(landed))
                            for table, landed in value.items()]
        elif name.endswith(("_connector", "_schema", "_database")):
            merged[f"REVOPS_{name.upper()}"] = str(value)
    return merged, tuple(identifiers)


def resolve_settings(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    """Flags > --vars > environment variables > the defaults of raw_setting() and profiles.yml."""
    env, identifiers = apply_vars(getattr(args, "vars", None), env)

    def setting(flag: str | None, name: str, default: str) -> str:
        value = flag if flag is not None else env.get(name, default)
        return value.strip() or default

    raw_database = setting(args.raw_database, "REVOPS_RAW_DATABASE", "")
    attach_path = env.get("REVOPS_RAW_ATTACH_PATH", "").strip()
    attach_alias = env.get("REVOPS_RAW_ATTACH_ALIAS", "raw_landing").strip()
    if args.database:
        database_file = args.database
    elif raw_database and attach_path and raw_database == attach_alias:
        database_file = attach_path  # profiles.yml attaches this file under that alias
    else:
        database_file = setting(None, "REVOPS_DUCKDB_PATH", "revops.duckdb")  # the target database
    connectors, ad_connectors, connector_schemas = resolve_connectors(env)
    return Settings(
        connectors=connectors, ad_connectors=ad_connectors, connector_schemas=connector_schemas,
        connector_identifiers=identifiers,
        mode=setting(args.mode, "REVOPS_RAW_MODE", "demo").lower(),
        files_path=setting(args.files_path, "REVOPS_RAW_FILES_PATH", "data/raw"),
        files_format=setting(args.files_format, "REVOPS_RAW_FILES_FORMAT", "csv").lower(),
        files_template=setting(args.files_template, "REVOPS_RAW_FILES_TEMPLATE", "{path}/{system}/{table}.{format}"),
        database_file=database_file,
        schema_pattern=setting(args.schema_pattern, "REVOPS_RAW_SCHEMA_PATTERN", "raw_{system}"),
        demo_path=Path(args.demo_path),
        mappings_path=Path(args.mappings),
    )


# ---------------------------------------------------------------------------------------------
# locating the raw tables


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote_identifier(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def file_location(settings: Settings, system: str, table: str, file_format: str | None = None) -> str:
    """The file or glob of one raw table, as raw_file_location() renders it."""
    return (settings.files_template.replace("{path}", settings.files_path).replace("{system}", system)
            .replace("{table}", table).replace("{format}", file_format or settings.files_format))


def _glob(connection: duckdb.DuckDBPyConnection, pattern: str) -> list[str]:
    try:
        return [row[0] for row in connection.execute("select file from glob(?) order by file", [pattern]).fetchall()]
    except duckdb.Error:
        return []


def _template_regex(settings: Settings, system: str) -> re.Pattern[str]:
    """A regex matching the files of any table and format of one system, capturing both."""
    text = settings.files_template.replace("{path}", settings.files_path).replace("{system}", system)
    text = os.path.normpath(text).replace(os.sep, "/")
    parts = re.split(r"(\{table\}|\{format\})", text)
    pattern = ""
    for part in parts:
        if part == "{table}":
            pattern += "(?P<table>[^/]+?)" if "(?P<table>" not in pattern else "(?P=table)"
        elif part == "{format}":
            pattern += "(?P<format>[^/.]+)" if "(?P<format>" not in pattern else "(?P=format)"
        else:
            pattern += re.escape(part).replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return re.compile(pattern + r"\Z")


def locate_file(connection: duckdb.DuckDBPyConnection, settings: Settings, system: str, table: str) -> Located:
    location = file_location(settings, system, table)
    files = _glob(connection, location)
    if files:
        if settings.files_format == "parquet":
            relation = f"read_parquet({_quote_literal(location)}, union_by_name = true)"
        else:
            relation = f"read_csv({_quote_literal(location)}, header = true, all_varchar = true, union_by_name = true)"
        csv_files = tuple(files) if settings.files_format == "csv" else ()
        return Located(location, relation, csv_files=csv_files)
    # Absent: what does lie there? Every table and format of the system, by the same template.
    regex = _template_regex(settings, system)
    found: dict[str, set[str]] = {}
    for path in _glob(connection, file_location(settings, system, "*", "*")):
        match = regex.match(os.path.normpath(path).replace(os.sep, "/"))
        if match:
            found.setdefault(match.group("table"), set()).add(match.groupdict().get("format") or "")
    hint = None
    other_formats = sorted(found.get(table, set()) - {settings.files_format})
    if other_formats:
        hint = (f"{file_location(settings, system, table, other_formats[0])} exists: is REVOPS_RAW_FILES_FORMAT "
                f"{settings.files_format} meant to be {other_formats[0]}?")
    known = {t.name for t in contract.all_tables() if t.system == system}
    near = tuple((name, file_location(settings, system, name, sorted(found[name])[0] or None))
                 for name in sorted(found) if name not in known)
    return Located(location, None, near=near, hint=hint)


def locate_table(connection: duckdb.DuckDBPyConnection, settings: Settings, system: str, table: str) -> Located:
    schema = settings.schema_pattern.replace("{system}", system)
    location = f"{schema}.{table} in {settings.database_file}"
    # DuckDB matches names case-insensitively, as dbt's source() relation does
    tables = [row[0].lower() for row in connection.execute(
        "select table_name from information_schema.tables where table_catalog = 'raw' "
        "and lower(table_schema) = lower(?)", [schema]).fetchall()]
    if table in tables:
        return Located(location, f"raw.{_quote_identifier(schema)}.{_quote_identifier(table)}")
    if not tables:
        schemas = [row[0] for row in connection.execute(
            "select schema_name from information_schema.schemata where catalog_name = 'raw'").fetchall()]
        hint = None
        close = difflib.get_close_matches(schema, schemas, n=1, cutoff=NEAR_NAME_CUTOFF)
        if close:
            hint = f"schema {close[0]} exists: check REVOPS_RAW_SCHEMA_PATTERN ({settings.schema_pattern})"
        return Located(location, None, hint=hint)
    known = {t.name for t in contract.all_tables() if t.system == system}
    near = tuple((name, f"{schema}.{name}") for name in sorted(tables) if name not in known)
    return Located(location, None, near=near)


def locate_demo(settings: Settings, system: str, table: str) -> Located:
    path = settings.demo_path / system / f"{system}__{table}.csv"
    if path.exists():
        relation = f"read_csv({_quote_literal(str(path))}, header = true, all_varchar = true)"
        return Located(str(path), relation, csv_files=(str(path),))
    return Located(str(path), None)


def locate(connection: duckdb.DuckDBPyConnection, settings: Settings, system: str, table: str) -> Located:
    if settings.mode == "files":
        return locate_file(connection, settings, system, table)
    if settings.mode == "tables":
        return locate_table(connection, settings, system, table)
    return locate_demo(settings, system, table)


def near_name(name: str, candidates: Mapping[str, str]) -> str | None:
    """The candidate (name -> what to show) closest to a missing name, if close enough."""
    by_lower = {candidate.lower(): shown for candidate, shown in candidates.items()}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=NEAR_NAME_CUTOFF)
    return by_lower[close[0]] if close else None


# ---------------------------------------------------------------------------------------------
# the checks of one present table


def csv_header(path: str) -> list[str]:
    """The header line of a CSV file as written (DuckDB renames a repeated name, so it is read
    here), split by whichever of DuckDB's candidate delimiters yields the most fields."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline()
    splits = [next(csv.reader(io.StringIO(first), delimiter=delimiter), []) for delimiter in (",", ";", "\t", "|")]
    return max(splits, key=len)


def duplicated_headers(report: TableReport, files: tuple[str, ...]) -> None:
    for path in files:
        if not Path(path).is_file():
            continue
        header = [name.strip().lower() for name in csv_header(path)]
        repeated = sorted({name for name in header if header.count(name) > 1})
        for name in repeated:
            positions = [str(index + 1) for index, value in enumerate(header) if value == name]
            report.problems.append(Problem(
                "error", "duplicated_header", report.system, report.table, path,
                f"{report.key}: column {name} appears {len(positions)} times in the header of {path} (positions "
                f"{', '.join(positions)}); DuckDB would read the second as {name}_1 and drop it. Keep one.",
                column=name, details={"positions": [int(p) for p in positions]}))


def type_check_expression(column_sql: str, column_type: str) -> str:
    """The value as staging casts it (NULL when it does not parse): timestamps through
    timestamptz like macros/dates.sql utc_timestamp(), the others with a plain cast."""
    if column_type == "timestamp":
        return f"try_cast(try_cast({column_sql} as timestamptz) as timestamp)"
    return f"try_cast({column_sql} as {column_type})"


def _is_typed(column_type: str) -> bool:
    return column_type.split("(")[0] in TYPED


def _id_expression(table: contract.RawTable, found: set[str]) -> str:
    keys = [key for key in table.primary_key.split(", ") if key in found]
    if not keys:
        return "'(no id column)'"
    if len(keys) == 1:
        return f"cast({_quote_identifier(keys[0])} as varchar)"
    return "concat_ws(' / ', " + ", ".join(f"cast({_quote_identifier(key)} as varchar)" for key in keys) + ")"


def check_table(connection: duckdb.DuckDBPyConnection, table: contract.RawTable, located: Located,
                report: TableReport) -> tuple[str, set[str]]:
    """Columns, types, row count and loaded-at range of one present table. Returns the relation
    to read it by (CSV is read once, into a temporary table) and the columns found."""
    duplicated_headers(report, located.csv_files)
    relation = located.relation or ""
    try:
        if located.csv_files:
            temporary = _quote_identifier(f"raw_{table.system}__{table.name}")
            connection.execute(f"create or replace temporary table {temporary} as select * from {relation}")
            relation = temporary
        description = connection.execute(f"select * from {relation} limit 0").description
    except duckdb.Error as error:
        report.problems.append(Problem("error", "unreadable", report.system, report.table, located.location,
                                       f"{report.key}: {located.location} cannot be read: {error}"))
        return relation, set()
    found = [column[0].lower() for column in description]
    found_set = set(found)
    extra = [name for name in found if name not in set(table.column_names)]
    for column in table.columns:
        if column.name in found_set:
            continue
        suggestion = near_name(column.name, {name: name for name in extra})
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        report.problems.append(Problem(
            "error", "missing_column", report.system, report.table, located.location,
            f"{report.key}: missing column {column.name} ({column.type}) in {located.location}{hint}",
            column=column.name, details={"did_you_mean": suggestion, "columns_found": found}))

    typed = [column for column in table.columns if column.name in found_set and _is_typed(column.type)]
    loaded_at = table.loaded_at_field if table.loaded_at_field in found_set else None
    selects = ["count(*)"]
    if loaded_at:
        parsed = type_check_expression(_quote_identifier(loaded_at), "timestamp")
        selects += [f"cast(min({parsed}) as varchar)", f"cast(max({parsed}) as varchar)"]
    for column in typed:
        name = _quote_identifier(column.name)
        selects.append(f"count(*) filter (where {name} is not null and {type_check_expression(name, column.type)} "
                       "is null)")
    # rows without their primary key (any part null or blank): the build quarantines them as
    # missing_record_id (macro raw_key_present), so a warning, not an error
    keys = [key for key in table.primary_key.split(", ") if key in found_set]
    if keys:
        keyless = " or ".join(f"coalesce(trim(cast({_quote_identifier(key)} as varchar)), '') = ''" for key in keys)
        selects.append(f"count(*) filter (where {keyless})")
    try:
        values = connection.execute(f"select {', '.join(selects)} from {relation}").fetchone()
    except duckdb.Error as error:
        report.problems.append(Problem("error", "unreadable", report.system, report.table, located.location,
                                       f"{report.key}: {located.location} cannot be read: {error}"))
        return relation, found_set
    report.rows = int(values[0])
    if loaded_at:
        report.loaded_at_min, report.loaded_at_max = values[1], values[2]
    failures = list(values[3:] if loaded_at else values[1:])
    if keys:
        keyless_rows = int(failures.pop())
        if keyless_rows:
            report.problems.append(Problem(
                "warning", "missing_record_id", report.system, report.table, located.location,
                f"{report.key}: {keyless_rows} row(s) in {located.location} have no {table.primary_key}; the build "
                "quarantines them as missing_record_id (they count against max_quarantine_share)",
                column=table.primary_key, details={"count": keyless_rows}))
    id_sql = _id_expression(table, found_set)
    for column, failed in zip(typed, failures, strict=True):
        if not failed:
            continue
        name = _quote_identifier(column.name)
        samples = connection.execute(
            f"select {id_sql}, cast({name} as varchar) from {relation} "
            f"where {name} is not null and {type_check_expression(name, column.type)} is null "
            f"order by 1 limit {SAMPLE_SIZE}").fetchall()
        shown = ", ".join(f"{key}: {value!r}" for key, value in samples)
        report.problems.append(Problem(
            "error", "unparseable", report.system, report.table, located.location,
            f"{report.key}: {failed} value(s) of column {column.name} in {located.location} do not parse as "
            f"{column.type} ({table.primary_key} and value: {shown})",
            column=column.name,
            details={"type": column.type, "count": int(failed),
                     "samples": [{"id": key, "value": value} for key, value in samples]}))
    return relation, found_set


# ---------------------------------------------------------------------------------------------
# vocabulary (seeds/mappings, see the mapping convention in seeds/mappings/_mappings__seeds.yml)


@dataclass(frozen=True)
class Vocabulary:
    seed: str
    seed_file: Path
    key: str
    unmapped: str
    raw: tuple[tuple[str, str, str], ...]  # (system, table, column)


def read_vocabularies(mappings_path: Path) -> list[Vocabulary] | None:
    """The vocabularies declared in <mappings>/_mappings__seeds.yml (config: meta: vocabulary:),
    None when the file is absent."""
    declaration = mappings_path / "_mappings__seeds.yml"
    if not declaration.exists():
        return None
    document = yaml.safe_load(declaration.read_text()) or {}
    vocabularies = []
    for seed in document.get("seeds") or []:
        meta = ((seed.get("config") or {}).get("meta") or seed.get("meta") or {})
        vocabulary = meta.get("vocabulary")
        if not vocabulary:
            continue
        raw = vocabulary.get("raw") or []
        raw = [raw] if isinstance(raw, dict) else raw
        if not isinstance(vocabulary.get("key"), str):
            raise SystemExit(f"check-raw: {declaration}: {seed['name']} meta.vocabulary.key must name one seed "
                             f"column (the mapping convention); got {vocabulary.get('key')!r}.")
        files = sorted(mappings_path.rglob(f"{seed['name']}.csv"))
        seed_file = files[0] if files else mappings_path / f"{seed['name']}.csv"
        vocabularies.append(Vocabulary(
            seed=seed["name"], seed_file=seed_file, key=vocabulary["key"],
            unmapped=str(vocabulary.get("unmapped", "unmapped")),
            raw=tuple((entry["system"], entry["table"], entry["column"]) for entry in raw)))
    return vocabularies


def check_vocabulary(connection: duckdb.DuckDBPyConnection, vocabulary: Vocabulary, report: TableReport,
                     relation: str, column: str) -> None:
    if not vocabulary.seed_file.exists():
        report.problems.append(Problem(
            "warning", "unmapped", report.system, report.table, report.location,
            f"{report.key}.{column}: the mapping seed {vocabulary.seed_file} declared for it is missing",
            column=column, details={"seed": vocabulary.seed}))
        return
    seed = f"read_csv({_quote_literal(str(vocabulary.seed_file))}, header = true, all_varchar = true)"
    name = _quote_identifier(column)
    try:
        rows = connection.execute(f"""
        with raw as (
            select lower(trim(cast({name} as varchar))) as value, trim(cast({name} as varchar)) as shown
            from {relation}
        ),
        keys as (
            select distinct lower(trim({_quote_identifier(vocabulary.key)})) as value from {seed}
        )
        select min(raw.shown), count(*) from raw
        where raw.value is not null and raw.value <> ''
            and raw.value not in (select value from keys where value is not null)
        group by raw.value
        order by count(*) desc, raw.value
        """).fetchall()
    except duckdb.Error as error:
        report.problems.append(Problem(
            "warning", "unmapped", report.system, report.table, report.location,
            f"{report.key}.{column}: not checked against {vocabulary.seed_file} (key column {vocabulary.key}): "
            f"{error}", column=column, details={"seed": vocabulary.seed}))
        return
    if not rows:
        return
    total = sum(count for _, count in rows)
    shown = ", ".join(f"{value!r} ({count} row{'s' if count != 1 else ''})" for value, count in rows[:SHOWN_VALUES])
    if len(rows) > SHOWN_VALUES:
        shown += f" and {len(rows) - SHOWN_VALUES} more (--format json lists them all)"
    report.problems.append(Problem(
        "warning", "unmapped", report.system, report.table, report.location,
        f"{report.key}: {len(rows)} value(s) of column {column} ({total} rows) are not in {vocabulary.seed_file} "
        f"(column {vocabulary.key}); they build as '{vocabulary.unmapped}': {shown}. Add them to the seed.",
        column=column,
        details={"seed": vocabulary.seed, "unmapped_as": vocabulary.unmapped,
                 "values": [{"value": value, "rows": int(count)} for value, count in rows]}))


# ---------------------------------------------------------------------------------------------
# KPIs


def kpis_null_without(loaded: set[str]) -> dict[str, list[str]]:
    """Each KPI that will be NULL, with the tables it lacks (KPI_NEEDS)."""
    result = {}
    for kpi, needs in sorted(contract.KPI_NEEDS.items()):
        lacking = [table for table in needs.needs if table not in loaded]
        if needs.needs_any and not any(table in loaded for table in needs.needs_any):
            lacking.append(" or ".join(needs.needs_any))
        if lacking:
            result[kpi] = lacking
    return result


def kpis_affected_by(table_key: str, loaded: set[str]) -> tuple[list[str], list[str]]:
    """(KPIs NULL because this table is absent, KPIs computed with less detail without it)."""
    null, refined_less = [], []
    for kpi, needs in sorted(contract.KPI_NEEDS.items()):
        if table_key in needs.needs or (table_key in needs.needs_any
                                        and not any(table in loaded for table in needs.needs_any)):
            null.append(kpi)
        elif table_key in needs.improved_by:
            refined_less.append(kpi)
    return null, refined_less


# ---------------------------------------------------------------------------------------------
# the run


def connect(settings: Settings) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    if settings.mode == "tables":
        if not Path(settings.database_file).exists():
            raise SystemExit(f"check-raw: tables mode reads the DuckDB file {settings.database_file}, which does not "
                             "exist (set --database, or REVOPS_RAW_ATTACH_PATH with REVOPS_RAW_DATABASE, or "
                             "REVOPS_DUCKDB_PATH).")
        try:
            connection.execute(f"attach {_quote_literal(settings.database_file)} as raw (read_only)")
        except duckdb.Error as error:
            raise SystemExit(f"check-raw: cannot open the DuckDB file {settings.database_file} read-only: {error}") \
                from error
    return connection


def check(settings: Settings) -> tuple[list[TableReport], dict[str, Any]]:
    if settings.mode not in ("demo", "tables", "files"):
        raise SystemExit(f"check-raw: raw_data_mode must be demo, tables or files; got '{settings.mode}' "
                         "(REVOPS_RAW_MODE or --mode).")
    if settings.mode == "files" and settings.files_format not in ("csv", "parquet"):
        raise SystemExit(f"check-raw: raw_files_format must be csv or parquet; got '{settings.files_format}'.")
    if settings.connectors and settings.mode == "demo":
        raise SystemExit("check-raw: a connector reads your own data: set --mode (REVOPS_RAW_MODE) to tables or "
                         f"files; connectors chosen: {', '.join(f'{s} {c}' for s, c in settings.connectors)}.")
    vocabularies = read_vocabularies(settings.mappings_path)
    by_column: dict[tuple[str, str, str], list[Vocabulary]] = {}
    general_warnings = []
    contract_columns = {(t.system, t.name, c) for t in contract.all_tables() for c in t.column_names}
    for vocabulary in vocabularies or []:
        for raw in vocabulary.raw:
            if raw not in contract_columns:
                general_warnings.append(f"{vocabulary.seed} maps {'.'.join(raw)}, which is not a column of the raw "
                                        "contract: not checked.")
            by_column.setdefault(raw, []).append(vocabulary)

    reports: list[TableReport] = []
    near_by_table: dict[str, Located] = {}
    with connect(settings) as connection:
        for table in contract.all_tables():
            needs = connector_needs(settings, table.system, table.name)
            if needs is not None:
                report, located = check_through_connector(connection, settings, table, needs)
                reports.append(report)
                if not report.present:
                    near_by_table[report.key] = located
                continue
            located = locate(connection, settings, table.system, table.name)
            report = TableReport(table.system, table.name, located.location, located.relation is not None)
            reports.append(report)
            if located.relation is None:
                near_by_table[report.key] = located
                continue
            relation, found = check_table(connection, table, located, report)
            for column in table.column_names:
                if column in found:
                    for vocabulary in by_column.get((table.system, table.name, column), []):
                        check_vocabulary(connection, vocabulary, report, relation, column)

    loaded = {report.key for report in reports if report.loaded}
    for report in reports:
        if report.present:
            continue
        located = near_by_table[report.key]
        null, refined_less = kpis_affected_by(report.key, loaded)
        suggestion = located.hint or near_name(report.table, dict(located.near))
        if suggestion and not located.hint:
            suggestion = f"did you mean {suggestion}?"
        consequence = f"KPIs NULL without it: {', '.join(null)}" if null else "no KPI is NULL without it"
        if refined_less:
            consequence += f"; computed with less detail: {', '.join(refined_less)}"
        report.problems.append(Problem(
            "missing", "missing_table", report.system, report.table, report.location,
            f"{report.key}: not found ({report.location})" + (f"; {suggestion}" if suggestion else "")
            + f"; optional, {consequence}",
            details={"kpis_null": null, "kpis_refined_less": refined_less, "did_you_mean": suggestion}))
    general_errors = []
    if not any(report.present for report in reports):
        general_errors.append(f"No raw table found at all ({settings.describe()}): check the settings "
                              "(--mode, REVOPS_RAW_MODE, REVOPS_RAW_FILES_PATH, ...) before building.")
    summary = {
        "settings": {key: str(value) for key, value in asdict(settings).items()},
        "vocabulary_checked": vocabularies is not None,
        "missing_systems": missing_systems(settings, reports, loaded),
        "kpis_null": kpis_null_without(loaded),
        "general_errors": general_errors,
        "general_warnings": general_warnings,
        "errors": len(general_errors)
        + sum(problem.level == "error" for report in reports for problem in report.problems),
        "warnings": len(general_warnings)
        + sum(problem.level == "warning" for report in reports for problem in report.problems),
        "missing_tables": sum(not report.present for report in reports),
    }
    return reports, summary


def system_location(settings: Settings, system: str) -> str:
    if settings.mode == "files":
        return file_location(settings, system, "{table}")
    if settings.mode == "tables":
        return f"{settings.schema_pattern.replace('{system}', system)}.<table> in {settings.database_file}"
    return str(settings.demo_path / system / f"{system}__<table>.csv")


def missing_systems(settings: Settings, reports: list[TableReport], loaded: set[str]) -> dict[str, dict[str, Any]]:
    """The systems none of whose tables was found, with no near name for any of them: reported
    once for the system rather than once per table."""
    result = {}
    for system in contract.SYSTEMS:
        mine = [report for report in reports if report.system == system.name]
        if any(report.present or report.problems[0].details["did_you_mean"] for report in mine):
            continue
        null: set[str] = set()
        refined_less: set[str] = set()
        for report in mine:
            null.update(report.problems[0].details["kpis_null"])
            refined_less.update(report.problems[0].details["kpis_refined_less"])
        result[system.name] = {"location": system_location(settings, system.name),
                               "tables": [report.table for report in mine], "kpis_null": sorted(null),
                               "kpis_refined_less": sorted(refined_less - null)}
    return result


def render_text(settings: Settings, reports: list[TableReport], summary: dict[str, Any]) -> str:
    lines = [f"Raw check: {settings.describe()}", ""]
    if not summary["vocabulary_checked"]:
        lines += [f"Vocabulary: skipped, no {settings.mappings_path / '_mappings__seeds.yml'} (no mapping seeds).", ""]
    for message in summary["general_errors"]:
        lines += [f"ERROR   {message}", ""]
    for message in summary["general_warnings"]:
        lines += [f"WARNING {message}", ""]
    for name, missing in summary["missing_systems"].items():
        consequence = (f"KPIs NULL without it: {', '.join(missing['kpis_null'])}" if missing["kpis_null"]
                       else "no KPI is NULL without it")
        if missing["kpis_refined_less"]:
            consequence += f"; computed with less detail: {', '.join(missing['kpis_refined_less'])}"
        lines += [f"{name}  ({missing['location']})",
                  f"  {'MISSING':<8}{name}: none of its {len(missing['tables'])} tables found "
                  f"({', '.join(missing['tables'])} at {missing['location']}); optional, {consequence}", ""]
    for report in reports:
        if not report.problems or report.system in summary["missing_systems"]:
            continue
        lines.append(f"{report.key}  ({report.location})")
        for problem in report.problems:
            lines.append(f"  {problem.level.upper():<8}{problem.message}")
        lines.append("")

    lines.append("Summary")
    for system in contract.SYSTEMS:
        mine = [report for report in reports if report.system == system.name]
        present = [report for report in mine if report.present]
        lines.append(f"  {system.name}: {len(present)} of {len(mine)} tables found")
        for report in present:
            span = (f", loaded {report.loaded_at_min} to {report.loaded_at_max}"
                    if report.loaded_at_min else "")
            rows = "unreadable" if report.rows is None else f"{report.rows:,} row{'' if report.rows == 1 else 's'}"
            # a table read through a connector: the rows counted are those of its first needed table
            through = f" ({report.location})" if report.location.startswith("through the ") else ""
            lines.append(f"    {report.table:<22}{rows}{span}{through}")
    null = summary["kpis_null"]
    if null:
        lines.append(f"  KPIs that will be NULL ({len(null)} of {len(contract.KPI_NEEDS)}):")
        by_reason: dict[str, list[str]] = {}
        for kpi, lacking in null.items():
            by_reason.setdefault(", ".join(lacking), []).append(kpi)
        for reason, kpis in by_reason.items():
            lines.append(f"    without {reason}: {', '.join(kpis)}")
    else:
        lines.append("  Every KPI has the tables it needs.")
    lines.append(f"  {summary['errors']} error(s), {summary['warnings']} warning(s), "
                 f"{summary['missing_tables']} table(s) not found (optional).")
    lines.append("  Exit 1: fix the errors before building." if summary["errors"] else "  OK to build.")
    return "\n".join(lines)


def render_json(reports: list[TableReport], summary: dict[str, Any]) -> str:
    return json.dumps({"tables": [asdict(report) | {"loaded": report.loaded} for report in reports], **summary},
                      indent=2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["demo", "tables", "files"], help="REVOPS_RAW_MODE (default demo)")
    parser.add_argument("--files-path", help="REVOPS_RAW_FILES_PATH (default data/raw)")
    parser.add_argument("--files-format", choices=["csv", "parquet"], help="REVOPS_RAW_FILES_FORMAT (default csv)")
    parser.add_argument("--files-template", help="REVOPS_RAW_FILES_TEMPLATE (default {path}/{system}/{table}.{format})")
    parser.add_argument("--database", help="tables mode: the DuckDB file holding the raw schemas (default "
                                           "REVOPS_RAW_ATTACH_PATH when REVOPS_RAW_DATABASE names its alias, else "
                                           "REVOPS_DUCKDB_PATH, else revops.duckdb)")
    parser.add_argument("--raw-database", help="REVOPS_RAW_DATABASE (tables mode; picks the attached file)")
    parser.add_argument("--schema-pattern", help="REVOPS_RAW_SCHEMA_PATTERN (default raw_{system})")
    parser.add_argument("--demo-path", default=str(ROOT / "seeds" / "demo"), help="demo mode: the demo seeds")
    parser.add_argument("--mappings", default=str(ROOT / "seeds" / "mappings"),
                        help="the mapping seeds folder holding _mappings__seeds.yml (default seeds/mappings)")
    parser.add_argument("--vars", help="dbt's --vars (YAML or JSON): the raw and connector settings it holds, "
                                       "e.g. '{crm_connector: salesforce, salesforce_identifiers: {lead: leads}}'")
    parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = resolve_settings(args, os.environ)
    reports, summary = check(settings)
    if args.output_format == "json":
        print(render_json(reports, summary))
    else:
        print(render_text(settings, reports, summary))
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
