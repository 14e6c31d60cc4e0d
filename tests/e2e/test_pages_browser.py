"""Every page in a real browser: it renders without an exception box or an error, the
server logs no traceback, and a full-page screenshot is kept; widgets rewrite the address."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from browsing import (
    TIMEOUT,
    cohesion_metric,
    held_still,
    problems_shown,
    settled,
    wait_for_query,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

#: Every page by its address, with the title it shows. A new page is one more line here.
PAGES = {
    "": "How cohesive would this grouping be?",
    "compare": "Compare groupings",
    "finder": "Which grouping would hold together best?",
    "timeline": "Cohesion over time",
    "data": "The data behind the scores",
    "method": "Method",
}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("address", list(PAGES), ids=[a or "build" for a in PAGES])
def test_the_page_renders_cleanly_and_is_captured(
    page: Page, server: str, server_log: Path, tmp_path: Path, address: str
):
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{server}/{address}")
    expect(page.get_by_role("heading", name=PAGES[address]).first).to_be_visible(timeout=TIMEOUT)
    settled(page)
    assert problems_shown(page) == []
    assert errors == []  # no uncaught JavaScript error either
    # The main area scrolls inside the window: grow the window to show all of it at once.
    tall = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(max(tall, 900), 12_000)})
    settled(page)
    shot = tmp_path / f"{address or 'build'}.png"
    page.screenshot(path=shot, full_page=True)
    width, height = png_size(shot)
    assert width == 1400 and height >= min(tall, 12_000)
    assert shot.stat().st_size > 30_000  # a rendered page, not a blank one
    assert "Traceback" not in server_log.read_text(errors="replace")


def sidebar_pill(page: Page, label: str, role: str = "button"):
    """A pill in the sidebar: members are toggle buttons, presets are radio buttons."""
    return page.get_by_test_id("stSidebar").get_by_role(role, name=label, exact=True)


def test_picking_a_member_in_the_sidebar_rewrites_the_address(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN,AUS&framing=alliance&year=2024")
    before = cohesion_metric(page)
    # the regions are folded: open Southeast Asia, then pick the Philippines
    page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(
        has_text="Southeast Asia"
    ).locator("summary").click()
    held_still(sidebar_pill(page, "Philippines")).click()
    wait_for_query(page, "members", lambda v: v == "AUS,JPN,PHL,USA")
    expect(page.get_by_test_id("stMetric").filter(has_text="Cohesion").first).not_to_have_text(
        re.compile(re.escape(before) + "$"), timeout=TIMEOUT
    )
    sidebar_pill(page, "Japan").first.click()  # the members' own pills come first
    q = wait_for_query(page, "members", lambda v: v == "AUS,PHL,USA")
    assert (q["framing"], q["year"]) == ("alliance", "2024")


def test_a_preset_in_the_sidebar_rewrites_the_address(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN&framing=economic&year=2020")
    cohesion_metric(page)
    sidebar_pill(page, "AUKUS", role="radio").click()
    q = wait_for_query(page, "members", lambda v: v == "AUS,GBR,USA")
    assert (q["framing"], q["year"]) == ("dialogue", "2020")


def test_loading_a_preset_into_a_compare_slot_rewrites_the_address(page: Page, server: str):
    page.goto(f"{server}/compare?s1=quad&s2=squad&year=2024")
    settled(page)
    page.get_by_test_id("stSelectbox").nth(1).click()
    page.get_by_role("option", name="AUKUS").click()
    q = wait_for_query(page, "s2", lambda v: v == "AUS,GBR,USA")
    assert (q["s1"], q["f2"], q["year"]) == ("AUS,IND,JPN,USA", "dialogue", "2024")
