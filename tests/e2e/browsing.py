"""Helpers for the browser tests: wait for a page to finish, read what it shows and what
its address holds."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Locator, Page, expect

from ui.text import WORD_JOINER

TIMEOUT = 30_000
#: A page's first run on a fresh server (the timeline scores every year) on a busy machine.
SETTLE_TIMEOUT = 120_000

SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning'
        || app.dataset.testConnectionState !== 'CONNECTED') return false;
    if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]'))
        return false;
    return [...document.querySelectorAll('.cohesion-chart')]
        .every(c => c.querySelector('.main-svg'));
}"""


def settled(page: Page, timeout: int = SETTLE_TIMEOUT) -> None:
    """Wait until the page's script has run and every chart it drew is on screen."""
    page.wait_for_function(SETTLED, timeout=timeout)
    page.wait_for_timeout(300)  # a rerun started by the first run's widgets
    page.wait_for_function(SETTLED, timeout=timeout)


def held_still(locator: Locator, timeout: int = TIMEOUT) -> Locator:
    """``locator`` once it has stopped moving (the same box 150 ms apart), e.g. a widget
    in an expander that is still opening while the page draws its charts: a click that
    lands while it slides goes to whatever is under the pointer then."""
    box = None
    for _ in range(timeout // 150):
        now = locator.bounding_box()
        if now is not None and now == box:
            return locator
        box = now
        locator.page.wait_for_timeout(150)
    raise AssertionError(f"{locator} kept moving for {timeout} ms")


def problems_shown(page: Page) -> list[str]:
    """Exception boxes, error toasts and error alerts on the page, as text."""
    return page.locator(
        '[data-testid="stException"], [data-testid="stToast"], [data-testid="stAlertContentError"]'
    ).all_inner_texts()


def collapse(text: str) -> str:
    """Text as read: whitespace runs as one space, without the invisible word joiner that
    keeps a bare address in data text from becoming a link."""
    return re.sub(r"\s+", " ", text.replace(WORD_JOINER, "")).strip()


def cohesion_metric(page: Page) -> str:
    """The value of the build page's Cohesion metric, once it shows."""
    metric = page.get_by_test_id("stMetric").filter(has_text="Cohesion").first
    expect(metric).to_be_visible(timeout=TIMEOUT)
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def query(page: Page) -> dict[str, str]:
    """The address bar's parameters (the last value of a repeated one)."""
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_query(page: Page, key: str, predicate) -> dict[str, str]:
    """Wait until the address holds ``key`` with a value ``predicate`` accepts; its query."""
    page.wait_for_function(
        "([k]) => new URLSearchParams(location.search).has(k)", arg=[key], timeout=TIMEOUT
    )
    for _ in range(TIMEOUT // 100):
        q = query(page)
        if predicate(q.get(key, "")):
            return q
        page.wait_for_timeout(100)
    raise AssertionError(f"{key} never satisfied the check: {page.url}")


def node_point(page: Page, code: str) -> dict:
    """The screen position of ``code``'s node (the chart trace that holds the codes)."""
    page.wait_for_selector(".js-plotly-plot .scatterlayer", timeout=TIMEOUT)
    return page.evaluate(
        """(code) => {
            const gd = [...document.querySelectorAll('.js-plotly-plot')]
                .find(g => (g.data || []).some(t => (t.customdata || []).includes(code)));
            const t = gd.data.find(t => (t.customdata || []).includes(code));
            const i = t.customdata.indexOf(code);
            const L = gd._fullLayout, r = gd.getBoundingClientRect();
            return {x: r.left + L._size.l + L.xaxis.l2p(t.x[i]),
                    y: r.top + L._size.t + L.yaxis.l2p(t.y[i])};
        }""",
        code,
    )
