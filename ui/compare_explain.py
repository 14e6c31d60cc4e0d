"""Why compare slots differ: the gap as a small waterfall, the odds in honest words, and the
member pairs that move the score most (the split itself is model/difference.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from model import COMPONENTS, Dataset, Score
from model.difference import Difference, difference, pair_points, what_draws_vary
from ui import cache
from ui.plotspec import Figure, trace
from ui.style import COMPONENT_LABELS, MUTED, NEGATIVE, POSITIVE, TOTAL_COLOUR
from ui.text import chart_text

__all__ = ["DRAWS_VARY", "difference_figure", "differences", "odds_text", "pair_table"]

#: What the compare page's draws redraw (the weights too), in a reader's words.
DRAWS_VARY = what_draws_vary(vary_weights=True)


def odds_text(share: float | None, draws: int = cache.DRAWS) -> str:
    """How often a slot scores above slot 1, worded so that 100% is not read as proof.

    >>> odds_text(1.0)
    'above slot 1 in all 1,000 draws'
    >>> odds_text(0.0), odds_text(0.734)
    ('below slot 1 in all 1,000 draws', 'above slot 1 in 734 of 1,000 draws')
    """
    if share is None:
        return ""
    above = round(share * draws)
    if above == draws:
        return f"above slot 1 in all {draws:,} draws"
    if above == 0:
        return f"below slot 1 in all {draws:,} draws"
    return f"above slot 1 in {above:,} of {draws:,} draws"


def differences(ds: Dataset, results: Sequence[Score]) -> list[Difference]:
    """Each slot after the first against slot 1, named "slot 1", "slot 2" ... (each read
    with its own what-if edits)."""
    return [
        difference(ds, results[0], r, "slot 1", f"slot {i + 1}")
        for i, r in enumerate(results[1:], start=1)
    ]


def difference_figure(d: Difference, base: Score, other: Score, base_label: str, other_label: str):
    """A waterfall from the first score to the second: what each component changes."""
    names = [COMPONENT_LABELS[c] for c in COMPONENTS]
    steps = [d.components[c] for c in COMPONENTS]
    if abs(d.limits) >= 0.05:
        names.append("Limits of the scale")
        steps.append(d.limits)
    x = [chart_text(base_label), *names, chart_text(other_label)]
    fig = Figure(
        [
            trace(
                "waterfall",
                orientation="v",
                x=x,
                measure=["absolute", *["relative"] * len(steps), "total"],
                y=[base.cohesion, *steps, 0],
                text=[
                    f"{base.cohesion:.1f}",
                    *("0" if abs(v) < 0.05 else f"{v:+.1f}" for v in steps),
                    f"{other.cohesion:.1f}",
                ],
                textposition="outside",
                hovertemplate="%{x}: %{text}<extra></extra>",
                increasing={"marker": {"color": POSITIVE}},
                decreasing={"marker": {"color": NEGATIVE}},
                totals={"marker": {"color": TOTAL_COLOUR}},
                connector={"line": {"color": MUTED, "width": 1}},
            )
        ]
    )
    # the axis spans the running totals, not 0-100, so that the steps can be seen
    running = [base.cohesion]
    for v in steps:
        running.append(running[-1] + v)
    running.append(other.cohesion)
    lo, hi = min(running), max(running)
    pad = max(2.0, 0.25 * (hi - lo))
    fig.update_layout(
        height=280,
        margin={"l": 4, "r": 4, "t": 10, "b": 4},
        showlegend=False,
        yaxis={"title": {"text": "points"}, "range": [max(0.0, lo - pad), min(105.0, hi + pad)]},
        xaxis={"tickangle": -30},
    )
    return fig


def pair_table(ds: Dataset, results: Sequence[Score], top: int = 12) -> pd.DataFrame:
    """Member pairs ranked by how much their share of the ties component differs across
    the slots: each slot's framed tie (blank where the slot does not hold the pair) and the
    difference in points, largest slot minus smallest (a pair outside a grouping holds no
    points). A slot with what-if edits is read with its edits."""
    held: list[dict] = []
    ties: list[dict] = []
    for r in results:
        s = r.scenario
        ctx = cache.context(ds, s)
        points = pair_points(ctx, s.members, s.weights.normalised().ties)
        held.append(points)
        ties.append({p: float(ctx.ties[ds.index(p[0]), ds.index(p[1])]) for p in points})
    pairs = sorted({p for h in held for p in h})
    rows = []
    for a, b in pairs:
        row: dict[str, object] = {"pair": f"{a}–{b}"}
        for i, t in enumerate(ties):
            row[f"slot {i + 1}"] = f"{t[(a, b)]:.2f}" if (a, b) in t else ""
        values = [h.get((a, b), 0.0) for h in held]
        row["difference (points)"] = round(max(values) - min(values), 2)
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(["difference (points)", "pair"], ascending=[False, True]).head(top)
