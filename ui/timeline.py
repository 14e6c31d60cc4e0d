"""The timeline: cohesion by year for several slots, with the events that moved it; a slot
with what-if edits adds a dotted line beside its record."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from model import Dataset
from model.timeline import YearChange
from ui.style import SLOT_COLOURS
from ui.text import chart_text

__all__ = ["WHAT_IF", "changes_table", "effect_words", "no_score_note", "timeline_figure"]

MAX_EVENTS_SHOWN = 6
#: How a slot's what-if series is named beside its record.
WHAT_IF = ", what if"


def _event_hover(ds: Dataset, year: int, events) -> str:
    lines = [f"<b>{year}</b>"]
    for e in events[:MAX_EVENTS_SHOWN]:
        src = "; ".join(chart_text(ds.sources[k].publisher) for k in e.sources) or "what if"
        lines.append(f"{chart_text(e.what)} — {src}")
    if len(events) > MAX_EVENTS_SHOWN:
        lines.append(f"… and {len(events) - MAX_EVENTS_SHOWN} more")
    return "<br>".join(lines)


def timeline_figure(ds: Dataset, labels: list[str], series) -> go.Figure:
    """Lines with a 90% band; markers where a dated event touched the grouping."""
    fig = go.Figure()
    for i, (label, s) in enumerate(zip(labels, series, strict=True)):
        colour = SLOT_COLOURS[i % len(SLOT_COLOURS)]
        years = s["year"]
        scored = np.isfinite(s["p5"]) & np.isfinite(s["p95"])  # no band where no score
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([years[scored], years[scored][::-1]]),
                y=np.concatenate([s["p95"][scored], s["p5"][scored][::-1]]),
                fill="toself",
                fillcolor=colour,
                opacity=0.15,
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                legendgroup=str(i),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=years,
                y=s["cohesion"],
                mode="lines",
                line={"color": colour, "width": 2.5},
                name=f"{i + 1}. {chart_text(label)}",
                legendgroup=str(i),
                hovertemplate="%{x}: %{y:.1f}<extra>" + f"slot {i + 1}" + "</extra>",
            )
        )
        _event_marks(fig, ds, s, colour, str(i))
        if s.get("what_if") is not None:
            w = s["what_if"]
            fig.add_trace(
                go.Scatter(
                    x=w["year"],
                    y=w["cohesion"],
                    mode="lines",
                    line={"color": colour, "width": 2.5, "dash": "dot"},
                    name=f"{i + 1}. {chart_text(label)}{WHAT_IF}",
                    legendgroup=f"{i}w",
                    hovertemplate="%{x}: %{y:.1f}<extra>" + f"slot {i + 1}, what if" + "</extra>",
                )
            )
            _event_marks(fig, ds, w, colour, f"{i}w", hollow=True)
    fig.update_layout(
        height=460,
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        yaxis={"title": "cohesion", "range": [0, 100]},
        xaxis={"title": "year"},
        legend={"orientation": "h", "y": -0.15},
        hoverlabel={"align": "left"},
    )
    return fig


def _event_marks(fig, ds: Dataset, s, colour: str, group: str, hollow: bool = False) -> None:
    """Markers on a series where dated events touched the grouping, with them in the hover."""
    marked = sorted(s["events"])
    if not marked:
        return
    at = np.searchsorted(s["year"], marked)
    line = {"color": colour, "width": 2} if hollow else {"color": "white", "width": 1}
    fig.add_trace(
        go.Scatter(
            x=marked,
            y=s["cohesion"][at],
            mode="markers",
            marker={"color": "white" if hollow else colour, "size": 8, "line": line},
            hovertext=[_event_hover(ds, y, s["events"][y]) for y in marked],
            hoverinfo="text",
            showlegend=False,
            legendgroup=group,
        )
    )


def effect_words(effect: float | None) -> str:
    """An event's effect on the score in words.

    >>> effect_words(2.04), effect_words(-0.8), effect_words(0.01), effect_words(None)
    ('up 2.0', 'down 0.8', 'no visible effect', 'effect not measurable')
    """
    if effect is None:
        return "effect not measurable"
    if abs(effect) < 0.05:
        return "no visible effect"
    return f"{'up' if effect > 0 else 'down'} {abs(effect):.1f}"


def no_score_note(labels: list[str], series) -> str:
    """Which slots have years without a score, and why ('' when every year has one)."""
    parts = []
    for i, (label, s) in enumerate(zip(labels, series, strict=True)):
        values, years = s["cohesion"], s["year"]
        if len(values) and np.isnan(values).all():
            parts.append(f"{i + 1}. {label} has no score in these years")
        elif len(values) and np.isnan(values).any():
            first = int(years[np.isfinite(values)][0])
            if np.isnan(values[: np.argmax(np.isfinite(values))]).any():
                parts.append(f"{i + 1}. {label} has no score before {first}")
            else:
                parts.append(f"{i + 1}. {label} has years without a score")
    if not parts:
        return ""
    return (
        "; ".join(parts) + ": in those years at least one member had no tie with any other, "
        "so the grouping did not exist yet."
    )


def changes_table(
    labels: list[str], lines: list[tuple[int, bool, list[YearChange]]], top: int = 10
) -> pd.DataFrame:
    """The biggest year-on-year moves across slots, with the events behind each and how
    much each one moved the score (up or down, in points). ``lines`` holds, for each slot
    (by index) and its what-if line (``True``), its biggest changes (ui/cache.py
    ``timeline_changes``)."""
    rows = []
    for i, what_if, changes in lines:
        name = f"{i + 1}. {labels[i]}{WHAT_IF if what_if else ''}"
        for c in changes:
            shown = [f"{e.what} ({effect_words(e.effect)})" for e in c.events[:3]]
            causes = "; ".join(shown)
            if len(c.events) > 3:
                causes += f"; … {len(c.events) - 3} more"
            rows.append(
                {
                    "year": c.year,
                    "slot": name,
                    "change": f"{'up' if c.delta > 0 else 'down'} {abs(c.delta):.1f}",
                    "cohesion": f"{c.cohesion:.1f}",
                    "events (effect on the score, in points)": causes
                    or "no dated event among the members (threat views or framing rows elsewhere)",
                    "size": abs(c.delta),
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return (
        table.sort_values(["size", "year"], ascending=[False, True]).drop(columns="size").head(top)
    )
