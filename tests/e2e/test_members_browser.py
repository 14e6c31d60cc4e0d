"""The build page's search by name, typed as a reader types it: a few letters and Enter
pick the one actor highlighted, never every match."""

from __future__ import annotations

import pytest
from browsing import TIMEOUT, cohesion_metric, settled, wait_for_query
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def find_box(page: Page):
    box = page.get_by_test_id("stSidebar").get_by_role("combobox").first
    expect(box).to_be_visible(timeout=TIMEOUT)
    return box


def test_typing_part_of_a_name_and_enter_adds_that_one(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN&framing=alliance&year=2024")
    cohesion_metric(page)
    settled(page)
    box = find_box(page)
    box.click()
    box.press_sequentially("Swe", delay=50)
    expect(page.get_by_role("option", name="Sweden (SWE)")).to_be_visible(timeout=TIMEOUT)
    box.press("Enter")
    wait_for_query(page, "members", lambda v: v == "JPN,SWE,USA")
    settled(page)
    # the search is empty again, ready for the next name
    expect(find_box(page)).to_have_value("", timeout=TIMEOUT)


def test_enter_after_a_letter_many_names_share_adds_one_actor(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN&framing=alliance&year=2024")
    cohesion_metric(page)
    settled(page)
    box = find_box(page)
    box.click()
    box.press_sequentially("an", delay=50)  # Canada, France, Iran, Japan, Ukraine, ...
    options = page.get_by_role("option")
    expect(options.first).to_be_visible(timeout=TIMEOUT)
    assert options.count() > 3
    box.press("Enter")
    q = wait_for_query(page, "members", lambda v: v != "JPN,USA")
    assert len(q["members"].split(",")) == 3


def test_picking_a_member_in_the_search_removes_it(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN,KOR&framing=alliance&year=2024")
    cohesion_metric(page)
    settled(page)
    box = find_box(page)
    box.click()
    box.press_sequentially("Korea", delay=50)
    option = page.get_by_role("option", name="South Korea (KOR) · a member: pick to remove")
    expect(option).to_be_visible(timeout=TIMEOUT)
    option.click()
    wait_for_query(page, "members", lambda v: v == "JPN,USA")
