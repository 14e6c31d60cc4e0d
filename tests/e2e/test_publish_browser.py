"""Publish in a real browser: publish a scenario on Build with a hostile title and note,
then open the short link in a fresh browser context (another person, no shared session):
it shows the same scenario and number, the title and note as plain text, and runs no
script."""

from __future__ import annotations

import re

import pytest
from browsing import TIMEOUT, cohesion_metric, collapse, problems_shown, query, settled
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

TITLE = '<img src=x onerror="window.__xss=1"> Trilateral **2024**'
NOTE = "<script>window.__xss=2</script>\n[click](javascript:window.__xss=3) second line"


def publish(page: Page, title: str, note: str) -> str:
    """Open the publish form under the share link, fill it in, publish; the short link."""
    page.get_by_text("Publish this scenario with its data").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Note").fill(note)
    page.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    code = page.get_by_test_id("stCode").filter(has_text="?s=")
    expect(code).to_be_visible(timeout=TIMEOUT)
    return code.inner_text().strip()


def test_publish_on_build_and_open_the_link_in_a_fresh_context(
    page: Page, browser: Browser, server: str
):
    page.goto(f"{server}/?members=USA,JPN,KOR&framing=alliance&year=2024")
    settled(page)
    published_number = cohesion_metric(page)
    link = publish(page, TITLE, NOTE)
    assert re.fullmatch(re.escape(server) + r"/\?s=[A-Za-z0-9_-]{16}", link), link

    other = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        visitor = other.new_page()
        visitor.goto(link)
        settled(visitor)
        assert cohesion_metric(visitor) == published_number
        body = collapse(visitor.locator("body").inner_text())
        assert TITLE in body  # shown as typed, not as markup
        assert "<script>window.__xss=2</script>" in body
        assert "[click](javascript:window.__xss=3) second line" in body
        assert "Published " in body and "on its own data" in body
        assert visitor.evaluate("() => window.__xss") is None
        assert visitor.locator("img[src='x'], a[href^='javascript']").count() == 0
        assert query(visitor) == {"s": link.rsplit("=", 1)[1]}  # the link stays as it is
        assert problems_shown(visitor) == []
    finally:
        other.close()
