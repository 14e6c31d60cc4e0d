"""The model against the blind rating panels (docs/panel/): how well its scores agree
with ratings made without seeing it.

    python benchmarks/bench_panel.py [--worst 10] [--panel fit|holdout|both]

For each panel, prints Spearman's rank correlation, the mean absolute error in points and
the share of groupings whose score lies inside the panel's own range, overall and per
framing, for the reported score and for the raw cohesion before the calibrated scale
(model/scale.py); then the groupings the model misses most. The scale is fitted on both
panels, so those figures are in-sample; ``--cross`` prints the honest ones: the scale
fitted on one panel alone, scored on the other (docs/panel/README.md). Groupings naming
an actor the dataset lacks are skipped and counted.

``--pillars`` prints issue 21's other target instead: the leave-one-out (the score with
the member minus the score without it) of each member a specialist calls a pillar (the
United States, Japan, Australia) in an "Asian NATO" and the "Squad", framing by framing
and year by year, and how many are not positive.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scipy.stats import spearmanr  # noqa: E402

from model import Scenario, load_dataset, score  # noqa: E402
from model.scale import fit, panel_rows, raw_cohesion  # noqa: E402

PANELS = {  # "fit": the first panel, "holdout": the second, rated later (both fit the scale)
    "fit": ROOT / "docs" / "panel" / "panel.csv",
    "holdout": ROOT / "docs" / "panel" / "holdout.csv",
}


def rows(ds, path: Path) -> tuple[list[dict], int]:
    """The panel's groupings the dataset can score, each with the model's scores."""
    out, skipped = [], 0
    for r in panel_rows(path):
        if any(m not in ds.codes for m in r["members"]):
            skipped += 1
            continue
        result = score(ds, Scenario(r["members"], r["framing"], r["year"]))
        out.append({**r, "model": result.cohesion, "raw": raw_cohesion(result)})
    return out, skipped


def agreement(found: list[dict], key: str = "model") -> dict[str, float]:
    """Spearman, mean absolute error and share inside the ranges of one score column."""
    rho = spearmanr([r["rating"] for r in found], [r[key] for r in found]).statistic
    return {
        "n": len(found),
        "spearman": float(rho),
        "mae": sum(abs(r[key] - r["rating"]) for r in found) / len(found),
        "inside": sum(r["low"] <= r[key] <= r["high"] for r in found) / len(found),
    }


def line(found: list[dict], key: str) -> str:
    if len(found) < 3:
        return f"{len(found)} groupings: too few"
    a = agreement(found, key)
    return (
        f"{a['n']:3d} groupings  Spearman {a['spearman']:.2f}  MAE {a['mae']:4.1f}  "
        f"inside {a['inside']:4.0%}"
    )


def report(name: str, found: list[dict], skipped: int, worst: int) -> None:
    print(f"== {name} panel ({PANELS[name].name}); skipped {skipped}: actors not in the data")
    for key, label in (("model", "reported"), ("raw", "raw")):
        print(f"  {label}")
        print(f"    all        {line(found, key)}")
        for framing in ("alliance", "dialogue", "economic"):
            print(f"    {framing:<10} {line([r for r in found if r['framing'] == framing], key)}")
    print(f"  the {worst} largest misses (reported minus panel):")
    for r in sorted(found, key=lambda r: -abs(r["model"] - r["rating"]))[:worst]:
        gap = r["model"] - r["rating"]
        members = ";".join(r["members"])
        print(
            f"    {r['id']:<5} {members:<28.28} {r['framing']:<9} {r['year']}  "
            f"panel {r['rating']:3.0f} [{r['low']:.0f}-{r['high']:.0f}]  "
            f"model {r['model']:5.1f}  {gap:+5.1f}"
        )


def cross(ds) -> None:
    """The scale fitted on one panel alone, scored on the other: out-of-sample figures."""
    found = {name: rows(ds, path)[0] for name, path in PANELS.items()}
    for train, test in (("fit", "holdout"), ("holdout", "fit")):
        scale = fit(ds, found[train])
        scored = [{**r, "cross": float(scale(r["raw"], r["framing"]))} for r in found[test]]
        print(f"scale fitted on the {train} panel alone, scored on the {test} panel:")
        print(f"    all        {line(scored, 'cross')}")
        for framing in ("alliance", "dialogue", "economic"):
            print(
                f"    {framing:<10} {line([r for r in scored if r['framing'] == framing], 'cross')}"
            )


#: Issue 21: the groupings whose pillars must each hold it up, and the pillars.
PILLAR_PRESETS = ("asian_nato", "squad")
PILLARS = ("USA", "JPN", "AUS")
PILLAR_YEARS = (2022, 2023, 2024, 2025)


def pillars(ds) -> None:
    """Each pillar's leave-one-out in the pillar presets, and the count not above 0."""
    print("leave-one-out of each pillar (score with it minus score without it):")
    short = 0
    for framing in ("alliance", "dialogue", "economic"):
        below = 0
        for preset in PILLAR_PRESETS:
            members = tuple(ds.presets[preset].members)
            held = [c for c in PILLARS if c in members]
            cells = []
            for year in PILLAR_YEARS:
                result = score(ds, Scenario(members, framing, year))
                loo = [result.contributions[c]["leave_one_out"] for c in held]
                below += sum(v <= 0 for v in loo)
                each = (f"{c} {v:+5.1f}" for c, v in zip(held, loo, strict=True))
                cells.append(f"{year} " + " ".join(each))
            print(f"    {framing:<9} {preset:<11} " + "  |  ".join(cells))
        print(f"    {framing:<9} not positive: {below}")
        short += below
    print(f"  not positive in all: {short}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--panel", choices=("fit", "holdout", "both"), default="both")
    parser.add_argument("--cross", action="store_true", help="fit on one panel, test on the other")
    parser.add_argument("--pillars", action="store_true", help="the pillars' leave-one-out")
    args = parser.parse_args()
    ds = load_dataset()
    if args.pillars:
        pillars(ds)
        return
    if args.cross:
        cross(ds)
        return
    for name in ("fit", "holdout") if args.panel == "both" else (args.panel,):
        found, skipped = rows(ds, PANELS[name])
        report(name, found, skipped, args.worst)


if __name__ == "__main__":
    main()
