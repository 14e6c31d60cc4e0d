"""The finder in a real browser: a linked search, opening a result, a long search's
progress bar, and cancelling it by changing the inputs."""

from __future__ import annotations

import re

import pytest
from browsing import TIMEOUT, cohesion_metric, query, wait_for_query
from playwright.sync_api import Page, expect

from model import find_groupings, load_dataset
from model.search import SearchQuery

pytestmark = pytest.mark.browser
DS = load_dataset()
#: Every grouping of seven states around the United States: C(states - 1, 6), 12.3 million
#: with 49 states, under the page's exhaustive limit and seconds of work, long enough to
#: watch and to interrupt.
LONG = "size=7&require=USA&framing=economic&year=2024"


def best_metric(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="Best cohesion").first
    expect(metric).to_be_visible(timeout=TIMEOUT)
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_a_linked_search_opens_its_best_result_in_build(page: Page, server: str):
    found = find_groupings(DS, SearchQuery((3,), "dialogue", 2024, ("USA",), top=5))
    page.goto(f"{server}/finder?size=3&require=USA&framing=dialogue&year=2024&top=5")
    assert best_metric(page) == f"{found.results[0].cohesion:.1f}"
    wait_for_query(page, "top", lambda v: v == "5")
    page.get_by_role("link", name="Build", exact=True).first.click()
    page.wait_for_url(re.compile(r"/\?members="), timeout=TIMEOUT)
    assert cohesion_metric(page) == f"{found.results[0].cohesion:.1f}"
    q = query(page)
    assert q["members"] == ",".join(found.results[0].members)
    assert (q["framing"], q["year"]) == ("dialogue", "2024")


def test_a_result_link_wins_over_the_scenario_already_on_the_build_page(page: Page, server: str):
    page.goto(f"{server}/?members=USA,JPN&framing=alliance&year=2024")
    cohesion_metric(page)
    page.get_by_role("link", name="Finder").click()
    best_metric(page)
    wait_for_query(page, "size", lambda v: v == "4")
    found = find_groupings(DS, SearchQuery((4,), "alliance", DS.latest_year, ("USA",), top=2))
    page.get_by_role("link", name="Build", exact=True).nth(1).click()
    q = wait_for_query(page, "members", lambda v: v == ",".join(found.results[1].members))
    assert cohesion_metric(page) == f"{found.results[1].cohesion:.1f}"
    assert q["year"] == str(DS.latest_year)
    # and the sidebar's plain link back keeps the session's search
    page.get_by_role("link", name="Finder").click()
    wait_for_query(page, "size", lambda v: v == "4")
    assert best_metric(page) == f"{found.results[0].cohesion:.1f}"


def test_a_long_search_shows_progress_and_changing_an_input_cancels_it(page: Page, server: str):
    page.goto(f"{server}/finder?{LONG}")
    expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=TIMEOUT)
    # Narrow the candidates to Europe while the long search runs.
    regions = page.get_by_test_id("stMultiSelect").filter(has_text="Candidates from")
    regions.locator("input").click()
    page.keyboard.type("Europe")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_query(page, "regions", lambda v: v == "Europe")
    small = find_groupings(DS, SearchQuery((7,), "economic", 2024, ("USA",), regions=("Europe",)))
    expect(page.get_by_test_id("stMetric").filter(has_text="Best cohesion")).to_contain_text(
        f"{small.results[0].cohesion:.1f}", timeout=TIMEOUT
    )
    expect(page.get_by_test_id("stProgress")).to_have_count(0)
    # The interrupted search left nothing cached: opening it again starts it again.
    page.goto(f"{server}/finder?{LONG}")
    expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=TIMEOUT)
