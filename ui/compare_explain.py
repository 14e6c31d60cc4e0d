"""Why compare slots differ: the gap as a small waterfall, the odds in honest words, and the
member pairs that move the score most (the split itself is model/difference.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from model import COMPONENTS, Dataset, Score
from model.difference import Difference, difference, pair_points, what_draws_vary
from model.words import FRAMING_NOUNS
from ui import cache
from ui.plotspec import Figure, trace
from ui.style import COMPONENT_LABELS, MUTED, NEGATIVE, POSITIVE, TOTAL_COLOUR
from ui.text import chart_text

__all__ = [
    "DRAWS_VARY",
    "TIE_SPREAD",
    "difference_figure",
    "differences",
    "framing_note",
    "odds_text",
    "pair_difference",
    "pair_table",
    "slot_pairs",
]

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


def slot_pairs(n: int) -> list[tuple[int, int]]:
    """Every pair of ``n`` slots by index, ``(earlier, later)``, in reading order.

    >>> slot_pairs(3)
    [(0, 1), (0, 2), (1, 2)]
    """
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def pair_difference(ds: Dataset, results: Sequence[Score], base: int, other: int) -> Difference:
    """Slot ``other`` against slot ``base`` (indices from 0), named "slot 1", "slot 2" ...
    (each read with its own what-if edits)."""
    return difference(ds, results[base], results[other], f"slot {base + 1}", f"slot {other + 1}")


def differences(ds: Dataset, results: Sequence[Score]) -> list[tuple[str, Difference]]:
    """Every pair of slots that both have a score, each later slot against the earlier
    one: ``("Slot 3 against slot 2", difference)``."""
    return [
        (f"Slot {j + 1} against slot {i + 1}", pair_difference(ds, results, i, j))
        for i, j in slot_pairs(len(results))
        if results[i].cohesion is not None and results[j].cohesion is not None
    ]


def framing_note(labels: Sequence[str], results: Sequence[Score]) -> str:
    """A note when the slots are not scored alike: under different framings, or in
    different years ('' when they are alike)."""
    scenarios = [r.scenario for r in results]
    parts = []
    if len({s.framing for s in scenarios}) > 1:
        framed = "; ".join(
            f"slot {i + 1} ({label}) as {FRAMING_NOUNS[s.framing]}"
            for i, (label, s) in enumerate(zip(labels, scenarios, strict=True))
        )
        parts.append(
            f"The slots are framed differently: {framed}. A framing weighs the ties by domain, "
            "sets off its own unease and reads the score on its own calibrated scale, so part "
            "of a gap between them comes from the framing, not from the members"
        )
    if len({s.year for s in scenarios}) > 1:
        years = ", ".join(f"slot {i + 1} in {s.year}" for i, s in enumerate(scenarios))
        parts.append(f"The slots are scored in different years: {years}")
    return ". ".join(parts) + "." if parts else ""


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


#: The pair table's last column: how much the pair's tie differs across the slots.
TIE_SPREAD = "difference (largest − smallest tie)"


def pair_table(ds: Dataset, results: Sequence[Score], top: int = 12) -> pa.Table:
    """Member pairs ranked by how much their tie differs across the slots: each slot's
    framed tie (blank where the slot does not hold the pair), and the largest tie minus the
    smallest, a slot without the pair counting 0. A pair with the same tie in every slot
    ranks last. A slot with what-if edits is read with its edits."""
    ties: list[dict] = []
    for r in results:
        s = r.scenario
        ctx = cache.context(ds, s)
        points = pair_points(ctx, s.members, s.weights.normalised().ties)
        ties.append({p: float(ctx.ties[ds.index(p[0]), ds.index(p[1])]) for p in points})
    pairs = sorted({p for t in ties for p in t})
    rows = []
    for a, b in pairs:
        row: dict[str, object] = {"pair": f"{a}–{b}"}
        for i, t in enumerate(ties):
            row[f"slot {i + 1}"] = f"{t[(a, b)]:.2f}" if (a, b) in t else ""
        values = [round(t.get((a, b), 0.0), 2) for t in ties]  # as shown
        row[TIE_SPREAD] = round(max(values) - min(values), 2)
        rows.append(row)
    # sorted here, an Arrow table: st.dataframe sends it as it is (cheaper than pandas)
    rows.sort(key=lambda row: (-row[TIE_SPREAD], row["pair"]))
    return pa.Table.from_pylist(rows[:top])
