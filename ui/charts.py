"""Small plotly charts for the score: how it is built, and who it rests on."""

from __future__ import annotations

import plotly.graph_objects as go

from model import Score, Weights
from model.cohesion import COMPONENTS

__all__ = [
    "component_points",
    "components_figure",
    "contributions_figure",
    "weighted_points",
]

LABELS = {
    "ties": "Ties",
    "connectivity": "Connectivity",
    "lattice": "Lattice",
    "threat": "Shared threat",
    "friction": "Friction",
    "sensitivity": "Sensitivity",
}
POSITIVE, NEGATIVE = "#1f5fa8", "#d62728"


def _signed(points: float) -> str:
    return "0" if abs(points) < 0.05 else f"{points:+.1f}"


def weighted_points(values: dict[str, float], weights: Weights) -> dict[str, float]:
    """Each component's weighted contribution to cohesion, in points (negatives < 0)."""
    w = weights.normalised()
    return {
        c: (-100 if c in ("friction", "sensitivity") else 100) * getattr(w, c) * values[c]
        for c in COMPONENTS
    }


def component_points(result: Score) -> dict[str, float]:
    """:func:`weighted_points` of a scored scenario."""
    return weighted_points(result.components.as_dict(), result.scenario.weights)


def components_figure(result: Score) -> go.Figure:
    """A waterfall from 0 to the cohesion: what each component adds or takes away."""
    points = component_points(result)
    raw = sum(points.values())
    comps = result.components.as_dict()
    fig = go.Figure(
        go.Waterfall(
            orientation="v",
            x=[LABELS[c] for c in COMPONENTS] + ["Cohesion"],
            measure=["relative"] * len(COMPONENTS) + ["total"],
            y=[*points.values(), 0],
            text=[_signed(p) for p in points.values()] + [f"{result.cohesion:.1f}"],
            textposition="outside",
            customdata=[comps[c] for c in COMPONENTS] + [result.cohesion / 100],
            hovertemplate="%{x}: value %{customdata:.2f}, %{text} points<extra></extra>",
            increasing={"marker": {"color": POSITIVE}},
            decreasing={"marker": {"color": NEGATIVE}},
            totals={"marker": {"color": "#f2a900"}},
            connector={"line": {"color": "#9aa1ab", "width": 1}},
        )
    )
    top = max(100.0, raw + 8)
    fig.update_layout(
        height=300,
        margin={"l": 4, "r": 4, "t": 24, "b": 4},
        showlegend=False,
        yaxis={"title": "points", "range": [min(0.0, raw) - 5, top]},
    )
    if raw < 0 or raw > 100:
        fig.add_annotation(
            text=f"sum {raw:.1f} is clipped to 0–100",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=1,
            y=1.08,
            xanchor="right",
        )
    return fig


def contributions_figure(result: Score) -> go.Figure:
    """Shapley value of each member: who holds the grouping together, who pulls it apart."""
    items = sorted(result.contributions.items(), key=lambda kv: kv[1]["shapley"])
    codes = [c for c, _ in items]
    values = [v["shapley"] for _, v in items]
    loo = [v["leave_one_out"] for _, v in items]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=codes,
            orientation="h",
            marker={"color": [POSITIVE if v >= 0 else NEGATIVE for v in values]},
            text=[f"{v:+.1f}" for v in values],
            textposition="outside",
            customdata=loo,
            hovertemplate="%{y}: Shapley %{x:.1f}, leave-one-out %{customdata:+.1f}<extra></extra>",
        )
    )
    span = max([abs(v) for v in values] + [1.0])
    fig.update_layout(
        height=60 + 28 * len(codes),
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        xaxis={
            "title": "Shapley value (points of cohesion)",
            "range": [min(0.0, min(values)) - 0.25 * span, max(0.0, max(values)) + 0.3 * span],
        },
    )
    return fig
