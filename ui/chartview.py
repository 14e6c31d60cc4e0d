"""Charts that carry their context and their text alternative (issue #23).

A chart's PNG leaves the page alone, so every figure is titled with what it is of: the
scenario's title from model/words.py (grouping, framing, year, "What if:"), its score,
and a line saying what the chart shows. Its legend sits inside the image. Under each
chart, an expander holds the same numbers as a table with a sentence, for a reader who
cannot see the chart (and for a memo that wants the numbers).

Every text from the data is escaped for plotly (``chart_text``) or shown as text
(``plain``, ``st.dataframe``); none is rendered as HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import streamlit as st

from model import COMPONENTS, Dataset, Scenario, Score, SearchResult, Weights
from model.difference import component_points, weighted_points
from model.scale import POINTS, RAW, REPORTED, raw_cohesion
from model.schema import FRAMINGS
from model.words import CHANGE_IF_LEFT, FRAMING_NOUNS, kind_words, name, title
from ui import cache
from ui.charts import (
    components_by_result,
    components_by_slot,
    components_waterfall,
    contributions_figure,
)
from ui.compare_explain import difference_figure
from ui.exports import chart_config
from ui.livechart import live_chart
from ui.network import pair_edges
from ui.plainwords import yardstick_figure, yardstick_table
from ui.style import COMPONENT_LABELS, MUTED, SLOT_COLOURS, SUBTRACTED, TEXT_MUTED
from ui.text import chart_text, plain
from ui.timeline import VISIBLE_EFFECT, timeline_figure, timeline_table

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = [
    "NETWORK_WHAT",
    "TABLE_LABEL",
    "breakdown_chart",
    "breakdown_table",
    "carry_context",
    "chart",
    "contributions_chart",
    "contributions_table",
    "finder_chart",
    "finder_table",
    "gap_chart",
    "heading",
    "network_chart",
    "network_table",
    "slots_chart",
    "slots_table",
    "table_key",
    "timeline_chart",
    "yardstick_chart",
]

#: The expander under each chart.
TABLE_LABEL = "The chart as a table"
#: Pixels above the plot for the title and its second line.
TITLE_ROOM, SUBTITLE_ROOM, LINE = 34, 20, 18
#: A title line breaks after about this many characters (a compare page's small chart).
TITLE_WIDTH = 54


def heading(ds: Dataset, result: Score) -> str:
    """A scenario's title with its score: 'An "Asian NATO" · alliance · 2024 · cohesion 56.4'."""
    head = title(ds, result.scenario)
    if result.cohesion is None:
        return f"{head} · no score"
    return f"{head} · cohesion {result.cohesion:.1f}"


def _lines(text: str, width: int = TITLE_WIDTH) -> list[str]:
    """``text`` broken at its ' · ' separators (then spaces) into lines of about
    ``width`` characters.

    >>> _lines("What if: US–Japan–South Korea (Camp David) · dialogue · 2024 · cohesion 64.2")
    ['What if: US–Japan–South Korea (Camp David) · dialogue', '2024 · cohesion 64.2']
    """
    out: list[str] = []
    for part in text.split(" · "):
        if out and len(out[-1]) + 3 + len(part) <= width:
            out[-1] += " · " + part
        else:
            out.append(part)
    return out


def _layout(fig: go.Figure, *path: str):
    """A layout property of a plotly figure or of a plain-data one (ui/plotspec.py), None
    when unset: ``_layout(fig, "margin", "t")``."""
    value = fig.layout
    for key in path:
        if value is None:
            return None
        value = value.get(key) if isinstance(value, dict) else getattr(value, key, None)
    return value


def carry_context(fig: go.Figure, head: str, what: str = "") -> go.Figure:
    """Title ``fig`` with ``head`` (and ``what``, what the chart shows, on the line below)
    so that its PNG stands alone, with room at the top for them, and a horizontal legend
    in a size that keeps it inside the image. Changes ``fig`` in place and returns it; a
    cached figure titled again gets the same title and no more room."""
    # plotly sets a title of several lines too high: the first line is the title, the
    # rest of it and ``what`` its subtitle
    first, *rest = [chart_text(x) for x in _lines(head)]
    below = [" · ".join(rest)] if rest else []
    below += [chart_text(what)] if what else []
    if not _layout(fig, "title", "text"):
        room = TITLE_ROOM + SUBTITLE_ROOM * len(below)
        fig.update_layout(margin={"t": (_layout(fig, "margin", "t") or 0) + room})
    fig.update_layout(
        title={
            "text": first,
            # from the image's left edge, not the plot's: a chart with a y axis would push
            # a long title under the mode bar's buttons on a phone
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 8, "l": 8},
            "font": {"size": 14},
            "subtitle": {"text": "<br>".join(below), "font": {"size": 12, "color": TEXT_MUTED}},
        },
    )
    if _layout(fig, "legend", "orientation") == "h":
        # plotly wraps a long horizontal legend past the image's right edge: two entries
        # a row, each half the width, keep a long one inside
        entries = sum(1 for t in fig.data if t.showlegend is not False and t.name)
        wide = {"entrywidth": 0.45, "entrywidthmode": "fraction"} if entries > 4 else {}
        fig.update_layout(legend={"font": {"size": 11}, **wide})
    return fig


def table_key(what: str) -> str:
    """The session key of the table expander under the chart that shows ``what``: the
    table is made and sent only while it is open.

    >>> table_key("Each component's value (0–1) in each slot")
    "table:Each component's value (0–1) in each slot"
    """
    return f"table:{what}"


def chart(
    fig: go.Figure,
    name: str,
    head: str,
    what: str,
    alt: tuple[pd.DataFrame, str] | Callable[[], tuple[pd.DataFrame, str]],
    key: str | None = None,
    table: str | None = None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Draw ``fig`` titled (:func:`carry_context`), its PNG named ``name``, and under it its
    text alternative ``alt`` (a table and a sentence, or a function that makes them) in an
    expander, keyed ``table`` (default :func:`table_key` of ``what``). The table is made
    and sent only while the expander is open (as "This score rests most on…" is): a page
    run with the tables closed sends no dataframe, and a browser loads no table grid for
    them. With ``on_select``, a click on a point calls it (``ui.livechart.clicked``)."""
    carry_context(fig, head, what)
    table = table or table_key(what)
    live_chart(
        fig,
        key=key or f"chart:{table}",
        config=chart_config(name),
        label=f"{head}. {what}." if what else head,
        on_select=on_select,
    )
    box = st.expander(TABLE_LABEL, icon=":material/table_rows:", key=table, on_change="rerun")
    with box:
        if box.open:
            frame, sentence = alt() if callable(alt) else alt
            st.caption(plain(sentence))
            st.dataframe(frame, hide_index=True)


# --------------------------------------------------------------------------- the charts
# One line each for the pages: the figure, its title, what it shows, its table.

NETWORK_WHAT = "Ties among the members by domain, wider when stronger"


def network_chart(
    ds: Dataset,
    result: Score,
    fig: go.Figure,
    name: str,
    key: str | None = None,
    table: str | None = None,
    on_select: Callable[[], None] | None = None,
) -> None:
    """A scenario's network (``fig``, from ui/cache.py ``network``) with its title and
    its pairs as a table."""
    s = result.scenario
    alt = lambda: network_table(ds, cache.context(ds, s), s)  # noqa: E731  (made when open)
    chart(fig, name, heading(ds, result), NETWORK_WHAT, alt, key, table, on_select)


def breakdown_chart(ds: Dataset, result: Score, name: str) -> None:
    """The waterfall of the components."""
    what = "What makes the score: each component's points"
    alt = lambda: breakdown_table(result)  # noqa: E731
    chart(components_waterfall(result), name, heading(ds, result), what, alt)


def contributions_chart(ds: Dataset, result: Score, name: str) -> None:
    """Each member's share of the score."""
    what = "Who holds it together: each member's share (Shapley value)"
    alt = lambda: contributions_table(ds, result)  # noqa: E731
    chart(contributions_figure(result), name, heading(ds, result), what, alt)


def yardstick_chart(ds: Dataset, result: Score, scores, name: str) -> None:
    """The grouping among the presets scored alike."""
    what = "Against well-known groupings in the same framing and year"
    fig = yardstick_figure(ds, result, scores)
    sentence = (
        "The presets scored in the same framing and year, highest first; this scenario is "
        "marked ✓ (the sentence above the chart says where it sits)."
    )
    alt = lambda: (yardstick_table(ds, result, scores), sentence)  # noqa: E731
    chart(fig, name, heading(ds, result), what, alt)


def gap_chart(ds: Dataset, results: Sequence[Score], base: int, other: int, d, name: str) -> None:
    """Why slot ``other`` differs from slot ``base`` (``d``: their Difference)."""
    import pandas as pd

    b, o = results[base], results[other]
    fig = difference_figure(d, b, o, f"slot {base + 1}", f"slot {other + 1}")
    head = f"{heading(ds, o)} · against · {heading(ds, b)}"
    what = f"Slot {other + 1} against slot {base + 1}: what each component changes, in points"
    table = pd.DataFrame(
        {
            "component": [COMPONENT_LABELS[c] for c in COMPONENTS] + ["Limits of the scale"],
            "points": [round(d.components[c], 1) for c in COMPONENTS] + [round(d.limits, 1)],
        }
    )
    chart(fig, name, head, what, (table, " ".join(d.sentences[:2])), key="cmp_gap")


def slots_chart(
    ds: Dataset, results: Sequence[Score], labels: Sequence[str], year: int, name: str
) -> None:
    """The components of every slot side by side; the legend names each slot's framing and
    score."""
    named = [
        f"{label} · {r.scenario.framing} · "
        + ("no score" if r.cohesion is None else f"{r.cohesion:.1f}")
        for label, r in zip(labels, results, strict=True)
    ]
    head = f"Compare {len(results)} groupings · {year}"
    what = "Each component's value (0–1) in each slot"
    alt = lambda: slots_table(results, labels)  # noqa: E731
    chart(components_by_slot(results, named), name, head, what, alt)


def timeline_chart(ds: Dataset, labels, scenarios, series, name: str) -> None:
    """Cohesion by year of each slot, the legend naming its framing and its last score."""
    end = int(series[0]["year"][-1]) if series and len(series[0]["year"]) else ds.latest_year
    named = []
    for label, s, one in zip(labels, scenarios, series, strict=True):
        last = one["cohesion"][-1] if len(one["cohesion"]) else float("nan")
        score = "no score" if last != last else f"{last:.1f} in {end}"
        named.append(f"{label} · {s.framing} · {score}")
    first = scenarios[0].year if scenarios else ds.latest_year
    head = " · ".join(named) if len(named) == 1 else f"Cohesion of {len(named)} groupings"
    head += f" · {first}–{end}"
    # short enough for one line on a phone: a longer subtitle runs off the image
    what = f"Cohesion by year and 90% band; dots: a move of {VISIBLE_EFFECT:g} point or more"
    fig = timeline_figure(ds, named, series)
    chart(fig, name, head, what, lambda: timeline_table(ds, labels, series))


def finder_chart(found: SearchResult, head: str, name: str) -> None:
    """The finder's results as stacked bars of their components' points."""
    what = "The best groupings, each bar the components' points"
    chart(components_by_result(found), name, head, what, lambda: finder_table(found))


# --------------------------------------------------------------------------- the tables


def _signed(x: float) -> str:
    return f"{x:+.1f}"


def breakdown_table(result: Score) -> tuple[pd.DataFrame, str]:
    """The waterfall's numbers: each component's value, weight and points; a sentence."""
    import pandas as pd

    values, points = result.components.as_dict(), component_points(result)
    weights = result.scenario.weights.normalised().as_dict()
    table = pd.DataFrame(
        {
            "component": [
                COMPONENT_LABELS[c] + (" (subtracted)" if c in SUBTRACTED else "")
                for c in COMPONENTS
            ],
            "value (0–1)": [round(values[c], 2) for c in COMPONENTS],
            "weight": [round(weights[c], 2) for c in COMPONENTS],
            "points": [round(points[c], 1) for c in COMPONENTS],
        }
    )
    ranked = sorted(COMPONENTS, key=lambda c: -abs(points[c]))[:2]
    most = " and ".join(f"{COMPONENT_LABELS[c].lower()} ({_signed(points[c])})" for c in ranked)
    raw = raw_cohesion(result)
    sentence = (
        f"Cohesion {result.cohesion:.1f} of 100 is the sum of the components' points on the "
        f"calibrated scale (the model's raw sum, {raw:.1f}, stretched to the scale specialists "
        f"use; every component alike); the largest are {most}."
    )
    return table, sentence


def contributions_table(ds: Dataset, result: Score) -> tuple[pd.DataFrame, str]:
    """Each member's share of the score and the change if it left; a sentence."""
    import pandas as pd

    ranked = sorted(result.contributions.items(), key=lambda kv: -kv[1]["shapley"])
    table = pd.DataFrame(
        {
            "member": [f"{name(ds, c)} ({c})" for c, _ in ranked],
            "share of the score (points, Shapley)": [round(v["shapley"], 1) for _, v in ranked],
            f"{CHANGE_IF_LEFT} (points)": [round(v["change_if_left"], 1) for _, v in ranked],
        }
    )
    (top, t), (low, b) = ranked[0], ranked[-1]
    sentence = (
        f"{name(ds, top)} adds the most to the score ({_signed(t['shapley'])} points), "
        f"{name(ds, low)} the least ({_signed(b['shapley'])})."
    )
    return table, sentence


def network_table(ds: Dataset, ctx, s: Scenario) -> tuple[pd.DataFrame, str]:
    """The network's lines: every member pair's tie by domain, its framed tie and its
    friction, strongest first; a sentence naming the strongest and weakest pairs."""
    import pandas as pd

    edges = sorted(pair_edges(ctx, s.members), key=lambda e: (-e.framed, e.a, e.b))
    rows = [
        {
            "between": f"{name(ds, e.a)}–{name(ds, e.b)}",
            "tie, framed (0–1)": round(e.framed, 2),
            **{f"{d} tie": round(v, 2) for d, v in e.strengths.items()},
            "weighs most": e.main,
            "friction (0–1)": round(e.friction, 2),
        }
        for e in edges
    ]
    table = pd.DataFrame(rows)
    if not edges:
        return table, "Fewer than two members: no tie to draw."
    strong, weak = edges[0], edges[-1]
    frictions = [e for e in edges if e.friction > 0]
    sentence = (
        f"{len(s.members)} members and {len(edges)} pairs. The strongest tie is "
        f"{name(ds, strong.a)}–{name(ds, strong.b)} ({strong.framed:.2f}, mostly "
        f"{kind_words(strong.main)}), the weakest {name(ds, weak.a)}–{name(ds, weak.b)} "
        f"({weak.framed:.2f}); {len(frictions) or 'no'} pair"
        f"{'' if len(frictions) == 1 else 's'} with friction."
    )
    if s.is_what_if:
        sentence += " The ties and frictions are those of the what-if."
    return table, sentence


def slots_table(results: Sequence[Score], labels: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """The compare page's components: one row per component, one column per slot."""
    import pandas as pd

    table = pd.DataFrame({"component": [COMPONENT_LABELS[c] for c in COMPONENTS]})
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        values = r.components.as_dict() if r.components else {}
        table[f"{i + 1}. {label}"] = [
            round(values[c], 2) if c in values else None for c in COMPONENTS
        ]
    scored = [(i, r) for i, r in enumerate(results) if r.cohesion is not None]
    sentence = "Each component's value from 0 to 1 in each slot. " + "; ".join(
        f"slot {i + 1} scores {r.cohesion:.1f}" for i, r in scored
    )
    return table, sentence + "."


def finder_table(result: SearchResult, weights: Weights | None = None) -> tuple[pd.DataFrame, str]:
    """The finder's bars: each result's members, cohesion and each component's points."""
    import pandas as pd

    rows = []
    for i, f in enumerate(result.results):
        points = weighted_points(f.components, weights or Weights(), f.cohesion)
        row = {"rank": i + 1, "members": ", ".join(f.members), "cohesion": round(f.cohesion, 1)}
        row.update({f"{COMPONENT_LABELS[c]} (points)": round(points[c], 1) for c in COMPONENTS})
        rows.append(row)
    if not rows:
        return pd.DataFrame(rows), "No grouping met the constraints."
    best = result.results[0]
    sentence = (
        f"{len(rows)} groupings, best first; the best, {', '.join(best.members)}, scores "
        f"{best.cohesion:.1f}. Each bar adds the components' points: positive to the right, "
        "friction and sensitivity to the left."
    )
    return pd.DataFrame(rows), sentence


# --------------------------------------------------------------------------- the method page


def scale_figure(points: pd.DataFrame) -> go.Figure:
    """The calibrated scale: each framing's map from raw cohesion to the reported score,
    with every panel rating it was fitted on, in the framing's colour, and the line where
    the two would be equal."""
    fig = go.Figure()
    for i, framing in enumerate(FRAMINGS):
        some = points[points["framing"] == framing]
        fig.add_scatter(
            x=some["raw"],
            y=some["rating"],
            mode="markers",
            name=f"rated, {framing}",
            marker={"color": SLOT_COLOURS[i], "size": 7, "opacity": 0.6},
            customdata=some[["members", "year"]].to_numpy(),
            hovertemplate=(
                "%{customdata[0]}, %{customdata[1]}: raw %{x:.1f}, rated %{y}<extra></extra>"
            ),
        )
        fig.add_scatter(
            x=list(RAW),
            y=list(REPORTED[framing]),
            mode="lines+markers",
            name=f"the scale, {framing}",
            line={"color": SLOT_COLOURS[i], "width": 3, "dash": ("solid", "dash", "dot")[i]},
            marker={"size": 5},
            hovertemplate=f"{framing}: raw %{{x:.0f}} reads as %{{y:.1f}}<extra></extra>",
        )
    fig.add_scatter(
        x=[0, 100],
        y=[0, 100],
        mode="lines",
        name="no change",
        line={"color": MUTED, "dash": "dot", "width": 1},
        hoverinfo="skip",
    )
    fig.update_layout(
        height=420,
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        xaxis={"title": {"text": "raw cohesion (the components' weighted sum)"}, "range": [0, 100]},
        yaxis={"title": {"text": "reported score, and the panels' ratings"}, "range": [0, 100]},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def scale_chart() -> None:
    """The calibrated scale on the method page, with its table: the map, and the panels'
    ratings against the raw cohesion of each grouping (``docs/panel/fit.csv``)."""
    import pandas as pd

    points = pd.read_csv(POINTS)

    def alt() -> tuple[pd.DataFrame, str]:
        table = pd.DataFrame(
            {"raw cohesion": list(RAW)} | {f"reported, {f}": list(REPORTED[f]) for f in FRAMINGS}
        )
        at_50 = ", ".join(
            f"{dict(zip(RAW, REPORTED[f], strict=True))[50.0]:.1f} as {FRAMING_NOUNS[f]}"
            for f in FRAMINGS
        )
        sentence = (
            f"Each framing has its own scale from raw cohesion to the reported score, "
            f"{len(RAW)} knots fitted on that framing's share of {len(points)} blind "
            f"ratings. A raw 50 reads as {at_50}."
        )
        return table, sentence

    what = "Raw cohesion, the score it reads as, and the ratings"
    chart(scale_figure(points), "calibrated-scale", "The calibrated scale", what, alt)
