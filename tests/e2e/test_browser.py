"""What only a browser shows: the address bar, a click on the chart, a page switch."""

from __future__ import annotations

import re

import pytest
from browsing import TIMEOUT, cohesion_metric, node_point, settled, wait_for_query
from playwright.sync_api import Page, expect

from model import load_dataset, scenario, score

pytestmark = pytest.mark.browser
DS = load_dataset()


def click_node(page: Page, code: str) -> None:
    """Click the network's marker for ``code`` at its pixel position."""
    box = node_point(page, code)
    page.mouse.move(box["x"], box["y"])
    page.wait_for_timeout(300)
    page.mouse.click(box["x"], box["y"])


def test_a_shared_link_opens_its_scenario_with_the_cli_score(page: Page, server: str):
    expected = score(DS, scenario(DS, "USA,JPN,KOR", "alliance", 2024)).cohesion
    page.goto(f"{server}/?members=kor,USA,JPN&framing=alliance&year=2024")
    assert cohesion_metric(page) == f"{expected:.1f}"
    q = wait_for_query(page, "members", lambda v: v == "JPN,KOR,USA")
    assert (q["framing"], q["year"]) == ("alliance", "2024")


def test_clicking_a_node_adds_and_removes_that_member(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN,AUS&framing=dialogue&year=2024")
    before = cohesion_metric(page)
    click_node(page, "PHL")
    wait_for_query(page, "members", lambda v: v == "AUS,JPN,PHL,USA")
    expect(page.get_by_test_id("stMetric").filter(has_text="Cohesion").first).not_to_have_text(
        re.compile(re.escape(before) + "$"), timeout=TIMEOUT
    )
    click_node(page, "PHL")
    wait_for_query(page, "members", lambda v: v == "AUS,JPN,USA")
    assert cohesion_metric(page) == before


def test_a_bad_link_warns_and_keeps_the_rest(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN,<b>XX</b>&framing=alliance&year=2024")
    alert = page.get_by_test_id("stAlert").first
    expect(alert).to_contain_text("<b>XX</b>", timeout=TIMEOUT)
    assert page.locator("[data-testid=stAlert] b").count() == 0
    wait_for_query(page, "members", lambda v: v == "JPN,USA")


def test_compare_button_carries_the_scenario(page: Page, server: str):
    page.goto(f"{server}/?members=squad&year=2024")
    cohesion_metric(page)
    page.get_by_role("button", name=re.compile("Compare with")).click()
    page.wait_for_url(re.compile(r"/compare\?"), timeout=TIMEOUT)
    q = wait_for_query(page, "s1", lambda v: v == "AUS,JPN,PHL,USA")
    assert q["year"] == "2024"
    squad = score(DS, scenario(DS, "squad", None, 2024)).cohesion
    expect(page.get_by_test_id("stMetric").first).to_contain_text(f"{squad:.1f}", timeout=TIMEOUT)


def test_a_click_updates_every_chart_in_place(page: Page, server: str):
    """The charts keep their nodes through a click and show the new grouping
    (ui/livechart.py): plotly updates them instead of plotting them anew."""
    page.goto(f"{server}/?members=USA,JPN,AUS&framing=alliance&year=2024")
    settled(page)
    before = cohesion_metric(page)
    marked = page.evaluate(
        "() => { const c = [...document.querySelectorAll('.js-plotly-plot')];"
        " c.forEach(e => e.__kept = 1); return c.length; }"
    )
    assert marked == 4  # the network, the breakdown, the members, the yardstick
    click_node(page, "PHL")
    wait_for_query(page, "members", lambda v: v == "AUS,JPN,PHL,USA")
    expect(page.get_by_test_id("stMetric").filter(has_text="Cohesion").first).not_to_have_text(
        re.compile(re.escape(before) + "$"), timeout=TIMEOUT
    )
    settled(page)
    kept, shown, titles = page.evaluate(
        "() => { const c = [...document.querySelectorAll('.js-plotly-plot')];"
        " return [c.filter(e => e.__kept).length, c.length,"
        " c.map(e => e._fullLayout.title.text)]; }"
    )
    assert (kept, shown) == (4, 4)
    assert all("Squad" in t for t in titles), titles  # the new grouping is a preset
