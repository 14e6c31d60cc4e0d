"""What-if benchmark: six members with three edits (issue 13 target: under 150 ms for the
score with Shapley, provenance and levers). Prints the median of repeated timings.

python benchmarks/bench_whatif.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import load_dataset, scenario, score  # noqa: E402
from model.cohesion import context  # noqa: E402
from model.levers import levers  # noqa: E402
from model.provenance import provenance  # noqa: E402
from model.whatif import apply, parse  # noqa: E402

SIX = "USA,JPN,KOR,AUS,PHL,IND"
EDITS = "+tie:JPN-KOR:treaty_alliance:0.7;-sens:IND:framing:alliance;=threat:IND:CHN:0.9"


def median_ms(fn, repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``fn`` (CPU time is what the call costs
    on a machine it shares with others; wall time is what a user waits)."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


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
        provenance(ds, s, edits)
        levers(ds, s, edits)

    edits = parse(text, ds, year)
    parts = {
        "parse + apply": lambda: apply(ds, parse(text, ds, year), year),
        "score with Shapley (cold context)": lambda: (
            context.cache_clear(),
            score(apply(ds, edits, year), s),
        ),
        "provenance": lambda: provenance(ds, s, edits),
        "levers": lambda: levers(ds, s, edits),
        "all of it, cold [< 150 ms]": lambda: everything(cold=True),
        "all of it, warm": lambda: everything(cold=False),
    }
    print(f"six members ({SIX}), alliance, {year}, three edits: {EDITS}")
    print(f"  {'':<36} {'wall':>8} {'cpu':>8}   (ms, median of 21)")
    for name, fn in parts.items():
        fn()  # imports, first allocations
        wall, cpu = median_ms(fn, 21)
        print(f"  {name:<36} {wall:8.1f} {cpu:8.1f}")


if __name__ == "__main__":
    main()
