"""The plotly network: actors placed consistently, members highlighted, ties by domain.

Positions depend only on the dataset, so the page caches them; the figure itself depends
on the members and is cheap to rebuild. Every text that comes from the data is escaped
before it reaches plotly's hover labels, which understand a little HTML.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from model import DOMAIN_WEIGHTS, Dataset
from model.cohesion import Context
from model.schema import DOMAINS
from ui.build_state import LAYOUT_NAMES
from ui.style import DOMAIN_COLOURS, FRICTION_COLOUR, MEMBER_COLOUR, MUTED, OTHER_COLOUR
from ui.text import chart_text

__all__ = ["LAYOUTS", "network_figure", "node_size", "positions"]

LAYOUTS = {"map": "Map-like", "force": "Force (by ties)"}
assert tuple(LAYOUTS) == LAYOUT_NAMES
HOVER_LINES = 8
#: Above this many members each pair gets one line (its framed tie, coloured by the domain
#: that weighs most) and ties under MIN_SHOWN are left out, so fifteen members stay legible.
DETAILED_UP_TO = 6
MIN_SHOWN = 0.15


def _separate(xy: np.ndarray, min_gap: float, rounds: int = 200) -> np.ndarray:
    """Push apart points closer than ``min_gap`` (deterministic, small moves)."""
    xy = xy.copy()
    for _ in range(rounds):
        moved = False
        for i in range(len(xy)):
            for j in range(i + 1, len(xy)):
                d = xy[j] - xy[i]
                dist = float(np.hypot(*d))
                if dist < min_gap:
                    direction = d / dist if dist > 1e-9 else np.array([math.cos(i), math.sin(i)])
                    push = (min_gap - dist) / 2 * direction
                    xy[i] -= push
                    xy[j] += push
                    moved = True
        if not moved:
            break
    return xy


def positions(ds: Dataset, layout: str = "map") -> dict[str, tuple[float, float]]:
    """Node positions in [0, 1]^2. ``map``: Pacific-centred capitals; ``force``: spring."""
    codes = list(ds.codes)
    if layout == "force":
        g = nx.Graph()
        g.add_nodes_from(codes)
        year = ds.latest_year
        for t in ds.ties:
            if t.active(year):
                w = g.get_edge_data(t.a, t.b, {"weight": 0.0})["weight"]
                g.add_edge(t.a, t.b, weight=w + t.strength)
        raw = nx.spring_layout(g, weight="weight", seed=7, iterations=200)
        xy = np.array([raw[c] for c in codes])
    else:
        # Pacific-centred: the Americas sit east of Asia, with the ocean narrowed.
        xy = np.array(
            [[a.lon if a.lon >= -30 else a.lon + 280, a.lat] for a in ds.actors], dtype=float
        )
        xy[:, 0] *= 0.8
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - lo) / np.where(hi - lo > 0, hi - lo, 1)
    xy = _separate(xy, 0.095)
    lo, hi = xy.min(axis=0), xy.max(axis=0)  # pushing apart can leave the unit square
    xy = (xy - lo) / np.where(hi - lo > 0, hi - lo, 1)
    return {c: (float(x), float(y)) for c, (x, y) in zip(codes, xy, strict=True)}


def node_size(actor) -> float:
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
        lines.append(f"{t.kind.replace('_', ' ')} {t.strength:.2f} ({t.since}–{until}) — {src}")
    if len(rows) > HOVER_LINES:
        lines.append(f"… and {len(rows) - HOVER_LINES} more tie(s)")
    for f in frictions:
        src = "; ".join(chart_text(ds.sources[k].publisher) for k in f.sources)
        src = src or "what if (no source)"
        lines.append(
            f"<span style='color:{FRICTION_COLOUR}'>friction: {f.kind.replace('_', ' ')} "
            f"{f.severity:.2f} (since {f.since})</span> — {src}"
        )
    return "<br>".join(lines)


def _edge(x0, y0, x1, y1, offset: float) -> tuple[list[float], list[float]]:
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy) or 1.0
    ox, oy = -dy / norm * offset, dx / norm * offset
    return [x0 + ox, x1 + ox], [y0 + oy, y1 + oy]


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
    alpha = dict(zip(DOMAINS, DOMAIN_WEIGHTS[ctx.framing], strict=True))
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            ia, ib = ds.index(a), ds.index(b)
            (x0, y0), (x1, y1) = pos[a], pos[b]
            strengths = {d: float(ctx.domain_ties[k, ia, ib]) for k, d in enumerate(DOMAINS)}
            if detailed:
                lines = [(d, v, offsets[d]) for d, v in strengths.items() if v > 0]
            else:
                framed = float(ctx.ties[ia, ib])
                main = max(DOMAINS, key=lambda d: alpha[d] * strengths[d])
                lines = [(main, framed, 0.0)] if framed >= MIN_SHOWN else []
            for domain, v, offset in lines:
                _line(
                    fig,
                    _edge(x0, y0, x1, y1, offset),
                    {"color": DOMAIN_COLOURS[domain], "width": 1 + 4 * v},
                    f"{domain} tie" if detailed else f"tie, mostly {domain}",
                    domain,
                    shown,
                    opacity=0.3 + 0.5 * v,
                )
            f = float(ctx.friction[ia, ib])
            if f > 0:
                _line(
                    fig,
                    _edge(x0, y0, x1, y1, 0.022 if detailed else 0.012),
                    {"color": FRICTION_COLOUR, "width": 1.5 + 3 * f, "dash": "dash"},
                    "friction",
                    "friction",
                    shown,
                )
            if lines or f > 0:  # a hover target only where something is drawn
                mids_x.append((x0 + x1) / 2)
                mids_y.append((y0 + y1) / 2)
                mids_text.append(_pair_hover(ctx, a, b))
    if mids_x:
        fig.add_trace(
            go.Scatter(
                x=mids_x,
                y=mids_y,
                mode="markers",
                hovertext=mids_text,
                hoverinfo="text",
                marker={"size": 7, "color": "#6b7280", "opacity": 0.3, "symbol": "diamond"},
                name="tie details (hover)",
                showlegend=False,
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
                customdata=codes,
                textposition="top center",
                textfont={
                    "size": 13 if is_member else 10,
                    "color": "#111827" if is_member else "#8a919c",
                },
                hovertext=[_node_hover(ctx, c, members) for c in codes],
                hoverinfo="text",
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
                name="member" if is_member else "not a member (click to add)",
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
        xaxis={"visible": False, "range": [-0.09, 1.09], "fixedrange": True},
        yaxis={"visible": False, "range": [-0.08, 1.1], "fixedrange": True},
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0},
        hoverlabel={"align": "left"},
    )
    return fig
