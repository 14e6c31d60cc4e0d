"""The model against the blind rating panel (docs/panel/panel.csv): how well its scores
agree with ratings made without seeing it.

    python benchmarks/bench_panel.py [--worst 10]

Prints Spearman's rank correlation, the mean absolute error in points, and the share of
groupings whose score lies inside the panel's own range, overall and per framing; then
the groupings the model misses most. Groupings naming an actor the dataset lacks are
skipped and counted. The panel is one blind rater (docs/panel/README.md): tuning the
model on it and then quoting the agreement as independent would be circular.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scipy.stats import spearmanr  # noqa: E402

from model import Scenario, load_dataset, score  # noqa: E402

PANEL = ROOT / "docs" / "panel" / "panel.csv"


def rows(ds) -> tuple[list[dict], int]:
    """The panel's groupings the dataset can score, each with the model's cohesion."""
    out, skipped = [], 0
    with PANEL.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            members = tuple(sorted(r["members"].split(";")))
            if any(m not in ds.codes for m in members):
                skipped += 1
                continue
            s = Scenario(members, r["framing"], int(r["year"]))
            model = score(ds, s).cohesion
            out.append({**r, "model": model, **{k: float(r[k]) for k in ("rating", "low", "high")}})
    return out, skipped


def summary(found: list[dict]) -> str:
    if len(found) < 3:
        return f"{len(found)} groupings: too few"
    rho = spearmanr([r["rating"] for r in found], [r["model"] for r in found]).statistic
    mae = sum(abs(r["model"] - r["rating"]) for r in found) / len(found)
    inside = sum(r["low"] <= r["model"] <= r["high"] for r in found) / len(found)
    return f"{len(found):3d} groupings  Spearman {rho:.2f}  MAE {mae:4.1f}  inside {inside:4.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args()
    found, skipped = rows(load_dataset())
    print(f"all        {summary(found)}  (skipped {skipped}: actors not in the data)")
    for framing in ("alliance", "dialogue", "economic"):
        print(f"{framing:<10} {summary([r for r in found if r['framing'] == framing])}")
    print(f"\nthe {args.worst} largest misses (model minus panel):")
    for r in sorted(found, key=lambda r: -abs(r["model"] - r["rating"]))[: args.worst]:
        gap = r["model"] - r["rating"]
        print(
            f"  {r['id']} {r['members']:<28} {r['framing']:<9} {r['year']}  "
            f"panel {r['rating']:3.0f} [{r['low']:.0f}-{r['high']:.0f}]  "
            f"model {r['model']:5.1f}  {gap:+5.1f}"
        )


if __name__ == "__main__":
    main()
