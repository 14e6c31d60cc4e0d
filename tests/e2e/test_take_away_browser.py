"""What an analyst takes away and where (real Chromium): a PNG of the network at twice its
size, the scenario brief, a phone (the sidebar starts collapsed, a tap toggles a node), and
a scenario that survives an upload on the data page."""

from __future__ import annotations

import io
import re
import struct
import time

import pytest
from browsing import (
    TIMEOUT,
    cohesion_metric,
    held_still,
    node_point,
    query,
    settled,
    wait_for_query,
)
from playwright.sync_api import Browser, Page, expect

from model import Scenario, load_dataset, parse_tables, score
from model.export import read_dataset_files

pytestmark = pytest.mark.browser
DS = load_dataset()
YEAR = DS.latest_year
ASIAN = "AUS,JPN,PHL,USA"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_network_downloads_as_a_png_named_after_the_scenario(page: Page, server: str):
    page.goto(f"{server}/?members=asian_nato&year={YEAR}")
    settled(page)
    chart = page.locator(".cohesion-chart").first
    chart.hover()
    size = page.evaluate(
        "() => { const L = document.querySelector('.js-plotly-plot')._fullLayout;"
        " return [L.width, L.height]; }"
    )
    with page.expect_download(timeout=TIMEOUT) as info:
        chart.get_by_role("button", name="Download plot as a PNG").click()
    download = info.value
    assert download.suggested_filename == f"asian-nato-alliance-{YEAR}-network.png"
    with open(download.path(), "rb") as f:
        assert png_size(f.read()) == (2 * size[0], 2 * size[1])


def test_the_brief_downloads_and_opens_as_a_page_without_scripts(
    page: Page, server: str, browser: Browser
):
    page.goto(f"{server}/?members=asian_nato&year={YEAR}")
    shown = cohesion_metric(page)
    with page.expect_download(timeout=TIMEOUT) as info:
        page.get_by_role("button", name="Scenario brief (HTML)").click()
    download = info.value
    assert download.suggested_filename == f"asian-nato-alliance-{YEAR}-brief.html"
    with open(download.path(), encoding="utf-8") as f:
        text = f.read()
    assert f"<span class='score'>{shown}</span>" in text
    reader = browser.new_page()
    errors: list[str] = []
    reader.on("pageerror", lambda e: errors.append(str(e)))
    reader.set_content(text)
    assert reader.locator("script").count() == 0
    expect(reader.locator("h1")).to_contain_text("Asian NATO")
    expect(reader.locator("svg text", has_text="PHL")).to_have_count(1)
    assert reader.locator("ol li").count() > 10  # the sources it rests on
    assert errors == []
    reader.close()


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_on_a_phone_the_sidebar_starts_collapsed_and_a_tap_toggles_a_node(phone: Page, server: str):
    phone.goto(f"{server}/?members=USA,JPN,AUS&framing=dialogue&year=2024")
    before = cohesion_metric(phone)
    settled(phone)
    sidebar = phone.get_by_test_id("stSidebar")
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0  # off screen
    chart = phone.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    held_still(chart)
    at = node_point(phone, "PHL")
    phone.touchscreen.tap(at["x"], at["y"])
    wait_for_query(phone, "members", lambda v: v == "AUS,JPN,PHL,USA")
    expect(phone.get_by_test_id("stMetric").filter(has_text="Cohesion").first).not_to_have_text(
        re.compile(re.escape(before) + "$"), timeout=TIMEOUT
    )
    settled(phone)
    # the page brought the score back into view: scroll down to the network again
    chart.scroll_into_view_if_needed()
    held_still(chart)
    at = node_point(phone, "PHL")
    phone.touchscreen.tap(at["x"], at["y"])
    wait_for_query(phone, "members", lambda v: v == "AUS,JPN,USA")


def halved_ties() -> bytes:
    import csv

    rows = list(csv.DictReader(io.StringIO(read_dataset_files()["ties.csv"].decode("utf-8"))))
    for r in rows:
        r["strength"] = f"{float(r['strength']) / 2:.3f}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_scenario_survives_an_upload_and_is_scored_on_the_new_data(page: Page, server: str):
    page.goto(f"{server}/?members={ASIAN}&framing=alliance&year={YEAR}")
    cohesion_metric(page)
    page.get_by_role("link", name="Data").click()
    expect(page.get_by_role("heading", name="The data behind the scores")).to_be_visible(
        timeout=TIMEOUT
    )
    page.get_by_text("Upload a table or a whole dataset").click()
    raw = halved_ties()
    page.locator('input[type="file"]').set_input_files(
        {"name": "ties.csv", "mimeType": "text/csv", "buffer": raw}
    )
    expect(page.get_by_text(re.compile("passed validation and is now in use"))).to_be_visible(
        timeout=TIMEOUT
    )
    page.get_by_role("link", name="Build a grouping").click()
    q = wait_for_query(page, "members", lambda v: v != "")
    assert (q["members"], q["framing"], q["year"]) == (ASIAN, "alliance", str(YEAR))
    custom = parse_tables({**read_dataset_files(), "ties.csv": raw})
    expected = score(custom, Scenario(tuple(ASIAN.split(",")), "alliance", YEAR)).cohesion
    deadline = time.monotonic() + 30
    while cohesion_metric(page) != f"{expected:.1f}" and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert cohesion_metric(page) == f"{expected:.1f}"
    assert query(page)["members"] == ASIAN
