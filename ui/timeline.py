"""The timeline: cohesion by year for several slots, with the events that moved it; a slot
with what-if edits adds a dotted line beside its record."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from model import Dataset
from model.timeline import YearChange, largest_effect
from ui.style import SLOT_COLOURS
from ui.text import chart_text, wrap_hover

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = [
    "VISIBLE_EFFECT",
    "WHAT_IF",
    "changes_table",
    "effect_words",
    "marked_years",
    "no_score_note",
    "short_name",
    "timeline_figure",
    "timeline_table",
]

MAX_EVENTS_SHOWN = 6
#: How a slot's what-if series is named beside its record.
WHAT_IF = ", what if"


#: A year is marked when one of its events moves the score by at least this many points
#: (its effect, model/timeline.py): a point is about 4 pixels on the 0–100 axis, the least
#: a reader sees, so smaller moves leave no dot.
VISIBLE_EFFECT = 1.0
#: The marked years numbered on the chart and named in its legend, per line: those whose
#: event moves it most.
LABELLED = 3
#: At most this many numbered years on one chart: with three or four lines, two a line.
NUMBERED = 8
#: Pixels a legend entry takes (one a row), and the rest of the chart: its plot, axes and
#: the title's room.
LEGEND_ROW, CHART_BODY = 29, 390
#: A label's event name is cut to this many characters.
LABEL_CHARS = 40


def _event_hover(ds: Dataset, year: int, events) -> str:
    lines = [f"<b>{year}</b>: the events that moved the score, largest effect first"]
    for e in events[:MAX_EVENTS_SHOWN]:
        src = "; ".join(chart_text(ds.sources[k].publisher) for k in e.sources) or "what if"
        lines.append(f"{chart_text(e.what)} ({effect_words(e.effect)}) — {src}")
    if len(events) > MAX_EVENTS_SHOWN:
        rest = len(events) - MAX_EVENTS_SHOWN
        lines.append(f"… and {rest} more with smaller effects (the table below lists them)")
    return "<br>".join(lines)


def short_name(ds: Dataset, events) -> str:
    """A year's events in a few words: the title of the source behind the most of the
    year's movement (its effects added up), cut at a colon or bracket; the largest event's
    own words when no source is cited (a what-if).

    >>> from model import load_dataset, scenario
    >>> from model.timeline import timeline
    >>> ds = load_dataset()
    >>> series = timeline(ds, [scenario(ds, "camp_david", None, 2022)], 2023, 0)[0]
    >>> short_name(ds, series["events"][2023])
    'Japan-U.S.-ROK Summit and Working Lunch'
    """
    weight: dict[str, float] = {}
    for e in events:
        for k in e.sources:
            weight[k] = weight.get(k, 0.0) + abs(e.effect or 0.0)
    known = [k for k in weight if k in ds.sources]
    if not known:
        text = events[0].what
    else:
        key = max(known, key=lambda k: (weight[k], k))
        text = re.split(r":| \(", ds.sources[key].title)[0]
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def timeline_figure(ds: Dataset, labels: list[str], series) -> go.Figure:
    """Lines with a 90% band; markers where a dated event touched the grouping; the years
    where each line moves most numbered on it and named in the legend."""
    fig = go.Figure()
    named: list[tuple[int, float, str, str]] = []
    each = min(LABELLED, max(1, NUMBERED // max(len(series), 1)))  # numbered years a line
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
        named += _event_marks(fig, ds, s, colour, str(i), labelled=each)
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
    _number_events(fig, named)
    years = [y for s in series for y in s["year"].tolist()]
    fig.update_layout(
        # the legend, one entry a row under the plot, grows with the numbered years
        height=CHART_BODY + LEGEND_ROW * sum(1 for t in fig.data if t.showlegend is not False),
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        yaxis={"title": "cohesion", "range": [0, 100]},
        xaxis={
            "title": "year",
            **({"range": [min(years) - 0.5, max(years) + 0.5]} if years else {}),
        },
        legend={
            "orientation": "v",
            "x": 0,
            "xanchor": "left",
            "y": -0.2,
            "yanchor": "top",
            "font": {"size": 11},
        },
        hoverlabel={"align": "left"},
    )
    return fig


def marked_years(s) -> list[int]:
    """The years of a series whose events move its score visibly (``VISIBLE_EFFECT``)."""
    return sorted(
        y for y, events in s["events"].items() if largest_effect(events) >= VISIBLE_EFFECT
    )


def _event_marks(
    fig, ds: Dataset, s, colour: str, group: str, hollow: bool = False, labelled: int = LABELLED
) -> list[tuple[int, float, str, str]]:
    """Markers on a series in the years whose events move the score visibly, with the
    events in the hover; returns the ``labelled`` years where the line moves most (record
    lines only), each as (year, score, colour, the events in a few words), for
    :func:`_number_events` to name."""
    marked = marked_years(s)
    if not marked:
        return []
    at = np.searchsorted(s["year"], marked)
    line = {"color": colour, "width": 2} if hollow else {"color": "white", "width": 1}
    fig.add_trace(
        go.Scatter(
            x=marked,
            y=s["cohesion"][at],
            mode="markers",
            marker={"color": "white" if hollow else colour, "size": 9, "line": line},
            hovertext=[wrap_hover(_event_hover(ds, y, s["events"][y]), 90) for y in marked],
            hoverinfo="text",
            showlegend=False,
            legendgroup=group,
        )
    )
    if hollow:
        return []
    values = dict(zip(s["year"].tolist(), s["cohesion"].tolist(), strict=True))

    def move(year: int) -> float:  # the year-on-year change the dot sits on
        change = values.get(year, np.nan) - values.get(year - 1, np.nan)
        return abs(change) if np.isfinite(change) else largest_effect(s["events"][year])

    largest = sorted(marked, key=lambda y: (-move(y), y))[:labelled]
    return [
        (year, values[year], colour, short_name(ds, s["events"][year]))
        for year in sorted(largest)
        if np.isfinite(values[year])
    ]


def _number_events(fig, named: list[tuple[int, float, str, str]]) -> None:
    """Number the named years on their lines, in order of year, and name each in the
    legend ("2 · Japan-U.S.-ROK Summit and Working Lunch (2023)", in the line's colour).

    A number is a few pixels wide, so numbers stay apart where whole names would run into
    each other on a narrow screen; a number goes under its dot instead of over it when
    another number already sits over a dot close by (a year apart, a few points)."""
    over: list[tuple[int, float]] = []
    for n, (year, value, colour, name) in enumerate(sorted(named, key=lambda e: e[:2]), 1):
        crowded = any(abs(year - y) <= 1 and abs(value - v) <= 8 for y, v in over)
        if not crowded:
            over.append((year, value))
        fig.add_annotation(
            x=year,
            y=value,
            text=f"<b>{n}</b>",
            showarrow=False,
            yshift=-14 if crowded else 14,
            font={"size": 12, "color": colour},
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=1,
        )
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"color": colour, "size": 9},
                name=f"{n} · {chart_text(name)} ({year})",
                legendgroup=f"event {n}",
                hoverinfo="skip",
            )
        )


def _rounded(values) -> list[float | None]:
    return [None if np.isnan(v) else round(float(v), 1) for v in values]


def timeline_table(ds: Dataset, labels: list[str], series) -> tuple[pd.DataFrame, str]:
    """The timeline as a table: each year, each slot's cohesion (and its what-if line's),
    and the events that moved a slot visibly that year; a sentence with the first and last
    scores."""
    import pandas as pd

    years = [int(y) for y in series[0]["year"]] if series else []
    table: dict[str, list] = {"year": years}
    moved: dict[int, list[str]] = {y: [] for y in years}
    sentence = []
    for i, (label, s) in enumerate(zip(labels, series, strict=True)):
        table[f"{i + 1}. {label}"] = [
            None if np.isnan(v) else round(float(v), 1) for v in s["cohesion"]
        ]
        if s.get("what_if") is not None:
            w = s["what_if"]["cohesion"]
            table[f"{i + 1}. {label}{WHAT_IF}"] = [
                None if np.isnan(v) else round(float(v), 1) for v in w
            ]
        for y in marked_years(s):
            moved[y].append(f"{i + 1}: {short_name(ds, s['events'][y])}")
        scored = [
            (int(y), float(v))
            for y, v in zip(s["year"], s["cohesion"], strict=True)
            if np.isfinite(v)
        ]
        if scored:
            (y0, v0), (y1, v1) = scored[0], scored[-1]
            sentence.append(f"{label}: {v0:.1f} in {y0}, {v1:.1f} in {y1}")
    table["events that moved it visibly"] = ["; ".join(moved[y]) for y in years]
    text = "Cohesion by year (0–100). " + "; ".join(sentence) + "." if sentence else "No score."
    return pd.DataFrame(table), text


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
    import pandas as pd

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
                    # one column for the move and where it ended: the events need the room
                    "change": f"{'up' if c.delta > 0 else 'down'} {abs(c.delta):.1f} "
                    f"to {c.cohesion:.1f}",
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
