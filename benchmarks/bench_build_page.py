"""Build-page benchmarks through AppTest: prints medians of repeated timings.

    python benchmarks/bench_build_page.py

(a) the first run of the build page in a fresh process (cold caches), in a subprocess;
(b) a rerun after toggling a member with a region pills widget (a new scenario, so the
    score is computed, not read from the cache), and the toggle back (cached score);
(c) the same toggles on a bare page that only draws the plotly network of the same
    members with ui.network.network_figure, without scoring.
Targets: (b)/(c) <= 3 and (a) < 4 s.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from model import load_dataset  # noqa: E402

APP = ROOT / "app.py"
BASE = "USA,JPN,KOR"
# One member added per toggle; each lands in a different scenario, so none is cached.
ADDS = ["AUS", "NZL", "PHL", "IDN", "VNM", "SGP", "MYS", "THA", "TWN", "CHN", "PRK", "IND"]
COLD_REPEATS = 5

COLD = textwrap.dedent("""
    import json, sys, time
    t0 = time.perf_counter()
    import streamlit.components.v2.manifest_scanner as scanner
    from streamlit.testing.v1 import AppTest
    imported = time.perf_counter() - t0
    scan = []
    original = scanner.scan_component_manifests
    def timed(*args, **kwargs):  # the same scan, timed: AppTest's cost, not the page's
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            scan.append(time.perf_counter() - t)
    scanner.scan_component_manifests = timed
    at = AppTest.from_file(sys.argv[1], default_timeout=60)
    at.query_params["members"] = sys.argv[2]
    t = time.perf_counter()
    at.run()
    run = time.perf_counter() - t
    assert not at.exception, [e.value for e in at.exception]
    print(json.dumps({"import": imported, "run": run, "scan": sum(scan),
                      "cohesion": at.metric[0].value}))
""")

BARE = textwrap.dedent("""
    import streamlit as st

    from ui import cache, datastore
    from ui.network import network_figure

    ds = datastore.dataset_or_stop()
    codes = st.pills("Members", list(ds.codes), selection_mode="multi", key="members",
                     default=st.query_params.get("members", "").split(","))
    members = tuple(sorted(codes))
    fig = network_figure(cache.context(ds, ds.latest_year, "alliance"), members,
                         cache.layout(ds, "map"))
    st.plotly_chart(fig, key="network", on_select="rerun", selection_mode="points",
                    config={"displayModeBar": False})
""")


def cold_first_run() -> dict[str, float]:
    runs = []
    for _ in range(COLD_REPEATS):
        out = subprocess.run(
            [sys.executable, "-c", COLD, str(APP), BASE],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in ("import", "run", "scan")}


def toggle_runs(at: AppTest, pills_key) -> tuple[list[float], list[float]]:
    """Seconds per rerun after adding a member, and after removing it again."""
    added, removed = [], []
    for code in ADDS:
        for select, times in ((True, added), (False, removed)):
            pills = at.pills(key=pills_key(code))
            (pills.select if select else pills.unselect)(code)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            assert not at.exception, [e.value for e in at.exception]
    return added, removed


def build_page_toggles() -> tuple[list[float], list[float]]:
    region = {a.code: a.region for a in load_dataset().actors}
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["members"] = BASE
    at.run()
    assert not at.exception
    return toggle_runs(at, lambda code: f"build_region_{region[code]}")


def bare_page_toggles() -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "bare_network.py"
        page.write_text(BARE)
        at = AppTest.from_file(str(page), default_timeout=60)
        at.query_params["members"] = BASE
        at.run()
        assert not at.exception
        return toggle_runs(at, lambda code: "members")


def ms(seconds: list[float] | float) -> str:
    value = statistics.median(seconds) if isinstance(seconds, list) else seconds
    return f"{value * 1000:7.0f} ms"


def main() -> None:
    cold = cold_first_run()
    build_add, build_back = build_page_toggles()
    bare_add, bare_back = bare_page_toggles()
    ratio = statistics.median(build_add) / statistics.median(bare_add)
    ratio_back = statistics.median(build_back) / statistics.median(bare_back)
    print(
        f"(a) first run of the build page, fresh process   {ms(cold['run'])}  [< 4000 ms]"
        f"   (median of {COLD_REPEATS})"
    )
    print(f"      of which AppTest's component-manifest scan {ms(cold['scan'])}")
    print(f"      importing streamlit.testing, before the run {ms(cold['import'])}")
    print(
        f"(b) build page, rerun after a toggle (new score)  {ms(build_add)}"
        f"   (median of {len(ADDS)})"
    )
    print(f"    build page, rerun after toggling back (cached){ms(build_back)}")
    print(f"(c) bare network page, rerun after the same toggle{ms(bare_add)}")
    print(f"    bare network page, toggling back              {ms(bare_back)}")
    print(f"ratio (b)/(c), new score: {ratio:.2f}   cached score: {ratio_back:.2f}   [<= 3]")


if __name__ == "__main__":
    main()
