"""The KPI dashboard in a real browser: headless Chromium (Debian's chromium and chromium-driver,
driven by Selenium) opens the page `scripts/publish.py` renders, and every chart must have drawn
its marks and hold exactly the values of the published marts, read here with SQL from the
serving database; then the filters are changed and the charts checked again. A screenshot of
the page goes to build/dashboard.png (copy it to docs/dashboard.png to refresh the README's).

Needs the database `python3 scripts/run.py test` has just built (REVOPS_TEST_DUCKDB_PATH), and
Chromium: `scripts/run.py test` installs the Debian packages when they are missing and it runs
as root; elsewhere set REVOPS_CHROMIUM and REVOPS_CHROMEDRIVER to the binaries.
"""

from __future__ import annotations

import datetime
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import Select

import dbt_helpers

SCREENSHOT = dbt_helpers.ROOT / "build" / "dashboard.png"
CHARTS = [
    "chart-mrr-bridge", "chart-arr", "chart-channel-economics", "chart-channel-cac", "chart-funnel",
    "chart-funnel-leak", "chart-cohort-retention", "chart-win-rate", "chart-support-churn",
]
# Chromium's own connections fail on a closed network: keep it from making any.
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000",
]
ALL = "(all channels)"


def chromium_paths() -> tuple[str, str]:
    browser = os.environ.get("REVOPS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("REVOPS_CHROMEDRIVER") or shutil.which("chromedriver")
    if not browser or not driver:
        pytest.fail("headless Chromium not found: install the Debian packages chromium and chromium-driver "
                    "(scripts/run.py test does when run as root), or set REVOPS_CHROMIUM and REVOPS_CHROMEDRIVER")
    return browser, driver


@pytest.fixture(scope="module")
def serving(database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A publish of the test database: the serving file and the dashboard page rendered from it."""
    folder = tmp_path_factory.mktemp("serving")
    dbt_helpers.publish(dbt_helpers.copy_database(database, tmp_path_factory.mktemp("build")), folder)
    return folder


@pytest.fixture(scope="module")
def marts(serving: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(serving / "revops.duckdb"), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def browser(serving: Path) -> Iterator[webdriver.Chrome]:
    binary, driver_path = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with webdriver.Chrome(options=options, service=Service(driver_path)) as driver:
        driver.get((serving / "dashboard.html").as_uri())
        wait_rendered(driver)
        yield driver


def wait_rendered(driver: webdriver.Chrome, expected: str | None = None, timeout: float = 30) -> str:
    """Wait until every chart has been drawn (for the expected filters, a JSON of from, to and
    channel, when given); returns the filters drawn."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rendered = driver.execute_script("return document.body.dataset.rendered")
        if rendered and (expected is None or rendered == expected):
            return rendered
        time.sleep(0.1)
    errors = driver.get_log("browser")
    raise AssertionError(f"the dashboard did not finish drawing in {timeout}s; console: {errors}")


def chart_data(driver: webdriver.Chrome, chart: str) -> list[dict[str, object]]:
    """The traces a chart drew (plotly keeps them on the chart's element)."""
    return driver.execute_script(
        "return document.getElementById(arguments[0]).data.map(t => "
        "({name: t.name, x: t.x, y: t.y, z: t.z, marker: t.marker}))", chart)


def rows(marts: duckdb.DuckDBPyConnection, query: str, *params: object) -> list[tuple]:
    return marts.execute(query, list(params)).fetchall()


def number(value: object) -> float | None:
    return None if value is None else float(value)


def month_text(month: datetime.date) -> str:
    return month.isoformat()


def filters_json(first: datetime.date, last: datetime.date, channel: str) -> str:
    return f'{{"from":"{month_text(first)}","to":"{month_text(last)}","channel":"{channel}"}}'


def set_filters(driver: webdriver.Chrome, first: datetime.date, last: datetime.date, channel: str) -> None:
    driver.execute_script("document.body.dataset.rendered = ''")
    Select(driver.find_element("id", "filter-to")).select_by_value(month_text(last))
    Select(driver.find_element("id", "filter-from")).select_by_value(month_text(first))
    Select(driver.find_element("id", "filter-channel")).select_by_value(channel)
    wait_rendered(driver, filters_json(first, last, channel))


def trace(traces: list[dict[str, object]], name: str) -> dict[str, object]:
    (found,) = [t for t in traces if t["name"] == name]
    return found


def check_charts(driver: webdriver.Chrome, marts: duckdb.DuckDBPyConnection, first: datetime.date,
                 last: datetime.date, channel: str) -> None:
    """Every chart against the marts for the filters first..last and channel."""
    months = [m for (m,) in rows(marts, "select date_month from marts.mrr_bridge "
                                        "where date_month between ? and ? order by 1", first, last)]

    # tiles and the MRR bridge: the last month of the range
    bridge = marts.execute("select * from marts.mrr_bridge where date_month = ?", [last])
    names = [column[0] for column in bridge.description]
    bridge_row = dict(zip(names, bridge.fetchone(), strict=True))
    tiles = driver.execute_script(
        "return [...document.querySelectorAll('.tile')].map(t => [t.dataset.kpi, t.dataset.value])")
    assert len(tiles) == 6
    for kpi, shown in tiles:
        expected = bridge_row[kpi]
        if expected is None:
            assert shown == "null", kpi
        else:
            assert float(shown) == pytest.approx(float(expected), abs=1e-9), kpi
    (waterfall,) = chart_data(driver, "chart-mrr-bridge")
    assert waterfall["y"] == pytest.approx([float(bridge_row[c]) * sign for c, sign in [
        ("starting_mrr", 1), ("new_mrr", 1), ("expansion_mrr", 1), ("reactivation_mrr", 1),
        ("contraction_mrr", -1), ("churned_mrr", -1), ("ending_mrr", 1)]], abs=0.005)

    # ARR over the range
    (arr,) = chart_data(driver, "chart-arr")
    expected = rows(marts, "select date_month, ending_arr from marts.mrr_bridge "
                           "where date_month between ? and ? order by 1", first, last)
    assert arr["x"] == [month_text(m) for m, _ in expected]
    assert arr["y"] == pytest.approx([float(v) for _, v in expected], abs=0.005)

    # channel economics: the selected channel (or all), whole window
    economics = chart_data(driver, "chart-channel-economics")
    expected = rows(marts, "select channel, cac, ltv, ltv_to_cac from marts.channel_economics "
                           "where ? = ? or channel = ? order by channel", channel, ALL, channel)
    assert trace(economics, "CAC")["x"] == [c for c, *_ in expected]
    for name, column in (("CAC", 1), ("LTV", 2), ("LTV:CAC", 3)):
        assert trace(economics, name)["y"] == [number(row[column]) for row in expected], name

    # CAC by channel and month
    cac = chart_data(driver, "chart-channel-cac")
    expected = rows(marts, "select channel, date_month, cac_channel from marts.acquisition_channel_months "
                           "where date_month between ? and ? and (? = ? or channel = ?) order by channel, date_month",
                    first, last, channel, ALL, channel)
    assert sorted(t["name"] for t in cac) == sorted({c for c, *_ in expected})
    for line in cac:
        own = [(m, v) for c, m, v in expected if c == line["name"]]
        assert line["x"] == [month_text(m) for m, _ in own]
        assert line["y"] == [number(v) for _, v in own], line["name"]

    # funnel and leak: the last month of the range
    expected = rows(marts, "select entered, converted, conversion_rate, baseline_rate, value_at_stake, is_largest_drop "
                           "from marts.funnel_leaks where date_month = ? order by stage_order", last)
    assert len(expected) == 4
    funnel = chart_data(driver, "chart-funnel")
    for name, column in (("Entered", 0), ("Converted", 1), ("Conversion rate", 2), ("Baseline rate", 3)):
        assert trace(funnel, name)["y"] == [number(row[column]) for row in expected], name
    (leak,) = chart_data(driver, "chart-funnel-leak")
    assert leak["y"] == [number(row[4]) for row in expected]
    assert [color == "#e03131" for color in leak["marker"]["color"]] == [row[5] for row in expected]

    # cohort retention: the cohorts started in the range
    (heatmap,) = chart_data(driver, "chart-cohort-retention")
    expected = rows(marts, "select cohort_month, months_since_cohort, logo_retention from marts.cohort_retention "
                           "where cohort_month between ? and ?", first, last)
    cohorts = sorted({m for m, _, _ in expected})
    assert heatmap["y"] == [m.isoformat()[:7] for m in cohorts]
    drawn = {(cohorts[i], j): v for i, line in enumerate(heatmap["z"]) for j, v in enumerate(line) if v is not None}
    assert drawn == {(m, k): pytest.approx(v, abs=1e-12) for m, k, v in expected if v is not None}

    # win rate and sales cycle: the semantic layer's saved query, and the win rate is the marts'
    # won / closed opportunities of the month (sales_pipeline holds them per rep and segment)
    win = chart_data(driver, "chart-win-rate")
    expected = rows(marts, "select cast(metric_time__month as date), win_rate, sales_cycle_days "
                           "from semantic.sales_by_month where metric_time__month between ? and ? order by 1",
                    first, last)
    assert trace(win, "Win rate")["x"] == [month_text(m) for m, *_ in expected]
    assert trace(win, "Win rate")["y"] == [number(v) for _, v, _ in expected]
    assert trace(win, "Sales cycle (median days)")["y"] == [number(v) for *_, v in expected]
    pipeline = dict(rows(marts, "select date_month, sum(won_opportunities) / sum(closed_opportunities) "
                                "from marts.sales_pipeline group by 1 having sum(closed_opportunities) > 0"))
    for month, rate, _ in expected:
        assert rate == pytest.approx(pipeline.get(month), abs=1e-12), month

    # support experience against churn
    support = chart_data(driver, "chart-support-churn")
    expected = rows(marts, "select logo_churn_rate, rest_logo_churn_rate from marts.support_churn_bands_summary "
                           "order by band_type, band_order")
    assert trace(support, "Accounts in the band")["y"] == [number(a) for a, _ in expected]
    assert trace(support, "All other accounts")["y"] == [number(b) for _, b in expected]
    assert months, "no month in the range"


def test_every_chart_is_drawn(browser: webdriver.Chrome) -> None:
    on_page = browser.execute_script("return [...document.querySelectorAll('.chart')].map(e => e.id)")
    assert on_page == CHARTS
    for chart in CHARTS:
        marks = browser.execute_script(
            "const e = document.getElementById(arguments[0]);"
            "return {svg: e.querySelectorAll('svg.main-svg').length,"
            " marks: e.querySelectorAll('.point, .hm image').length}", chart)
        assert marks["svg"] > 0 and marks["marks"] > 0, (chart, marks)
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []


def test_default_view_equals_the_marts(browser: webdriver.Chrome, marts: duckdb.DuckDBPyConnection) -> None:
    browser.refresh()  # the page as it opens, whatever an earlier test selected
    wait_rendered(browser)
    (latest,) = marts.execute("select max(date_month) from marts.mrr_bridge").fetchone()
    (first,) = marts.execute("select min(date_month) from (select date_month from marts.mrr_bridge "
                             "order by date_month desc limit 12)").fetchone()
    assert browser.execute_script("return document.body.dataset.rendered") == filters_json(first, latest, ALL)
    check_charts(browser, marts, first, latest, ALL)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, height + 120)
    time.sleep(1)  # the charts redraw to the new width
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000


def test_filters_redraw_from_the_marts(browser: webdriver.Chrome, marts: duckdb.DuckDBPyConnection) -> None:
    (first, last) = marts.execute("select min(date_month), max(date_month) from marts.mrr_bridge").fetchone()
    # an earlier, longer range and one paid channel
    middle = marts.execute("select date_month from marts.mrr_bridge order by date_month desc limit 1 offset 6"
                           ).fetchone()[0]
    (channel,) = marts.execute("select channel from marts.channel_economics where cac > 0 order by channel limit 1"
                               ).fetchone()
    set_filters(browser, first, middle, channel)
    check_charts(browser, marts, first, middle, channel)
    assert len(chart_data(browser, "chart-channel-cac")) == 1
    # the range is kept in order: a start after the end moves to the end
    browser.execute_script("document.body.dataset.rendered = ''")
    Select(browser.find_element("id", "filter-from")).select_by_value(month_text(last))
    wait_rendered(browser, filters_json(middle, middle, channel))
    assert browser.find_element("id", "filter-from").get_attribute("value") == month_text(middle)
    check_charts(browser, marts, middle, middle, channel)
