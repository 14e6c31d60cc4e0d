"""What a browser waits for on the build page against a bare page: prints medians.

    python benchmarks/bench_browser.py                 # 12 clicks, 7 links, 3 starts
    python benchmarks/bench_browser.py --clicks 6 --links 3 --starts 0

Debian's Chromium (headless, the browser tests' flags) drives two servers started here:
`streamlit run app.py` and a bare page with the build page's sidebar widgets, one plotly
network chart of the members (``ui.network.network_figure``, as in
``benchmarks/bench_build_page.py``) and one metric naming the members, with no scoring.
The two pages take turns for every measurement (build, bare, build, ...), so that a busy
machine slows both alike:

- click: in an open tab, a click on a state's pill in the sidebar until the new cohesion
  (the bare page: the new members) is on screen; the state is then removed again (a
  scored grouping on the build page, "back"); and how many of the page's plotly charts the
  click drew anew (a new chart node, not the old one updated in place);
- link: a shared link (three states, a year each time new to the server) opened in a
  fresh browser context, from ``goto`` until the first score is on screen, and the bytes
  that context downloaded over HTTP (Chromium's encoded lengths, headers included) and
  over the WebSocket once the page has settled;
- start: a fresh server process (both pages), the first visitor's link until the score.

Targets (issue 19): click <= 1.3x bare, link <= 1.2x bare, the first visitor after a start
<= 3 s, and a fresh browser's bytes <= 1 MB more than the bare page's. Medians of the
repeats, with the load average before and after. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build_page import BARE  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from model import load_dataset, scenario, score  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

BASE = ("AUS", "JPN", "USA")
FRAMING = "alliance"
# The bare page with a metric of its members above the chart, where the build page has its
# score: the bare page's "score".
BARE_PAGE = BARE.replace(
    "st.plotly_chart(",
    'st.metric("Cohesion", ",".join(members) or "none")\nst.plotly_chart(',
)
METRIC_IS = """([expected]) => {
    const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(e => e.innerText.includes('Cohesion'));
    const v = m && m.querySelector('[data-testid="stMetricValue"]');
    return !!v && v.innerText.trim() === expected;
}"""
IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')"""
TIMEOUT_MS = 60_000


@contextmanager
def server(script: Path):
    """`streamlit run SCRIPT` from the repository root (its .streamlit/config.toml) on a
    free port, as the browser tests start theirs; yields its address once
    /_stcore/health answers ok."""
    env = {"PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp) / "log", env, script) as url:
        yield url


class Page:
    """One page kind: its address, the expected value of its metric, a tab for clicks."""

    def __init__(self, kind: str, url: str, expect) -> None:
        self.kind, self.url, self.expect = kind, url, expect

    def link(self, members: tuple[str, ...], year: int) -> str:
        return f"{self.url}/?members={','.join(members)}&framing={FRAMING}&year={year}"


def fresh_context(browser):
    return browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")


def counted(context, page):
    """Bytes received by ``page``: HTTP (encoded, with headers) and WebSocket payloads."""
    got = {"http": 0, "ws": 0}
    cdp = context.new_cdp_session(page)

    def on_done(e):
        got["http"] += int(e.get("encodedDataLength", 0))

    def on_frame(e):
        r = e["response"]
        data = r.get("payloadData", "")
        got["ws"] += len(base64.b64decode(data)) if r.get("opcode") == 2 else len(data.encode())

    cdp.on("Network.loadingFinished", on_done)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    cdp.send("Network.enable")
    return got


def wait_metric(page, expected: str) -> None:
    page.wait_for_function(METRIC_IS, arg=[expected], polling=20, timeout=TIMEOUT_MS)


def settle(page) -> None:
    page.wait_for_function(IDLE, polling=50, timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)


def open_link(browser, p: Page, members, year) -> tuple[float, dict]:
    context = fresh_context(browser)
    try:
        page = context.new_page()
        got = counted(context, page)
        expected = p.expect(members, year)
        t0 = time.perf_counter()
        page.goto(p.link(members, year), wait_until="commit", timeout=TIMEOUT_MS)
        wait_metric(page, expected)
        seconds = time.perf_counter() - t0
        settle(page)
        page.wait_for_timeout(1500)  # late chunks (lazily loaded components)
        assert page.get_by_test_id("stException").count() == 0, p.kind
        return seconds, dict(got)
    finally:
        context.close()


#: Before a click, mark every plotly chart's node; after it, count the charts whose node is
#: new: Streamlit drew them from scratch (a new element) instead of updating them in place.
MARK_CHARTS = "() => document.querySelectorAll('.js-plotly-plot').forEach(e => e.__kept = 1)"
CHARTS_ANEW = """() => {
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  return [charts.filter(e => !e.__kept).length, charts.length];
}"""


def clicks(browser, pages: list[Page], adds, names, regions, year) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    tabs = {}
    watch: dict = {"needle": None, "at": None}

    def on_frame(payload) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        if watch["needle"] and watch["at"] is None and watch["needle"] in data:
            watch["at"] = time.perf_counter()

    for p in pages:
        context = fresh_context(browser)
        tab = context.new_page()
        tab.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        tab.goto(p.link(BASE, year), timeout=TIMEOUT_MS)
        wait_metric(tab, p.expect(BASE, year))
        settle(tab)
        tabs[p.kind] = (context, tab)
    try:
        for code in adds:
            added = tuple(sorted((*BASE, code)))
            for members, what in ((added, ""), (BASE, "_back")):
                for p in pages:
                    tab = tabs[p.kind][1]
                    sidebar = tab.get_by_test_id("stSidebar")
                    region = sidebar.get_by_test_id("stExpander").filter(
                        has=tab.get_by_text(regions[code], exact=True)
                    )
                    pill = region.get_by_role("button", name=names[code], exact=True)
                    if not pill.is_visible():  # open the state's region (not timed)
                        region.get_by_text(regions[code], exact=True).click()
                        tab.wait_for_timeout(300)
                    pill.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
                    expected = p.expect(members, year)
                    watch["needle"], watch["at"] = expected.encode(), None
                    tab.evaluate(MARK_CHARTS)
                    t0 = time.perf_counter()
                    pill.click(timeout=TIMEOUT_MS)
                    wait_metric(tab, expected)
                    times.setdefault(p.kind + what, []).append(time.perf_counter() - t0)
                    if watch["at"] is not None:  # the frame holding it reached the browser
                        times.setdefault("frame_" + p.kind + what, []).append(watch["at"] - t0)
                    watch["needle"] = None
                    settle(tab)
                    tab.wait_for_timeout(300)
                    anew, shown = tab.evaluate(CHARTS_ANEW)
                    times.setdefault("anew_" + p.kind, []).append(anew)
                    times.setdefault("charts_" + p.kind, []).append(shown)
        for p in pages:
            assert tabs[p.kind][1].get_by_test_id("stException").count() == 0, p.kind
    finally:
        for context, _ in tabs.values():
            context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=12, help="states added and removed")
    parser.add_argument("--links", type=int, default=7, help="links opened, each page")
    parser.add_argument("--starts", type=int, default=3, help="fresh servers, each page")
    args = parser.parse_args()

    ds = load_dataset()
    names = {a.code: a.name for a in ds.actors}
    regions = {a.code: a.region for a in ds.actors}
    states = [a.code for a in ds.actors if a.kind == "state"]
    cache: dict = {}

    def build_expect(members, year):
        key = (members, year)
        if key not in cache:
            c = score(ds, scenario(ds, ",".join(members), FRAMING, year)).cohesion
            cache[key] = "—" if c is None else f"{c:.1f}"
        return cache[key]

    def bare_expect(members, year):
        return ",".join(sorted(members)) or "none"

    # States whose addition changes the score to one decimal (else the click is untimeable).
    year = ds.latest_year
    base_score = build_expect(BASE, year)
    adds = [
        c for c in states
        if c not in BASE and build_expect(tuple(sorted((*BASE, c))), year) != base_score
    ][: args.clicks]  # fmt: skip
    # Links: three states each, in years the click tabs did not use.
    links = []
    for i in range(args.links + args.starts):
        trio = tuple(sorted({states[(3 * i + k * 7) % len(states)] for k in range(3)}))
        links.append((trio, ds.latest_year - 1 - i % 12))

    loads = [os.getloadavg()[0]]
    print(f"load average {loads[0]:.2f} at start, {os.cpu_count()} CPUs", flush=True)
    results: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bare_script = Path(tmp) / "bare_page.py"
        bare_script.write_text(BARE_PAGE)
        app = ROOT / "app.py"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for i in range(args.starts):  # the first visitor after a start
                for kind, script, expect in (
                    ("build", app, build_expect),
                    ("bare", bare_script, bare_expect),
                ):
                    with server(script) as url:
                        seconds, _ = open_link(browser, Page(kind, url, expect), *links[-1 - i])
                    results.setdefault("start_" + kind, []).append(seconds)
            with server(app) as build_url, server(bare_script) as bare_url:
                pages = [
                    Page("build", build_url, build_expect),
                    Page("bare", bare_url, bare_expect),
                ]
                for p in pages:  # one untimed visit each: the servers' first-run costs
                    open_link(browser, p, BASE, year)
                for members, y in links[: args.links]:
                    for p in pages:
                        seconds, got = open_link(browser, p, members, y)
                        results.setdefault("link_" + p.kind, []).append(seconds)
                        results.setdefault("http_" + p.kind, []).append(got["http"])
                        results.setdefault("ws_" + p.kind, []).append(got["ws"])
                results.update(clicks(browser, pages, adds, names, regions, year))
            browser.close()
    loads.append(os.getloadavg()[0])

    med = {k: statistics.median(v) for k, v in results.items()}

    def row(label, build, bare, unit="ms", target=""):
        if build not in med or bare not in med:
            return
        b, r, n = med[build], med[bare], len(results[build])
        if unit == "ms":
            shown = f"{b * 1000:7.0f} ms  bare {r * 1000:7.0f} ms  ratio {b / r:5.2f}"
        else:
            shown = f"{b / 1e6:7.2f} MB  bare {r / 1e6:7.2f} MB  more {(b - r) / 1e6:+6.2f} MB"
        print(f"{label:38s}{shown}  {target}  (median of {n})")

    row("click a state -> new score", "build", "bare", target="[ratio <= 1.3]")
    row("click it away -> scored grouping", "build_back", "bare_back")
    row("  click -> the frame holding it", "frame_build", "frame_bare")
    row("  click away -> the frame holding it", "frame_build_back", "frame_bare_back")
    for kind in ("build", "bare"):
        if "anew_" + kind in med:
            print(
                f"  {kind} page: plotly charts drawn anew by a click {med['anew_' + kind]:.0f} of "
                f"{med['charts_' + kind]:.0f}  (median of {len(results['anew_' + kind])})"
            )
    row("shared link -> first score (fresh)", "link_build", "link_bare", target="[ratio <= 1.2]")
    row("first visitor after a start", "start_build", "start_bare", target="[build <= 3000 ms]")
    row("fresh context, HTTP bytes", "http_build", "http_bare", "MB", "[more <= 1 MB]")
    row("fresh context, WebSocket bytes", "ws_build", "ws_bare", "MB")
    print(f"load average {loads[0]:.2f} before, {loads[1]:.2f} after")


if __name__ == "__main__":
    main()
