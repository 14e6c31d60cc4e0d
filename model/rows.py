"""The rows that count in a year, and what they make of each pair of actors, as arrays.

One implementation of the rules that turn rows into pairs, shared by a context (every
actor, each row as recorded) and the Monte Carlo (a grouping's members, each row's value
redrawn, with a leading draw axis):

* a pair's strength in each domain: depth over count
  (:func:`model.aggregate.depth_over_count`) over its strongest link of each kind, on
  record or through an organisation (at the weaker of its two rows);
* a pair's friction in each domain: the noisy-or of its frictions' shares, and in
  security the threat either sees in the other (a rival inside is a spoiler);
* each actor's threat view of each target;
* the sensitivities a grouping triggers (:func:`triggered`), as each actor's unease with
  the framing and with each other actor.

The actors are a *universe* (all of a dataset's, or a grouping's members) and arrays
index them by position in it. A row's value comes from the caller, on the last axis of
an array whose leading axes (a batch: draws) carry through to the result.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from model.aggregate import (
    KIND_AT,
    KIND_DOMAIN,
    KINDS,
    depth_of_cells,
    derived_links,
    org_rows,
    tie_table,
)
from model.data import Dataset, Sensitivity
from model.memo import memoise
from model.schema import DATED_TABLES, DOMAINS, FRICTION_DOMAINS

__all__ = [
    "Edit",
    "InForce",
    "PairArrays",
    "in_force",
    "judgements",
    "lends_ties",
    "member_of",
    "mutual_threat",
    "pair_arrays",
    "recorded_values",
    "triggered",
    "triggered_rows",
    "unease_arrays",
]

_OPEN = 9999  # a blank ``until``: a year past every scenario


def member_of(trigger: str) -> str | None:
    """The actor whose membership a sensitivity's trigger names; None for a framing.

    >>> member_of("member:JPN"), member_of("framing:alliance")
    ('JPN', None)
    """
    return trigger.removeprefix("member:") if trigger.startswith("member:") else None


def triggered(
    s: Sensitivity, framing: str, members: Collection[str], year: int | None = None
) -> bool:
    """Whether a grouping of ``members`` under ``framing`` triggers sensitivity ``s``: its
    actor is a member and its trigger is the framing (``framing:alliance``) or another
    member (``member:JPN``); with ``year``, it must also be in force that year (None: at
    any time, for a timeline that asks about rows that start or end).

    >>> from dataclasses import replace
    >>> india = Sensitivity(actor="IND", trigger="framing:alliance", severity=0.9, since=2017,
    ...                     until=None, confidence="high", sources=(), note="")
    >>> [triggered(india, f, ("IND", "USA"), 2024) for f in ("alliance", "dialogue")]
    [True, False]
    >>> triggered(india, "alliance", ("IND", "USA"), 2010), triggered(india, "alliance", ("USA",))
    (False, False)
    >>> korea = replace(india, actor="KOR", trigger="member:JPN")
    >>> triggered(korea, "dialogue", ("KOR", "USA")), triggered(korea, "dialogue", ("JPN", "KOR"))
    (False, True)
    """
    if year is not None and not s.active(year):
        return False
    other = member_of(s.trigger)
    return s.actor in members and (
        other in members if other is not None else s.trigger == f"framing:{framing}"
    )


@dataclass(frozen=True, eq=False)
class InForce:
    """The rows in force in a year within a universe of ``n`` actors, as arrays.

    Actors are positions in the universe; ``*_rows`` are positions in the dataset's
    tables, the rows whose values a caller brings, in this order, on the last axis.
    """

    n: int
    link_kind: np.ndarray  # (L,) each link's kind, as a position in KINDS
    link_ends: np.ndarray  # (L, 2) the two actors it joins
    link_rows: np.ndarray  # (L, 2) positions in tie_rows; a link on record names its row twice
    tie_rows: np.ndarray  # (U,) positions in ds.ties
    friction_ends: np.ndarray  # (F, 2)
    friction_share: np.ndarray  # (F, 3) each friction's share in each domain
    friction_rows: np.ndarray  # (F,) positions in ds.frictions
    threat_actor: np.ndarray  # (V,) the actor holding each threat view
    threat_column: np.ndarray  # (V,) its target, as a position in ``targets``
    threat_rows: np.ndarray  # (V,) positions in ds.threats
    targets: np.ndarray  # (K,) each target's position in the universe, -1 outside it


@dataclass(frozen=True)
class Edit:
    """Rows of one table held out of force (``off``) or kept in force (``on``) in the year
    asked about, as positions in ``ds.<table>``: an event undone (model/timeline.py)
    without a new dataset. A row is in force as usual unless the edit names it. Rows of
    ties with an organisation are not edited this way (the ties they lend its members
    would change): :func:`in_force` refuses them."""

    table: str
    off: frozenset[int] = frozenset()
    on: frozenset[int] = frozenset()

    def active(self, table: str, active: np.ndarray) -> np.ndarray:
        """``active`` (one flag per row of ``table``) with this edit applied."""
        if table != self.table:
            return active
        out = active.copy()
        out[list(self.off)] = False
        out[list(self.on)] = True
        return out


@memoise(256)
def _links(ds: Dataset, year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every tie link in force in ``year``: kind, ends (actor indices) and rows (two
    positions in ``ds.ties``), those on record first, then those through organisations."""
    table = tie_table(ds)
    on = np.flatnonzero(table.active(year))
    derived = derived_links(ds, year)
    kind = [KIND_AT[link.kind] for link in derived]
    ends = [(ds.index(link.a), ds.index(link.b)) for link in derived]
    rows = [(link.rows[0], link.rows[-1]) for link in derived]
    return (
        np.concatenate([table.kind[on], np.array(kind, dtype=int)]),
        np.concatenate([np.stack([table.a[on], table.b[on]], axis=1), _pairs(ends)]),
        np.concatenate([np.stack([on, on], axis=1), _pairs(rows)]),
    )


def _pairs(items: list) -> np.ndarray:
    return np.array(items, dtype=int).reshape(-1, 2)


@memoise(32)
def _dated(ds: Dataset, table: str, ends: tuple[str, str]) -> tuple[np.ndarray, ...]:
    """(actor indices of the two ``ends`` columns, since, until) of a dated table."""
    rows = getattr(ds, table)
    return (
        np.array([[ds.index(getattr(r, e)) for e in ends] for r in rows], dtype=int).reshape(-1, 2),
        np.array([r.since for r in rows], dtype=int),
        np.array([_OPEN if r.until is None else r.until for r in rows], dtype=int),
    )


@memoise(32)
def _friction_shares(ds: Dataset) -> np.ndarray:
    return np.array([FRICTION_DOMAINS[f.kind] for f in ds.frictions], dtype=float).reshape(-1, 3)


def _edit(edit: Edit | None, table: str, active: np.ndarray) -> np.ndarray:
    return active if edit is None else edit.active(table, active)


def lends_ties(ds: Dataset, edit: Edit) -> bool:
    """Whether ``edit`` holds a tie with an organisation, which changes the ties the
    organisation lends its members: such an edit needs a new dataset, not an
    :class:`Edit` (:func:`in_force` refuses it)."""
    return edit.table == "ties" and bool((edit.off | edit.on) & set(org_rows(ds)))


def _edited_links(ds: Dataset, year: int, links: tuple, edit: Edit) -> tuple:
    """:func:`_links` with ``edit``'s tie rows held out or kept in: a recorded row is a
    link of its own (its row named twice), so each is dropped or added as one link."""
    if lends_ties(ds, edit):
        raise ValueError("an edit of the ties cannot hold a row with an organisation")
    kind, ends, rows = links
    table = tie_table(ds)
    held = np.isin(rows[:, 0], list(edit.off)) & (rows[:, 0] == rows[:, 1])
    active = table.active(year)
    on = np.array(sorted(r for r in edit.on if not active[r]), dtype=int)
    return (
        np.concatenate([kind[~held], table.kind[on]]),
        np.concatenate([ends[~held], np.stack([table.a[on], table.b[on]], axis=1)]),
        np.concatenate([rows[~held], np.stack([on, on], axis=1)]),
    )


def in_force(
    ds: Dataset, year: int, universe: tuple[int, ...] | None = None, edit: Edit | None = None
) -> InForce:
    """The rows of ``ds`` in force in ``year`` between actors of ``universe`` (actor
    indices; every actor when None), and every threat view its actors hold; with ``edit``,
    some rows of one table held out of force or kept in it (:class:`Edit`)."""
    n_all = len(ds.actors)
    kind, ends, rows = _links(ds, year)
    if edit is not None and edit.table == "ties":
        kind, ends, rows = _edited_links(ds, year, (kind, ends, rows), edit)
    if universe is None:  # every link, its rows as they are in ds.ties
        n, local = n_all, np.arange(n_all)
        keep, tie_rows, link_rows = slice(None), np.arange(len(ds.ties)), rows
    else:  # the links within, their rows renumbered by the rows they use
        n, local = len(universe), np.full(n_all, -1)
        local[list(universe)] = np.arange(n)
        keep = (local[ends] >= 0).all(axis=1)
        tie_rows, link_rows = np.unique(rows[keep], return_inverse=True)
    f_ends, since, until = _dated(ds, "frictions", ("a", "b"))
    active = _edit(edit, "frictions", (since <= year) & (year <= until))
    f_rows = np.flatnonzero(active & (local[f_ends] >= 0).all(axis=1))
    t_ends, since, until = _dated(ds, "threats", ("actor", "target"))
    active = _edit(edit, "threats", (since <= year) & (year <= until))
    # only targets someone perceives this year: an expired view must not add a column
    targets = np.flatnonzero(np.bincount(t_ends[active, 1], minlength=n_all))
    column = np.full(n_all, -1)
    column[targets] = np.arange(len(targets))
    t_rows = np.flatnonzero(active & (local[t_ends[:, 0]] >= 0))
    return InForce(
        n=n,
        link_kind=kind[keep],
        link_ends=local[ends[keep]],
        link_rows=link_rows.reshape(-1, 2),
        tie_rows=tie_rows,
        friction_ends=local[f_ends[f_rows]],
        friction_share=_friction_shares(ds)[f_rows],
        friction_rows=f_rows,
        threat_actor=local[t_ends[t_rows, 0]],
        threat_column=column[t_ends[t_rows, 1]],
        threat_rows=t_rows,
        targets=local[targets],
    )


def judgements(ds: Dataset, table: str, rows: np.ndarray) -> np.ndarray:
    """The judgement on record (a strength, severity or level) of each of ``rows`` of a
    dated table ("ties", "frictions", "sensitivities" or "threats")."""
    return _judgements(ds, table)[rows]


@memoise(32)
def _judgements(ds: Dataset, table: str) -> np.ndarray:
    if table == "ties":  # read once already, with the rest of each tie
        return tie_table(ds).strength
    column = DATED_TABLES[f"{table}.csv"].judgement
    return np.array([getattr(r, column) for r in getattr(ds, table)], dtype=float)


def recorded_values(ds: Dataset, f: InForce) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The judgements on record of the rows ``f`` names: (tie strengths, friction
    severities, threat levels), as :func:`pair_arrays` takes them."""
    return (
        judgements(ds, "ties", f.tie_rows),
        judgements(ds, "frictions", f.friction_rows),
        judgements(ds, "threats", f.threat_rows),
    )


@dataclass(frozen=True, eq=False)
class PairArrays:
    """What the rows in force in a year make of each pair of actors, before any framing;
    ``*B`` is the callers' leading (batch) axes."""

    domain_ties: np.ndarray  # (3, *B, n, n) depth-over-count strength per domain
    domain_friction: np.ndarray  # (3, *B, n, n), threat between the two included
    threat: np.ndarray  # (*B, n, K) each actor's threat level towards each target
    targets: np.ndarray  # (K,) each target's position in the universe, -1 outside it


def _batch_last(values: np.ndarray) -> np.ndarray:
    """Rows first, the batch after: the layout :func:`_scatter` takes."""
    return values if values.ndim == 1 else np.moveaxis(values, -1, 0)


def _batch_first(pairs: np.ndarray) -> np.ndarray:
    """(X, n, n, *B) -> (X, *B, n, n)."""
    return pairs if pairs.ndim == 3 else np.moveaxis(pairs, (1, 2), (-2, -1))


def _scatter(ufunc: np.ufunc, out: np.ndarray, index: tuple, values: np.ndarray) -> None:
    """``ufunc.at(out, index, values)`` for a C-contiguous ``out``: each cell takes its
    values in their order. When each value is a whole batch, a layer of distinct cells
    at a time (``ufunc.at`` is slow then), with the same result."""
    if values.ndim == 1 or not len(values):
        ufunc.at(out, index, values)
        return
    cells = np.ravel_multi_index(index, out.shape[: len(index)])
    flat = out.reshape(-1, *out.shape[len(index) :])
    order = np.argsort(cells, kind="stable")
    cells, values = cells[order], values[order]
    starts = np.flatnonzero(np.diff(cells, prepend=-1))
    # each value's rank among its cell's: 0 for the first, 1 for the next...
    rank = np.arange(len(cells)) - np.repeat(starts, np.diff(starts, append=len(cells)))
    for layer in range(rank.max() + 1):
        at = cells[rank == layer]
        flat[at] = ufunc(flat[at], values[rank == layer])


def _tie_strengths(f: InForce, strength: np.ndarray) -> np.ndarray:
    """(3, *B, n, n): each pair's strength per domain from ``strength`` (…, U) of tie_rows.

    Worked out only for the kinds that each pair has a link of (its strongest link of a
    kind, :func:`model.aggregate.depth_of_cells`), each pair once (the strengths are
    symmetric; a pair with none is 0 in every domain), then set both ways.
    """
    link = np.minimum(strength[..., f.link_rows[:, 0]], strength[..., f.link_rows[:, 1]])
    link = _batch_last(link)
    domain = np.zeros((len(DOMAINS), f.n, f.n, *link.shape[1:]))
    if not len(link):
        return _batch_first(domain)
    a, b = f.link_ends.min(axis=1), f.link_ends.max(axis=1)
    pair = a * f.n + b
    # cells (one kind of one pair) in the order of their domain, then pair, then kind
    cell = (KIND_DOMAIN[f.link_kind] * f.n * f.n + pair) * len(KINDS) + f.link_kind
    order = np.argsort(cell, kind="stable")
    cell = cell[order]
    first = np.flatnonzero(np.diff(cell, prepend=-1))
    strongest = np.maximum.reduceat(link[order], first, axis=0)  # each cell's strongest link
    cell = cell[first]
    groups, group = np.unique(cell // len(KINDS), return_inverse=True)  # a domain of a pair
    strengths = depth_of_cells(strongest, cell % len(KINDS), group)
    dom, lo, hi = groups // (f.n * f.n), groups % (f.n * f.n) // f.n, groups % f.n
    inside = lo != hi  # a link of an actor with itself counts for nothing
    domain[dom[inside], lo[inside], hi[inside]] = strengths[inside]
    domain[dom[inside], hi[inside], lo[inside]] = strengths[inside]
    return _batch_first(domain)


def _threat_views(f: InForce, level: np.ndarray) -> np.ndarray:
    """(*B, n, K): each actor's threat level towards each target (one view in force at a
    time: validation keeps an actor's views of a target from overlapping)."""
    out = np.zeros((*level.shape[:-1], f.n, len(f.targets)))
    out[..., f.threat_actor, f.threat_column] = level
    return out


def mutual_threat(threat: np.ndarray, targets: np.ndarray, n: int) -> np.ndarray:
    """(..., n, n): how much either of two actors sees the other as a threat (the larger
    view); ``targets`` holds each target's position among the n actors (-1: not one of
    them). A member that the others fear is a spoiler, whatever the grouping's size."""
    seen = np.zeros((*threat.shape[:-2], n, n))
    inside = targets >= 0
    seen[..., :, targets[inside]] = threat[..., inside]
    return np.maximum(seen, np.swapaxes(seen, -1, -2))


def _friction_strengths(f: InForce, severity: np.ndarray, threat: np.ndarray) -> np.ndarray:
    """(3, *B, n, n): each pair's friction per domain, the noisy-or of its frictions'
    shares of ``severity`` (…, F), and in security the threat either sees in the other."""
    severity = _batch_last(severity)
    share = f.friction_share.reshape(*f.friction_share.shape, *[1] * (severity.ndim - 1))
    log_keep = np.zeros((len(DOMAINS), f.n, f.n, *severity.shape[1:]))
    with np.errstate(divide="ignore"):  # a severity of 1 keeps nothing: log 0
        factor = np.log(1.0 - severity[:, None] * share)  # (F, 3, *B)
    # each pair's rows one way, then the other, in row order; in each, every domain
    a, b = f.friction_ends[:, 0], f.friction_ends[:, 1]
    both_ways = (
        np.tile(np.arange(len(DOMAINS)), 2 * len(a)),
        np.repeat(np.concatenate([a, b]), len(DOMAINS)),
        np.repeat(np.concatenate([b, a]), len(DOMAINS)),
    )
    values = np.concatenate([factor, factor]).reshape(-1, *factor.shape[2:])
    _scatter(np.add, log_keep, both_ways, values)
    keep = _batch_first(np.exp(log_keep))
    keep[0] *= 1.0 - mutual_threat(threat, f.targets, f.n)
    return 1.0 - keep


def pair_arrays(
    f: InForce, strength: np.ndarray, severity: np.ndarray, level: np.ndarray
) -> PairArrays:
    """The :class:`PairArrays` of the rows ``f``, from each tie row's strength (…, U),
    each friction's severity (…, F) and each threat view's level (…, V)."""
    threat = _threat_views(f, level)
    return PairArrays(
        domain_ties=_tie_strengths(f, strength),
        domain_friction=_friction_strengths(f, severity, threat),
        threat=threat,
        targets=f.targets,
    )


def triggered_rows(
    ds: Dataset, framing: str, year: int, where: Mapping[str, int], edit: Edit | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sensitivity rows a grouping of ``where``'s actors triggers (:func:`triggered`):
    positions in ``ds.sensitivities``, each row's actor and the member its trigger names
    (-1 for the framing), as positions ``where`` gives them; with ``edit``, some rows held
    out of force or kept in it (:class:`Edit`)."""
    off, on = (edit.off, edit.on) if edit and edit.table == "sensitivities" else ((), ())
    rows, actor, other = [], [], []
    for r, s in enumerate(ds.sensitivities):
        if r not in off and triggered(s, framing, where, None if r in on else year):
            code = member_of(s.trigger)
            rows.append(r)
            actor.append(where[s.actor])
            other.append(-1 if code is None else where[code])
    return tuple(np.array(x, dtype=int) for x in (rows, actor, other))


def unease_arrays(
    n: int, actor: np.ndarray, other: np.ndarray, severity: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's unease with the framing (…, n) and with each other actor (…, n, n):
    the noisy-or of the severities (…, S) of its triggered rows (:func:`triggered_rows`)."""
    batch = severity.shape[:-1]
    framing_keep, member_keep = np.ones((*batch, n)), np.ones((*batch, n, n))
    for s, (a, o) in enumerate(zip(actor, other, strict=True)):
        if o < 0:
            framing_keep[..., a] *= 1.0 - severity[..., s]
        else:
            member_keep[..., a, o] *= 1.0 - severity[..., s]
    return 1.0 - framing_keep, 1.0 - member_keep
