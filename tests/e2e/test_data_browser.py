"""The data page's actor filter in a real browser, where a reader types into it: a code and
Enter pick that actor alone (never every match), and a table's download then holds exactly
the rows it shows. AppTest cannot type into a multiselect's search box, so this is here."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from browsing import TIMEOUT, collapse, problems_shown, settled
from playwright.sync_api import Page, expect

from model.export import read_dataset_files, unsafe_csv
from ui.datatable import filter_rows

pytestmark = pytest.mark.browser

TIES = pd.read_csv(io.BytesIO(read_dataset_files()["ties.csv"]), dtype=str, keep_default_na=False)


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

    # The ties table shows the rows naming either, and its download holds exactly those.
    kept = filter_rows(TIES, "ties.csv", actors=("USA", "IND"))
    assert 0 < len(kept) < len(TIES)
    page.get_by_role("tab", name="ties", exact=True).click()
    settled(page)
    panel = page.get_by_role("tabpanel", name="ties")
    count = f"{len(kept)} of {len(TIES)} rows"
    expect(panel.get_by_test_id("stCaptionContainer").filter(has_text=count)).to_be_visible(
        timeout=TIMEOUT
    )
    button = page.locator(".st-key-data_dl_ties-csv").get_by_role("button").first
    assert collapse(button.inner_text()).endswith(f"Download the {len(kept)} rows shown")
    with page.expect_download(timeout=TIMEOUT) as download:
        button.click()
    got = download.value
    assert got.suggested_filename == f"ties-IND-USA-{len(kept)}-of-{len(TIES)}-rows.csv"
    raw = Path(got.path()).read_bytes()
    rows = pd.read_csv(io.BytesIO(unsafe_csv(raw)), dtype=str, keep_default_na=False)
    assert rows.equals(kept.reset_index(drop=True))
    assert problems_shown(page) == []
    assert "Traceback" not in server_log.read_text(errors="replace")
