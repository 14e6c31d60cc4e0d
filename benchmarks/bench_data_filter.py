"""Data page filter benchmark: the server's share of one filter on the ties table (the
rows kept, then the table with its sources). Prints medians of repeated timings, wall and
CPU (the machine is shared).

python benchmarks/bench_data_filter.py

The browser's share (the row count updating after a search or an actor pick, and the page
settling) is measured with headless Chromium in the issue notes; this script times only
what the server does per filter.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402

from model.export import read_dataset_files  # noqa: E402
from ui.datatable import filter_rows, with_sources  # noqa: E402

FILTERS = {
    "search 'japan'": {"search": "japan"},
    "actors USA, PHL": {"actors": ("USA", "PHL")},
    "between USA and PHL": {"actors": ("USA", "PHL"), "between": True},
    "in force in 2024": {"year": 2024},
}


def frame(raw: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)


def main() -> None:
    files = read_dataset_files()
    ties, sources = frame(files["ties.csv"]), frame(files["sources.csv"])
    sourced = with_sources(ties, sources)  # the page caches this once per file
    print(f"ties.csv: {len(ties)} rows")
    for label, options in FILTERS.items():

        def once(options=options):
            kept = filter_rows(ties, "ties.csv", **options)
            return sourced.loc[kept.index]

        wall, cpu = median_ms(once)
        print(f"{label:24s} {len(once()):4d} rows  {wall:6.1f} ms wall  {cpu:6.1f} ms CPU")
    wall, cpu = median_ms(lambda: with_sources(ties, sources), 10)
    print(f"{'sources of every row':24s}       {wall:6.1f} ms wall  {cpu:6.1f} ms CPU (once)")


if __name__ == "__main__":
    main()
