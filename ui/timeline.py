"""The timeline: cohesion by year for several slots, with the events that moved it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from model import Dataset
from model.timeline import biggest_changes
from ui.slots_state import Slot
from ui.style import SLOT_COLOURS
from ui.text import chart_text

__all__ = ["changes_table", "timeline_figure"]

MAX_EVENTS_SHOWN = 6


def _event_hover(ds: Dataset, year: int, events) -> str:
    lines = [f"<b>{year}</b>"]
    for e in events[:MAX_EVENTS_SHOWN]:
        src = "; ".join(chart_text(ds.sources[k].publisher) for k in e.sources)
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
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([years, years[::-1]]),
                y=np.concatenate([s["p95"], s["p5"][::-1]]),
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
        marked = sorted(s["events"])
        if marked:
            at = np.searchsorted(years, marked)
            fig.add_trace(
                go.Scatter(
                    x=marked,
                    y=s["cohesion"][at],
                    mode="markers",
                    marker={"color": colour, "size": 8, "line": {"color": "white", "width": 1}},
                    hovertext=[_event_hover(ds, y, s["events"][y]) for y in marked],
                    hoverinfo="text",
                    showlegend=False,
                    legendgroup=str(i),
                )
            )
    fig.update_layout(
        height=460,
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        yaxis={"title": "cohesion", "range": [0, 100]},
        xaxis={"title": "year"},
        legend={"orientation": "h", "y": -0.15},
        hoverlabel={"align": "left"},
    )
    return fig


def changes_table(
    ds: Dataset, slots: list[Slot], labels: list[str], series, top: int = 10
) -> pd.DataFrame:
    """The biggest year-on-year moves across slots, with the events behind each."""
    rows = []
    for i, (slot, s) in enumerate(zip(slots, series, strict=True)):
        for c in biggest_changes(ds, slot.members, slot.framing, s, top=top):
            causes = "; ".join(e.what for e in c.events[:3])
            if len(c.events) > 3:
                causes += f"; … {len(c.events) - 3} more"
            rows.append(
                {
                    "year": c.year,
                    "slot": f"{i + 1}. {labels[i]}",
                    "change": round(c.delta, 1),
                    "cohesion": round(c.cohesion, 1),
                    "events": causes
                    or "no dated event among the members (threat views or framing rows elsewhere)",
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["size"] = table["change"].abs()
    return (
        table.sort_values(["size", "year"], ascending=[False, True]).drop(columns="size").head(top)
    )
