"""What an analyst pastes into a memo, tried in real Chromium (issue #23): the sidebar's
Compare carries the build scenario; on a phone a tap on a node closes the sidebar and
keeps the score in view."""

from __future__ import annotations

import re

import pytest
from browsing import TIMEOUT, cohesion_metric, held_still, node_point, settled, wait_for_query
from playwright.sync_api import Browser, Page, expect

from model import load_dataset

pytestmark = pytest.mark.browser
DS = load_dataset()
ASIAN = ",".join(DS.presets["asian_nato"].members)


def test_the_sidebars_compare_opens_with_the_build_scenario_in_slot_1(page: Page, server: str):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{server}/?members=asian_nato&framing=alliance&year=2021")
    cohesion_metric(page)
    settled(page)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name="Compare").click()
    q = wait_for_query(page, "s1", lambda v: v != "")
    assert (q["s1"], q.get("f1", "alliance"), q["year"]) == (ASIAN, "alliance", "2021")
    settled(page)
    first = page.get_by_test_id("stMetric").first
    expect(first).to_contain_text("Asian NATO", timeout=TIMEOUT)


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


#: CSS pixels around a tap within which Chromium looks for something that takes it.
FINGER = 24


def in_view(page: Page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= size["height"] + 1


def test_on_a_phone_a_tap_on_a_node_closes_the_sidebar_and_shows_the_score(
    phone: Page, server: str
):
    phone.goto(f"{server}/?members=USA,JPN,AUS&framing=dialogue&year=2024")
    before = cohesion_metric(phone)
    settled(phone)
    # the reader opens the sidebar (a preset, a year), then taps a node the sidebar leaves
    # in sight
    phone.get_by_test_id("stExpandSidebarButton").click()
    sidebar = phone.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "false", timeout=TIMEOUT)
    # the sidebar slides open for a moment after it says it is open: its edge once still
    box = held_still(sidebar).bounding_box()
    right = box["x"] + box["width"]
    chart = phone.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    held_still(chart)
    # a node well clear of the sidebar's edge: Chromium moves a tap to the nearest thing
    # that takes one within a finger's reach, here the sidebar's resize handle
    code, at = next(
        (c, at)
        for c in ("BRA", "ARG", "CAN", "USA")
        if (at := node_point(phone, c))["x"] > right + FINGER
    )
    phone.touchscreen.tap(at["x"], at["y"])
    wanted = ",".join(sorted({"USA", "JPN", "AUS"} ^ {code}))
    wait_for_query(phone, "members", lambda v: v == wanted)
    settled(phone)
    expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=TIMEOUT)
    metric = phone.get_by_test_id("stMetric").filter(has_text="Cohesion").first
    expect(metric).not_to_have_text(re.compile(re.escape(before) + "$"), timeout=TIMEOUT)
    phone.wait_for_function(
        """() => { const m = document.querySelector('[data-testid="stMetric"]');
                   const r = m && m.getBoundingClientRect();
                   return r && r.top >= -1 && r.bottom <= window.innerHeight + 1; }""",
        timeout=TIMEOUT,
    )
    assert in_view(phone, metric)
