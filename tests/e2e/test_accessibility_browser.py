"""Accessibility of every page in real Chromium (issue #23): axe-core, as bundled by
axe-playwright-python, finds nothing serious or critical (contrast, names, roles, ...),
and the headings never skip a level."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import settled
from playwright.sync_api import Page
from test_pages_browser import PAGES

pytestmark = pytest.mark.browser
AXE = Axe()
#: The pages as the issue tried them: the same scenarios where a page takes one.
ADDRESSES = {
    "": "?members=asian_nato&year=2024",
    "compare": "?s1=quad&s2=squad&s3=asian_nato&year=2024",
    "finder": "",
    "timeline": "?s1=camp_david&start=2010",
    "data": "",
    "method": "",
}
assert set(ADDRESSES) == set(PAGES)


def findings(page: Page) -> list[dict]:
    """axe-core's violations on the page as shown (every rule axe runs by default)."""
    return AXE.run(page).response["violations"]


@pytest.mark.parametrize("address", list(ADDRESSES), ids=[a or "build" for a in ADDRESSES])
def test_axe_finds_nothing_serious_or_critical(page: Page, server: str, address: str):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{server}/{address}{ADDRESSES[address]}")
    page.get_by_role("heading", name=PAGES[address]).first.wait_for(timeout=60_000)
    settled(page)
    found = findings(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert "heading-order" not in [v["id"] for v in found]
