"""The cohesion of a grouping, from its members' ties, threats, frictions and sensitivities.

A scenario's year and framing fix a :class:`Context`: dense actor-by-actor matrices of
framed tie strength, friction and sensitivity, and each actor's threat perceptions. The
components of any group of actors are then a few array operations, and many groups
(every subset, for Shapley values; every candidate addition) are scored in one batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache

import numpy as np

from model.data import Dataset
from model.schema import DOMAINS, FRAMINGS

__all__ = [
    "COMPONENTS",
    "DOMAIN_WEIGHTS",
    "Components",
    "Context",
    "GroupScores",
    "Weights",
    "build_context",
    "context",
    "noisy_or",
    "score_groups",
]

#: Domain weights (security, economic, political) of each framing; see docs/method.md.
DOMAIN_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "alliance": (0.70, 0.10, 0.20),
    "dialogue": (0.50, 0.20, 0.30),
    "economic": (0.15, 0.60, 0.25),
}
assert set(DOMAIN_WEIGHTS) == set(FRAMINGS)

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

    ties: float = 0.40
    connectivity: float = 0.15
    lattice: float = 0.15
    threat: float = 0.30
    friction: float = 0.50
    sensitivity: float = 0.50

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


@lru_cache(maxsize=256)
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


def noisy_or(values) -> float:
    """The chance that at least one of independent events happens: 1 - prod(1 - v).

    >>> round(noisy_or([0.5, 0.5]), 2)
    0.75
    """
    p = 1.0
    for v in values:
        p *= 1.0 - v
    return 1.0 - p


@dataclass(frozen=True, eq=False)
class Context:
    """Everything a (dataset, year, framing) fixes, as arrays over all actors."""

    dataset: Dataset
    year: int
    framing: str
    codes: tuple[str, ...]
    domain_ties: np.ndarray  # (3, N, N) noisy-or strength per domain
    ties: np.ndarray  # (N, N) framed tie strength
    friction: np.ndarray  # (N, N) noisy-or friction severity
    threat: np.ndarray  # (N, K) threat level of each actor towards each target
    targets: np.ndarray  # (K,) actor index of each threat target
    framing_sensitivity: np.ndarray  # (N,) noisy-or of framing triggers
    member_sensitivity: np.ndarray  # (N, N) [m, o]: m's unease when o is a member
    pair_ties: dict = field(default_factory=dict)  # frozenset({a, b}) -> active Tie rows

    def ties_between(self, a: str, b: str) -> tuple:
        """The tie rows between two actors that are active this year."""
        return self.pair_ties.get(frozenset((a, b)), ())


def build_context(ds: Dataset, year: int, framing: str) -> Context:
    """Aggregate the rows active in ``year`` into the matrices of a :class:`Context`."""
    if framing not in DOMAIN_WEIGHTS:
        raise ValueError(f"unknown framing '{framing}'")
    n = len(ds.actors)
    ix = ds.index
    keep = np.ones((len(DOMAINS), n, n))
    pair_ties: dict[frozenset, list] = {}
    for t in ds.ties:
        if t.active(year):
            pair_ties.setdefault(frozenset((t.a, t.b)), []).append(t)
            d, i, j = DOMAINS.index(t.domain), ix(t.a), ix(t.b)
            keep[d, i, j] *= 1.0 - t.strength
            keep[d, j, i] = keep[d, i, j]
    domain_ties = 1.0 - keep
    alpha = np.asarray(DOMAIN_WEIGHTS[framing])
    ties = np.tensordot(alpha, domain_ties, axes=1)
    friction_keep = np.ones((n, n))
    for f in ds.frictions:
        if f.active(year):
            i, j = ix(f.a), ix(f.b)
            friction_keep[i, j] *= 1.0 - f.severity
            friction_keep[j, i] = friction_keep[i, j]
    # Only targets someone perceives this year: an expired view must not add a column.
    target_codes = sorted({t.target for t in ds.threats if t.active(year)})
    threat = np.zeros((n, len(target_codes)))
    for t in ds.threats:
        if t.active(year):
            threat[ix(t.actor), target_codes.index(t.target)] = t.level
    frame_keep = np.ones(n)
    member_keep = np.ones((n, n))
    trigger = f"framing:{framing}"
    for s in ds.sensitivities:
        if not s.active(year):
            continue
        if s.trigger == trigger:
            frame_keep[ix(s.actor)] *= 1.0 - s.severity
        elif s.trigger.startswith("member:"):
            member_keep[ix(s.actor), ix(s.trigger[7:])] *= 1.0 - s.severity
    for m in (domain_ties, ties):
        m[..., np.arange(n), np.arange(n)] = 0.0
    friction = 1.0 - friction_keep
    np.fill_diagonal(friction, 0.0)
    return Context(
        dataset=ds,
        year=year,
        framing=framing,
        codes=ds.codes,
        domain_ties=domain_ties,
        ties=ties,
        friction=friction,
        threat=threat,
        targets=np.array([ix(c) for c in target_codes], dtype=int),
        framing_sensitivity=1.0 - frame_keep,
        member_sensitivity=1.0 - member_keep,
        pair_ties={k: tuple(v) for k, v in pair_ties.items()},
    )


@lru_cache(maxsize=512)
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
    hub: np.ndarray  # position (within the group) of the member with most weighted degree
    centralisation: np.ndarray
    member_sensitivity: np.ndarray  # (B, k) each member's triggered sensitivity
    fiedler: np.ndarray  # (B, k) the Fiedler vector (zeros unless asked for): its sign
    #                      splits the group at its weakest cut
    isolated: np.ndarray  # (B, k) True for a member with no positive tie to any other


@lru_cache(maxsize=64)
def _upper(k: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(k, 1)


def _components(
    ties, friction, threat, outside, sens, w: np.ndarray, fiedler: bool = False
) -> GroupScores:
    """Score B groups of k members from their (B, k, k) / (B, k, K) / (B, k) arrays.

    ``w`` holds normalised weights in COMPONENTS order: shape (6,), or (B, 6) per group.
    """
    b, k, _ = ties.shape
    iu, ju = _upper(k)
    pair_ties = ties[:, iu, ju]
    t = pair_ties.mean(axis=1)
    degree = ties.sum(axis=2)
    hub = degree.argmax(axis=1)
    if k == 2:
        lattice = t.copy()
        centralisation = np.zeros(b)
    else:
        hub_degree = degree[np.arange(b), hub]
        # clipped: the subtraction can leave a -1e-18 where the true value is 0
        lattice = np.clip((pair_ties.sum(axis=1) - hub_degree) / ((k - 1) * (k - 2) / 2), 0, 1)
        centralisation = (hub_degree[:, None] - degree).sum(axis=1) / ((k - 1) * (k - 2))
    laplacian = -ties
    laplacian[:, np.arange(k), np.arange(k)] = degree
    if fiedler:  # eigenvectors only when an explanation needs the weakest cut
        eigval, eigvec = np.linalg.eigh(laplacian)
    else:
        eigval, eigvec = np.linalg.eigvalsh(laplacian), None
    connectivity = np.clip(eigval[:, 1] / k, 0.0, 1.0)
    n_out = outside.sum(axis=1)
    gap = np.abs(threat[:, iu, :] - threat[:, ju, :]) * outside[:, None, :]
    pair_gap = gap.sum(axis=2) / np.maximum(n_out, 1)[:, None]
    shared = np.where(n_out > 0, 1.0 - pair_gap.mean(axis=1), 1.0)
    fr = friction[:, iu, ju].mean(axis=1)
    s = sens.mean(axis=1)
    w = np.asarray(w).T
    raw = w[0] * t + w[1] * connectivity + w[2] * lattice + w[3] * shared - w[4] * fr - w[5] * s
    # A member tied to no other member is not in the grouping in any working sense: the
    # grouping scores 0 (so a newcomer that brings only frictions can never raise it).
    isolated = degree <= 0.0
    raw = np.where(isolated.any(axis=1), 0.0, raw)
    return GroupScores(
        ties=t,
        connectivity=connectivity,
        lattice=lattice,
        threat=shared,
        friction=fr,
        sensitivity=s,
        cohesion=100.0 * np.clip(raw, 0.0, 1.0),
        hub=hub,
        centralisation=np.clip(centralisation, 0.0, 1.0),
        member_sensitivity=sens,
        fiedler=eigvec[:, :, 1] if eigvec is not None else np.zeros((b, k)),
        isolated=isolated,
    )


def score_groups(
    ctx: Context, groups: np.ndarray, weights: Weights, fiedler: bool = False
) -> GroupScores:
    """Score each row of ``groups`` (B, k) of actor indices, k >= 2, under ``ctx``."""
    groups = np.asarray(groups, dtype=int)
    if groups.ndim != 2 or groups.shape[1] < 2:
        raise ValueError("groups must be a (B, k) array with k >= 2")
    rows, cols = groups[:, :, None], groups[:, None, :]
    ties = ctx.ties[rows, cols]
    friction = ctx.friction[rows, cols]
    threat = ctx.threat[groups]
    outside = ~(groups[:, :, None] == ctx.targets[None, None, :]).any(axis=1)
    unease = 1.0 - ctx.member_sensitivity[rows, cols]
    unease = unease.prod(axis=2)  # the diagonal is 0 severity, so a factor of 1
    sens = 1.0 - (1.0 - ctx.framing_sensitivity[groups]) * unease
    return _components(ties, friction, threat, outside, sens, weights.vector(), fiedler)
