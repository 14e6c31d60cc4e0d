"""Who holds a grouping together: Shapley values, leave-one-out and candidate additions."""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np

from model.cohesion import Context, Weights, score_groups
from model.memo import memoise

__all__ = ["EXACT_SHAPLEY_MAX", "gains_from_adding", "shapley_values", "subset_values"]

#: Up to this many members Shapley values are exact (all 2^n subsets are scored).
EXACT_SHAPLEY_MAX = 12
SAMPLED_PERMUTATIONS = 400


@memoise(256)
def _combos(n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """All k-subsets of range(n) as positions (C, k) and as bitmasks (C,)."""
    pos = np.array(list(combinations(range(n), k)), dtype=np.int64).reshape(-1, k)
    return pos, (np.int64(1) << pos).sum(axis=1)


def subset_values(ctx: Context, members: np.ndarray, weights: Weights) -> np.ndarray:
    """Cohesion of every subset of ``members``, indexed by bitmask (v = 0 below two members).

    >>> from model import Weights, context, load_dataset
    >>> ds = load_dataset()
    >>> ctx, w = context(ds, 2024, "alliance"), Weights()
    >>> pair = np.array([ds.index("JPN"), ds.index("USA")])
    >>> values = subset_values(ctx, pair, w)
    >>> values[:3].tolist()  # no member, JPN alone, USA alone
    [0.0, 0.0, 0.0]
    >>> bool(values[0b11] == score_groups(ctx, pair[None, :], w).cohesion[0])
    True
    """
    n = len(members)
    values = np.zeros(1 << n)
    for k in range(2, n + 1):
        pos, masks = _combos(n, k)
        values[masks] = score_groups(ctx, members[pos], weights).cohesion
    return values


@memoise(32)
def _shapley_coefficients(n: int) -> tuple[np.ndarray, np.ndarray]:
    masks = np.arange(1 << n, dtype=np.int64)
    size = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        size += (masks >> i) & 1
    coef = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    return masks, size, coef  # type: ignore[return-value]


def _exact_shapley(values: np.ndarray, n: int) -> np.ndarray:
    masks, size, coef = _shapley_coefficients(n)
    phi = np.zeros(n)
    for i in range(n):
        bit = np.int64(1) << i
        without = masks[(masks & bit) == 0]
        phi[i] = (coef[size[without]] * (values[without | bit] - values[without])).sum()
    return phi


def _sampled_shapley(ctx: Context, members: np.ndarray, weights: Weights, seed: int) -> np.ndarray:
    """Average marginal contribution over random orders (sums exactly to v(N))."""
    n = len(members)
    rng = np.random.default_rng(seed)
    orders = np.array([rng.permutation(n) for _ in range(SAMPLED_PERMUTATIONS)])
    prefix = np.cumsum(np.int64(1) << orders, axis=1)  # mask after each step
    value: dict[int, float] = {0: 0.0}
    for k in range(1, n + 1):
        masks = np.unique(prefix[:, k - 1])
        if k == 1:
            value.update({int(m): 0.0 for m in masks})
            continue
        pos = np.array([[i for i in range(n) if (m >> i) & 1] for m in masks])
        scores = score_groups(ctx, members[pos], weights).cohesion
        value.update(zip(masks.tolist(), scores.tolist(), strict=True))
    phi = np.zeros(n)
    for order, steps in zip(orders, prefix, strict=True):
        before = 0
        for who, after in zip(order, steps.tolist(), strict=True):
            phi[who] += value[after] - value[before]
            before = after
    return phi / SAMPLED_PERMUTATIONS


def shapley_values(
    ctx: Context, members: np.ndarray, weights: Weights, seed: int = 0
) -> tuple[np.ndarray, np.ndarray | None]:
    """Each member's Shapley value of cohesion, and the subset values when exact."""
    n = len(members)
    if n <= EXACT_SHAPLEY_MAX:
        values = subset_values(ctx, members, weights)
        return _exact_shapley(values, n), values
    return _sampled_shapley(ctx, members, weights, seed), None


def gains_from_adding(
    ctx: Context, members: np.ndarray, candidates: np.ndarray, weights: Weights, base: float
) -> np.ndarray:
    """Cohesion change from adding each candidate on its own (0-100 points)."""
    if len(candidates) == 0 or len(members) == 0:
        return np.zeros(len(candidates))
    groups = np.concatenate(
        [np.broadcast_to(members, (len(candidates), len(members))), candidates[:, None]], axis=1
    )
    groups.sort(axis=1)
    return score_groups(ctx, groups, weights).cohesion - base
