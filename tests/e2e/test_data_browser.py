"""The data page's actor filter in a real browser, where a reader types into it: a code and
Enter pick that actor alone, never every match. AppTest cannot type into a multiselect's
search box, so this is here."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import TIMEOUT, problems_shown, settled
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def type_and_enter(page: Page, text: str) -> list[str]:
    """Type ``text`` into the actor filter and press Enter; the options it listed."""
    page.locator(".st-key-data_actors input").click()
    page.keyboard.type(text)
    options = page.get_by_role("option")
    expect(options.first).to_be_visible(timeout=TIMEOUT)
    listed = options.all_inner_texts()
    page.keyboard.press("Enter")
    settled(page)
    page.keyboard.press("Escape")  # close the list, as a reader moving on would
    return listed


def picked(page: Page) -> list[str]:
    return page.locator(".st-key-data_actors [data-tag]").evaluate_all(
        "tags => tags.map(t => t.getAttribute('aria-label'))"
    )


def test_a_typed_code_and_enter_pick_that_actor_alone(page: Page, server: str, server_log: Path):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{server}/data")
    expect(page.get_by_role("heading", name="The data behind the scores")).to_be_visible(
        timeout=TIMEOUT
    )
    settled(page)
    listed = type_and_enter(page, "USA")
    # "usa" is also in Australia's and Russia's labels, in order: they are listed, after
    # the United States, and no row offers to select them all
    assert listed[0] == "USA · United States"
    assert {"AUS · Australia", "RUS · Russia"} <= set(listed)
    assert not [o for o in listed if o.lower().startswith("select")]
    expect(page.locator(".st-key-data_actors [data-tag]")).to_have_count(1, timeout=TIMEOUT)
    assert picked(page) == ["USA · United States"]
    # the best match first: IND is India, not Indonesia (IDN) that also matches
    listed = type_and_enter(page, "IND")
    assert listed[:2] == ["IND · India", "IDN · Indonesia"]
    expect(page.locator(".st-key-data_actors [data-tag]")).to_have_count(2, timeout=TIMEOUT)
    assert picked(page) == ["USA · United States", "IND · India"]
    note = page.get_by_text("Every table but sources shows only the rows naming")
    expect(note).to_have_text(
        "Every table but sources shows only the rows naming United States or India.",
        timeout=TIMEOUT,
    )

    assert problems_shown(page) == []
    assert "Traceback" not in server_log.read_text(errors="replace")
