"""Finder speed and memory: an exhaustive search over about five million groupings.

    python benchmarks/bench_finder.py [--actors 60] [--size 6] [--repeats 3] [--no-fifty]

On a random 60-actor dataset (benchmarks/synthetic.py), size 6 with one required member
(C(59, 5) = 5,006,386 groupings). Prints the median time of the exhaustive search, the
time per grouping of scoring the same groupings one at a time with numpy (measured on a
sample and scaled up), the peak memory of the process, and on the built-in dataset how
often the beam heuristic finds the exhaustive best. Then the searches a page may run at
50 actors: every grouping of 5, and of 2 to 5, over every state of the built-in dataset,
and every grouping of 2 to 6 over a random 50-state dataset (18.3 million, just under the
page's exhaustive limit).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_dataset

from model import Weights, load_dataset
from model.cohesion import context, score_groups
from model.search import SearchQuery, combination_chunks, find_groupings


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exhaustive(args) -> None:
    ds = synthetic_dataset(args.actors, seed=1)
    require = (ds.codes[0],)
    query = SearchQuery((args.size,), "alliance", ds.latest_year, require, method="exhaustive")
    before = peak_mb()
    times, cpu, result = [], [], None
    for _ in range(args.repeats):
        t, c = time.perf_counter(), time.process_time()
        result = find_groupings(ds, query)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    fast = statistics.median(times)
    print(
        f"{args.actors} actors, size {args.size}, require {require[0]}: "
        f"{result.candidates:,} groupings"
    )
    print(
        f"  exhaustive search: median {fast:.2f} s of {args.repeats} "
        f"({', '.join(f'{t:.2f}' for t in times)}); "
        f"{fast / result.candidates * 1e6:.2f} us per grouping; CPU time median "
        f"{statistics.median(cpu):.2f} s"
    )
    print(f"  scored in full: {result.evaluated:,}; ruled out by the bound: {result.bounded:,}")
    print(f"  best: {result.results[0].cohesion:.2f} {','.join(result.results[0].members)}")
    print(f"  peak memory of the process: {peak_mb():.0f} MB ({before:.0f} MB before the search)")

    # One grouping at a time through the same numpy scoring, on the first groupings.
    ctx = context(ds, ds.latest_year, "alliance")
    sample = next(combination_chunks(args.actors - 1, args.size - 1, chunk=args.sample))
    groups = np.concatenate([np.zeros((len(sample), 1), dtype=int), sample + 1], axis=1)
    groups = groups[: args.sample]
    one = []
    for _ in range(3):
        t = time.perf_counter()
        for g in groups:
            score_groups(ctx, g[None, :], Weights())
        one.append((time.perf_counter() - t) / len(groups))
    per = statistics.median(one)
    batched = []
    for _ in range(3):
        t = time.perf_counter()
        for start in range(0, len(groups), 8192):
            score_groups(ctx, groups[start : start + 8192], Weights())
        batched.append((time.perf_counter() - t) / len(groups))
    per_batch = statistics.median(batched)
    print(
        f"  batched score_groups without the bound: {per_batch * 1e6:.1f} us per grouping "
        f"-> {per_batch * result.candidates:.0f} s for all"
    )
    print(
        f"  one at a time (numpy score_groups per grouping, {len(groups):,} sampled): "
        f"{per * 1e6:.1f} us per grouping -> {per * result.candidates:.0f} s for all; "
        f"the batched search is {per * result.candidates / fast:.0f}x faster"
    )


def beam_agreement() -> None:
    ds = load_dataset()
    hits = total = 0
    worst = 0.0
    for framing in ("alliance", "dialogue", "economic"):
        for require in ((), ("USA",), ("JPN",), ("IND",)):
            for size in (3, 4, 5, 6, 7):
                q = SearchQuery((size,), framing, ds.latest_year, require, top=5)
                ex = find_groupings(ds, SearchQuery(**{**q.__dict__, "method": "exhaustive"}))
                bm = find_groupings(ds, SearchQuery(**{**q.__dict__, "method": "beam"}))
                total += 1
                hits += ex.results[0].members == bm.results[0].members
                worst = max(worst, ex.results[0].cohesion - bm.results[0].cohesion)
    print(
        f"beam vs exhaustive on the built-in dataset: same best grouping in {hits} of "
        f"{total} queries; largest shortfall {worst:.2f} points"
    )


def fifty_states() -> None:
    def timed(label: str, ds, sizes: tuple[int, ...]) -> None:
        q = SearchQuery(sizes, "alliance", ds.latest_year, method="exhaustive")
        t, c = time.perf_counter(), time.process_time()
        found = find_groupings(ds, q)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(
            f"  {label}, sizes {sizes[0]}-{sizes[-1]}: {found.candidates:,} groupings in "
            f"{wall:.2f} s ({cpu:.2f} s CPU); {found.evaluated:,} scored in full"
        )

    real = load_dataset()
    states = sum(a.kind == "state" for a in real.actors)
    print("exhaustive searches over every state (alliance framing, latest year):")
    timed(f"built-in dataset, {states} states", real, (5,))
    timed(f"built-in dataset, {states} states", real, (2, 3, 4, 5))
    timed("random 50 states", synthetic_dataset(50, seed=1), (5,))
    timed("random 50 states", synthetic_dataset(50, seed=1), (2, 3, 4, 5, 6))


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--actors", type=int, default=60)
    p.add_argument("--size", type=int, default=6)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--sample", type=int, default=20_000)
    p.add_argument("--no-fifty", action="store_true", help="skip the 50-state searches")
    a = p.parse_args()
    exhaustive(a)
    beam_agreement()
    if not a.no_fifty:
        fifty_states()
