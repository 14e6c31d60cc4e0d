"""What-if marks on the build page's network: the hypothetical ties and frictions among the
members, and the record's ties and frictions that the edits removed, drawn over the
network of the record with the edits applied (ui/network.py) in their own styles."""

from __future__ import annotations

import math
from collections.abc import Sequence

from model import Dataset, Scenario, context_of, dataset_for
from model.whatif import ended_rows, is_hypothetical
from model.words import kind_words, pair_words
from ui.network import keep_wraps_inside, network_figure
from ui.plotspec import Figure, trace
from ui.style import HYPOTHETICAL_COLOUR, REMOVED_COLOUR
from ui.text import chart_text, wrap_hover

__all__ = ["MARKS", "mark_what_if", "narrow_hovers", "what_if_network", "what_if_rows"]

#: Each kind of mark: its legend name, line style and offset from the pair's centre line.
MARKS: dict[tuple[str, str], dict] = {
    ("added", "ties"): {
        "name": "hypothetical tie (what if)",
        "line": {"color": HYPOTHETICAL_COLOUR, "width": 3, "dash": "dot"},
        "offset": 0.0,
        "marker": "star",
        "verb": "added",
    },
    ("added", "frictions"): {
        "name": "hypothetical friction (what if)",
        "line": {"color": HYPOTHETICAL_COLOUR, "width": 2.5, "dash": "dashdot"},
        "offset": 0.033,
        "marker": "x",
        "verb": "added",
    },
    ("removed", "ties"): {
        "name": "record tie removed (what if)",
        "line": {"color": REMOVED_COLOUR, "width": 2, "dash": "dot"},
        "offset": -0.03,
        "marker": "circle-x",
        "verb": "removed",
    },
    ("removed", "frictions"): {
        "name": "record friction removed (what if)",
        "line": {"color": REMOVED_COLOUR, "width": 2, "dash": "dashdot"},
        "offset": 0.045,
        "marker": "square-x",
        "verb": "removed",
    },
}


def what_if_rows(
    record: Dataset, changed: Dataset, members: Sequence[str], year: int
) -> dict[tuple[str, str], list]:
    """The ties and frictions among ``members`` in ``year`` that the edits added (in force
    in ``changed``) or removed (in force in ``record``, ended in ``changed``)."""
    inside = set(members)
    ended = ended_rows(record, changed, year) if changed is not record else {}
    out: dict[tuple[str, str], list] = {}
    for table in ("ties", "frictions"):
        out[("added", table)] = [
            r
            for r in getattr(changed, table)
            if is_hypothetical(r) and r.active(year) and r.a in inside and r.b in inside
        ]
        out[("removed", table)] = [
            r for r in ended.get(table, ()) if r.a in inside and r.b in inside
        ]
    return out


def _shifted(p, q, offset: float) -> tuple[list[float], list[float]]:
    (x0, y0), (x1, y1) = p, q
    norm = math.hypot(x1 - x0, y1 - y0) or 1.0
    ox, oy = -(y1 - y0) / norm * offset, (x1 - x0) / norm * offset
    return [x0 + ox, x1 + ox], [y0 + oy, y1 + oy]


def _hover(ds: Dataset, pair: tuple[str, str], rows: list, verb: str) -> str:
    lines = [f"<b>{chart_text(pair_words(ds, *pair))}</b> (what if)"]
    for r in rows:
        value = r.strength if hasattr(r, "strength") else r.severity
        noun = "tie" if hasattr(r, "strength") else "friction"
        lines.append(f"{kind_words(r.kind)} {noun} {value:.2f} {verb}")
    return "<br>".join(lines)


def mark_what_if(
    fig: Figure,
    record: Dataset,
    changed: Dataset,
    members: Sequence[str],
    year: int,
    pos: dict[str, tuple[float, float]],
) -> Figure:
    """Draw the what-if marks on ``fig`` (one legend entry per kind of mark drawn)."""
    for (which, table), rows in what_if_rows(record, changed, members, year).items():
        style = MARKS[(which, table)]
        pairs: dict[tuple[str, str], list] = {}
        for r in rows:
            pairs.setdefault(tuple(sorted((r.a, r.b))), []).append(r)
        hover_x, hover_y, hover_text = [], [], []
        for n, (pair, group) in enumerate(pairs.items()):
            xs, ys = _shifted(pos[pair[0]], pos[pair[1]], style["offset"])
            fig.add_trace(
                trace(
                    "scatter",
                    x=xs,
                    y=ys,
                    mode="lines",
                    line=style["line"],
                    hoverinfo="skip",
                    name=style["name"],
                    legendgroup=style["name"],
                    showlegend=n == 0,
                )
            )
            hover_x.append(xs[0] + 0.5 * (xs[1] - xs[0]))
            hover_y.append(ys[0] + 0.5 * (ys[1] - ys[0]))
            hover_text.append(_hover(record, pair, group, style["verb"]))
        if hover_x:
            # a marker that stays visible however short the line is (two members drawn
            # close together), and holds the hover
            fig.add_trace(
                trace(
                    "scatter",
                    x=hover_x,
                    y=hover_y,
                    mode="markers",
                    marker={
                        "size": 13,
                        "color": style["line"]["color"],
                        "symbol": style["marker"],
                        "line": {"color": "white", "width": 1.5},
                    },
                    hovertext=hover_text,
                    hoverinfo="text",
                    name=style["name"],
                    legendgroup=style["name"],
                    showlegend=False,
                )
            )
    # the actors' markers stay on top, where a click finds them
    nodes = [t for t in fig.data if t.customdata is not None]
    return fig.set_traces([t for t in fig.data if t.customdata is None] + nodes)


def what_if_network(
    ds: Dataset, s: Scenario, pos: dict[str, tuple[float, float]], height: int = 560
) -> Figure:
    """The network of the scenario's members on its own dataset, what-if marked."""
    fig = keep_wraps_inside(network_figure(context_of(ds, s), s.members, pos, height=height))
    if s.what_if:
        mark_what_if(fig, ds, dataset_for(ds, s), s.members, s.year, pos)
    return narrow_hovers(fig)


def narrow_hovers(fig: Figure) -> Figure:
    """Every hover label's lines broken at spaces, so that the label fits inside the chart
    beside a node near its edge (a long source title made it wider than the room left)."""
    for t in fig.data:
        text = t.hovertext
        if isinstance(text, str):
            t["hovertext"] = wrap_hover(text)
        elif text is not None:
            t["hovertext"] = [wrap_hover(x) if isinstance(x, str) else x for x in text]
    fig.update_layout(hoverlabel={"align": "left", "font": {"size": 12}})
    return fig
