"""Data page filter benchmark: the server's share of one filter on the ties table (the
rows kept, then the table with its sources); one pick in the actor filter, which filters
every table that names actors; and a table's download of the rows kept. Prints medians of
repeated timings, wall and CPU (the machine is shared).

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

from model.export import read_dataset_files, safe_csv  # noqa: E402
from model.schema import FILES  # noqa: E402
from ui.datatable import filter_rows, names_actors, table_csv, with_sources  # noqa: E402

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

    # One pick in the actor filter above the tables: every table that names actors.
    tables = {n: frame(files[n]) for n in FILES if names_actors(n)}
    shown = {n: with_sources(t, sources) if "source" in t else t for n, t in tables.items()}

    def every_table():
        return sum(
            len(shown[n].loc[filter_rows(t, n, actors=("USA", "PHL")).index])
            for n, t in tables.items()
        )

    wall, cpu = median_ms(every_table)
    label = f"USA, PHL in {len(tables)} tables"
    print(f"{label:24s} {every_table():4d} rows  {wall:6.1f} ms wall  {cpu:6.1f} ms CPU")
    # A table's download, made when it is clicked (no longer on every run).
    kept = filter_rows(ties, "ties.csv", actors=("USA", "PHL"))
    for label, rows, make in [
        ("download USA, PHL ties", len(kept), lambda: safe_csv(table_csv(kept))),
        ("download all ties", len(ties), lambda: safe_csv(files["ties.csv"])),
    ]:
        wall, cpu = median_ms(make)
        print(f"{label:24s} {rows:4d} rows  {wall:6.1f} ms wall  {cpu:6.1f} ms CPU")


if __name__ == "__main__":
    main()
