"""Tables and charts that compare several slots (compare and timeline pages)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from model import Dataset, Score
from model import context as model_context
from model.cohesion import COMPONENTS
from ui.charts import LABELS
from ui.state import Slot
from ui.text import chart_text

__all__ = ["SLOT_COLOURS", "components_by_slot", "member_table", "pair_differences"]

SLOT_COLOURS = ("#1f5fa8", "#f2a900", "#2e8b57", "#8e44ad")


def components_by_slot(results: list[Score], labels: list[str]) -> go.Figure:
    """One group of bars per component, one bar per slot (values 0-1)."""
    fig = go.Figure()
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        if r.components is None:
            continue
        values = r.components.as_dict()
        fig.add_trace(
            go.Bar(
                x=[LABELS[c] for c in COMPONENTS],
                y=[values[c] for c in COMPONENTS],
                name=f"{i + 1}. {chart_text(label)}",
                marker={"color": SLOT_COLOURS[i % len(SLOT_COLOURS)]},
                hovertemplate="%{x}: %{y:.2f}<extra>" + f"slot {i + 1}" + "</extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=320,
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        yaxis={"range": [0, 1], "title": "component value (friction and sensitivity subtract)"},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def member_table(ds: Dataset, slots: list[Slot], labels: list[str]) -> pd.DataFrame:
    """Who is in which slot: one row per actor in any slot."""
    codes = sorted({c for s in slots for c in s.members})
    names = {a.code: a.name for a in ds.actors}
    rows = []
    for c in codes:
        row = {"actor": f"{names[c]} ({c})"}
        for i, (s, _) in enumerate(zip(slots, labels, strict=True)):
            row[f"slot {i + 1}"] = "✓" if c in s.members else ""
        row["in"] = sum(c in s.members for s in slots)
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(["in", "actor"], ascending=[False, True]).drop(columns="in")


def pair_differences(ds: Dataset, slots: list[Slot], year: int, top: int = 12) -> pd.DataFrame:
    """Member pairs whose framed tie differs most across slots (absent pair = blank).

    The spread is max minus min over the slots, counting a slot without the pair as 0:
    a pair that only one option contains, or that one framing weighs far more, ranks high.
    """
    pairs = sorted(
        {tuple(sorted((a, b))) for s in slots for a in s.members for b in s.members if a < b}
    )
    rows = []
    for a, b in pairs:
        row: dict[str, object] = {"pair": f"{a}–{b}"}
        values = []
        for i, s in enumerate(slots):
            if a in s.members and b in s.members:
                ctx = model_context(ds, year, s.framing)
                v = float(ctx.ties[ds.index(a), ds.index(b)])
                row[f"slot {i + 1}"] = round(v, 2)
                values.append(v)
            else:
                row[f"slot {i + 1}"] = None
                values.append(0.0)
        row["spread"] = round(max(values) - min(values), 2)
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(["spread", "pair"], ascending=[False, True]).head(top)
