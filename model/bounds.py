"""Cohesion of many groupings at once, with an upper bound that skips the eigenvalue step.

The finder scores millions of groupings. Here every pairwise quantity (tie, friction,
threat gap) is a flat N * N table, so one gather per member pair brings each in, and
actors that change a row (threat targets, actors uneasy about a particular other) are
found with one bit mask per grouping. The only expensive step, the algebraic
connectivity, is bounded first:

    lambda_2 <= k / (k - 1) * (smallest weighted degree)         (Fiedler, 1973)

so connectivity C = lambda_2 / k <= min_degree / (k - 1). A grouping whose cohesion with
that bound in place of C cannot reach the current top results is ruled out without its
eigenvalues.

Before that, :meth:`BatchScorer.screen` rules out most groupings from three gathers of
flat pair tables: ties and shared threat exactly, connectivity by the bound above,
lattice by the largest pair tie (a weighted mean of some of the pairs), friction by its
pair-weighted mean (a weighted mean of the members' frictions, so never above the worst
member's) and sensitivity by the members' unease with the framing alone (unease about
particular members only adds). Only the groupings it leaves get :meth:`partial`.

The numbers agree with ``score_groups`` to rounding (~1e-12); the finder rescores its
final results with ``score_groups`` so that they equal ``score`` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.cohesion import EXPOSED, Context, Weights, spoiler_blend
from model.components import both_view, common_front, level_gaps, scaled, shared_threat
from model.memo import memoise
from model.rows import mutual_threat

__all__ = ["BatchScorer", "PartialScores"]

_TINY = 1e-300  # floor for 1 - severity before the log: a severity of 1 stays (almost) 1


@memoise(64)
def _pairs(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Upper-triangle pairs (i, j) of k members; for each member its pairs' columns and
    the position of the other member in each of those pairs."""
    iu, ju = np.triu_indices(k, 1)
    # A gather and a sum, not a matmul: BLAS threads stall when the machine is busy.
    member_pairs = np.array([np.flatnonzero((iu == m) | (ju == m)) for m in range(k)])
    member_pairs = member_pairs.reshape(k, k - 1)
    other = np.where(iu[member_pairs] == np.arange(k)[:, None], ju[member_pairs], iu[member_pairs])
    return iu, ju, member_pairs, other


def _weighted(values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    return (values * weight).sum(axis=1) / weight.sum(axis=1)


@dataclass(frozen=True, eq=False)
class PartialScores:
    """Everything but the connectivity of B groupings, and the bound on their cohesion."""

    pair_ties: np.ndarray  # (B, pairs)
    degree: np.ndarray  # (B, k)
    rest: np.ndarray  # (B,) the weighted sum of the five other components
    isolated: np.ndarray  # (B,) a member has no tie to any other: cohesion 0
    upper: np.ndarray  # (B,) cohesion (0-100) can be no higher than this


class BatchScorer:
    """Scores groupings of any size under one context and set of weights."""

    def __init__(self, ctx: Context, weights: Weights, always: tuple[int, ...] = ()):
        """``always``: actors in every grouping to be scored (the finder's required ones)."""
        n = len(ctx.codes)
        first, second = ctx.threat[:, None, :], ctx.threat[None, :, :]
        views = both_view(first, second)  # (N, N, K): both hold a view of the target
        gaps = level_gaps(first, second)  # (N, N, K), 0 where either is silent
        targets = [int(t) for t in ctx.targets]
        self.n = n
        self.ties = np.ascontiguousarray(ctx.ties).ravel()
        self.friction = np.ascontiguousarray(ctx.friction).ravel()
        self.pillar = ctx.pillar
        # flat pair tables for the screen: a pair's weight, and its weighted tie and friction,
        # multiplied as partial multiplies them (so the screen's ties equal partial's)
        pair_weight = np.multiply.outer(ctx.pillar, ctx.pillar).ravel()
        self.pair_weight = pair_weight
        self.weighted_ties = self.ties * pair_weight
        self.weighted_friction = self.friction * pair_weight
        # A target that is always a member is never an outside target: leave it out now.
        outside = [i for i, t in enumerate(targets) if t not in always]
        self.n_targets = len(outside)
        self.gap_all = gaps[:, :, outside].sum(axis=2).ravel()
        self.views_all = views[:, :, outside].sum(axis=2).ravel()
        self.framing_unease = ctx.framing_sensitivity
        # under the economic framing a member's unease with it counts as far as the
        # grouping faces a common threat (model.components.common_front)
        self.exposure = ctx.framing == EXPOSED
        self.framing = ctx.framing  # whose calibrated scale the scores are read on
        self.threat, self.target_actors = ctx.threat, np.asarray(ctx.targets)
        # Actors whose presence changes a row: the remaining targets (their gaps leave the
        # threat sum) and actors uneasy about particular others. Each gets a bit.
        self.targets = [
            (t, np.ascontiguousarray(gaps[:, :, i]).ravel(), views[:, :, i].ravel())
            for i, t in ((i, targets[i]) for i in outside)
        ]
        self.uneasy = [
            (int(m), np.log(np.maximum(1.0 - ctx.member_sensitivity[m], _TINY)))
            for m in np.flatnonzero(ctx.member_sensitivity.any(axis=1))
        ]
        special = [t for t, _, _ in self.targets] + [m for m, _ in self.uneasy]
        self.bits = np.zeros(n, dtype=np.int64)
        for bit, actor in enumerate(special):
            self.bits[actor] |= np.int64(1) << bit
        # a pair's common threat in each outside target (the lower of their two levels),
        # and its highest over all of them, for groupings with no target inside
        self.commons = [
            np.minimum(ctx.threat[:, None, i], ctx.threat[None, :, i]).ravel() for i in outside
        ]
        self.common_all = np.max(self.commons, axis=0, initial=0.0)
        # a pair's rivalry: the threat either sees in the other, as the reference has it
        self.rivalry = mutual_threat(ctx.threat, np.asarray(ctx.targets), n).ravel()
        self.target_bits = np.int64((1 << len(self.targets)) - 1)
        self.w = weights.vector()

    def screen(self, groups: np.ndarray, floor: float = -np.inf) -> np.ndarray:
        """An upper bound on the cohesion (0-100) of each row of ``groups``, never below
        :attr:`PartialScores.upper` and much cheaper (the module's docstring says why each
        term holds). Shared threat counts as 1 at first; rows whose bound still reaches
        ``floor`` then get the exact shared threat, a tighter bound."""
        groups = np.asarray(groups, dtype=np.intp)
        k = groups.shape[1]
        iu, ju, member_pairs, _ = _pairs(k)
        flat = groups[:, iu] * self.n + groups[:, ju]
        pair_ties = self.ties[flat]
        total = self.pair_weight[flat].sum(axis=1)
        ties = self.weighted_ties[flat].sum(axis=1) / total
        friction = self.weighted_friction[flat].sum(axis=1) / total
        degree = pair_ties[:, member_pairs].sum(axis=2)
        pillar = self.pillar[groups]
        # unease with the framing alone (about particular members only adds); none under
        # the economic framing, where it counts only as far as a common threat is faced
        framing_unease = self.framing_unease[groups] * (0.0 if self.exposure else 1.0)
        unease = spoiler_blend(_weighted(framing_unease, pillar), framing_unease.max(axis=1))
        lattice = np.minimum(pair_ties.max(axis=1), 1.0)
        connectivity = np.clip(degree.min(axis=1) / (k - 1), 0.0, 1.0)
        w = self.w
        raw = w[0] * ties + w[1] * connectivity + w[2] * lattice - w[4] * friction
        raw -= w[5] * unease
        upper = np.where((degree <= 0.0).any(axis=1), 0.0, scaled(raw + w[3], self.framing))
        rows = np.flatnonzero(upper >= floor)
        if len(rows) and self.n_targets:
            present = np.bitwise_or.reduce(self.bits[groups[rows]], axis=1)
            shared = self._shared_threat(flat[rows], present, self.pair_weight[flat[rows]])
            upper[rows] = np.minimum(upper[rows], scaled(raw[rows] + w[3] * shared, self.framing))
        return upper

    def partial(self, groups: np.ndarray) -> PartialScores:
        """Five components exactly, and cohesion's upper bound, for each row of ``groups``."""
        groups = np.asarray(groups, dtype=np.intp)
        k = groups.shape[1]
        iu, ju, member_pairs, other = _pairs(k)
        flat = groups[:, iu] * self.n + groups[:, ju]
        pillar = self.pillar[groups]
        pair_weight = pillar[:, iu] * pillar[:, ju]
        pair_ties = self.ties[flat]
        degree = pair_ties[:, member_pairs].sum(axis=2)
        ties = _weighted(pair_ties, pair_weight)
        if k == 2:
            lattice = ties
        else:
            held = (pair_ties[:, member_pairs] * pillar[:, other]).sum(axis=2) * pillar
            hub = held.argmax(axis=1)[:, None]
            off_hub = (iu[None, :] != hub) & (ju[None, :] != hub)
            lattice = np.clip(_weighted(pair_ties * off_hub, pair_weight * off_hub), 0.0, 1.0)
        pair_friction = self.friction[flat]
        member_friction = (pair_friction[:, member_pairs] * pillar[:, other]).sum(axis=2) / (
            pillar.sum(axis=1, keepdims=True) - pillar
        )
        friction = spoiler_blend(_weighted(pair_friction, pair_weight), member_friction.max(1))
        present = np.bitwise_or.reduce(self.bits[groups], axis=1)
        shared = self._shared_threat(flat, present, pair_weight)
        framing = self.framing_unease[groups]
        if self.exposure:
            framing = framing * self._front(groups)[:, None]
        unease = framing.copy()
        for bit, (m, log_keep) in enumerate(self.uneasy, start=len(self.targets)):
            rows = np.flatnonzero(present & (1 << bit))  # only rows holding m change
            if len(rows):
                where = (groups[rows] == m).argmax(axis=1)
                unease[rows, where] = 1.0 - (1.0 - framing[rows, where]) * np.exp(
                    log_keep[groups[rows]].sum(axis=1)
                )
        framing_worst = framing.max(axis=1)
        sensitivity = spoiler_blend(_weighted(unease, pillar), framing_worst)
        w = self.w
        rest = w[0] * ties + w[2] * lattice + w[3] * shared - w[4] * friction - w[5] * sensitivity
        isolated = (degree <= 0.0).any(axis=1)
        best_connectivity = np.clip(degree.min(axis=1) / (k - 1), 0.0, 1.0)
        upper = np.where(isolated, 0.0, scaled(rest + w[1] * best_connectivity, self.framing))
        return PartialScores(pair_ties, degree, rest, isolated, upper)

    def _front(self, groups: np.ndarray) -> np.ndarray:
        """:func:`model.components.common_front` of each row of ``groups``."""
        views = self.threat[groups]  # (B, k, K)
        outside = ~(groups[:, :, None] == self.target_actors[None, None, :]).any(axis=1)
        return common_front(views, outside)

    def _shared_threat(self, flat: np.ndarray, present: np.ndarray, pair_weight) -> np.ndarray:
        """Shared threat (:func:`model.components.shared_threat`) over the outside targets;
        a target inside the grouping (its bit in ``present``) is left out."""
        gap = self.gap_all[flat]  # gathers: new arrays, changed in place below
        views = self.views_all[flat]
        common = self.common_all[flat] if self.n_targets else np.zeros(flat.shape)
        inside = np.flatnonzero(present & self.target_bits)
        if len(inside):  # groupings holding a target: its gaps, views and commons leave
            common[inside] = 0.0
            for bit, ((_, gap_t, views_t), common_t) in enumerate(
                zip(self.targets, self.commons, strict=True)
            ):
                held = (present[inside] & (1 << bit)) != 0
                rows = inside[held]
                if len(rows):
                    gap[rows] -= gap_t[flat[rows]]
                    views[rows] -= views_t[flat[rows]]
                rows = inside[~held]
                if len(rows):
                    common[rows] = np.maximum(common[rows], common_t[flat[rows]])
        return shared_threat(gap, views, pair_weight, common, self.rivalry[flat])

    def exact(self, part: PartialScores, rows: np.ndarray | None = None) -> np.ndarray:
        """Cohesion (0-100) of the chosen rows of ``part`` (all rows when None)."""
        if rows is None:
            rows = np.arange(len(part.rest))
        pair_ties, degree = part.pair_ties[rows], part.degree[rows]
        b, k = degree.shape
        iu, ju, _, _ = _pairs(k)
        laplacian = np.zeros((b, k, k))
        laplacian[:, iu, ju] = -pair_ties
        laplacian[:, ju, iu] = -pair_ties
        laplacian[:, np.arange(k), np.arange(k)] = degree
        connectivity = np.clip(np.linalg.eigvalsh(laplacian)[:, 1] / k, 0.0, 1.0)
        raw = part.rest[rows] + self.w[1] * connectivity
        return np.where(part.isolated[rows], 0.0, scaled(raw, self.framing))

    def cohesion(self, groups: np.ndarray) -> np.ndarray:
        """Cohesion (0-100) of every row of ``groups``, without the bound."""
        return self.exact(self.partial(groups))
