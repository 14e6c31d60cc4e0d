"""The timeline: cohesion by year for several slots, with the events that moved it; a slot
with what-if edits adds a dotted line beside its record."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from model import Dataset, apply_what_if
from model.timeline import biggest_changes
from ui.slots_state import Slot
from ui.style import SLOT_COLOURS
from ui.text import chart_text

__all__ = ["WHAT_IF", "changes_table", "timeline_figure"]

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


def changes_table(
    ds: Dataset, slots: list[Slot], labels: list[str], series, top: int = 10
) -> pd.DataFrame:
    """The biggest year-on-year moves across slots, with the events behind each; a what-if
    series adds the moves that differ from its record's."""
    lines = []
    for i, (slot, s) in enumerate(zip(slots, series, strict=True)):
        recorded = biggest_changes(ds, slot.members, slot.framing, s, top=None)
        lines.append((f"{i + 1}. {labels[i]}", recorded[:top]))
        if s.get("what_if") is not None:
            changed = apply_what_if(ds, slot.what_if, int(s["year"][0]))
            moves = {c.year: c.delta for c in recorded}
            differ = [
                c
                for c in biggest_changes(changed, slot.members, slot.framing, s["what_if"], None)
                if abs(c.delta - moves.get(c.year, 0.0)) >= 0.05
            ]
            lines.append((f"{i + 1}. {labels[i]}{WHAT_IF}", differ[:top]))
    rows = []
    for name, changes in lines:
        for c in changes:
            causes = "; ".join(e.what for e in c.events[:3])
            if len(c.events) > 3:
                causes += f"; … {len(c.events) - 3} more"
            rows.append(
                {
                    "year": c.year,
                    "slot": name,
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
