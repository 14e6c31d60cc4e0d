"""Model benchmarks: prints the median of repeated timings (targets in brackets).

python benchmarks/bench_model.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import Weights, load_dataset, scenario, score  # noqa: E402
from model.cohesion import context  # noqa: E402
from model.timeline import cohesion_series  # noqa: E402
from model.uncertainty import _noise, simulate  # noqa: E402

SIX = "USA,JPN,KOR,AUS,PHL,IND"


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def import_and_load_ms(repeats: int = 7) -> float:
    code = (
        "import time; t=time.perf_counter(); import model; model.load_dataset(); "
        "print((time.perf_counter()-t)*1000)"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def main() -> None:
    ds = load_dataset()
    six = scenario(ds, SIX, "alliance", ds.latest_year)
    twelve = scenario(
        ds, "USA,JPN,KOR,AUS,PHL,IND,GBR,FRA,DEU,CAN,NZL,ITA", "alliance", ds.latest_year
    )

    def cold_score():
        context.cache_clear()
        score(ds, six)

    def cold_interval():
        simulate.cache_clear()
        _noise.cache_clear()
        simulate(ds, six.members, six.framing, six.year, Weights(), 1000, 0)

    def warm_interval():
        simulate.cache_clear()
        simulate(ds, six.members, six.framing, six.year, Weights(), 1000, 0)

    def timeline_four():
        context.cache_clear()
        simulate.cache_clear()
        for pid in ("quad", "squad", "camp_david", "asian_nato"):
            p = ds.presets[pid]
            cohesion_series(ds, p.members, p.framing, range(1990, ds.latest_year + 1), draws=200)

    score(ds, six)
    rows = [
        ("import model + load + validate dataset [< 500 ms]", import_and_load_ms()),
        (
            "score 6 members, Shapley + additions, warm context [< 5 ms]",
            median_ms(lambda: score(ds, six), 50),
        ),
        ("score 6 members, cold (context rebuilt)", median_ms(cold_score, 20)),
        ("score 12 members, exact Shapley (4096 subsets)", median_ms(lambda: score(ds, twelve), 5)),
        ("1000-draw interval, 6 members, fresh noise [< 150 ms]", median_ms(cold_interval, 15)),
        ("1000-draw interval, 6 members, noise cached", median_ms(warm_interval, 15)),
        ("timeline: 4 presets x 36 years with 200-draw bands, cold", median_ms(timeline_four, 3)),
    ]
    print(f"dataset: {len(ds.actors)} actors, {len(ds.ties)} ties; python {sys.version.split()[0]}")
    for label, ms in rows:
        print(f"{ms:9.2f} ms  {label}")


if __name__ == "__main__":
    main()
