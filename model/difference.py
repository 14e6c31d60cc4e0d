"""Why two scores differ: the gap between two scored scenarios split by component, by
member and by pair, with a few plain sentences.

By component: each component's weighted points in one score minus the other's, on the
reported scale (:func:`weighted_points`: a score's points add up to it), so the component
gaps add up to the whole gap; when a member tied to no one sets a score to 0, or a score's
weighted sum is under one point, the rest is reported as ``limits``.

By member: each member's Shapley value (its average added cohesion over every order of
joining), which adds up to the score; a member in one grouping only counts 0 in the
other. The member gaps add up to the whole gap (exactly up to 12 members, where the
values are exact; approximately beyond, where they are sampled).

By pair: the points of the ties component each pair of members holds (its framed tie
times its weight in the pillar-weighted mean); a pair outside a grouping holds none. The
pair gaps add up to the gap of the ties component.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from model.cohesion import COMPONENTS, NEGATIVE, Context, Weights
from model.data import Dataset
from model.scenario import context_of
from model.schema import CONFIDENCE_SPREAD
from model.score import Score
from model.uncertainty import WEIGHT_JITTER
from model.words import FRAMING_NOUNS

__all__ = [
    "Difference",
    "PairGap",
    "component_points",
    "difference",
    "pair_points",
    "stretch",
    "weighted_points",
    "what_draws_vary",
]

#: What a gap in each component means, in a reader's words: (when it raises the second
#: score, when it lowers it).
MEANING = {
    "ties": ("deeper ties among the members", "shallower ties among the members"),
    "connectivity": ("a better connected network", "a network more split into camps"),
    "lattice": ("more ties that do not run through the hub", "more reliance on the hub"),
    "threat": ("more alike views of outside threats", "less alike views of outside threats"),
    "friction": ("less friction between members", "more friction between members"),
    "sensitivity": ("less unease among members", "more unease among members"),
}
#: A gap under this many points reads as none.
NEGLIGIBLE = 0.05
#: A component working against the gap is named from this many points on.
OFFSET = 0.5
#: The member sentence names at least this many members when the gap allows.
MEMBERS_NAMED = 3


def what_draws_vary(vary_weights: bool) -> str:
    """What the Monte Carlo draws redraw, and what a share of them can and cannot say.

    >>> what_draws_vary(True)[:60]
    'Each draw redraws every strength, severity and threat level '
    """
    spread = CONFIDENCE_SPREAD
    weights = f" and every weight by up to ±{100 * WEIGHT_JITTER:.0f}%" if vary_weights else ""
    return (
        "Each draw redraws every strength, severity and threat level within its stated "
        f"confidence (by up to ±{spread['high']:.2f} when high, ±{spread['medium']:.2f} "
        f"medium, ±{spread['low']:.2f} low){weights}, and scores every grouping on the same "
        "draw. A share near 100% says the ranking survives those redraws, not that it is "
        "certain: the model's structure, the choice of rows and the framings are not redrawn."
    )


def weighted_points(
    values: dict[str, float], weights: Weights, cohesion: float | None = None
) -> dict[str, float]:
    """Each component's weighted points (friction and sensitivity negative), on the
    reported scale: their raw sum is the model's weighted sum in points, and the
    calibrated scale (:mod:`model.scale`) maps it to ``cohesion``; every component's
    points are stretched alike, by ``cohesion`` over that sum, so that they add up to the
    score a reader sees. Left raw when the sum is under one point or the score is 0 (a
    member tied to no one), where no ratio means anything.

    >>> w = Weights()
    >>> raw = weighted_points({"ties": 1, "connectivity": 1, "lattice": 1, "threat": 1,
    ...                        "friction": 0, "sensitivity": 0}, w)
    >>> round(sum(raw.values()), 6)
    100.0
    >>> half = weighted_points({**dict.fromkeys(raw, 0.5), "friction": 0.1}, w, cohesion=60.0)
    >>> round(sum(half.values()), 6), round(half["ties"] / half["lattice"], 6)
    (60.0, 1.0)
    """
    w = weights.normalised()
    points = {c: (-100 if c in NEGATIVE else 100) * getattr(w, c) * values[c] for c in COMPONENTS}
    factor = _stretch(sum(points.values()), cohesion)
    return {c: p * factor for c, p in points.items()}


def _stretch(raw_sum: float, cohesion: float | None) -> float:
    """What the calibrated scale multiplies a score's raw points by (1 where no ratio
    means anything: no score, a score of 0, a raw sum under one point)."""
    if cohesion is None or cohesion <= 0.0 or raw_sum < 1.0:
        return 1.0
    return cohesion / raw_sum


def stretch(result: Score) -> float:
    """The factor :func:`component_points` stretches a score's raw points by."""
    if result.components is None:
        return 1.0
    raw = weighted_points(result.components.as_dict(), result.scenario.weights)
    return _stretch(sum(raw.values()), result.cohesion)


def component_points(result: Score) -> dict[str, float]:
    """Each component's weighted points in a score, on the reported scale
    (:func:`weighted_points`): they add up to its cohesion but when a member tied to no
    one sets it to 0.

    >>> from model import load_dataset, scenario, score
    >>> from model.scale import raw_cohesion, reported
    >>> r = score(load_dataset(), scenario(load_dataset(), "USA,JPN", "alliance", 2020))
    >>> round(sum(component_points(r).values()), 6) == round(r.cohesion, 6)
    True
    >>> round(float(reported(raw_cohesion(r), "alliance")), 6) == round(r.cohesion, 6)
    True
    """
    if result.components is None:
        return {c: 0.0 for c in COMPONENTS}
    return weighted_points(result.components.as_dict(), result.scenario.weights, result.cohesion)


def pair_points(
    ctx: Context, members: tuple[str, ...], ties_weight: float, factor: float = 1.0
) -> dict:
    """The points of the ties component each member pair holds: ``{(a, b): points}``.

    ``ties_weight`` is the normalised weight of ties, ``factor`` the score's
    :func:`stretch` onto the reported scale. The values add up to the ties component's
    points.
    """
    if len(members) < 2:
        return {}
    ds = ctx.dataset
    idx = [ds.index(m) for m in members]
    pillar = ctx.pillar[idx]
    pairs = [(i, j) for i in range(len(idx)) for j in range(i + 1, len(idx))]
    weight = np.array([pillar[i] * pillar[j] for i, j in pairs])
    ties = np.array([ctx.ties[idx[i], idx[j]] for i, j in pairs])
    held = 100 * factor * ties_weight * weight * ties / weight.sum()
    return {(members[i], members[j]): float(v) for (i, j), v in zip(pairs, held, strict=True)}


@dataclass(frozen=True)
class PairGap:
    """A member pair in either grouping: its framed tie in each (None where the grouping
    does not hold the pair) and the points of the ties component it holds in each."""

    a: str
    b: str
    tie_base: float | None
    tie_other: float | None
    points_base: float
    points_other: float

    @property
    def gap(self) -> float:
        return self.points_other - self.points_base


@dataclass(frozen=True)
class Difference:
    """``other`` minus ``base``, split three ways (module docstring)."""

    delta: float
    components: dict[str, float]
    limits: float
    members: tuple[tuple[str, float], ...]  # (code, Shapley gap), largest first
    pairs: tuple[PairGap, ...]  # largest |gap| first
    sentences: tuple[str, ...]


def _pairs(ds: Dataset, base: Score, other: Score) -> tuple[PairGap, ...]:
    found = {}
    for r in (base, other):
        s = r.scenario
        ctx = context_of(ds, s)
        tie_w = s.weights.normalised().ties
        points = pair_points(ctx, s.members, tie_w, stretch(r))
        ties = {(a, b): float(ctx.ties[ds.index(a), ds.index(b)]) for a, b in points}
        found[id(r)] = (points, ties)
    (pb, tb), (po, to) = found[id(base)], found[id(other)]
    keys = sorted(set(pb) | set(po))
    gaps = [
        PairGap(a, b, tb.get((a, b)), to.get((a, b)), pb.get((a, b), 0.0), po.get((a, b), 0.0))
        for a, b in keys
    ]
    return tuple(sorted(gaps, key=lambda g: (-abs(g.gap), g.a, g.b)))


def _signed(x: float) -> str:
    return f"{x:+.1f}".replace("-", "−")


def _names(ds: Dataset, codes) -> str:
    names = [ds.actor(c).name for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _members_named(
    members: tuple[tuple[str, float], ...], differ: set[str], shared: int = 2
) -> list[tuple[str, float]]:
    """The members the member sentence names: every member in one grouping only (however
    small its share), then the members of both whose share moved most, so that at least
    three are named when the gap allows. ``members`` is largest gap first.

    >>> _members_named((("USA", 3.0), ("JPN", 2.0), ("AUS", 1.0), ("KOR", 0.01)), {"KOR"})
    [('KOR', 0.01), ('USA', 3.0), ('JPN', 2.0)]
    >>> _members_named((("USA", 0.01),), set())
    []
    """
    only = [(c, v) for c, v in members if c in differ]
    both = [(c, v) for c, v in members if c not in differ and abs(v) >= NEGLIGIBLE]
    return only + both[: max(shared, MEMBERS_NAMED - len(only))]


def _framing_sentence(base: Score, other: Score, base_label: str, other_label: str) -> str:
    """A warning when the two are scored under different framings or years ('' if not)."""
    a, b = base.scenario, other.scenario
    parts = []
    if a.framing != b.framing:
        parts.append(
            f"{other_label} is framed as {FRAMING_NOUNS[b.framing]} and {base_label} as "
            f"{FRAMING_NOUNS[a.framing]}: a framing weighs the ties by domain, sets off its "
            "own unease and reads the score on its own calibrated scale, so part of the gap "
            "comes from the framing, not from the members"
        )
    if a.year != b.year:
        parts.append(f"{other_label} is scored in {b.year} and {base_label} in {a.year}")
    if not parts:
        return ""
    text = "; ".join(parts) + "."
    return "Not like for like: " + text


def _sentences(
    ds: Dataset, base: Score, other: Score, d: Difference, base_label: str, other_label: str
) -> tuple[str, ...]:
    if base.cohesion is None or other.cohesion is None:
        return ("One of the two groupings has fewer than two members, so there is no gap.",)
    if abs(d.delta) < NEGLIGIBLE:
        head = f"{other_label} and {base_label} score the same ({other.cohesion:.1f})."
    else:
        way = "higher" if d.delta > 0 else "lower"
        head = (
            f"{other_label} scores {abs(d.delta):.1f} points {way} than {base_label} "
            f"({other.cohesion:.1f} against {base.cohesion:.1f})."
        )
    out = [head[0].upper() + head[1:]]
    sign = 1 if d.delta >= 0 else -1
    ranked = sorted(d.components.items(), key=lambda kv: -abs(kv[1]))
    along = [(c, v) for c, v in ranked if v * sign > NEGLIGIBLE][:2]
    against = [(c, v) for c, v in ranked if v * sign < -OFFSET][:1]

    def meaning(c: str, v: float) -> str:
        return MEANING[c][0 if v > 0 else 1]

    if along:
        parts = [f"{meaning(c, v)} ({_signed(v)} points)" for c, v in along]
        text = f"Most of the gap comes from {' and '.join(parts)} in {other_label}"
        if against:
            c, v = against[0]
            text += f"; against that, {meaning(c, v)} ({_signed(v)})"
        out.append(text + ".")
    b_members, o_members = set(base.scenario.members), set(other.scenario.members)
    moved = _members_named(d.members, b_members ^ o_members)
    if moved:
        parts = []
        for code, v in moved:
            name = ds.actor(code).name
            if code not in b_members:
                parts.append(f"{name}, only in {other_label}, adds {_signed(v)}")
            elif code not in o_members:
                parts.append(f"{name}, only in {base_label}, added {_signed(-v)} there")
            else:
                more = "more" if v > 0 else "less"
                parts.append(f"{name} adds {abs(v):.1f} {more} than in {base_label}")
        out.append("By member (each one's share of the score): " + "; ".join(parts) + ".")
    if framing := _framing_sentence(base, other, base_label, other_label):
        out.append(framing)
    if abs(d.limits) >= NEGLIGIBLE:
        lonely = sorted(set(base.isolated) | set(other.isolated))
        if lonely:
            verb = "has" if len(lonely) == 1 else "have"
            out.append(
                f"{_names(ds, lonely)} {verb} no tie with any other member, which sets a "
                f"score to 0; that accounts for {_signed(d.limits)} points."
            )
        else:
            out.append(f"The scale's limits near 0 account for {_signed(d.limits)} points.")
    return tuple(out)


def difference(
    ds: Dataset,
    base: Score,
    other: Score,
    base_label: str = "the first",
    other_label: str = "the second",
) -> Difference:
    """The gap ``other`` minus ``base`` split by component, member and pair, with sentences
    that name the groupings by ``base_label`` and ``other_label``. Each is read on ``ds``
    with its own scenario's what-if edits.

    >>> from model import load_dataset, scenario, score
    >>> ds = load_dataset()
    >>> quad, squad = (score(ds, scenario(ds, p, "alliance", 2024)) for p in ("quad", "squad"))
    >>> d = difference(ds, quad, squad, "the Quad", "the Squad")
    >>> round(d.delta, 6) == round(squad.cohesion - quad.cohesion, 6)
    True
    >>> round(sum(d.components.values()) + d.limits, 6) == round(d.delta, 6)
    True
    """
    zero = {c: 0.0 for c in COMPONENTS}
    if base.cohesion is None or other.cohesion is None:
        d = Difference(0.0, zero, 0.0, (), (), ())
        return replace(d, sentences=_sentences(ds, base, other, d, base_label, other_label))
    delta = other.cohesion - base.cohesion
    pb, po = component_points(base), component_points(other)
    components = {c: po[c] - pb[c] for c in COMPONENTS}
    limits = delta - sum(components.values())

    def shapley(r: Score, code: str) -> float:
        return r.contributions.get(code, {}).get("shapley", 0.0)

    codes = set(base.contributions) | set(other.contributions)
    shares = {c: shapley(other, c) - shapley(base, c) for c in codes}
    members = tuple(sorted(shares.items(), key=lambda kv: (-abs(kv[1]), kv[0])))
    pairs = _pairs(ds, base, other)
    d = Difference(delta, components, limits, members, pairs, ())
    return replace(d, sentences=_sentences(ds, base, other, d, base_label, other_label))
