"""Every page's first run in a fresh process and its warm reruns, through AppTest.

    python benchmarks/bench_pages.py [--repeats 3]

For each page (build, compare, finder, timeline, data) with a typical link: the first run
in a fresh Python process (imports, data, caches all cold; median of ``--repeats``
processes) and, in the same process, the median of five more runs of a new session on the
same link (warm caches: what the next visitor costs the server), wall and CPU. The other
pages' figures say that a change for the build page made nothing slower elsewhere. A
benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import textwrap
from pathlib import Path

from timing import median_of_fresh_runs

ROOT = Path(__file__).resolve().parent.parent

PAGES = {
    "build": (None, {"members": "USA,JPN,KOR,AUS", "year": "2024"}),
    "compare": ("views/compare.py", {"s1": "quad", "s2": "squad", "year": "2024"}),
    "finder": ("views/finder.py", {"size": "4", "require": "USA", "year": "2024"}),
    "timeline": ("views/timeline.py", {"s1": "quad", "s2": "camp_david", "start": "2000"}),
    "data": ("views/data.py", {}),
}

RUN = textwrap.dedent("""
    import json, statistics, sys, time
    from streamlit.testing.v1 import AppTest
    page, params = sys.argv[2] or None, json.loads(sys.argv[3])

    def run():
        at = AppTest.from_file(sys.argv[1], default_timeout=120)
        if page:
            at.switch_page(page)
        for k, v in params.items():
            at.query_params[k] = v
        t, c = time.perf_counter(), time.process_time()
        at.run()
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        assert not at.exception, [e.value for e in at.exception]
        return wall, cpu

    first = run()
    warm = [run() for _ in range(5)]
    print(json.dumps({"first": first[0], "first_cpu": first[1],
                      "warm": statistics.median(w for w, _ in warm),
                      "warm_cpu": statistics.median(c for _, c in warm)}))
""")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=3, help="fresh processes per page")
    args = p.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} at start, {os.cpu_count()} CPUs")
    print(f"{'page':10s} {'first run':>10s} {'(CPU)':>8s} {'warm run':>10s} {'(CPU)':>8s}")
    for name, (page, params) in PAGES.items():
        med = median_of_fresh_runs(
            RUN, [str(ROOT / "app.py"), page or "", json.dumps(params)], args.repeats, ROOT
        )
        print(
            f"{name:10s} {med['first'] * 1000:8.0f} ms {med['first_cpu'] * 1000:5.0f} ms "
            f"{med['warm'] * 1000:8.0f} ms {med['warm_cpu'] * 1000:5.0f} ms"
        )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
