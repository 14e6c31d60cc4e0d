"""Cohesion of many groupings at once, with an upper bound that skips the eigenvalue step.

The finder scores millions of groupings. Here every pairwise quantity (tie, friction,
threat gap) is a flat N * N table, so one gather per member pair brings each in, and
actors that change a row (threat targets, actors uneasy about a particular other) are
found with one bit mask per grouping. The only expensive step, the algebraic
connectivity, is bounded first:

    lambda_2 <= k / (k - 1) * (smallest weighted degree)         (Fiedler, 1973)

so connectivity C = lambda_2 / k <= min_degree / (k - 1). A grouping whose cohesion with
that bound in place of C cannot reach the current top results is ruled out without its
eigenvalues. Each component is computed by :mod:`model.components`, as the reference
``score_groups`` computes it, so the exact scores here equal those of ``score_groups``
(with eigvalsh; ``score`` uses eigh, so the finder rescores its final results with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from model import components as comp
from model.cohesion import Context, Weights

__all__ = ["BatchScorer", "PartialScores"]


@dataclass(frozen=True, eq=False)
class PartialScores:
    """Everything but the connectivity of B groupings, and the bound on their cohesion."""

    pair_ties: np.ndarray  # (B, pairs)
    degree: np.ndarray  # (B, k)
    ties: np.ndarray  # (B,) and the four components below: as score_groups has them
    lattice: np.ndarray
    threat: np.ndarray
    friction: np.ndarray
    sensitivity: np.ndarray
    isolated: np.ndarray  # (B,) a member has no tie to any other: cohesion 0
    w: np.ndarray  # the normalised weights

    @cached_property
    def upper(self) -> np.ndarray:
        """(B,) cohesion (0-100) can be no higher than this: C at its bound."""
        return self.cohesion(comp.connectivity_bound(self.degree))

    def cohesion(self, connectivity: np.ndarray, rows=slice(None)) -> np.ndarray:
        """Cohesion (0-100) of ``rows`` with this ``connectivity`` (or its bound)."""
        parts = (self.ties, self.lattice, self.threat, self.friction, self.sensitivity)
        t, lat, h, f, s = (x[rows] for x in parts)
        raw = comp.weighted_sum(self.w, t, connectivity, lat, h, f, s)
        return comp.cohesion(raw, self.isolated[rows])


class BatchScorer:
    """Scores groupings of any size under one context and set of weights."""

    def __init__(self, ctx: Context, weights: Weights, always: tuple[int, ...] = ()):
        """``always``: actors in every grouping to be scored (the finder's required ones)."""
        n = len(ctx.codes)
        self.n = n
        self.ties = np.ascontiguousarray(ctx.ties).ravel()
        self.friction = np.ascontiguousarray(ctx.friction).ravel()
        self.pillar = ctx.pillar
        # A target that is always a member is never outside: its column (0 in every gap
        # score_groups sums) is left out now, the other targets' gaps summed once.
        self.target_actors = np.array([t for t in ctx.targets if t not in always], dtype=int)
        outside = [c for c, t in enumerate(ctx.targets) if t not in always]
        views = ctx.threat[:, outside]
        # each pair's level gaps (N * N, targets), and their sum with every target outside
        self.level_gaps = comp.level_gaps(views[:, None, :], views[None, :, :])
        self.level_gaps = self.level_gaps.reshape(n * n, len(outside))
        self.gaps = comp.threat_gaps(self.level_gaps, np.True_)
        self.framing_sensitivity = ctx.framing_sensitivity
        self.member_sensitivity = ctx.member_sensitivity
        # a member's unease when no other member it is uneasy about is in the grouping
        self.alone = comp.unease(ctx.framing_sensitivity, np.zeros((n, 1)))
        self.uneasy = np.flatnonzero(ctx.member_sensitivity.any(axis=1))
        # Actors whose presence changes a row get a bit: the targets that can be inside
        # (their gaps leave the threat sum) and actors uneasy about particular others.
        self.bits = np.zeros(n, dtype=np.int64)
        for bit, actor in enumerate([*self.target_actors, *self.uneasy]):
            self.bits[actor] |= np.int64(1) << bit
        self.target_bits = np.int64((1 << len(self.target_actors)) - 1)
        self.w = weights.vector()

    def partial(self, groups: np.ndarray) -> PartialScores:
        """Five components exactly, and cohesion's upper bound, for each row of ``groups``."""
        groups = np.asarray(groups, dtype=np.intp)
        p = comp.pairs(groups.shape[1])
        flat = groups[:, p.i] * self.n + groups[:, p.j]
        pillar = self.pillar[groups]
        pair_weight = pillar[:, p.i] * pillar[:, p.j]
        pair_ties = self.ties[flat]
        degree = comp.member_totals(pair_ties, p)
        present = np.bitwise_or.reduce(self.bits[groups], axis=1)
        return PartialScores(
            pair_ties=pair_ties,
            degree=degree,
            ties=comp.ties(pair_ties, pair_weight),
            lattice=comp.lattice(pair_ties, pair_weight, comp.hub(pair_ties, p, pillar), p),
            threat=comp.shared_threat(*self._gaps(groups, flat, present), pair_weight),
            friction=comp.friction(self.friction[flat], pair_weight, p, pillar),
            sensitivity=comp.sensitivity(self._unease(groups, present), pillar),
            isolated=(degree <= 0.0).any(axis=1),
            w=self.w,
        )

    def _gaps(self, groups: np.ndarray, flat: np.ndarray, present: np.ndarray):
        """Each pair's threat gaps over the targets outside its grouping, and how many
        targets each grouping leaves outside; only groupings holding a target are summed
        again, without it."""
        gaps = self.gaps[flat]
        n_out = np.full(len(groups), len(self.target_actors))
        rows = np.flatnonzero(present & self.target_bits)
        if len(rows):
            outside = (present[rows, None] >> np.arange(len(self.target_actors))) & 1 == 0
            gaps[rows] = comp.threat_gaps(self.level_gaps[flat[rows]], outside[:, None, :])
            n_out[rows] = outside.sum(axis=1)
        return gaps, n_out

    def _unease(self, groups: np.ndarray, present: np.ndarray) -> np.ndarray:
        """Each member's unease; only the members uneasy about particular others, in the
        groupings that hold them, are computed again."""
        unease = self.alone[groups]
        for bit, m in enumerate(self.uneasy, start=len(self.target_actors)):
            rows = np.flatnonzero(present & (np.int64(1) << bit))  # only rows holding m
            if len(rows):
                where = (groups[rows] == m).argmax(axis=1)
                unease[rows, where] = comp.unease(
                    self.framing_sensitivity[m], self.member_sensitivity[m, groups[rows]]
                )
        return unease

    def exact(self, part: PartialScores, rows: np.ndarray | None = None) -> np.ndarray:
        """Cohesion (0-100) of the chosen rows of ``part`` (all rows when None)."""
        if rows is None:
            rows = np.arange(len(part.upper))
        degree = part.degree[rows]
        pairs = comp.pairs(degree.shape[1])
        connectivity, _ = comp.connectivity(part.pair_ties[rows], degree, pairs)
        return part.cohesion(connectivity, rows)

    def cohesion(self, groups: np.ndarray) -> np.ndarray:
        """Cohesion (0-100) of every row of ``groups``, without the bound."""
        return self.exact(self.partial(groups))
