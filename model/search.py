"""The most cohesive groupings of a given size under must-include/exclude constraints."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np

from model.cohesion import Weights, context, score_groups
from model.data import Dataset

__all__ = ["MAX_EVALUATIONS", "SearchResult", "best_groupings"]

MAX_EVALUATIONS = 3_000_000
CHUNK = 20_000


@dataclass(frozen=True)
class SearchResult:
    results: tuple[tuple[tuple[str, ...], float], ...]  # (members, cohesion), best first
    evaluated: int
    exhaustive: bool

    def to_json(self) -> dict:
        return {
            "results": [{"members": list(m), "cohesion": c} for m, c in self.results],
            "evaluated": self.evaluated,
            "exhaustive": self.exhaustive,
        }


def best_groupings(
    ds: Dataset,
    size: int,
    framing: str,
    year: int,
    require: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    top: int = 10,
    weights: Weights = Weights(),
    with_orgs: bool = False,
    progress=None,
) -> SearchResult:
    """Score every grouping of ``size`` that contains ``require`` and avoids ``exclude``.

    ``progress``, if given, is called with the share done (0-1) after each chunk.
    """
    require = tuple(sorted(set(require)))
    if size < 2:
        raise ValueError(f"size {size} is too small: a grouping needs at least two members")
    if len(require) > size:
        raise ValueError(f"{len(require)} required members do not fit in a grouping of {size}")
    pool = [
        a.code for a in ds.actors
        if (with_orgs or a.kind == "state") and a.code not in require and a.code not in exclude
    ]
    free = size - len(require)
    if free > len(pool):
        raise ValueError(f"only {len(pool)} candidates are left for {free} open places")
    total = comb(len(pool), free)
    if total > MAX_EVALUATIONS:
        raise ValueError(f"{total} groupings is over the exhaustive limit of {MAX_EVALUATIONS}")
    ctx = context(ds, year, framing)
    fixed = np.array([ds.index(c) for c in require], dtype=int)
    pool_idx = np.array([ds.index(c) for c in pool], dtype=int)
    best: list[tuple[float, tuple[str, ...]]] = []
    done = 0
    combos = combinations(range(len(pool)), free)
    while True:
        taken = list(_take(combos, CHUNK))
        chunk = np.array(taken, dtype=int).reshape(len(taken), free)
        if len(chunk) == 0:
            break
        groups = np.concatenate([np.broadcast_to(fixed, (len(chunk), len(fixed))),
                                 pool_idx[chunk]], axis=1)
        groups.sort(axis=1)
        cohesion = score_groups(ctx, groups, weights).cohesion
        order = np.argsort(-cohesion, kind="stable")[:top]
        for i in order:
            best.append((float(cohesion[i]), tuple(ds.codes[j] for j in groups[i])))
        best = sorted(best, key=lambda x: (-x[0], x[1]))[:top]
        done += len(chunk)
        if progress is not None:
            progress(done / total if total else 1.0)
    return SearchResult(tuple((m, c) for c, m in best), done, True)


def _take(iterator, n: int):
    for _, item in zip(range(n), iterator):  # noqa: B905 - deliberately stops at n
        yield item
