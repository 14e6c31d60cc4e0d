"""The cohesion of a grouping, from its members' ties, threats, frictions and sensitivities.

A scenario's year and framing fix a :class:`Context`: dense actor-by-actor matrices of
framed tie strength, friction and sensitivity, and each actor's threat perceptions, by
the rules of :mod:`model.rows`. The components (:mod:`model.components`) of any group of
actors are then a few array operations, and many groups (every subset, for Shapley
values; every candidate addition) are scored in one batch. This is the reference: the
Monte Carlo and the finder's bound are built on the same functions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from functools import cached_property

import numpy as np

from model import components as comp
from model.aggregate import friction_weights, tie_links
from model.components import bounded, spoiler_blend
from model.data import Dataset
from model.memo import memoise
from model.rows import (
    InForce,
    PairArrays,
    in_force,
    judgements,
    mutual_threat,
    pair_arrays,
    recorded_values,
    triggered_rows,
    unease_arrays,
)
from model.schema import FRAMINGS

__all__ = [
    "COMPONENTS",
    "DOMAIN_WEIGHTS",
    "EXPOSED",
    "Components",
    "Context",
    "GroupScores",
    "Weights",
    "bounded",
    "build_context",
    "context",
    "framed",
    "framed_friction",
    "group_arrays",
    "group_scores",
    "mutual_threat",
    "pillar_weights",
    "score_groups",
    "score_in_force",
    "spoiler_blend",
    "year_arrays",
]

#: Domain weights (security, economic, political) of each framing; see docs/method.md.
DOMAIN_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "alliance": (0.70, 0.10, 0.20),
    "dialogue": (0.50, 0.20, 0.30),
    "economic": (0.15, 0.60, 0.25),
}
assert set(DOMAIN_WEIGHTS) == set(FRAMINGS)

#: The framing whose unease is exposure to a third country's pressure (docs/method.md,
#: "Components"): it counts as far as the grouping faces a common threat.
EXPOSED = "economic"

COMPONENTS: tuple[str, ...] = (
    "ties",
    "connectivity",
    "lattice",
    "threat",
    "friction",
    "sensitivity",
)
POSITIVE: tuple[str, ...] = COMPONENTS[:4]
NEGATIVE: tuple[str, ...] = COMPONENTS[4:]


@dataclass(frozen=True)
class Weights:
    """Component weights. The positive four are renormalised to sum to 1 when used."""

    ties: float = 0.30
    connectivity: float = 0.10
    lattice: float = 0.30
    threat: float = 0.30
    friction: float = 0.50
    sensitivity: float = 0.30

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, int | float) or not np.isfinite(v) or v < 0 or v > 10:
                raise ValueError(f"weight {f.name}={v!r} must be a number in [0, 10]")
        if sum(getattr(self, n) for n in POSITIVE) <= 0:
            raise ValueError("at least one of ties, connectivity, lattice, threat must be > 0")

    def normalised(self) -> Weights:
        total = sum(getattr(self, n) for n in POSITIVE)
        return replace(self, **{n: getattr(self, n) / total for n in POSITIVE})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def vector(self) -> np.ndarray:
        """The normalised weights in :data:`COMPONENTS` order (read-only)."""
        return _weight_vector(self)

    @classmethod
    def parse(cls, text: str) -> Weights:
        """Weights from ``"ties=0.4,friction=0.6"``; unnamed ones keep their default.

        >>> Weights.parse("friction=1").friction
        1.0
        """
        values: dict[str, float] = {}
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            name, sep, raw = part.partition("=")
            name = name.strip()
            if not sep or name not in COMPONENTS:
                raise ValueError(
                    f"bad weight '{part}': expected NAME=NUMBER with NAME one of "
                    + ", ".join(COMPONENTS)
                )
            if name in values:
                raise ValueError(f"weight '{name}' is given twice")
            try:
                values[name] = float(raw)
            except ValueError:
                raise ValueError(f"bad weight '{part}': '{raw.strip()}' is not a number") from None
        return cls(**values)


@memoise(256)
def _weight_vector(weights: Weights) -> np.ndarray:
    w = weights.normalised()
    vector = np.array([getattr(w, n) for n in COMPONENTS])
    vector.setflags(write=False)
    return vector


@dataclass(frozen=True)
class Components:
    ties: float
    connectivity: float
    lattice: float
    threat: float
    friction: float
    sensitivity: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def pillar_weights(ds: Dataset, framing: str) -> np.ndarray:
    """Each actor's weight in a grouping: the square root of its share of the capability
    the framing rests on (defence spending for an alliance, GDP for an economic bloc,
    the mean of both shares for a dialogue), after Penrose's square-root rule, so that a
    grouping's pillars count more without drowning its smaller members.

    A state with no figure counts as the smallest state with one; an organisation weighs
    as the median state (its capability is its members', counted through them).
    """
    return _pillars(ds.actors, framing)


@memoise(64)
def _pillars(actors: tuple, framing: str) -> np.ndarray:
    """:func:`pillar_weights` from the actors alone: a what-if or a provenance cut of the
    dataset keeps its actors, so it keeps their weights without recomputing them."""
    states = [a for a in actors if a.kind == "state"]

    def shares(attr: str) -> dict[str, float]:
        known = [getattr(a, attr) for a in states if getattr(a, attr)]
        if not known:
            return {a.code: 1.0 for a in states}
        floor, total = min(known), sum(known)
        return {a.code: (getattr(a, attr) or floor) / total for a in states}

    defence, gdp = shares("defence_usd_bn"), shares("gdp_usd_bn")
    mix = {"alliance": (1.0, 0.0), "economic": (0.0, 1.0), "dialogue": (0.5, 0.5)}[framing]
    weight = {c: np.sqrt(mix[0] * defence[c] + mix[1] * gdp[c]) for c in defence}
    org = float(np.median(list(weight.values()))) if weight else 1.0
    out = np.array([weight.get(a.code, org) for a in actors])
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class Context:
    """Everything a (dataset, year, framing) fixes, as arrays over all actors."""

    dataset: Dataset
    year: int
    framing: str
    codes: tuple[str, ...]
    domain_ties: np.ndarray  # (3, N, N) depth-over-count strength per domain
    ties: np.ndarray  # (N, N) framed tie strength
    friction: np.ndarray  # (N, N) framed friction, threat between the two included
    threat: np.ndarray  # (N, K) threat level of each actor towards each target
    targets: np.ndarray  # (K,) actor index of each threat target
    framing_sensitivity: np.ndarray  # (N,) noisy-or of framing triggers
    member_sensitivity: np.ndarray  # (N, N) [m, o]: m's unease when o is a member
    pillar: np.ndarray  # (N,) each actor's weight in a grouping (pillar_weights)

    @cached_property
    def pair_links(self) -> dict:
        """frozenset({a, b}) -> the TieLinks in force between them (built when first asked)."""
        out: dict[frozenset, list] = {}
        for link in tie_links(self.dataset, self.year):
            out.setdefault(frozenset((link.a, link.b)), []).append(link)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def pair_ties(self) -> dict:
        """frozenset({a, b}) -> the recorded Tie rows in force between them."""
        ties = self.dataset.ties
        return {
            k: tuple(ties[lk.rows[0]] for lk in v if not lk.via)
            for k, v in self.pair_links.items()
            if any(not lk.via for lk in v)
        }

    @cached_property
    def pair_frictions(self) -> dict:
        """frozenset({a, b}) -> the Friction rows in force between them."""
        out: dict[frozenset, list] = {}
        for f in self.dataset.frictions:
            if f.active(self.year):
                out.setdefault(frozenset((f.a, f.b)), []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    def ties_between(self, a: str, b: str) -> tuple:
        """The tie rows between two actors that are active this year."""
        return self.pair_ties.get(frozenset((a, b)), ())

    def frictions_between(self, a: str, b: str) -> tuple:
        """The friction rows between two actors that are active this year."""
        return self.pair_frictions.get(frozenset((a, b)), ())

    def links_between(self, a: str, b: str) -> tuple:
        """The ties between two actors this year, those through an organisation included."""
        return self.pair_links.get(frozenset((a, b)), ())


def framed_friction(domain_friction: np.ndarray, framing: str) -> np.ndarray:
    """A pair's friction under a framing: its worst domain, each domain's friction times
    the framing's weight for it (:func:`model.aggregate.friction_weights`)."""
    beta = friction_weights(DOMAIN_WEIGHTS[framing]).reshape(-1, *[1] * (domain_friction.ndim - 1))
    return (beta * domain_friction).max(axis=0)


def framed(base: PairArrays, framing: str) -> tuple[np.ndarray, np.ndarray]:
    """(ties, friction), each (*B, n, n): the pairs' tie strength and friction under a
    framing, from what a year's rows make of them (:func:`model.rows.pair_arrays`)."""
    if framing not in DOMAIN_WEIGHTS:
        raise ValueError(f"unknown framing '{framing}'")
    ties = np.tensordot(np.asarray(DOMAIN_WEIGHTS[framing]), base.domain_ties, axes=1)
    friction = framed_friction(base.domain_friction, framing)
    n = friction.shape[-1]
    friction[..., np.arange(n), np.arange(n)] = 0.0
    return ties, friction


@memoise(256)
def year_arrays(ds: Dataset, year: int) -> PairArrays:
    """What the rows in force in ``year`` make of every pair of actors, as recorded
    (memoised: the three framings share them)."""
    f = in_force(ds, year)
    out = pair_arrays(f, *recorded_values(ds, f))
    for m in (out.domain_ties, out.domain_friction):
        m.setflags(write=False)
    return out


def build_context(ds: Dataset, year: int, framing: str) -> Context:
    """Aggregate the rows active in ``year`` into the matrices of a :class:`Context`."""
    base = year_arrays(ds, year)
    ties, friction = framed(base, framing)
    where = {c: i for i, c in enumerate(ds.codes)}
    rows, actor, other = triggered_rows(ds, framing, year, where)
    severity = judgements(ds, "sensitivities", rows)
    framing_sensitivity, member_sensitivity = unease_arrays(len(ds.actors), actor, other, severity)
    return Context(
        dataset=ds,
        year=year,
        framing=framing,
        codes=ds.codes,
        domain_ties=base.domain_ties.copy(),
        ties=ties,
        friction=friction,
        threat=base.threat.copy(),
        targets=base.targets,
        framing_sensitivity=framing_sensitivity,
        member_sensitivity=member_sensitivity,
        pillar=pillar_weights(ds, framing),
    )


@memoise(512)
def context(ds: Dataset, year: int, framing: str) -> Context:
    """:func:`build_context`, memoised per dataset content, year and framing."""
    return build_context(ds, year, framing)


@dataclass(frozen=True, eq=False)
class GroupScores:
    """Components and cohesion of a batch of groups of equal size (one row per group)."""

    ties: np.ndarray
    connectivity: np.ndarray
    lattice: np.ndarray
    threat: np.ndarray
    friction: np.ndarray
    sensitivity: np.ndarray
    cohesion: np.ndarray  # 0-100
    hub: np.ndarray  # position (within the group) of the hub; -1 for two members
    centralisation: np.ndarray
    member_sensitivity: np.ndarray  # (B, k) each member's triggered sensitivity
    fiedler: np.ndarray  # (B, k) the Fiedler vector (zeros unless asked for): its sign
    #                      splits the group at its weakest cut
    isolated: np.ndarray  # (B, k) True for a member with no positive tie to any other


def group_arrays(
    ties: np.ndarray,
    friction: np.ndarray,
    threat: np.ndarray,
    targets: np.ndarray,
    framing_sensitivity: np.ndarray,
    member_sensitivity: np.ndarray,
    groups: np.ndarray,
    exposure: bool = False,
) -> dict[str, np.ndarray]:
    """What the components of each row of ``groups`` (B, k) need, in pair form
    (:mod:`model.components`): its pairs' ties, friction, threat gaps, the outside targets
    both members hold a view of, and their common threat; and each member's
    :func:`~model.components.unease`.

    The arrays are those of a :class:`Context` (one for every grouping) or, with one more
    leading axis of length B, one per grouping (the Monte Carlo's draws). With
    ``exposure`` (the economic framing), a member's unease with the framing counts as far
    as the grouping faces a common threat (:func:`~model.components.common_front`).
    """
    b, k = groups.shape
    # with one array per grouping, each gather first picks the grouping's own
    own = (np.arange(b)[:, None],) if ties.ndim == 3 else ()
    own_square = (np.arange(b)[:, None, None],) if own else ()
    p = comp.pairs(k)
    a, z = groups[:, p.i], groups[:, p.j]
    views = threat[(*own, groups)]  # (B, k, K)
    outside = ~(groups[:, :, None] == targets[None, None, :]).any(axis=1)
    framed_unease = framing_sensitivity[(*own, groups)]
    if exposure:
        framed_unease = framed_unease * comp.common_front(views, outside)[:, None]
    return {
        "pair_ties": ties[(*own, a, z)],
        "pair_friction": friction[(*own, a, z)],
        "pair_gaps": comp.threat_gaps(
            comp.level_gaps(views[:, p.i], views[:, p.j]), outside[:, None, :]
        ),
        "pair_views": comp.shared_views(views[:, p.i], views[:, p.j], outside[:, None, :]),
        "pair_common": comp.common_threat(views[:, p.i], views[:, p.j], outside[:, None, :]),
        "pair_rivalry": mutual_threat(threat, targets, ties.shape[-1])[(*own, a, z)],
        "framing_unease": framed_unease,
        "unease": comp.unease(
            framed_unease,
            member_sensitivity[(*own_square, groups[:, :, None], groups[:, None, :])],
        ),
    }


def group_scores(
    pair_ties: np.ndarray,
    pair_friction: np.ndarray,
    pair_gaps: np.ndarray,
    pair_views: np.ndarray,
    pair_common: np.ndarray,
    pair_rivalry: np.ndarray,
    framing_unease: np.ndarray,
    unease: np.ndarray,
    pillar: np.ndarray,
    w: np.ndarray,
    framing: str,
    fiedler: bool = False,
) -> GroupScores:
    """Score B groupings of k members from their :func:`group_arrays` and members' pillar
    weights (B, k); a pair weighs the product of its two members' weights. ``w`` holds
    normalised weights in COMPONENTS order: shape (6,), or (B, 6) per grouping; the score
    is read on ``framing``'s calibrated scale."""
    p = comp.pairs(pillar.shape[1])
    pair_weight = pillar[:, p.i] * pillar[:, p.j]
    degree = comp.member_totals(pair_ties, p)
    hub = comp.hub(pair_ties, p, pillar)
    connectivity, vectors = comp.connectivity(pair_ties, degree, p, fiedler)
    values = (
        comp.ties(pair_ties, pair_weight),
        connectivity,
        comp.lattice(pair_ties, pair_weight, hub, p),
        comp.shared_threat(pair_gaps, pair_views, pair_weight, pair_common, pair_rivalry),
        comp.friction(pair_friction, pair_weight, p, pillar),
        comp.sensitivity(unease, framing_unease, pillar),
    )
    # A member tied to no other member is not in the grouping in any working sense: the
    # grouping scores 0 (so a newcomer that brings only frictions can never raise it).
    isolated = degree <= 0.0
    return GroupScores(
        **dict(zip(COMPONENTS, values, strict=True)),
        cohesion=comp.cohesion(comp.weighted_sum(w, *values), isolated.any(axis=1), framing),
        hub=hub,
        centralisation=comp.centralisation(degree),
        member_sensitivity=unease,
        fiedler=vectors if vectors is not None else np.zeros(pillar.shape),
        isolated=isolated,
    )


def score_in_force(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    f: InForce,
    values: tuple[np.ndarray, np.ndarray, np.ndarray],
    sensitivity: tuple[np.ndarray, np.ndarray, np.ndarray],
    w: np.ndarray,
    batch: int = 1,
) -> GroupScores:
    """Score one grouping from the rows in force ``f`` within its own universe (the
    members, in order): ``values`` are the rows' (tie strengths, friction severities,
    threat levels) and ``sensitivity`` the (actor, other, severity) of the sensitivity
    rows it triggers (:func:`model.rows.triggered_rows`), each with a leading axis of
    ``batch`` draws or none. The rules of :func:`build_context` and
    :func:`score_groups`, the same functions, on the members' arrays alone: with the
    values on record it is the reference score to the last bit (tests/model/test_batched.py)."""
    k = len(members)
    base = pair_arrays(f, *values)
    ties, friction = framed(base, framing)
    actor, other, severity = sensitivity
    unease = unease_arrays(k, actor, other, severity)
    groups = np.broadcast_to(np.arange(k), (batch, k))  # each draw: the whole grouping
    arrays = group_arrays(
        ties, friction, base.threat, base.targets, *unease, groups, framing == EXPOSED
    )
    pillar = pillar_weights(ds, framing)[[ds.index(m) for m in members]]
    return group_scores(**arrays, pillar=np.broadcast_to(pillar, (batch, k)), w=w, framing=framing)


def score_groups(
    ctx: Context, groups: np.ndarray, weights: Weights, fiedler: bool = False
) -> GroupScores:
    """Score each row of ``groups`` (B, k) of actor indices, k >= 2, under ``ctx``."""
    groups = np.asarray(groups, dtype=int)
    if groups.ndim != 2 or groups.shape[1] < 2:
        raise ValueError("groups must be a (B, k) array with k >= 2")
    arrays = group_arrays(
        ctx.ties,
        ctx.friction,
        ctx.threat,
        ctx.targets,
        ctx.framing_sensitivity,
        ctx.member_sensitivity,
        groups,
        exposure=ctx.framing == EXPOSED,
    )
    return group_scores(
        **arrays,
        pillar=ctx.pillar[groups],
        w=weights.vector(),
        framing=ctx.framing,
        fiedler=fiedler,
    )
