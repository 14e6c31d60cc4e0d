"""The most cohesive groupings under must-include and must-exclude constraints.

Two methods, one answer format:

* **exhaustive**: every grouping in the candidate pool, in chunks of a few thousand
  (lexicographic order, so memory stays bounded), scored in batches by
  :class:`model.bounds.BatchScorer`. Connectivity, the costly component, is computed only
  for groupings whose upper bound can still reach the top results; the rest are ruled out
  by the bound. The results are proven best.
* **beam** (a heuristic, when the count is beyond reach): grow groupings one member at a
  time from the required members, keeping the ``width`` best at each size, then improve
  the finalists by swapping one member in and out until no swap helps. Not proven best;
  tests check it against the exhaustive answer where both run.

Either way, the results are rescored with :func:`model.cohesion.score_groups`, the path
:func:`model.score.score` takes, so a result's cohesion equals its ``score`` exactly.
Ties are ordered by their member codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from math import comb

import numpy as np

from model.bounds import BatchScorer
from model.cohesion import COMPONENTS, Weights, context, score_groups
from model.data import Dataset
from model.memo import memoise
from model.schema import FRAMINGS, REGIONS

__all__ = [
    "HARD_LIMIT",
    "MAX_EXHAUSTIVE",
    "MAX_SIZE",
    "MAX_TOP",
    "METHODS",
    "SearchError",
    "SearchQuery",
    "SearchResult",
    "best_groupings",
    "candidate_pool",
    "check",
    "combination_chunks",
    "count_groupings",
    "find_groupings",
    "parse_sizes",
]

#: ``auto`` searches exhaustively up to this many groupings, by beam search beyond it.
MAX_EXHAUSTIVE = 20_000_000
#: An exhaustive search is refused beyond this many groupings, even when asked for.
HARD_LIMIT = 200_000_000
METHODS = ("auto", "exhaustive", "beam")
MAX_SIZE = 30
MAX_TOP = 100
CHUNK = 8192  # groupings per batch: small enough to stay in cache, big enough for numpy
BEAM_WIDTH = 96
_TOLERANCE = 1e-7  # the bound can undercut an exact score by the eigen-solver's last bits
_KEY_DIGITS = 9  # cohesions equal to 9 decimals count as a tie, ordered by member codes

Progress = Callable[[int, int], None]


class SearchError(ValueError):
    """A query that cannot be searched; the message names the bad value."""


@dataclass(frozen=True)
class SearchQuery:
    """What to search for: sizes, constraints, the candidate pool and the scenario."""

    sizes: tuple[int, ...]
    framing: str = "alliance"
    year: int = 2024
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # empty: every region
    with_orgs: bool = False
    top: int = 10
    weights: Weights = field(default_factory=Weights)
    method: str = "auto"


@dataclass(frozen=True)
class Found:
    members: tuple[str, ...]
    cohesion: float
    components: dict[str, float]


@dataclass(frozen=True)
class SearchResult:
    results: tuple[Found, ...]  # best first
    evaluated: int  # groupings scored in full
    bounded: int  # groupings ruled out by the bound without their connectivity
    candidates: int  # groupings that meet the constraints
    exhaustive: bool  # the results are proven best
    method: str  # "exhaustive" or "beam"

    def to_json(self) -> dict:
        return {
            "results": [
                {"members": list(f.members), "cohesion": f.cohesion, "components": f.components}
                for f in self.results
            ],
            "evaluated": self.evaluated,
            "exhaustive": self.exhaustive,
            "method": self.method,
            "bounded": self.bounded,
            "candidates": self.candidates,
        }


# --------------------------------------------------------------------------- query


def parse_sizes(text: str) -> tuple[int, ...]:
    """Sizes from ``"5"`` or a range ``"4-6"``.

    >>> parse_sizes("4-6")
    (4, 5, 6)
    """
    lo, sep, hi = str(text).strip().partition("-")
    try:
        first, last = int(lo), int(hi) if sep else int(lo)
    except ValueError:
        raise SearchError(f"size '{text}' is not a number or a range like 4-6") from None
    if first > last:
        raise SearchError(f"size range '{text}' runs backwards")
    return tuple(range(first, last + 1))


def candidate_pool(ds: Dataset, q: SearchQuery) -> tuple[str, ...]:
    """The actors that may fill the open places: states (and organisations with
    ``with_orgs``) in the chosen regions, minus the required and the excluded."""
    return tuple(
        a.code
        for a in ds.actors
        if (q.with_orgs or a.kind == "state")
        and (not q.regions or a.region in q.regions)
        and a.code not in q.require
        and a.code not in q.exclude
    )


def count_groupings(ds: Dataset, q: SearchQuery) -> int:
    """How many groupings meet the query's constraints."""
    pool = len(candidate_pool(ds, q))
    return sum(comb(pool, s - len(q.require)) for s in q.sizes if s >= len(q.require))


def check(ds: Dataset, q: SearchQuery) -> SearchQuery:
    """The query with codes normalised; :class:`SearchError` naming what is wrong."""
    require = tuple(sorted({c.strip().upper() for c in q.require if c.strip()}))
    exclude = tuple(sorted({c.strip().upper() for c in q.exclude if c.strip()}))
    for option, codes in (("require", require), ("exclude", exclude)):
        unknown = [c for c in codes if c not in ds.codes]
        if unknown:
            raise SearchError(f"{option}: unknown code(s) {', '.join(map(repr, unknown))}")
    both = sorted(set(require) & set(exclude))
    if both:
        raise SearchError(f"{', '.join(both)} cannot be both required and excluded")
    bad_regions = [r for r in q.regions if r not in REGIONS]
    if bad_regions:
        raise SearchError(
            f"unknown region(s) {', '.join(map(repr, bad_regions))}; known: {', '.join(REGIONS)}"
        )
    if q.framing not in FRAMINGS:
        raise SearchError(f"framing '{q.framing}' is not one of {', '.join(FRAMINGS)}")
    if q.method not in METHODS:
        raise SearchError(f"method '{q.method}' is not one of {', '.join(METHODS)}")
    if not 1 <= q.top <= MAX_TOP:
        raise SearchError(f"top {q.top} is not from 1 to {MAX_TOP}")
    if not q.sizes:
        raise SearchError("no size given")
    q = SearchQuery(
        tuple(sorted(set(q.sizes))),
        q.framing,
        q.year,
        require,
        exclude,
        tuple(sorted(set(q.regions))),
        q.with_orgs,
        q.top,
        q.weights,
        q.method,
    )
    pool = candidate_pool(ds, q)
    for size in q.sizes:
        if size < 2:
            raise SearchError(f"size {size} is too small: a grouping needs at least two members")
        if size > MAX_SIZE:
            raise SearchError(f"size {size} is over the limit of {MAX_SIZE} members")
        if len(require) > size:
            raise SearchError(f"{len(require)} required members do not fit in a grouping of {size}")
        if size - len(require) > len(pool):
            raise SearchError(
                f"size {size} is larger than the pool: only {len(pool)} "
                f"candidates are left for {size - len(require)} open places"
            )
    total = count_groupings(ds, q)
    if q.method == "exhaustive" and total > HARD_LIMIT:
        raise SearchError(
            f"{total:,} groupings is over the exhaustive limit of "
            f"{HARD_LIMIT:,}; use the beam method"
        )
    return q


# --------------------------------------------------------------------------- driver


def find_groupings(
    ds: Dataset,
    query: SearchQuery,
    progress: Progress | None = None,
    max_exhaustive: int = MAX_EXHAUSTIVE,
) -> SearchResult:
    """The ``query.top`` most cohesive groupings that meet the query's constraints.

    ``progress``, if given, is called with (groupings done, groupings in all) as the
    search goes; a caller can stop a long search by raising from it.
    """
    q = check(ds, query)
    total = count_groupings(ds, q)
    method = q.method
    if method == "auto":
        method = "exhaustive" if total <= max_exhaustive else "beam"
    ctx = context(ds, q.year, q.framing)
    fixed = np.array([ds.index(c) for c in q.require], dtype=np.intp)
    scorer = BatchScorer(ctx, q.weights, tuple(fixed.tolist()))
    pool = np.array([ds.index(c) for c in candidate_pool(ds, q)], dtype=np.intp)
    keep = _TopGroups(q.top)
    if method == "exhaustive":
        evaluated, bounded = _exhaustive(scorer, fixed, pool, q.sizes, keep, total, progress)
    else:
        evaluated, bounded = _beam(scorer, fixed, pool, q.sizes, keep, BEAM_WIDTH, progress)
    results = _rescore(ds, ctx, q, keep.groups())
    return SearchResult(results, evaluated, bounded, total, method == "exhaustive", method)


def best_groupings(
    ds: Dataset,
    size: int,
    framing: str,
    year: int,
    require: Sequence[str] = (),
    exclude: Sequence[str] = (),
    top: int = 10,
    weights: Weights = Weights(),
    with_orgs: bool = False,
    progress: Progress | None = None,
    method: str = "auto",
) -> SearchResult:
    """:func:`find_groupings` for one size, in the CLI's terms."""
    query = SearchQuery(
        (size,), framing, year, tuple(require), tuple(exclude), (), with_orgs, top, weights, method
    )
    return find_groupings(ds, query, progress)


class _TopGroups:
    """The best groupings seen so far by fast score, a few spares against rounding.

    Groupings are tuples of actor indices in ascending order; a dataset keeps its actors
    sorted by code, so comparing the tuples orders ties by member codes.
    """

    def __init__(self, top: int):
        self.top, self.size = top, top + 8
        self.items: dict[tuple[int, ...], float] = {}
        self.floor = -np.inf

    @staticmethod
    def _key(item: tuple[tuple[int, ...], float]):
        return -round(item[1], _KEY_DIGITS), item[0]

    def offer(self, groups: np.ndarray, scores: np.ndarray) -> None:
        hopeful = scores >= self.floor - _TOLERANCE
        groups, scores = np.sort(groups[hopeful], axis=1), scores[hopeful]
        if len(scores) > self.size:  # the best, ties by members, before any Python loop
            keys = [groups[:, j] for j in range(groups.shape[1] - 1, -1, -1)]
            order = np.lexsort([*keys, -np.round(scores, _KEY_DIGITS)])[: self.size]
            groups, scores = groups[order], scores[order]
        for g, value in zip(groups.tolist(), scores.tolist(), strict=True):
            self.items[tuple(g)] = value
        if len(self.items) > self.size:
            self.items = dict(sorted(self.items.items(), key=self._key)[: self.size])
        if len(self.items) >= self.top:
            self.floor = sorted(self.items.values(), reverse=True)[self.top - 1]

    def groups(self) -> list[tuple[int, ...]]:
        return list(self.items)


def _rescore(ds: Dataset, ctx, q: SearchQuery, groups: list[tuple[int, ...]]):
    """Rescore the finalists one by one, as ``score`` does, and order them best first.

    With the Fiedler vector, as ``score`` does: eigh and eigvalsh differ in the last
    bits, and a result must equal its ``score`` exactly.
    """
    found: list[Found] = []
    for g in groups:
        members = tuple(sorted(ds.codes[j] for j in g))
        s = score_groups(ctx, np.array([[ds.index(c) for c in members]]), q.weights, fiedler=True)
        parts = {c: float(getattr(s, c)[0]) for c in COMPONENTS}
        found.append(Found(members, float(s.cohesion[0]), parts))
    found.sort(key=lambda f: (-round(f.cohesion, _KEY_DIGITS), f.members))
    return tuple(found[: q.top])


# --------------------------------------------------------------------------- exhaustive


@memoise(128)
def _table(m: int, r: int) -> np.ndarray:
    """Every r-subset of range(m), one per row, in lexicographic order."""
    if r == 0:
        return np.zeros((1, 0), dtype=np.intp)
    parts = [
        np.concatenate([np.full((len(t), 1), a, dtype=np.intp), a + 1 + t], axis=1)
        for a in range(m - r + 1)
        for t in [_table(m - a - 1, r - 1)]
    ]
    out = np.concatenate(parts)
    out.setflags(write=False)
    return out


def combination_chunks(n: int, r: int, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """Every r-subset of range(n) in lexicographic order, in arrays of about ``chunk``.

    >>> [c.tolist() for c in combination_chunks(4, 2, chunk=3)]
    [[[0, 1], [0, 2], [0, 3]], [[1, 2], [1, 3], [2, 3]]]
    """
    pending: list[np.ndarray] = []
    held = 0
    for piece in _pieces(n, r, 0, (), chunk):
        pending.append(piece)
        held += len(piece)
        if held >= chunk:
            yield np.concatenate(pending)
            pending, held = [], 0
    if pending:
        yield np.concatenate(pending)


def _pieces(n: int, r: int, start: int, prefix: tuple[int, ...], chunk: int):
    if comb(n - start, r) <= chunk or r == 0:
        rest = start + _table(n - start, r)
        head = np.broadcast_to(np.array(prefix, dtype=np.intp), (len(rest), len(prefix)))
        yield np.concatenate([head, rest], axis=1)
        return
    for a in range(start, n - r + 1):
        yield from _pieces(n, r - 1, a + 1, (*prefix, a), chunk)


def _exhaustive(
    scorer: BatchScorer,
    fixed: np.ndarray,
    pool: np.ndarray,
    sizes: tuple[int, ...],
    keep: _TopGroups,
    total: int,
    progress: Progress | None,
) -> tuple[int, int]:
    evaluated = bounded = done = 0
    for size in sizes:
        free = size - len(fixed)
        for picks in combination_chunks(len(pool), free):
            groups = np.concatenate(
                [np.broadcast_to(fixed, (len(picks), len(fixed))), pool[picks]], axis=1
            )
            # The screen's bound first, on every grouping; the full bound and the exact
            # scores only for those it leaves, in order of the bound, so that the floor
            # rises as fast as it can.
            floor = keep.floor - _TOLERANCE
            groups = groups[scorer.screen(groups, floor) >= floor]
            if len(groups):
                part = scorer.partial(groups)
                hopeful = np.flatnonzero(part.upper >= keep.floor - _TOLERANCE)
                hopeful = hopeful[np.argsort(-part.upper[hopeful], kind="stable")]
                for start in range(0, len(hopeful), 512):
                    rows = hopeful[start : start + 512]
                    rows = rows[part.upper[rows] >= keep.floor - _TOLERANCE]
                    if len(rows) == 0:
                        break
                    keep.offer(groups[rows], scorer.exact(part, rows))
                    evaluated += len(rows)
            done += len(picks)
            bounded = done - evaluated
            if progress is not None:
                progress(done, total)
    return evaluated, bounded


# --------------------------------------------------------------------------- beam


def _beam(
    scorer: BatchScorer,
    fixed: np.ndarray,
    pool: np.ndarray,
    sizes: tuple[int, ...],
    keep: _TopGroups,
    width: int,
    progress: Progress | None,
) -> tuple[int, int]:
    """Grow from the required members, ``width`` best per size; then one-swap polish."""
    if len(fixed) >= 2:
        starts = fixed[None, :]
    else:  # start from every pair holding the required member (or every pair)
        starts = np.array(
            [tuple(fixed) + p for p in combinations(pool.tolist(), 2 - len(fixed))], dtype=np.intp
        )
    beam, scores = _best_of(scorer, starts, width)
    evaluated = len(starts)
    if beam.shape[1] in sizes:
        keep.offer(beam, scores)
    last = max(sizes)
    while beam.shape[1] < last:
        grown = _grow(beam, pool)
        beam, scores = _best_of(scorer, grown, width)
        evaluated += len(grown)
        if beam.shape[1] in sizes:
            keep.offer(beam, scores)
        if progress is not None:
            progress(beam.shape[1], last)
    evaluated += _polish(scorer, fixed, pool, keep)
    return evaluated, 0


def _grow(beam: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Every grouping one member larger than a row of ``beam``, each once."""
    b = len(beam)
    extra = np.broadcast_to(pool, (b, len(pool)))
    fresh = ~(extra[:, :, None] == beam[:, None, :]).any(axis=2)
    rows = np.repeat(np.arange(b), fresh.sum(axis=1))
    grown = np.concatenate([beam[rows], extra[fresh][:, None]], axis=1)
    return np.unique(np.sort(grown, axis=1), axis=0)


def _best_of(scorer: BatchScorer, groups: np.ndarray, width: int):
    scores = np.concatenate(
        [scorer.cohesion(groups[i : i + CHUNK]) for i in range(0, len(groups), CHUNK)]
    )
    order = np.lexsort((np.arange(len(scores)), -scores))[:width]
    return groups[order], scores[order]


def _polish(
    scorer: BatchScorer, fixed: np.ndarray, pool: np.ndarray, keep: _TopGroups, rounds: int = 10
) -> int:
    """Swap one non-required member for one outsider while that finds better groupings."""
    evaluated = 0
    required = set(fixed.tolist())
    for _ in range(rounds):
        before = sorted(keep.items.items())
        neighbours = set()
        for g in keep.groups():
            inside = set(g)
            for out in inside - required:
                for new in pool.tolist():
                    if new not in inside:
                        neighbours.add(tuple(sorted(inside - {out} | {new})))
        neighbours -= set(keep.items)
        if not neighbours:
            break
        for size in {len(g) for g in neighbours}:
            rows = np.array([g for g in neighbours if len(g) == size], dtype=np.intp)
            keep.offer(rows, scorer.cohesion(rows))
            evaluated += len(rows)
        if sorted(keep.items.items()) == before:
            break
    return evaluated
