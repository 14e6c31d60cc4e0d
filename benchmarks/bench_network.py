"""The build page's network: how long its positions and its figure take to build.

    python benchmarks/bench_network.py [--repeats 5]

Positions are computed once per dataset, layout and chart size (ui/cache.py), the figure
once per scenario and layout (the page's: ``ui.whatif_marks.what_if_network``, which
also wraps the hover texts); both on the built-in dataset and on it with the 13 actors
still to come (tests/world50.py, 54 actors). Prints medians of wall and CPU time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from world50 import world_of_fifty  # noqa: E402

from model import load_dataset, scenario  # noqa: E402
from model.cohesion import context  # noqa: E402
from ui.network import network_figure, positions  # noqa: E402
from ui.whatif_marks import what_if_network  # noqa: E402

SIX = ("AUS", "IND", "JPN", "KOR", "PHL", "USA")


def median_ms(repeats: int, f, *args) -> str:
    """The median wall and CPU time of ``f(*args)``, in ms (CPU time varies less on a
    shared machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        f(*args)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return f"{1000 * statistics.median(wall):.1f} ms ({1000 * statistics.median(cpu):.1f} ms CPU)"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5)
    repeats = p.parse_args().repeats
    for label, ds in (("built-in", load_dataset()), ("with the 13 to come", world_of_fifty())):
        ctx = context(ds, ds.latest_year, "alliance")
        nato_ip4 = ds.presets["nato_ip4"].members
        print(f"{label} ({len(ds.codes)} actors):")
        for layout in ("map", "force"):
            ms = median_ms(repeats, positions, ds, layout)
            print(f"  positions, {layout}: {ms}")
        pos = positions(ds, "map")
        for name, members in (("six members", SIX), ("NATO-IP4", nato_ip4)):
            ms = median_ms(repeats, network_figure, ctx, members, pos)
            print(f"  figure, {name}: {ms}")
            s = scenario(ds, ",".join(members), "alliance", ds.latest_year)
            ms = median_ms(repeats, what_if_network, ds, s, pos)
            print(f"  the page's figure (what-if marks, hovers wrapped), {name}: {ms}")


if __name__ == "__main__":
    main()
