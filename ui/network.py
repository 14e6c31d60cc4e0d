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

from model import DOMAIN_WEIGHTS, Dataset
from model.cohesion import Context
from model.memo import memoise
from model.schema import DOMAINS
from model.words import kind_words
from ui.build_state import LAYOUT_NAMES
from ui.plotspec import Figure, trace
from ui.style import DOMAIN_COLOURS, FRICTION_COLOUR, MEMBER_COLOUR, MUTED, OTHER_COLOUR
from ui.text import chart_text

__all__ = [
    "LAYOUTS",
    "PHONE_PX",
    "PX",
    "SCREENS",
    "SMALL",
    "TARGET_PX",
    "PairEdge",
    "keep_wraps_inside",
    "label_box",
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


#: Pixels per unit of the plot's x and y on the two screens the figure must fit: the build
#: page on a 1400-pixel desktop with the sidebar open (the chart about 550 px wide, its plot
#: 560 px high less the legend), and a 390-pixel phone (the chart 358 px wide). Node sizes
#: are in pixels, so the phone is where nodes crowd: positions keep drawn nodes apart there,
#: and click targets and labels apart on the desktop.
PX = np.array([460.0, 400.0])
PHONE_PX = np.array([297.0, 385.0])
SCREENS = (PX, PHONE_PX)
#: The compare page's small networks against the build page's (their size on screen).
SMALL = 0.7
#: Every node is a click (and tap) target at least this many pixels across.
TARGET_PX = 26
#: Room left between two drawn nodes on the phone, and between two click targets on the
#: desktop (where a label can sit), in pixels.
PHONE_GAP, DESKTOP_GAP = 8.0, 10.0
#: Pacific-centred map: the Americas are shifted east by this many degrees (not 360: the
#: Pacific is narrowed), and longitudes are scaled by LON_SCALE.
AMERICAS_SHIFT, LON_SCALE = 280.0, 0.8


def _separate(
    xy: np.ndarray,
    gaps: Sequence[tuple[np.ndarray, np.ndarray]],
    weight: np.ndarray,
    rounds: int = 2000,
) -> np.ndarray:
    """Push apart nodes closer on screen than they may be, inside the unit square.

    ``gaps`` holds (pixels per unit of x and y, the least distance in pixels between the
    centres of each pair) for each screen the figure must fit. Every round moves each pair
    that is too close apart along the line between them, the lighter node more, all pairs
    at once (numpy); deterministic. Stops when no pair is closer than it may be by more
    than a tenth of a pixel.
    """
    xy = xy.copy()
    n = len(xy)
    share = weight[None, :] / (weight[:, None] + weight[None, :])  # i's share of pair i, j
    # coincident nodes (the EU and NATO in Brussels) part in a fixed direction each
    angle = np.arange(n)[:, None] - np.arange(n)[None, :]
    tie_break = np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    off_diagonal = ~np.eye(n, dtype=bool)
    for _ in range(rounds):
        worst = 0.0
        for px, gap in gaps:
            d = (xy[None, :, :] - xy[:, None, :]) * px  # (i, j): from i to j, in pixels
            dist = np.hypot(d[..., 0], d[..., 1])
            short = np.where(off_diagonal, gap - dist, 0.0)
            if short.max() <= 0.1:
                continue
            worst = max(worst, float(short.max()))
            direction = np.where(
                (dist > 1e-9)[..., None], d / np.maximum(dist, 1e-9)[..., None], tie_break
            )
            push = np.maximum(short, 0.0)[..., None] * direction / px  # data units
            # 0.6 of the way each round: all pairs move at once, so full steps overshoot
            xy -= 0.6 * (push * share[..., None]).sum(axis=1)
            np.clip(xy, 0.0, 1.0, out=xy)
        if worst <= 0.1:
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

    Nodes are then pushed apart, inside the unit square, until no two drawn nodes overlap
    on a phone and no two click targets overlap on a desktop, with room between them; the
    smaller node moves more (so Canada's node moves off the United States', not the other
    way round). ``scale`` is the chart's size against the build page's (the compare page's
    small networks: 0.7).
    """
    codes = list(ds.codes)
    if layout == "force":
        xy = _force_xy(ds, codes)
    else:
        xy = np.array([[_map_x(a.lon), a.lat] for a in ds.actors], dtype=float)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - lo) / np.where(hi - lo > 0, hi - lo, 1)
    drawn = np.array([node_size(a) for a in ds.actors])
    target = np.maximum(drawn, TARGET_PX)
    gaps = [
        (PHONE_PX * scale, PHONE_GAP + (drawn[:, None] + drawn[None, :]) / 2),
        (PX * scale, DESKTOP_GAP + (target[:, None] + target[None, :]) / 2),
    ]
    xy = _separate(xy, gaps, drawn**2)
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
    return min(max(9 + 2.2 * math.sqrt(actor.defence_usd_bn), 10.0), 46.0)


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


def _rows_by_pair(ctx: Context, members: Sequence[str]) -> dict[frozenset, tuple[tuple, tuple]]:
    """The ties and frictions in force between each pair of members."""
    out = {}
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            ties, frictions = ctx.ties_between(a, b), ctx.frictions_between(a, b)
            if ties or frictions:
                out[frozenset((a, b))] = (ties, frictions)
    return out


def _pair_hover(ctx: Context, a: str, b: str, by_pair) -> str:
    ds = ctx.dataset
    ties, frictions = by_pair.get(frozenset((a, b)), ([], []))
    rows = sorted(ties, key=lambda t: -t.strength)
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


#: The plot's x range (a wrapped edge leaves and re-enters at these edges) and y range.
X_RANGE = (-0.09, 1.09)
Y_RANGE = (-0.08, 1.1)


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
    """The screen box (x0, y0, x1, y1, in pixels, y up) of a label at ``spot``.

    The arguments may be numpy arrays of equal length: then (n, 4)."""
    vert, horiz = spot.split()
    cx = {"center": x - width / 2, "right": x + r + 2, "left": x - r - 2 - width}[horiz]
    if vert == "middle":
        cy = y - h / 2
    else:
        lift = r + 2 if horiz == "center" else r * 0.6
        cy = y + lift if vert == "top" else y - lift - h
    if isinstance(cx, np.ndarray):
        return np.stack([cx, cy, cx + width, cy + h], axis=-1)
    return cx, cy, cx + width, cy + h


def _overlaps_each(b: np.ndarray, o: np.ndarray) -> np.ndarray:
    """The area boxes ``b`` and ``o`` (..., 4, broadcast against each other) share, in
    square pixels."""
    w = np.minimum(b[..., 2], o[..., 2]) - np.maximum(b[..., 0], o[..., 0])
    h = np.minimum(b[..., 3], o[..., 3]) - np.maximum(b[..., 1], o[..., 1])
    return np.where((w > 0) & (h > 0), w * h, 0.0)


def _overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """(a, m): the area each of ``boxes`` (a, 4) shares with each of ``others`` (m, 4), in
    square pixels."""
    return _overlaps_each(boxes[:, None, :], others[None, :, :])


#: Label fonts (pixels): members' labels, and the others' where there is room.
MEMBER_FONT, OTHER_FONT = 13.0, 10.0


def label_width(code: str, font: float) -> float:
    """The width in pixels of a code's label (upper-case letters, about 0.62 em each)."""
    return 0.62 * font * len(code) + 2


def frame_box(px: np.ndarray) -> tuple[float, float, float, float]:
    """The plot's visible area in pixels (x0, y0, x1, y1) at ``px`` pixels per unit."""
    return X_RANGE[0] * px[0], Y_RANGE[0] * px[1], X_RANGE[1] * px[0], Y_RANGE[1] * px[1]


def label_box(ds: Dataset, code: str, spot: str, pos, px: np.ndarray, font: float):
    """The screen box (x0, y0, x1, y1, pixels, y up) of ``code``'s label at ``spot``."""
    x, y = pos[code][0] * px[0], pos[code][1] * px[1]
    r = node_size(ds.actor(code)) / 2
    return _label_box(spot, x, y, r, label_width(code, font), font + 3)


@memoise(16)
def _candidate_spots(ds: Dataset, placed: tuple, scale: float):
    """Every actor's candidate label boxes, per screen, and what each spot costs on its
    own: in the members' font, then in the others' (boxes per screen, each (codes, spots,
    4)), then each spot's cost for a member (codes, spots), then for another actor.

    A spot's own cost is the area outside the frame (heavily) and over other nodes, on
    every screen; another actor's label may lie over a node on the phone, so only the
    desktop's nodes count for it. The same for every grouping on these positions
    (``placed``: each actor's, in the dataset's order), so it is kept."""
    screens = [px * scale for px in SCREENS]
    radius = np.array([node_size(a) / 2 for a in ds.actors])
    n = len(ds.codes)
    boxes, costs = [], []
    for font, phone_nodes in ((MEMBER_FONT, True), (OTHER_FONT, False)):
        width = np.array([label_width(c, font) for c in ds.codes])
        per_screen, cost = [], np.zeros((n, len(LABEL_SPOTS)))
        for k, px in enumerate(screens):
            xy = np.array(placed) * px
            nodes = np.concatenate([xy - radius[:, None], xy + radius[:, None]], axis=1)
            b = np.stack(  # (codes, spots, 4)
                [_label_box(s, xy[:, 0], xy[:, 1], radius, width, font + 3) for s in LABEL_SPOTS],
                axis=1,
            )
            flat = b.reshape(-1, 4)
            area = (flat[:, 2] - flat[:, 0]) * (flat[:, 3] - flat[:, 1])
            outside = area - _overlaps(flat, np.array([frame_box(px)]))[:, 0]
            over = _overlaps(flat, nodes).reshape(n, len(LABEL_SPOTS), n)
            over[np.arange(n), :, np.arange(n)] = 0.0  # not its own node
            nodes_cost = over.sum(axis=2) if k == 0 or phone_nodes else 0.0
            cost += 100 * outside.reshape(n, -1) + nodes_cost
            b.setflags(write=False)
            per_screen.append(b)
        cost.setflags(write=False)
        boxes.append(per_screen)
        costs.append(cost)
    return (*boxes, *costs)


def label_spots(ds: Dataset, members: Sequence[str], pos, scale: float = 1.0) -> dict[str, str]:
    """Where each labelled node's label goes (a plotly text position), on every screen
    the figure must fit (desktop and phone, :data:`SCREENS`).

    Members are all labelled: first each at the spot that overlaps the labels placed so
    far, the nodes and the edge of the plot least (the largest nodes first), then each
    moved again, while that helps, to the spot that overlaps the others' labels least, and
    two labels that still overlap moved together to the best pair of spots; if some still
    overlap, the same from other orders of the members, keeping the best.
    Every other actor is labelled, in a smaller font, only where a spot is clear of every
    label and edge on every screen and of the nodes on the desktop (on a phone it may lie
    over a node); those without room show their names on hover.
    """
    codes = list(ds.codes)
    member_set = set(members)
    radius = np.array([node_size(a) / 2 for a in ds.actors])
    # each code's candidate boxes per screen (codes, spots, 4) and what each spot costs on
    # its own, in the members' font and in the others'
    spots = _candidate_spots(ds, tuple(pos[c] for c in codes), scale)
    is_member = np.array([c in member_set for c in codes])
    per_screen = [np.where(is_member[:, None, None], m, o) for m, o in zip(*spots[:2], strict=True)]
    costs = np.where(is_member[:, None], spots[2], spots[3])
    alone = {c: costs[i] for i, c in enumerate(codes)}
    chosen: dict[str, int] = {}
    # what two members' labels cost each other, spot by spot: per screen, and the sum over
    # the screens (members, members, spots, spots)
    at = {c: i for i, c in enumerate(members)}
    mine = [b[[ds.index(c) for c in members]] for b in per_screen]
    clash_on = [_overlaps_each(m[:, None, :, None, :], m[None, :, None, :, :]) for m in mine]
    clash = 10 * sum(clash_on)

    def cost(c: str, without: str = "") -> np.ndarray:
        total = alone[c].copy()
        others = [o for o in chosen if o not in (c, without)]
        if others:
            total += clash[at[c], [at[o] for o in others], :, [chosen[o] for o in others]].sum(0)
        return total

    def overlapping(order: list[str]) -> list[tuple[str, str]]:
        """The pairs of members whose chosen labels overlap on some screen."""
        if len(order) < 2:
            return []
        who = np.array([at[c] for c in order])
        spot = np.array([chosen[c] for c in order])
        hit = np.zeros((len(order), len(order)), dtype=bool)
        for on in clash_on:
            hit |= on[who[:, None], who[None, :], spot[:, None], spot[None, :]] > 0.01
        return [(order[i], order[j]) for i, j in zip(*np.nonzero(np.triu(hit, 1)), strict=True)]

    def place(order: list[str]) -> int:
        """Members' labels in this order, then moved while that helps; how many pairs of
        them still overlap."""
        chosen.clear()
        for c in order:
            chosen[c] = int(cost(c).argmin())
        for _ in range(8):  # move members' labels while that lowers the overlap
            moved = False
            for c in order:
                costs = cost(c)
                best = int(costs.argmin())
                if costs[best] < costs[chosen[c]] - 1e-9:
                    chosen[c], moved = best, True
            if not moved:
                break
        for _ in range(4):  # then two overlapping labels at once, over every pair of spots
            moved = False
            for a, b in overlapping(order):
                joint = cost(a, b)[:, None] + cost(b, a)[None, :] + clash[at[a], at[b]]
                sa, sb = np.unravel_index(int(joint.argmin()), joint.shape)
                if joint[sa, sb] < joint[chosen[a], chosen[b]] - 1e-9:
                    chosen[a], chosen[b], moved = int(sa), int(sb), True
            if not moved:
                break
        return len(overlapping(order))

    # the largest first; if labels still overlap, other orders (west to east, north to
    # south, and back), keeping the best
    xy = {c: pos[c] for c in members}
    orders = [
        sorted(members, key=lambda c: (-radius[ds.index(c)], c)),
        sorted(members, key=lambda c: (xy[c][0], c)),
        sorted(members, key=lambda c: (-xy[c][1], c)),
        sorted(members, key=lambda c: (-xy[c][0], c)),
        sorted(members, key=lambda c: (xy[c][1], c)),
    ]
    best_order, fewest = orders[0], np.inf
    for order in orders:
        left = place(order)
        if left < fewest:
            best_order, fewest = order, left
        if left == 0:
            break
    if best_order is not order:
        place(best_order)
    _label_others(per_screen, codes, member_set, alone, chosen, radius)
    return {c: LABEL_SPOTS[i] for c, i in chosen.items()}


def _label_others(per_screen, codes, member_set, alone, chosen, radius) -> None:
    """Add to ``chosen`` a spot for each non-member whose label has one clear of every
    label placed so far (the members' first, then the others' from the largest node), of
    the plot's edge and of the nodes (``alone`` already counts those two).

    The same choices as trying every actor against every label placed before it, faster:
    the members' labels are weighed for all the others at once, and a label placed later
    only for the actors whose candidate spots can reach it."""
    where = {c: i for i, c in enumerate(codes)}
    others = [c for c in codes if c not in member_set and alone[c].min() < 1e-6]
    others.sort(key=lambda c: (-radius[where[c]], c))
    if not others:
        return
    rows = np.array([where[c] for c in others])
    cost = np.array([alone[c] for c in others])  # (others, spots)
    spans = []  # per screen: each other's candidate boxes, and the box holding them all
    for b in per_screen:
        mine = b[rows]  # (others, spots, 4)
        if chosen:
            placed = np.array([b[where[c]][chosen[c]] for c in chosen])
            cost += 10 * _overlaps(mine.reshape(-1, 4), placed).sum(axis=1).reshape(cost.shape)
        hull = np.concatenate([mine[..., :2].min(axis=1), mine[..., 2:].max(axis=1)], axis=1)
        spans.append((mine, hull))
    # what each pair of others whose candidate spots can touch costs each other, spot by
    # spot, summed over the screens: (pairs, spots, spots), the pairs grouped by the second
    near = np.zeros((len(others), len(others)), dtype=bool)
    for _, hull in spans:
        near |= _overlaps(hull, hull) > 0
    np.fill_diagonal(near, False)
    second, first = np.nonzero(near.T)
    clash = sum(
        _overlaps_each(mine[first][:, :, None, :], mine[second][:, None, :, :]) for mine, _ in spans
    )
    starts = np.searchsorted(second, np.arange(len(others) + 1))
    for i, c in enumerate(others):
        costs = cost[i]
        if costs.min() < 1e-6:
            chosen[c] = spot = int(costs.argmin())
            pairs = slice(starts[i], starts[i + 1])  # the others that this label can touch
            cost[first[pairs]] += 10 * clash[pairs, :, spot]


def _line(fig, xy, line: dict, name: str, group: str, shown: set[str], **style) -> None:
    """One edge of the network; its legend entry only the first time its group is drawn."""
    xs, ys = xy
    fig.add_trace(
        trace(
            "scatter",
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
) -> Figure:
    """Members highlighted and labelled; ties among them by domain; frictions dashed red
    (a plain-data figure, ui/plotspec.py)."""
    ds = ctx.dataset
    fig = Figure()
    member_set = set(members)
    shown = set()
    offsets = {"security": 0.0, "economic": 0.011, "political": -0.011}
    mids_x, mids_y, mids_text = [], [], []
    detailed = len(members) <= DETAILED_UP_TO
    period = wrap_period(ds, pos)
    by_pair = _rows_by_pair(ctx, members)
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
            mids_text.append(_pair_hover(ctx, a, b, by_pair))
    if mids_x:
        fig.add_trace(
            trace(
                "scatter",
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
                name="hover for a tie's sources",
                showlegend=True,
            )
        )
    spots = label_spots(ds, members, pos, scale=height / 560)
    for is_member in (False, True):
        codes = [c for c in ds.codes if (c in member_set) == is_member]
        if not codes:
            continue
        actors = [ds.actor(c) for c in codes]
        fig.add_trace(
            trace(
                "scatter",
                x=[pos[c][0] for c in codes],
                y=[pos[c][1] for c in codes],
                mode="markers+text",
                text=[c if c in spots else "" for c in codes],
                textposition=[spots.get(c, "top center") for c in codes],
                textfont={
                    "size": MEMBER_FONT if is_member else OTHER_FONT,
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
                name="member" if is_member else "not a member: click to add",
            )
        )
    # The click and tap targets: every node at least TARGET_PX across, drawn transparent
    # on top, holding the hover text and the code a click selects.
    codes = list(ds.codes)
    fig.add_trace(
        trace(
            "scatter",
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
        yaxis={"visible": False, "range": list(Y_RANGE), "fixedrange": True},
        legend={"orientation": "h", "yanchor": "top", "y": -0.01, "x": 0},
        hoverlabel={"align": "left"},
    )
    return fig


# --------------------------------------------------------------------------- kept inside
# (issue #23) Drawn after the figure is built, apart from the layout and positions above.

#: How far inside the frame a wrapped edge stops, in x units, with an arrowhead there.
WRAP_INSET = 0.025


def keep_wraps_inside(fig: Figure) -> Figure:
    """Stop each edge that wraps around the map (across the Atlantic) a little inside the
    frame instead of at its very edge, where it was cut, and mark each stop with a small
    arrowhead saying that the line goes on from the other side."""
    left, right = X_RANGE
    ends_x, ends_y, ends_symbol = [], [], []
    for line in fig.data:
        xs = list(line.x or ())
        if line.mode != "lines" or len(xs) != 5 or xs[2] is not None:
            continue
        if not (xs[1] == right and xs[3] == left):
            continue
        ys = list(line.y)
        # the same line, each part shortened along itself to the inset
        for edge, inner, inset in ((1, 0, right - WRAP_INSET), (3, 4, left + WRAP_INSET)):
            t = (inset - xs[inner]) / ((xs[edge] - xs[inner]) or 1.0)
            ys[edge] = ys[inner] + t * (ys[edge] - ys[inner])
            xs[edge] = inset
            ends_x.append(inset)
            ends_y.append(ys[edge])
            ends_symbol.append("triangle-right" if edge == 1 else "triangle-left")
        line["x"], line["y"] = xs, ys
    if ends_x:
        fig.add_trace(
            trace(
                "scatter",
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
