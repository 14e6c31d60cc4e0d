"""Build-page benchmarks through AppTest: prints medians of repeated timings.

    python benchmarks/bench_build_page.py

(a) the first run of the build page in a fresh process (cold caches), in a subprocess;
(b) a rerun after toggling a member with a region pills widget (a new scenario, so the
    score is computed, not read from the cache), and the toggle back (cached score);
(c) the same toggles on a bare page with the same widgets: the build page's sidebar (the
    presets, framing, year, the search box, the members' pills, each region's member
    pills in its expander, built only while open, and the weights, folded) and one plotly
    chart, the network of the members (ui.network.network_figure), with no scoring.
The two pages' toggles are interleaved (build, bare, build, ...) so that a busy machine
slows both alike. Targets (issue 19): (b)/(c) <= 2 and (a) < 4 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402
from timing import median_of_fresh_runs  # noqa: E402

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

    from model import COMPONENTS, context_of
    from model.scenario import Scenario
    from model.schema import FRAMINGS, REGIONS
    from ui import cache, datastore
    from ui.network import network_figure
    from ui.text import plain

    ds = datastore.dataset_or_stop()
    if "ready" not in st.session_state:  # the link's members, once
        start = set(st.query_params.get("members", "").split(","))
        for region in REGIONS:
            st.session_state["region_" + region] = [
                a.code for a in ds.actors if a.region == region and a.code in start
            ]
        st.session_state.ready = True
    sb = st.sidebar
    sb.pills("Presets", list(ds.presets), key="preset",
             format_func=lambda pid: plain(ds.presets[pid].name))
    framing = sb.segmented_control("Framing", list(FRAMINGS), key="framing",
                                   default="alliance", format_func=str.capitalize)
    year = sb.slider("Year", ds.earliest_year, ds.latest_year, ds.latest_year, key="year")
    sb.markdown("**Members** · or click a node in the network")
    sb.selectbox("Find a country or organisation",
                 sorted(ds.codes, key=lambda c: ds.actor(c).name), index=None, key="find",
                 format_func=lambda c: f"{plain(ds.actor(c).name)} ({c})")
    chosen = sorted((c for r in REGIONS for c in st.session_state.get("region_" + r, [])),
                    key=lambda c: ds.actor(c).name)
    if chosen:
        sb.pills("In the grouping", chosen, selection_mode="multi", default=chosen,
                 key="chosen_" + "-".join(chosen), format_func=lambda c: plain(ds.actor(c).name))
    picked = []
    for region in REGIONS:  # folded, and built only while open, as the build page's
        actors = sorted((a for a in ds.actors if a.region == region), key=lambda a: a.name)
        if actors:
            box = sb.expander(region, key="open_" + region, on_change="rerun")
            if box.open:
                picked += box.pills(f"of {len(actors)}", [a.code for a in actors],
                                    selection_mode="multi", key="region_" + region,
                                    format_func=lambda c: plain(ds.actor(c).name))
            else:
                picked += st.session_state.get("region_" + region, [])
    box = sb.expander("Weights", key="open_weights", on_change="rerun")
    if box.open:
        for c in COMPONENTS:
            box.number_input(c, 0.0, 10.0, 0.5, step=0.05, key="w_" + c, format="%.2f")
        box.button("Reset weights")
    members = tuple(sorted(picked))
    ctx = context_of(ds, Scenario(members, framing or "alliance", year))
    fig = network_figure(ctx, members, cache.layout(ds, "map"))
    st.plotly_chart(fig, key="network", on_select="rerun", selection_mode="points")
""")


def cold_first_run() -> dict[str, float]:
    med = median_of_fresh_runs(COLD, [str(APP), BASE], COLD_REPEATS, ROOT)
    return {k: med[k] for k in ("import", "run", "scan")}


def toggle(at: AppTest, key: str, code: str, select: bool) -> float:
    """Seconds of the rerun after adding (or removing) ``code`` with the pills ``key``;
    the process's CPU seconds go to CPU (AppTest runs the page in this process, so they
    depend less than the wall clock on what else the machine runs)."""
    pills = at.pills(key=key)
    (pills.select if select else pills.unselect)(code)
    start, start_cpu = time.perf_counter(), time.process_time()
    at.run()
    seconds = time.perf_counter() - start
    CPU.setdefault(key.startswith("build_"), []).append(time.process_time() - start_cpu)
    assert not at.exception, [e.value for e in at.exception]
    return seconds


CPU: dict[bool, list[float]] = {}  # build page? -> CPU seconds of each rerun


def opened(path: Path) -> AppTest:
    """The page from a link, with the regions the toggles use open (a reader who opened
    them); the other regions and the weights stay folded, as a page opens."""
    at = AppTest.from_file(str(path), default_timeout=60)
    at.query_params["members"] = BASE
    prefix = "build_open_" if path == APP else "open_"
    for region in {a.region for a in load_dataset().actors if a.code in ADDS}:
        at.session_state[prefix + region] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def interleaved_toggles() -> dict[str, list[float]]:
    """Each member added and removed on the build page, then on the bare page, in turn."""
    region = {a.code: a.region for a in load_dataset().actors}
    times: dict[str, list[float]] = {k: [] for k in ("build", "build_back", "bare", "bare_back")}
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "bare_page.py"
        page.write_text(BARE)
        build, bare = opened(APP), opened(page)
        for code in ADDS:
            key = region[code]
            times["build"].append(toggle(build, f"build_region_{key}", code, True))
            times["bare"].append(toggle(bare, f"region_{key}", code, True))
            times["build_back"].append(toggle(build, f"build_region_{key}", code, False))
            times["bare_back"].append(toggle(bare, f"region_{key}", code, False))
    return times


def ms(seconds: list[float] | float) -> str:
    value = statistics.median(seconds) if isinstance(seconds, list) else seconds
    return f"{value * 1000:7.0f} ms"


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f} at start, {os.cpu_count()} CPUs")
    cold = cold_first_run()
    times = interleaved_toggles()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"(a) first run of the build page, fresh process   {ms(cold['run'])}  [< 4000 ms]"
        f"   (median of {COLD_REPEATS})"
    )
    print(f"      of which AppTest's component-manifest scan {ms(cold['scan'])}")
    print(f"      importing streamlit.testing, before the run {ms(cold['import'])}")
    print(
        f"(b) build page, rerun after a toggle (new score)  {ms(med['build'])}"
        f"   (median of {len(ADDS)})"
    )
    print(f"    build page, rerun after toggling back (cached){ms(med['build_back'])}")
    print(f"(c) bare page, same widgets, after the same toggle{ms(med['bare'])}")
    print(f"    bare page, toggling back                      {ms(med['bare_back'])}")
    print(
        f"ratio (b)/(c), new score: {med['build'] / med['bare']:.2f}   cached score: "
        f"{med['build_back'] / med['bare_back']:.2f}   [<= 2]"
    )
    build_cpu, bare_cpu = statistics.median(CPU[True]), statistics.median(CPU[False])
    print(
        f"CPU of a rerun, both toggles: build {build_cpu * 1000:.0f} ms, bare "
        f"{bare_cpu * 1000:.0f} ms, ratio {build_cpu / bare_cpu:.2f}"
    )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
