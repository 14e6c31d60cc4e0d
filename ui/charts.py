"""Plotly charts of scores: how one is built from its components, who it rests on, and the
components of several scores side by side (compare slots, finder results)."""

from __future__ import annotations

import plotly.graph_objects as go

from model import COMPONENTS, Score, SearchResult, Weights
from model.difference import component_points, weighted_points
from ui.plotspec import Figure, trace
from ui.style import (
    COMPONENT_COLOURS,
    COMPONENT_LABELS,
    MUTED,
    NEGATIVE,
    POSITIVE,
    SLOT_COLOURS,
    TOTAL_COLOUR,
)
from ui.text import chart_text

__all__ = [
    "components_by_result",
    "components_by_slot",
    "components_waterfall",
    "contributions_figure",
]


def _signed(points: float) -> str:
    return "0" if abs(points) < 0.05 else f"{points:+.1f}"


def components_waterfall(result: Score) -> Figure:
    """A waterfall from 0 to the cohesion: what each component adds or takes away."""
    points = component_points(result)
    raw = sum(points.values())
    comps = result.components.as_dict()
    fig = Figure(
        [
            trace(
                "waterfall",
                orientation="v",
                x=[COMPONENT_LABELS[c] for c in COMPONENTS] + ["Cohesion"],
                measure=["relative"] * len(COMPONENTS) + ["total"],
                y=[*points.values(), 0],
                text=[_signed(p) for p in points.values()] + [f"{result.cohesion:.1f}"],
                textposition="outside",
                customdata=[comps[c] for c in COMPONENTS] + [result.cohesion / 100],
                hovertemplate="%{x}: value %{customdata:.2f}, %{text} points<extra></extra>",
                increasing={"marker": {"color": POSITIVE}},
                decreasing={"marker": {"color": NEGATIVE}},
                totals={"marker": {"color": TOTAL_COLOUR}},
                connector={"line": {"color": MUTED, "width": 1}},
            )
        ]
    )
    top = max(100.0, raw + 8)
    fig.update_layout(
        height=300,
        margin={"l": 4, "r": 4, "t": 24, "b": 4},
        showlegend=False,
        yaxis={"title": {"text": "points"}, "range": [min(0.0, raw) - 5, top]},
    )
    if abs(raw - result.cohesion) >= 0.05:
        why = "a member tied to no one" if result.isolated else "the scale's limit near 0"
        fig.add_annotation(
            text=f"sum {raw:.1f}; {why} makes the score {result.cohesion:.1f}",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=1,
            y=1.08,
            xanchor="right",
        )
    return fig


def contributions_figure(result: Score) -> Figure:
    """Shapley value of each member: who holds the grouping together, who pulls it apart."""
    items = sorted(result.contributions.items(), key=lambda kv: kv[1]["shapley"])
    codes = [c for c, _ in items]
    values = [v["shapley"] for _, v in items]
    if_left = [v["change_if_left"] for _, v in items]
    fig = Figure(
        [
            trace(
                "bar",
                x=values,
                y=codes,
                orientation="h",
                marker={"color": [POSITIVE if v >= 0 else NEGATIVE for v in values]},
                text=[f"{v:+.1f}" for v in values],
                textposition="outside",
                customdata=if_left,
                hovertemplate=(
                    "%{y}: share of the score %{x:+.1f} points (Shapley value); if it left, the "
                    "score would change by %{customdata:+.1f} (the score without it minus the "
                    "score with it)<extra></extra>"
                ),
            )
        ]
    )
    span = max([abs(v) for v in values] + [1.0])
    fig.update_layout(
        height=60 + 28 * len(codes),
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        xaxis={
            "title": {"text": "share of the score (points of cohesion, Shapley value)"},
            "range": [min(0.0, min(values)) - 0.25 * span, max(0.0, max(values)) + 0.3 * span],
        },
    )
    return fig


def components_by_slot(results: list[Score], labels: list[str]) -> Figure:
    """One group of bars per component, one bar per slot (values 0-1)."""
    fig = Figure()
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        if r.components is None:
            continue
        values = r.components.as_dict()
        fig.add_trace(
            trace(
                "bar",
                x=[COMPONENT_LABELS[c] for c in COMPONENTS],
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
        yaxis={"range": [0, 1], "title": {"text": "value (0–1)"}},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def components_by_result(result: SearchResult, weights: Weights | None = None) -> go.Figure:
    """Each search result's weighted components as one bar: positives right, negatives left."""
    weights = weights or Weights()
    labels = [f"#{i + 1}" for i in range(len(result.results))]
    points = [weighted_points(f.components, weights, f.cohesion) for f in result.results]
    fig = go.Figure()
    for name in COMPONENTS:
        fig.add_bar(
            y=labels,
            x=[p[name] for p in points],
            orientation="h",
            name=COMPONENT_LABELS[name],
            marker_color=COMPONENT_COLOURS[name],
            customdata=[(f.components[name], ", ".join(f.members)) for f in result.results],
            hovertemplate=(
                f"%{{customdata[1]}}<br>{COMPONENT_LABELS[name]}: %{{customdata[0]:.2f}} "
                "(%{x:+.1f} points)<extra></extra>"
            ),
        )
    fig.update_layout(
        barmode="relative",
        height=max(220, 34 * len(labels) + 90),
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, font=dict(size=11)),
        yaxis=dict(autorange="reversed", type="category", tickmode="linear", dtick=1),
        xaxis=dict(title="points of cohesion", zeroline=True),
    )
    return fig
