"""What an analyst pastes into a memo, tried in real Chromium (issue #23): the sidebar's
Compare carries the build scenario."""

from __future__ import annotations

import pytest
from browsing import TIMEOUT, cohesion_metric, settled, wait_for_query
from playwright.sync_api import Page, expect

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
