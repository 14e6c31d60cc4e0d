"""The six components of cohesion, each written once, for a batch of groupings.

A batch holds B groupings of k members. What a component needs is first gathered into
*pair form*: one value per member pair, pairs in :func:`pairs` order, so a grouping's
(k, k) matrix becomes P = k(k - 1)/2 values. Three callers gather their own way and then
call these functions: the reference (:func:`model.cohesion.score_groups`, groupings of a
context), the Monte Carlo (:func:`model.uncertainty.simulate`, one grouping per draw)
and the finder's bound (:class:`model.bounds.BatchScorer`, flat tables and bit masks).

Every array has the batch on its leading axis, and every sum runs left to right
(:func:`total`): a grouping gets the same bits alone or in a batch of any size, which
numpy's own sum does not promise (it pairs terms up differently by shape).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.memo import memoise
from model.scale import reported

__all__ = [
    "SOFT_EDGE",
    "Pairs",
    "both_view",
    "bounded",
    "centralisation",
    "cohesion",
    "common_front",
    "common_threat",
    "connectivity",
    "connectivity_bound",
    "friction",
    "hub",
    "lattice",
    "level_gaps",
    "member_totals",
    "pairs",
    "scaled",
    "sensitivity",
    "shared_threat",
    "shared_views",
    "spoiler_blend",
    "threat_gaps",
    "ties",
    "total",
    "unease",
    "unit",
    "weighted_mean",
    "weighted_sum",
]

#: How steeply the scale approaches its limits: below SOFT_EDGE (and above 1 - SOFT_EDGE)
#: the weighted sum is mapped onto an exponential tail instead of being clipped.
SOFT_EDGE = 0.05
_MANY = 256  # sums at once from which total() adds one term at a time across them


@dataclass(frozen=True, eq=False)
class Pairs:
    """The member pairs of a grouping of ``k``: pair p joins members ``i[p] < j[p]``;
    ``of[m]`` lists the k - 1 pairs holding member m, in the order of the other member;
    ``seen_by[m]`` is ``of[m]`` where m is the pair's first member, and P more where it
    is the second. ``square`` places pair values (then one value per member) into a
    flattened (k, k) matrix: entry (m, o) takes the pair of m and o, entry (m, m) the
    member's own value."""

    k: int
    i: np.ndarray
    j: np.ndarray
    of: np.ndarray
    seen_by: np.ndarray
    square: np.ndarray


@memoise(64)
def pairs(k: int) -> Pairs:
    """The :class:`Pairs` of a grouping of ``k`` members (``np.triu_indices`` order).

    >>> p = pairs(3)
    >>> p.i.tolist(), p.j.tolist(), p.of.tolist(), p.seen_by.tolist()
    ([0, 0, 1], [1, 2, 2], [[0, 1], [0, 2], [1, 2]], [[0, 1], [3, 2], [4, 5]])
    """
    i, j = np.triu_indices(k, 1)
    of = np.array([np.flatnonzero((i == m) | (j == m)) for m in range(k)], dtype=np.intp)
    of = of.reshape(k, k - 1)
    seen_by = np.where(i[of] == np.arange(k)[:, None], of, of + len(i))
    square = np.diag(np.arange(len(i), len(i) + k))
    square[i, j] = square[j, i] = np.arange(len(i))
    return Pairs(k, i, j, of, seen_by, square.ravel())


def total(x: np.ndarray) -> np.ndarray:
    """The sum over the last axis, added left to right (0 for an empty axis).

    >>> total(np.array([[1e16, 1.0, -1e16, 1.0]])).tolist()  # not 2: the order is fixed
    [1.0]
    """
    n = x.shape[-1]
    if n < 8:  # numpy adds fewer than eight terms one by one (0 for none)
        return np.add.reduce(x, axis=-1)
    if x.size < _MANY * n:  # a few sums: one call, running totals
        return np.add.accumulate(x, axis=-1)[..., -1]
    out = x[..., 0].copy()  # many: a term at a time across all of them, faster than either
    for term in range(1, n):
        out += x[..., term]
    return out


def unit(x: np.ndarray) -> np.ndarray:
    """``x`` clipped to [0, 1] (two ufuncs: ``np.clip`` costs more on small arrays)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def weighted_mean(values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The mean of ``values`` over the last axis, each counted ``weight`` times."""
    return total(values * weight) / total(weight)


def member_totals(pair_values: np.ndarray, p: Pairs, pillar: np.ndarray | None = None):
    """(B, k): for each member, the sum over its pairs of the pair's value, each times the
    other member's pillar weight when ``pillar`` is given."""
    if pillar is None:
        return total(pair_values[:, p.of])
    # each pair's value as its first member sees it, then as its second: times the other
    seen = np.concatenate([pair_values * pillar[:, p.j], pair_values * pillar[:, p.i]], axis=1)
    return total(seen[:, p.seen_by])


def ties(pair_ties: np.ndarray, pair_weight: np.ndarray) -> np.ndarray:
    """Ties T: the pillar-weighted mean framed tie over member pairs."""
    return weighted_mean(pair_ties, pair_weight)


def hub(pair_ties: np.ndarray, p: Pairs, pillar: np.ndarray) -> np.ndarray:
    """(B,): the position of the member holding the largest pillar-weighted share of the
    grouping's ties (weighted by its own pillar weight too); -1 for two members."""
    if p.k == 2:
        return np.full(len(pair_ties), -1)
    return (member_totals(pair_ties, p, pillar) * pillar).argmax(axis=1)


def lattice(pair_ties: np.ndarray, pair_weight: np.ndarray, hub_at: np.ndarray, p: Pairs):
    """Lattice L: ties over the pairs without the hub; for two members, T itself."""
    if p.k == 2:
        return ties(pair_ties, pair_weight)
    off_hub = (p.i[None, :] != hub_at[:, None]) & (p.j[None, :] != hub_at[:, None])
    return unit(weighted_mean(pair_ties * off_hub, pair_weight * off_hub))


def centralisation(degree: np.ndarray) -> np.ndarray:
    """Degree centralisation (0 to 1): how far ties concentrate on one member."""
    k = degree.shape[1]
    if k == 2:
        return np.zeros(len(degree))
    gap = degree.max(axis=1)[:, None] - degree
    return unit(total(gap) / ((k - 1) * (k - 2)))


def connectivity(
    pair_ties: np.ndarray, degree: np.ndarray, p: Pairs, fiedler: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """Connectivity C: the algebraic connectivity of the member graph over k, and with
    ``fiedler`` its Fiedler vectors (B, k), whose signs split it at its weakest cut."""
    b, k = degree.shape
    laplacian = np.concatenate([-pair_ties, degree], axis=1)[:, p.square].reshape(b, k, k)
    if fiedler:  # eigenvectors only when an explanation needs the weakest cut
        values, vectors = np.linalg.eigh(laplacian)
        vectors = vectors[:, :, 1]
    else:
        values, vectors = np.linalg.eigvalsh(laplacian), None
    return unit(values[:, 1] / k), vectors


def connectivity_bound(degree: np.ndarray) -> np.ndarray:
    """An upper bound on C without eigenvalues: λ₂ ≤ k/(k - 1) · (smallest weighted
    degree) (Fiedler, 1973), so C ≤ smallest degree / (k - 1)."""
    return unit(degree.min(axis=1) / (degree.shape[1] - 1))


def both_view(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Whether two actors both hold a view of each target (the last axis): a level above
    0. An actor's silence on a target is not a view, so it neither agrees nor differs."""
    return (first > 0.0) & (second > 0.0)


def level_gaps(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """How far apart two actors' threat levels are, target by target (the last axis),
    where both hold a view (:func:`both_view`); 0 elsewhere."""
    return np.abs(first - second) * both_view(first, second)


def threat_gaps(gaps: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """How far two members' threat views differ: the sum of their :func:`level_gaps` over
    the targets outside the grouping (``outside``: True for each target left outside)."""
    return total(gaps * outside)


def shared_views(first: np.ndarray, second: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """How many targets outside the grouping two members both hold a view of."""
    return total((both_view(first, second) & outside).astype(float))


def shared_threat(
    pair_gaps: np.ndarray,
    pair_views: np.ndarray,
    pair_weight: np.ndarray,
    pair_common,
    pair_rivalry,
) -> np.ndarray:
    """Shared threat H: the pillar-weighted mean over pairs of how alike the two see
    outside threats, 1 minus their mean gap over the targets both hold a view of
    (:func:`threat_gaps` over :func:`shared_views`; 1 when there is none), counted half
    on its own and in full as the pair faces a common threat: times ``(1 + common) / 2``,
    where ``common`` is the highest level both see in one outside target
    (:func:`common_threat`). Two states that agree only in fearing nothing share no
    purpose a grouping could serve; nor do two of which one fears the other, whatever
    they think of outsiders: each pair's share is also times ``1 - rivalry``, the threat
    either sees in the other (:func:`model.rows.mutual_threat`).

    >>> one, none = np.ones((1, 1)), np.zeros((1, 1))  # a pair sharing a full threat
    >>> [float(shared_threat(none, one, one, one, r * one)[0]) for r in (0, 0.25, 1)]
    [1.0, 0.75, 0.0]
    """
    agree = 1.0 - pair_gaps / np.maximum(pair_views, 1)
    return weighted_mean(agree * (0.5 + 0.5 * pair_common) * (1.0 - pair_rivalry), pair_weight)


def common_front(views: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """(B,): the highest threat level every member of a grouping sees in one country
    outside it (``views`` (B, k, K), ``outside`` (B, K)); 0 when no outside country is
    feared by all. How far the grouping would stand against someone.

    >>> views = np.array([[[0.6, 0.2], [0.3, 0.9]]])  # two members, two targets
    >>> common_front(views, np.array([[True, True]])).tolist()
    [0.3]
    """
    return (views * outside[:, None, :]).min(axis=1).max(axis=-1, initial=0.0)


def common_threat(first: np.ndarray, second: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """The highest threat level two actors both see (the lower of their two levels) in one
    target outside the grouping (the last axis; 0 when none)."""
    return (np.minimum(first, second) * outside).max(axis=-1, initial=0.0)


def spoiler_blend(mean: np.ndarray, worst: np.ndarray) -> np.ndarray:
    """A negative component: half the pillar-weighted mean, half the worst member, so one
    spoiler costs much however many others dilute the mean."""
    return 0.5 * (mean + worst)


def friction(pair_friction: np.ndarray, pair_weight: np.ndarray, p: Pairs, pillar: np.ndarray):
    """Friction F: the pairs' pillar-weighted mean blended with the worst member's
    pillar-weighted mean friction with the others (:func:`spoiler_blend`)."""
    member = member_totals(pair_friction, p, pillar) / (total(pillar)[:, None] - pillar)
    return spoiler_blend(weighted_mean(pair_friction, pair_weight), member.max(axis=1))


def unease(framing: np.ndarray, member: np.ndarray) -> np.ndarray:
    """A member's triggered sensitivity: the noisy-or of its unease with the framing
    (``framing``, one value per member) and with each other member (``member``, the others
    on the last axis; 0 for itself).

    >>> float(unease(np.array(0.5), np.array([0.0, 0.5])))
    0.75
    """
    return 1.0 - (1.0 - framing) * (1.0 - member).prod(axis=-1)


def sensitivity(unease: np.ndarray, framing_unease: np.ndarray, pillar: np.ndarray):
    """Sensitivity S: half the pillar-weighted mean of the members' :func:`unease` (a
    pillar's unease matters more) and half the largest unease with the framing itself
    (:func:`spoiler_blend`): any member can refuse what the framing asks of it, so a
    grouping holds only as far as its most reluctant member lets it (the veto risk).
    Unease about a fellow member counts in the mean only: it is a matter between the
    two, which their frictions also carry."""
    return spoiler_blend(weighted_mean(unease, pillar), framing_unease.max(axis=-1))


def weighted_sum(w: np.ndarray, t, c, lat, h, f, s) -> np.ndarray:
    """The components' weighted sum: T, C, L and H add, F and S subtract. ``w`` holds
    normalised weights in that order, shape (6,) or (B, 6) for one set per grouping."""
    w = np.asarray(w).T
    return w[0] * t + w[1] * c + w[2] * lat + w[3] * h - w[4] * f - w[5] * s


def bounded(raw):
    """Map the weighted sum of components onto (0, 1), keeping order: the identity
    between SOFT_EDGE and 1 - SOFT_EDGE, exponential tails that never reach 0 or 1
    outside (continuous with a continuous slope).

    >>> [round(float(bounded(x)), 4) for x in (-0.2, 0.0, 0.05, 0.5, 1.0)]
    [0.0003, 0.0184, 0.05, 0.5, 0.9816]
    """
    raw = np.asarray(raw, dtype=float)
    e = SOFT_EDGE
    if not ((raw < e) | (raw > 1.0 - e)).any():  # all on the identity: the usual case
        return raw.copy()
    low = e * np.exp((np.minimum(raw, e) - e) / e)
    high = 1.0 - e * np.exp((np.minimum(1.0 - raw, e) - e) / e)
    return np.where(raw < e, low, np.where(raw > 1.0 - e, high, raw))


def scaled(raw, framing: str) -> np.ndarray:
    """Cohesion (0-100) from the weighted sum, no grouping isolated: 100 times its
    :func:`bounded` value, on the framing's reported scale (:func:`model.scale.reported`,
    monotone, so the order is kept)."""
    return reported(100.0 * bounded(raw), framing)


def cohesion(raw: np.ndarray, isolated: np.ndarray, framing: str) -> np.ndarray:
    """Cohesion (0-100) from the weighted sum under ``framing`` (:func:`scaled`); 0 for a
    grouping with a member tied to no other (``isolated``, B), which is not in the
    grouping in any working sense."""
    return np.where(isolated, 0.0, scaled(raw, framing))
