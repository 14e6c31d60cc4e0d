"""The plotly network: actors placed consistently, members highlighted, ties by domain.

Positions depend only on the dataset, so the page caches them; the figure itself depends
on the members and is cheap to rebuild. Every text that comes from the data is escaped
before it reaches plotly's hover labels, which understand a little HTML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from model import DOMAIN_WEIGHTS, Dataset
from model.cohesion import Context
from model.schema import DOMAINS
from model.words import kind_words
from ui.build_state import LAYOUT_NAMES
from ui.style import DOMAIN_COLOURS, FRICTION_COLOUR, MEMBER_COLOUR, MUTED, OTHER_COLOUR
from ui.text import chart_text

__all__ = [
    "LAYOUTS",
    "SMALL",
    "TARGET_PX",
    "PairEdge",
    "keep_wraps_inside",
    "label_spots",
    "network_figure",
    "node_size",
    "pair_edges",
    "positions",
    "wrap_period",
]

LAYOUTS = {"map": "Map-like", "force": "Force (by ties)"}
assert tuple(LAYOUTS) == LAYOUT_NAMES
HOVER_LINES = 8
#: Above this many members each pair gets one line (its framed tie, coloured by the domain
#: that weighs most) and ties under MIN_SHOWN are left out, so fifteen members stay legible.
DETAILED_UP_TO = 6
MIN_SHOWN = 0.15


#: Pixels per unit of the plot's x and y at the build page's size on a 1400-pixel screen
#: (x spans about 640 px, y 560), for gaps and labels measured on screen.
PX = np.array([540.0, 475.0])
#: The compare page's small networks against the build page's (their size on screen).
SMALL = 0.7
#: Every node is a click (and tap) target at least this many pixels across.
TARGET_PX = 26
#: Pacific-centred map: the Americas are shifted east by this many degrees (not 360: the
#: Pacific is narrowed), and longitudes are scaled by LON_SCALE.
AMERICAS_SHIFT, LON_SCALE = 280.0, 0.8


def _separate(
    xy: np.ndarray, gaps: np.ndarray, weight: np.ndarray, rounds: int = 300, px=PX
) -> np.ndarray:
    """Push apart nodes closer on screen than ``gaps[i, j]`` pixels (deterministic, small
    moves; the lighter node moves more). ``px``: pixels per unit of x and y."""
    xy = xy.copy()
    n = len(xy)
    for _ in range(rounds):
        moved = False
        for i in range(n):
            for j in range(i + 1, n):
                d = (xy[j] - xy[i]) * px
                dist = float(np.hypot(*d))
                if dist < gaps[i, j]:
                    direction = d / dist if dist > 1e-9 else np.array([math.cos(i), math.sin(i)])
                    push = (gaps[i, j] - dist) * direction / px
                    share = weight[j] / (weight[i] + weight[j])
                    xy[i] -= push * share
                    xy[j] += push * (1 - share)
                    moved = True
        if not moved:
            break
    return xy


def _map_x(lon: float) -> float:
    return (lon if lon >= -30 else lon + AMERICAS_SHIFT) * LON_SCALE


def _force_xy(ds: Dataset, codes: list[str]) -> np.ndarray:
    g = nx.Graph()
    g.add_nodes_from(codes)
    year = ds.latest_year
    for t in ds.ties:
        if t.active(year):
            w = g.get_edge_data(t.a, t.b, {"weight": 0.0})["weight"]
            g.add_edge(t.a, t.b, weight=w + t.strength)
    # a longer ideal distance than networkx's default (1/sqrt(n)) spreads the densely tied
    # members out of the centre
    k = 2.2 / math.sqrt(max(len(codes), 1))
    raw = nx.spring_layout(g, weight="weight", seed=7, iterations=300, k=k)
    xy = np.array([raw[c] for c in codes])
    # Spread the dense centre: blend each coordinate with its rank (its share of the nodes
    # to its left, or below), which keeps the order of the nodes but evens out the gaps.
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    spread = (xy - lo) / np.where(hi - lo > 0, hi - lo, 1)
    ranks = xy.argsort(axis=0).argsort(axis=0) / max(len(codes) - 1, 1)
    return 0.35 * spread + 0.65 * ranks


def positions(
    ds: Dataset, layout: str = "map", scale: float = 1.0
) -> dict[str, tuple[float, float]]:
    """Node positions in [0, 1]^2. ``map``: Pacific-centred capitals; ``force``: spring.

    Nodes are then pushed apart until no two overlap on screen with room for a label,
    the smaller node moving more (so Canada's node moves off the United States', not the
    other way round). ``scale`` is the chart's size against the build page's (the compare
    page's small networks: about 0.65).
    """
    codes = list(ds.codes)
    if layout == "force":
        xy = _force_xy(ds, codes)
    else:
        xy = np.array([[_map_x(a.lon), a.lat] for a in ds.actors], dtype=float)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - lo) / np.where(hi - lo > 0, hi - lo, 1)
    size = np.array([max(node_size(a), TARGET_PX) for a in ds.actors])
    gaps = 22 + (size[:, None] + size[None, :]) / 2  # radii plus a label's height
    xy = _separate(xy, gaps, size**2, px=PX * scale)
    lo, hi = xy.min(axis=0), xy.max(axis=0)  # pushing apart can leave the unit square
    xy = (xy - lo) / np.where(hi - lo > 0, hi - lo, 1)
    return {c: (float(x), float(y)) for c, (x, y) in zip(codes, xy, strict=True)}


def wrap_period(ds: Dataset, pos: dict[str, tuple[float, float]]) -> float | None:
    """The width of the whole globe in the map layout's x units (None when ``pos`` is not
    a map): an edge that crosses the Atlantic leaves the map on one side and comes back on
    the other, as on a Pacific-centred world map, instead of cutting across Asia."""
    xs = {a.code: _map_x(a.lon) for a in ds.actors}
    lo, hi = min(xs.values()), max(xs.values())
    if hi - lo <= 0:
        return None
    # positions are the raw x normalised (then nudged apart): check that this is a map
    guess = {c: (x - lo) / (hi - lo) for c, x in xs.items()}
    if any(abs(guess[c] - pos[c][0]) > 0.2 for c in pos):
        return None
    return 360.0 * LON_SCALE / (hi - lo)


def _crosses_atlantic(ds: Dataset, a: str, b: str) -> bool:
    """The shorter way between the two runs east from the Americas (across the Atlantic)."""
    la, lb = ds.actor(a).lon, ds.actor(b).lon
    west, east = (la, lb) if la < -30 else (lb, la)
    if not (west < -30 <= east):
        return False
    return (east - west) % 360 < 180


def node_size(actor) -> float:
    """A node's drawn diameter in pixels: by defence spending (organisations alike)."""
    if actor.kind == "organization" or actor.defence_usd_bn is None:
        return 16.0
    return float(np.clip(9 + 2.2 * math.sqrt(actor.defence_usd_bn), 10, 46))


def _node_hover(ctx: Context, code: str, members: tuple[str, ...]) -> str:
    ds = ctx.dataset
    member = code in members
    a = ds.actor(code)
    lines = [f"<b>{chart_text(a.name)}</b> ({code}) · {chart_text(a.region)}"]
    if a.gdp_usd_bn is not None:
        lines.append(f"GDP ${a.gdp_usd_bn:,.0f}bn")
    if a.defence_usd_bn is not None:
        lines.append(f"defence ${a.defence_usd_bn:,.1f}bn")
    i = ds.index(code)
    ties = sorted(
        ((float(ctx.ties[i, ds.index(m)]), m) for m in members if m != code), reverse=True
    )
    if ties:
        lines.append(
            "framed ties with members: "
            + ", ".join(f"{m} {v:.2f}" for v, m in ties[:6])
            + (" …" if len(ties) > 6 else "")
        )
    lines.append("member: click to remove" if member else "click to add")
    return "<br>".join(lines)


def _pair_hover(ctx: Context, a: str, b: str) -> str:
    ds = ctx.dataset
    rows = sorted(
        (t for t in ds.ties if t.active(ctx.year) and {t.a, t.b} == {a, b}),
        key=lambda t: -t.strength,
    )
    frictions = [f for f in ds.frictions if f.active(ctx.year) and {f.a, f.b} == {a, b}]
    ia, ib = ds.index(a), ds.index(b)
    head = " · ".join(
        f"{d} {ctx.domain_ties[k, ia, ib]:.2f}"
        for k, d in enumerate(DOMAINS)
        if ctx.domain_ties[k, ia, ib] > 0
    )
    lines = [f"<b>{a}–{b}</b>  {head}"]
    for t in rows[:HOVER_LINES]:
        until = t.until if t.until is not None else ""
        src = "; ".join(
            chart_text(ds.sources[k].publisher) + f" {ds.sources[k].year}" for k in t.sources
        )
        src = src or "what if (no source)"  # a hypothetical tie of a what-if edit
        lines.append(f"{kind_words(t.kind)} {t.strength:.2f} ({t.since}–{until}) — {src}")
    if len(rows) > HOVER_LINES:
        lines.append(f"… and {len(rows) - HOVER_LINES} more tie(s)")
    for f in frictions:
        src = "; ".join(chart_text(ds.sources[k].publisher) for k in f.sources)
        src = src or "what if (no source)"
        lines.append(
            f"<span style='color:{FRICTION_COLOUR}'>friction: {kind_words(f.kind)} "
            f"{f.severity:.2f} (since {f.since})</span> — {src}"
        )
    return "<br>".join(lines)


def _edge(x0, y0, x1, y1, offset: float) -> tuple[list[float], list[float]]:
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy) or 1.0
    ox, oy = -dy / norm * offset, dx / norm * offset
    return [x0 + ox, x1 + ox], [y0 + oy, y1 + oy]


#: The plot's x range: a wrapped edge leaves and re-enters at these edges.
X_RANGE = (-0.09, 1.09)


class _Path:
    """Where an edge between two nodes is drawn: straight, or (on the map, across the
    Atlantic) off one side of the map and back in from the other."""

    def __init__(self, ds: Dataset, pos, a: str, b: str, period: float | None):
        (self.x0, self.y0), (self.x1, self.y1) = pos[a], pos[b]
        self.period = period if period and _crosses_atlantic(ds, a, b) else None
        if self.period and self.x0 < self.x1:  # the American end first (on the right)
            self.x0, self.y0, self.x1, self.y1 = self.x1, self.y1, self.x0, self.y0

    def line(self, offset: float) -> tuple[list, list]:
        if not self.period:
            return _edge(self.x0, self.y0, self.x1, self.y1, offset)
        # the far end shifted by a globe's width to the right, and the near end to the left
        (ax, bx), (ay, by) = _edge(self.x0, self.y0, self.x1 + self.period, self.y1, offset)
        right, left = X_RANGE[1], X_RANGE[0]
        t_out = (right - ax) / (bx - ax)
        t_in = (left - (ax - self.period)) / (bx - ax)
        y_out, y_in = ay + t_out * (by - ay), ay + t_in * (by - ay)
        return [ax, right, None, left, bx - self.period], [ay, y_out, None, y_in, by]

    def middle(self) -> tuple[float, float]:
        """Where the edge's hover target sits: its middle, or that of its longer part."""
        if not self.period:
            return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        xs, ys = self.line(0.0)
        if xs[1] - xs[0] >= xs[4] - xs[3]:
            return (xs[0] + xs[1]) / 2, (ys[0] + ys[1]) / 2
        return (xs[3] + xs[4]) / 2, (ys[3] + ys[4]) / 2


LABEL_SPOTS = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)


def _label_box(spot: str, x: float, y: float, r: float, width: float, h: float = 16.0):
    """The screen box (x0, y0, x1, y1, in pixels, y up) of a label at ``spot``."""
    vert, horiz = spot.split()
    cx = {"center": x - width / 2, "right": x + r + 2, "left": x - r - 2 - width}[horiz]
    if vert == "middle":
        cy = y - h / 2
    else:
        lift = r + 2 if horiz == "center" else r * 0.6
        cy = y + lift if vert == "top" else y - lift - h
    return cx, cy, cx + width, cy + h


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def label_spots(ds: Dataset, codes, pos, font: float = 13.0, scale: float = 1.0) -> list[str]:
    """Where to put each code's label so that labels overlap each other and the nodes as
    little as possible (largest nodes placed first; ties go to the first spot listed)."""
    px = {c: (pos[c][0] * PX[0] * scale, pos[c][1] * PX[1] * scale) for c in codes}
    radius = {c: node_size(ds.actor(c)) / 2 for c in codes}
    nodes = [
        (x - radius[c], y - radius[c], x + radius[c], y + radius[c]) for c, (x, y) in px.items()
    ]
    placed: list[tuple] = []
    spots: dict[str, str] = {}
    for c in sorted(codes, key=lambda c: (-radius[c], c)):
        x, y = px[c]
        width = 0.62 * font * len(c) + 2
        best = min(
            LABEL_SPOTS,
            key=lambda spot: sum(
                _overlap(_label_box(spot, x, y, radius[c], width, font + 3), other)
                for other in (*placed, *nodes)
            ),
        )
        spots[c] = best
        placed.append(_label_box(best, x, y, radius[c], width, font + 3))
    return [spots[c] for c in codes]


def _line(fig, xy, line: dict, name: str, group: str, shown: set[str], **style) -> None:
    """One edge of the network; its legend entry only the first time its group is drawn."""
    xs, ys = xy
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            hoverinfo="skip",
            line=line,
            name=name,
            legendgroup=group,
            showlegend=group not in shown,
            **style,
        )
    )
    shown.add(group)


@dataclass(frozen=True)
class PairEdge:
    """What the network draws between two members, for both renderers (plotly here, SVG in
    the brief): the framed tie, the tie in each domain, the domain that weighs most under
    the framing, and the framed friction."""

    a: str
    b: str
    framed: float
    strengths: dict[str, float]
    main: str
    friction: float


def pair_edges(ctx: Context, members: Sequence[str]) -> list[PairEdge]:
    """Every member pair with its tie and friction, in member order."""
    ds = ctx.dataset
    alpha = dict(zip(DOMAINS, DOMAIN_WEIGHTS[ctx.framing], strict=True))
    edges = []
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            ia, ib = ds.index(a), ds.index(b)
            strengths = {d: float(ctx.domain_ties[k, ia, ib]) for k, d in enumerate(DOMAINS)}
            main = max(DOMAINS, key=lambda d: alpha[d] * strengths[d])
            edges.append(
                PairEdge(
                    a, b, float(ctx.ties[ia, ib]), strengths, main, float(ctx.friction[ia, ib])
                )
            )
    return edges


def network_figure(
    ctx: Context,
    members: tuple[str, ...],
    pos: dict[str, tuple[float, float]],
    height: int = 560,
) -> go.Figure:
    """Members highlighted and labelled; ties among them by domain; frictions dashed red."""
    ds = ctx.dataset
    fig = go.Figure()
    member_set = set(members)
    shown = set()
    offsets = {"security": 0.0, "economic": 0.011, "political": -0.011}
    mids_x, mids_y, mids_text = [], [], []
    detailed = len(members) <= DETAILED_UP_TO
    period = wrap_period(ds, pos)
    for edge in pair_edges(ctx, members):
        a, b = edge.a, edge.b
        path = _Path(ds, pos, a, b, period)
        if detailed:
            lines = [(d, v, offsets[d]) for d, v in edge.strengths.items() if v > 0]
        else:
            lines = [(edge.main, edge.framed, 0.0)] if edge.framed >= MIN_SHOWN else []
        for domain, v, offset in lines:
            _line(
                fig,
                path.line(offset),
                {"color": DOMAIN_COLOURS[domain], "width": 1 + 4 * v},
                f"{domain} tie" if detailed else f"tie, mostly {domain}",
                domain,
                shown,
                opacity=0.3 + 0.5 * v,
            )
        f = edge.friction
        if f > 0:
            _line(
                fig,
                path.line(0.022 if detailed else 0.012),
                {"color": FRICTION_COLOUR, "width": 1.5 + 3 * f, "dash": "dash"},
                "friction",
                "friction",
                shown,
            )
        if lines or f > 0:  # a hover target only where something is drawn
            mx, my = path.middle()
            mids_x.append(mx)
            mids_y.append(my)
            mids_text.append(_pair_hover(ctx, a, b))
    if mids_x:
        fig.add_trace(
            go.Scatter(
                x=mids_x,
                y=mids_y,
                mode="markers",
                hovertext=mids_text,
                hoverinfo="text",
                marker={
                    "size": 10 if detailed else 8,
                    "color": "#6b7280",
                    "opacity": 0.45 if detailed else 0.3,
                    "symbol": "diamond",
                },
                name="tie details: hover the diamond in a line's middle",
                showlegend=True,
            )
        )
    for is_member in (False, True):
        codes = [c for c in ds.codes if (c in member_set) == is_member]
        if not codes:
            continue
        actors = [ds.actor(c) for c in codes]
        fig.add_trace(
            go.Scatter(
                x=[pos[c][0] for c in codes],
                y=[pos[c][1] for c in codes],
                mode="markers+text",
                text=codes,
                textposition=(
                    label_spots(ds, codes, pos, scale=height / 560) if is_member else "top center"
                ),
                textfont={
                    "size": 13 if is_member else 10,
                    "color": "#111827" if is_member else "#8a919c",
                },
                hoverinfo="skip",
                marker={
                    "size": [node_size(a) for a in actors],
                    "color": MEMBER_COLOUR if is_member else OTHER_COLOUR,
                    "opacity": 1.0 if is_member else 0.55,
                    "symbol": ["diamond" if a.kind == "organization" else "circle" for a in actors],
                    "line": {
                        "width": 1.5 if is_member else 0.5,
                        "color": "#7a5200" if is_member else MUTED,
                    },
                },
                name="member" if is_member else "not a member (click or tap to add)",
            )
        )
    # The click and tap targets: every node at least TARGET_PX across, drawn transparent
    # on top, holding the hover text and the code a click selects.
    codes = list(ds.codes)
    fig.add_trace(
        go.Scatter(
            x=[pos[c][0] for c in codes],
            y=[pos[c][1] for c in codes],
            mode="markers",
            customdata=codes,
            hovertext=[_node_hover(ctx, c, members) for c in codes],
            hoverinfo="text",
            marker={
                "size": [max(node_size(ds.actor(c)), TARGET_PX) for c in codes],
                "color": "rgba(0,0,0,0)",
            },
            showlegend=False,
            name="click or tap a node",
        )
    )
    if not detailed:
        fig.add_annotation(
            text=f"one line per pair (its framed tie); ties under {MIN_SHOWN:.2f} not drawn",
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"size": 11, "color": "#6b7280"},
        )
    fig.update_layout(
        height=height,
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        plot_bgcolor="#fbfbfd",
        xaxis={"visible": False, "range": list(X_RANGE), "fixedrange": True},
        yaxis={"visible": False, "range": [-0.08, 1.1], "fixedrange": True},
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0},
        hoverlabel={"align": "left"},
    )
    return fig


# --------------------------------------------------------------------------- kept inside
# (issue #23) Drawn after the figure is built, apart from the layout and positions above.

#: How far inside the frame a wrapped edge stops, in x units, with an arrowhead there.
WRAP_INSET = 0.025


def keep_wraps_inside(fig: go.Figure) -> go.Figure:
    """Stop each edge that wraps around the map (across the Atlantic) a little inside the
    frame instead of at its very edge, where it was cut, and mark each stop with a small
    arrowhead saying that the line goes on from the other side."""
    left, right = X_RANGE
    ends_x, ends_y, ends_symbol = [], [], []
    for trace in fig.data:
        xs = list(trace.x or ())
        if trace.mode != "lines" or len(xs) != 5 or xs[2] is not None:
            continue
        if not (xs[1] == right and xs[3] == left):
            continue
        ys = list(trace.y)
        # the same line, each part shortened along itself to the inset
        for edge, inner, inset in ((1, 0, right - WRAP_INSET), (3, 4, left + WRAP_INSET)):
            t = (inset - xs[inner]) / ((xs[edge] - xs[inner]) or 1.0)
            ys[edge] = ys[inner] + t * (ys[edge] - ys[inner])
            xs[edge] = inset
            ends_x.append(inset)
            ends_y.append(ys[edge])
            ends_symbol.append("triangle-right" if edge == 1 else "triangle-left")
        trace.x, trace.y = xs, ys
    if ends_x:
        fig.add_trace(
            go.Scatter(
                x=ends_x,
                y=ends_y,
                mode="markers",
                marker={"symbol": ends_symbol, "size": 9, "color": MUTED},
                hoverinfo="skip",
                showlegend=False,
                name="the line goes on from the other side of the map",
            )
        )
    return fig
