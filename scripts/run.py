"""The project's two commands, with nothing but Python needed to start them.

    python3 scripts/run.py build    install everything into .venv, then `dbt build` on the demo data
    python3 scripts/run.py publish  build, then publish the marts for readers and render the KPI
                                    dashboard (serving/revops.duckdb, serving/dashboard.html)
    python3 scripts/run.py test     every check CI runs (contract, ruff, dbt build with all tests on
                                    DuckDB and on Spark, Great Expectations, sqlfluff, pytest)
    python3 scripts/run.py lint     the sqlfluff lints of `test` alone, on the database `build` made
    python3 scripts/run.py dbt ...  any dbt command inside the project's environment
    python3 scripts/run.py check-raw [args]
                                    check the configured raw data against the raw contract: every
                                    missing table and column, duplicated header, unparseable value and
                                    unmapped vocabulary in one run (scripts/check_raw.py; exit 1 on an error)

The environment is .venv in the project root, installed from pyproject.toml with the exact
versions in constraints.txt. It is reinstalled only when one of those two files changes.
Uses the standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# macros/identity.sql's salt of the bundled demo data: the Spark build reads the demo as files
# and must key persons as the DuckDB build of the seeds does, to compare the two.
DEMO_SALT = "revops-demo-salt"
VENV = Path(os.environ.get("REVOPS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".revops-install-stamp"


def _say(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("$ " + " ".join(command), flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, env=env)
    if completed.returncode != 0:
        print(f"FAILED ({completed.returncode}) after {time.monotonic() - started:.0f}s: {' '.join(command)}",
              file=sys.stderr)
        raise SystemExit(completed.returncode)
    print(f"(done in {time.monotonic() - started:.0f}s)", flush=True)


class _Background:
    """A command running beside the next steps, its output kept in a log file and printed when
    it is waited for (so two outputs never interleave)."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.log = command, log
        print("$ " + " ".join(command) + f"  (in the background, output in {log})", flush=True)
        self.started = time.monotonic()
        self._file = open(log, "w")  # noqa: SIM115 (closed in wait)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._file, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self._file.close()

    def wait(self) -> None:
        returncode = self.process.wait()
        self._file.close()
        print(self.log.read_text(), flush=True)
        elapsed = time.monotonic() - self.started
        if returncode != 0:
            print(f"FAILED ({returncode}) after {elapsed:.0f}s: {' '.join(self.command)}", file=sys.stderr)
            raise SystemExit(returncode)
        print(f"(done in {elapsed:.0f}s, beside the steps above)", flush=True)


def _install_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create .venv and install the project with pinned versions, unless already current."""
    fingerprint = _install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    if not (BIN / "python").exists():
        _say(f"creating the virtual environment {VENV}")
        _run([sys.executable, "-m", "venv", str(VENV)])
    _say("installing the project and its pinned dependencies (first run takes a few minutes)")
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check"]
    _run(pip + ["install", "--quiet", "--upgrade", "pip"])
    _run(pip + ["install", "--quiet", "-c", "constraints.txt", "-e", ".[dev]"])
    STAMP.write_text(fingerprint)


def reexec_in_environment(script: str) -> None:
    """Run a script again with the project's .venv Python, installing it first if needed (for
    scripts started with a Python that lacks the project's packages)."""
    ensure_environment()
    os.execv(str(BIN / "python"), [str(BIN / "python"), script, *sys.argv[1:]])


def _apt_install(packages: list[str], purpose: str) -> bool:
    """Install Debian packages when this process may (root with apt-get); False when it may not."""
    if not (os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get")):
        return False
    _say(f"installing {purpose} (Debian: {', '.join(packages)})")
    apt = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    _run(["apt-get", "update", "-qq"], env=apt)
    _run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], env=apt)
    return True


def ensure_browser() -> None:
    """Headless Chromium for the dashboard's browser test: Debian's chromium and chromium-driver,
    installed here when missing and allowed; REVOPS_CHROMIUM and REVOPS_CHROMEDRIVER point the
    test at other binaries."""
    if os.environ.get("REVOPS_CHROMIUM") and os.environ.get("REVOPS_CHROMEDRIVER"):
        return
    if (shutil.which("chromium") or shutil.which("chromium-browser")) and shutil.which("chromedriver"):
        return
    if not _apt_install(["chromium", "chromium-driver"], "headless Chromium for the dashboard's browser test"):
        raise SystemExit("The dashboard's browser test needs Chromium and ChromeDriver: install the Debian packages "
                         "chromium and chromium-driver (or your system's), or set REVOPS_CHROMIUM and "
                         "REVOPS_CHROMEDRIVER.")


def _java_major_version() -> int | None:
    """The major version of the `java` on the PATH (or in JAVA_HOME), None when there is none."""
    java = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java") if os.environ.get("JAVA_HOME") else shutil.which("java")
    if not java or not Path(java).exists():
        return None
    completed = subprocess.run([java, "-version"], capture_output=True, text=True)
    # e.g. 'openjdk version "17.0.15" 2025-04-15' (or "1.8.0_402" for Java 8)
    quoted = (completed.stderr + completed.stdout).split('"')
    if len(quoted) < 2:
        return None
    parts = quoted[1].split(".")
    return int(parts[1] if parts[0] == "1" else parts[0])


def ensure_java() -> None:
    """A Java runtime for Spark (PySpark 4 starts a local JVM): Java 17 or newer."""
    version = _java_major_version()
    if version is not None and version >= 17:
        return
    if not _apt_install(["openjdk-17-jre-headless"], "a Java 17 runtime for Spark"):
        found = f"found Java {version}" if version else "found no Java"
        raise SystemExit(f"The Spark build needs Java 17 or newer ({found}): install one (Debian: "
                         "openjdk-17-jre-headless) and put it on the PATH or set JAVA_HOME.")


def project_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DBT_PROFILES_DIR"] = str(ROOT)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env.update(overrides)
    return env


def dbt(args: list[str], **overrides: str) -> None:
    _run([str(BIN / "dbt"), *args], env=project_env(**overrides))


def command_build(extra: list[str]) -> None:
    ensure_environment()
    _say("dbt build on the bundled demo data")
    dbt(["build", *extra])


def command_publish(extra: list[str]) -> None:
    """Build into the build database, then publish its marts to serving/ (scripts/publish.py)."""
    command_build(extra)
    _say("publish: serving/revops.duckdb (atomic swap), serving/exports/latest (Parquet), serving/dashboard.html")
    _run([str(BIN / "python"), "scripts/publish.py"], env=project_env())


class _CpuSampler:
    """Samples the machine's busy cores (/proc/stat) every few seconds in a thread, so that
    `test` can say, per step, how much of the machine it used (where the CI time goes)."""

    def __init__(self, interval: float = 5.0) -> None:
        self.samples: list[tuple[float, float]] = []  # (monotonic time, busy cores since the previous sample)
        self.steps: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._interval = interval
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if Path("/proc/stat").exists():
            self._thread.start()

    @staticmethod
    def _read() -> tuple[float, float]:
        fields = [float(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
        return sum(fields) - idle, sum(fields)

    def _sample(self) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        busy, _ = self._read()
        previous = time.monotonic()
        while not self._stop.wait(self._interval):
            now_busy, _ = self._read()
            now = time.monotonic()
            self.samples.append((now, (now_busy - busy) / ticks / (now - previous)))
            busy, previous = now_busy, now

    def step(self, name: str) -> None:
        self.steps.append((time.monotonic(), name))

    def report(self) -> None:
        self._stop.set()
        if not self.samples or not self.steps:
            return
        cores = os.cpu_count() or 1
        print(f"\nwhere the time went (wall seconds, average busy cores of {cores}, sampled from /proc/stat):")
        ends = [moment for moment, _ in self.steps[1:]] + [time.monotonic()]
        for (begin, name), finish in zip(self.steps, ends, strict=True):
            inside = [load for moment, load in self.samples if begin < moment <= finish]
            load = f"{sum(inside) / len(inside):.2f}" if inside else "-"
            print(f"  {finish - begin:7.0f}s  {load:>5} cores  {name}")


def _timeline_report(timeline: Path) -> None:
    """Per pytest-xdist worker and group: where the pytest time went (tests/conftest.py writes it)."""
    if not timeline.exists():
        return
    rows = [json.loads(line) for line in timeline.read_text().splitlines() if line.strip()]
    if not rows:
        return
    first = min(row["start"] for row in rows)
    last = max(row["end"] for row in rows)
    print(f"\npytest timeline: {last - first:.0f}s from the first test to the last")
    for worker in sorted({row["worker"] for row in rows}):
        mine = [row for row in rows if row["worker"] == worker]
        busy = sum(row["end"] - row["start"] for row in mine)
        print(f"  {worker}: {busy:6.0f}s in {len(mine)} tests, done {max(row['end'] for row in mine) - first:6.0f}s "
              "after the first test started")
    groups: dict[str, list[float]] = {}
    for row in rows:
        key = f"{row['group'] or row['test'].split('::', 1)[0]} ({row['worker']})"
        spent = groups.setdefault(key, [0.0, row["start"], row["end"]])
        spent[0] += row["end"] - row["start"]
        spent[1], spent[2] = min(spent[1], row["start"]), max(spent[2], row["end"])
    print("  groups, longest first (seconds, from start to end after the first test):")
    for key, (spent, begin, finish) in sorted(groups.items(), key=lambda item: -item[1][0])[:20]:
        print(f"    {spent:6.0f}s  {begin - first:6.0f}..{finish - first:6.0f}  {key}")


def _lint_commands(scratch: Path, database: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    """sqlfluff on every model, test and analysis (dbt templater, DuckDB dialect), compiled against
    a copy of a built database (models such as dim_dates query it while compiling), then on the
    connector adapters, which are disabled unless a system is read through them, on the demo
    written as the connectors land it. Neither opens the database other processes read."""
    python = str(BIN / "python")
    connectors_demo = scratch / "demo_connectors"
    (scratch / "built").mkdir(exist_ok=True)
    copy = scratch / "built" / database.name
    shutil.copy(database, copy)
    return [
        ("sqlfluff lint (dbt templater, DuckDB dialect)",
         [str(BIN / "sqlfluff"), "lint", "models", "tests", "analyses"],
         project_env(REVOPS_DUCKDB_PATH=str(copy))),
        ("the demo as Fivetran lands Salesforce, Stripe, Zendesk and the ad platforms (Parquet)",
         [python, "scripts/generate_demo_data.py", "--layout", "files", "--format", "parquet",
          "--connector", "salesforce", "--connector", "stripe", "--connector", "ads", "--connector", "zendesk",
          "--out", str(connectors_demo)],
         project_env()),
        ("sqlfluff lint of the connector adapters (models/adapters), on that demo",
         [str(BIN / "sqlfluff"), "lint", "models/adapters"],
         project_env(REVOPS_DUCKDB_PATH=str(scratch / "connectors.duckdb"), REVOPS_RAW_MODE="files",
                     REVOPS_RAW_FILES_PATH=str(connectors_demo), REVOPS_RAW_FILES_FORMAT="parquet",
                     REVOPS_PII_SALT=DEMO_SALT, REVOPS_CRM_CONNECTOR="salesforce",
                     REVOPS_BILLING_CONNECTOR="stripe", REVOPS_SUPPORT_CONNECTOR="zendesk",
                     REVOPS_AD_CONNECTORS="google_ads,facebook_ads,linkedin_ads")),
    ]


def _run_lint(command: list[str], env: dict[str, str]) -> None:
    """A lint step; sqlfluff skips a file dbt fails to compile with only a warning, which here is a
    failure: a file it did not lint is not clean."""
    print("$ " + " ".join(command), flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(completed.stdout, end="", flush=True)
    skipped = [line for line in completed.stdout.splitlines() if "dbt raised a fatal exception" in line]
    if completed.returncode != 0 or skipped:
        print(f"FAILED ({completed.returncode}, {len(skipped)} file(s) not compiled) after "
              f"{time.monotonic() - started:.0f}s: {' '.join(command)}", file=sys.stderr)
        raise SystemExit(completed.returncode or 1)
    print(f"(done in {time.monotonic() - started:.0f}s)", flush=True)


def command_lint(extra: list[str]) -> None:
    """Every sqlfluff check `test` runs, on its own: `lint [--database PATH]`, compiled against a
    copy of a built database (default REVOPS_DUCKDB_PATH or revops.duckdb, which `build` makes)."""
    parser = argparse.ArgumentParser(prog="run.py lint")
    parser.add_argument("--database", type=Path,
                        default=Path(os.environ.get("REVOPS_DUCKDB_PATH") or ROOT / "revops.duckdb"))
    database = parser.parse_args(extra).database
    if not database.exists():
        raise SystemExit(f"{database} does not exist: sqlfluff's dbt templater compiles the models against a built "
                         "database (some query it while compiling). Run `python3 scripts/run.py build` first, or "
                         "pass --database.")
    ensure_environment()
    with tempfile.TemporaryDirectory(prefix="revops-lint-") as scratch:
        for message, command, env in _lint_commands(Path(scratch), database.resolve()):
            _say(message)
            if "sqlfluff" in command[0]:
                _run_lint(command, env)
            else:
                _run(command, env=env)


def command_test(_: list[str]) -> None:
    """Every check, with the machine kept busy: after the DuckDB build, the Spark build and the
    sqlfluff lints run in the background beside pytest (pytest-xdist, one worker per core); the
    Spark comparison tests wait for the Spark build (tests/test_cross_engine.py)."""
    sampler = _CpuSampler()
    sampler.step("install")
    ensure_environment()
    ensure_browser()
    ensure_java()
    python = str(BIN / "python")
    sampler.step("contract, currency and ruff checks")
    _say("the raw contract renders to the committed sources YAML, seed types and docs")
    _run([python, "scripts/write_raw_contract.py", "--check"])
    _say("the currency minor units seed equals its ISO 4217 source")
    _run([python, "scripts/write_currency_exponents.py", "--check"])
    _say("ruff")
    _run([str(BIN / "ruff"), "check", "scripts", "tests"])
    with tempfile.TemporaryDirectory(prefix="revops-test-") as scratch_dir:
        scratch = Path(scratch_dir)
        database = str(scratch / "revops_test.duckdb")
        sampler.step("dbt build on DuckDB")
        _say("dbt build on the demo data in a fresh database: every model, seed, data and unit test")
        dbt(["build", "--target-path", str(scratch / "target")], REVOPS_DUCKDB_PATH=database)
        sampler.step("Great Expectations and MetricFlow (Spark build in the background)")
        # Spark reads the demo data as the Parquet folder a company would hand over (files mode,
        # written by the generator with the seeds' defaults: the same rows as seeds/demo).
        _say("dbt build on Apache Spark (local PySpark, dbt-spark session method), in the background: "
             "the demo data read from Parquet files, the same models, data tests and unit tests")
        demo_parquet = scratch / "demo_parquet"
        _run([python, "scripts/generate_demo_data.py", "--layout", "files", "--format", "parquet",
              "--out", str(demo_parquet)])
        spark_dir = str(scratch / "spark")
        spark_done = scratch / "spark_build.returncode"
        spark = _Background(
            [str(BIN / "dbt"), "build", "--target", "spark", "--target-path", str(scratch / "spark_target"),
             "--log-path", str(scratch / "spark_logs")],
            project_env(REVOPS_SPARK_DIR=spark_dir, REVOPS_RAW_MODE="files", REVOPS_RAW_FILES_PATH=str(demo_parquet),
                        REVOPS_RAW_FILES_FORMAT="parquet", REVOPS_PII_SALT=DEMO_SALT,
                        REVOPS_SPARK_THREADS=os.environ.get("REVOPS_SPARK_THREADS", "2")),
            scratch / "spark_build.log")
        # tests/test_cross_engine.py waits for this file (the Spark build's exit code)
        threading.Thread(target=lambda: spark_done.write_text(str(spark.process.wait())), daemon=True).start()
        lint = None
        try:
            _say("Great Expectations: grain, money, rates, as-of window, KPI ranges; Data Docs in "
                 "great_expectations_docs/")
            _run([python, "scripts/validate_expectations.py", "--database", database,
                  "--docs-dir", "great_expectations_docs"])
            _say("MetricFlow: the semantic manifest validates against the built database")
            # mf reads <project dir>/target/semantic_manifest.json whatever the target path: the
            # scratch folder, holding that target, stands in for the project dir.
            shutil.copy(ROOT / "dbt_project.yml", scratch)
            _run([str(BIN / "mf"), "validate-configs"],
                 env=project_env(REVOPS_DUCKDB_PATH=database, DBT_PROJECT_DIR=scratch_dir))
            sampler.step("pytest, beside the Spark build and the sqlfluff lints")
            _say("sqlfluff lints, in the background: models, tests, analyses, then the connector adapters")
            lint = _Background([python, "scripts/run.py", "lint", "--database", database], project_env(),
                               scratch / "lint.log")
            _say("pytest: generator determinism, bring-your-own-data builds, contract, metrics on the built database, "
                 "publishing with concurrent readers, the dashboard in headless Chromium, Spark = DuckDB")
            # pytest-xdist, one worker per core (at most 4), grouped and ordered by tests/conftest.py:
            # the tests on the built database share one worker, the longest groups start first.
            timeline = scratch / "pytest_timeline.jsonl"
            completed = subprocess.run(
                [python, "-m", "pytest", "-q", "--durations", "25", "-n", "auto", "--maxprocesses", "4",
                 "--dist", "loadgroup", "--no-loadscope-reorder"], cwd=ROOT,
                env=project_env(REVOPS_TEST_DUCKDB_PATH=database, REVOPS_TEST_SPARK_DIR=spark_dir,
                                REVOPS_TEST_SPARK_DONE=str(spark_done), REVOPS_TEST_TIMELINE=str(timeline)))
            _timeline_report(timeline)
            sampler.step("waiting for the background steps")
            _say("the sqlfluff lints' output")
            lint.wait()
            _say("the Spark build's output")
            spark.wait()
        except BaseException:
            spark.stop()
            if lint is not None:
                lint.stop()
            raise
        finally:
            sampler.report()
        if completed.returncode != 0:
            raise SystemExit(completed.returncode)
    _say("all checks passed")


def command_dbt(extra: list[str]) -> None:
    ensure_environment()
    dbt(extra)


def command_check_raw(extra: list[str]) -> None:
    """scripts/check_raw.py in the project's environment; its exit code is the result (1: errors)."""
    ensure_environment()
    completed = subprocess.run([str(BIN / "python"), "scripts/check_raw.py", *extra], cwd=ROOT, env=project_env())
    if completed.returncode != 0:
        raise SystemExit(completed.returncode)


def command_clean(_: list[str]) -> None:
    for path in (VENV, ROOT / "target", ROOT / "logs"):
        if path.exists():
            shutil.rmtree(path)
            print(f"removed {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "publish", "test", "lint", "dbt", "check-raw", "clean"])
    parser.add_argument("args", nargs=argparse.REMAINDER, help="passed on to dbt (build, dbt) or to check-raw")
    args = parser.parse_args(argv)
    commands = {"build": command_build, "publish": command_publish, "test": command_test, "lint": command_lint,
                "dbt": command_dbt,
                "check-raw": command_check_raw, "clean": command_clean}
    commands[args.command](args.args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
