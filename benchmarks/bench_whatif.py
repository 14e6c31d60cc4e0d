"""What-if benchmark: six members with three edits (issue 13 target: under 150 ms for the
score with Shapley, provenance and levers), and a timeline with a what-if series beside
the record (target: under 1 s cold). Prints the median of repeated timings.

python benchmarks/bench_whatif.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402

from model import load_dataset, scenario, score  # noqa: E402
from model.cohesion import context  # noqa: E402
from model.levers import levers  # noqa: E402
from model.memo import clear_caches  # noqa: E402
from model.provenance import provenance  # noqa: E402
from model.whatif import apply, parse  # noqa: E402

SIX = "USA,JPN,KOR,AUS,PHL,IND"
EDITS = "+tie:JPN-KOR:treaty_alliance:0.7;-sens:IND:framing:alliance;=threat:IND:CHN:0.9"
#: The timeline: the Quad with a what-if (three edits) beside the Squad, from 1990.
TIMELINE_EDITS = "+tie:IND-USA:treaty_alliance:0.7;-sens:IND;-friction:IND-USA"
TIMELINE_LINK = {"s1": "quad", "w1": TIMELINE_EDITS, "s2": "squad"}
PAGE_REPEATS = 5
PAGE = textwrap.dedent("""
    import json, sys, time
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from model.memo import clear_caches
    from tests.charts import charts

    def run(link):
        at = AppTest.from_file(sys.argv[1], default_timeout=60)
        at.switch_page("views/timeline.py")
        for key, value in link.items():
            at.query_params[key] = value
        t, c = time.perf_counter(), time.process_time()
        at.run()
        seconds, cpu = time.perf_counter() - t, time.process_time() - c
        assert not at.exception, [e.value for e in at.exception]
        return at, seconds, cpu

    link = json.loads(sys.argv[2])
    if sys.argv[3] == "warm":  # modules imported by another timeline first, caches emptied
        run({"s1": "aukus", "f1": "economic", "start": "2020"})
        clear_caches()
        st.cache_data.clear()
    at, seconds, cpu = run(link)
    assert any("what if" in (t.get("name") or "")
               for t in charts(at)[0].figure["data"])
    print(json.dumps({"run": seconds, "cpu": cpu}))
""")


def main() -> None:
    ds = load_dataset()
    year = ds.latest_year
    s = scenario(ds, SIX, "alliance", year)
    text = EDITS

    def everything(cold: bool):
        if cold:  # the what-if dataset's context is built afresh, as on a first request
            context.cache_clear()
        edits = parse(text, ds, year)
        score(apply(ds, edits, year), s)
        provenance(ds, s.with_edits(edits))
        levers(ds, s.with_edits(edits))

    edits = parse(text, ds, year)
    parts = {
        "parse + apply": lambda: apply(ds, parse(text, ds, year), year),
        "score with Shapley (cold context)": lambda: (
            context.cache_clear(),
            score(apply(ds, edits, year), s),
        ),
        "provenance": lambda: provenance(ds, s.with_edits(edits)),
        "levers": lambda: levers(ds, s.with_edits(edits)),
        "all of it, cold [< 150 ms]": lambda: everything(cold=True),
        "all of it, warm": lambda: everything(cold=False),
    }
    print(f"six members ({SIX}), alliance, {year}, three edits: {EDITS}")
    print(f"  {'':<36} {'wall':>8} {'cpu':>8}   (ms, median of 21)")
    for name, fn in parts.items():
        fn()  # imports, first allocations
        wall, cpu = median_ms(fn, 21)
        print(f"  {name:<36} {wall:8.1f} {cpu:8.1f}")
    timeline(ds)


def timeline(ds) -> None:
    """The timeline's series (every year, the record's band, the what-if line, the events)
    with every cache empty, and the timeline page's first run in a fresh process."""
    from ui import cache
    from ui.slots_state import parse_timeline

    state, warnings = parse_timeline(ds, TIMELINE_LINK)
    assert not warnings, warnings

    def series():
        clear_caches()
        cache._series.clear()
        scenarios = [slot.scenario(state.start) for slot in state.slots]
        found = cache.timeline_series(ds, scenarios, ds.latest_year)
        assert found[0]["what_if"] is not None

    series()
    wall, cpu = median_ms(series, 7)
    years = ds.latest_year - state.start + 1
    print(
        f"timeline {state.start}-{ds.latest_year} ({years} years): the Quad with a what-if "
        f"({TIMELINE_EDITS}) beside the Squad"
    )
    print(f"  {'':<36} {'wall':>8} {'cpu':>8}   (ms, median)")
    print(f"  {'series, every cache cold [< 1000 ms]':<36} {wall:8.1f} {cpu:8.1f}   (of 7)")
    link = json.dumps(TIMELINE_LINK)
    for mode, what in (
        ("fresh", "page first run, fresh process"),
        ("warm", "page run, modules loaded, caches cold"),
    ):
        found = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-c", PAGE, str(ROOT / "app.py"), link, mode],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            for _ in range(PAGE_REPEATS)
        ]
        wall, cpu = (statistics.median(r[k] for r in found) * 1000 for k in ("run", "cpu"))
        print(f"  {what:<36} {wall:8.1f} {cpu:8.1f}   (of {PAGE_REPEATS})")


if __name__ == "__main__":
    main()
