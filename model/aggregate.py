"""From dated rows to pair strengths: depth over count, frictions by framing, organisations.

Three rules turn the rows in force in a year into one number per pair and domain:

* **Depth over count.** Rows of one kind between one pair are one commitment at its
  strongest. Across kinds, each commitment can anchor the pair, and the others lift it
  only part of the way to a ceiling set by the anchor's depth (:data:`LEVEL_CEILING`),
  with diminishing returns, so no pile of partnerships reaches a treaty alliance.
* **Frictions by framing.** Each friction kind is split over the domains
  (:data:`model.schema.FRICTION_DOMAINS`); a framing weighs the domains of frictions as it
  weighs those of ties, with a floor, since a military quarrel hurts an economic bloc too.
* **Organisations.** A state is a member of an organisation while a ``membership`` tie
  joins them. The organisation's trade and economic agreements count for each member state
  with that partner, and two members share the commitments both have with the
  organisation (NATO's Article 5, the EU's single market), at the weaker of the two.

The functions take strengths as arrays with any leading shape, so the Monte Carlo reuses
them on its draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.data import Dataset
from model.memo import memoise
from model.schema import COMMITMENT_LEVEL, DOMAINS, TIE_KINDS

__all__ = [
    "AGREEMENT_KINDS",
    "EXTRA_SHARE",
    "FRICTION_FLOOR",
    "KINDS",
    "KIND_AT",
    "LEVEL_CEILING",
    "TieLink",
    "TieTable",
    "depth_of_cells",
    "depth_over_count",
    "derived_links",
    "friction_weights",
    "org_rows",
    "tie_links",
    "tie_table",
]

#: Tie kinds in a fixed order: the axis of the per-kind strength arrays.
KINDS: tuple[str, ...] = tuple(TIE_KINDS)
KIND_DOMAIN = np.array([DOMAINS.index(TIE_KINDS[k]) for k in KINDS])
KIND_LEVEL = np.array([COMMITMENT_LEVEL[k] for k in KINDS])

#: How high further commitments can lift a pair whose deepest kind has this level: a
#: defence pact can reach 1, a pile of partnerships stays below a typical treaty (0.9).
LEVEL_CEILING: dict[int, float] = {4: 1.0, 3: 0.75, 2: 0.6, 1: 0.45}
#: The share of the gap to the ceiling that further commitments can close, at most.
EXTRA_SHARE = 0.5
#: The least weight a framing gives any domain of friction.
FRICTION_FLOOR = 0.3
#: An organisation's agreements of these kinds count for its member states.
AGREEMENT_KINDS: frozenset[str] = frozenset({"economic_union", "fta", "economic_partnership"})

_CEILING = np.array([0.0, *(LEVEL_CEILING[v] for v in (1, 2, 3, 4))])
_KIND_CEILING = _CEILING[KIND_LEVEL]
# TIE_KINDS lists each domain's kinds together, in DOMAINS order
assert list(KIND_DOMAIN) == sorted(KIND_DOMAIN) and set(KIND_DOMAIN) == {0, 1, 2}
_DOMAIN_START = np.searchsorted(KIND_DOMAIN, np.arange(len(DOMAINS)))
KIND_AT = {kind: k for k, kind in enumerate(KINDS)}  # KINDS.index, as a lookup


@dataclass(frozen=True)
class TieLink:
    """A tie between two actors in force in a year, from the record or derived.

    ``rows`` are positions in ``Dataset.ties``: one for a recorded tie or an
    organisation's agreement counted for a member state, two for a commitment two members
    share through an organisation (the weaker of the two counts).
    """

    a: str
    b: str
    kind: str
    rows: tuple[int, ...]
    via: str = ""  # the organisation a derived tie comes through


@memoise(32)
def org_rows(ds: Dataset) -> tuple[int, ...]:
    """Positions of the tie rows with an organisation on either side."""
    orgs = {a.code for a in ds.actors if a.kind != "state"}
    return tuple(r for r, t in enumerate(ds.ties) if t.a in orgs or t.b in orgs)


def derived_links(ds: Dataset, year: int) -> list[TieLink]:
    """The ties in force in ``year`` that reach states through organisations."""
    orgs = {a.code for a in ds.actors if a.kind != "state"}
    rows = [r for r in org_rows(ds) if ds.ties[r].active(year)]
    members: dict[str, set[str]] = {}
    for r in rows:
        t = ds.ties[r]
        if t.kind == "membership":
            org, state = (t.a, t.b) if t.a in orgs else (t.b, t.a)
            members.setdefault(org, set()).add(state)
    links: list[TieLink] = []
    for org in sorted(members):
        inside = members[org]
        # each member's strongest row of each kind with the organisation
        best: dict[str, dict[str, int]] = {}
        for r in rows:
            t = ds.ties[r]
            if org not in (t.a, t.b) or t.kind == "membership":
                continue
            other = t.b if t.a == org else t.a
            if other in inside:
                mine = best.setdefault(other, {})
                if t.kind not in mine or ds.ties[mine[t.kind]].strength < t.strength:
                    mine[t.kind] = r
            elif t.kind in AGREEMENT_KINDS:
                links += [TieLink(s, other, t.kind, (r,), org) for s in sorted(inside)]
        states = sorted(best)
        for i, s1 in enumerate(states):
            for s2 in states[i + 1 :]:
                for kind in sorted(best[s1].keys() & best[s2].keys()):
                    links.append(TieLink(s1, s2, kind, (best[s1][kind], best[s2][kind]), org))
    return links


@memoise(64)
def tie_links(ds: Dataset, year: int) -> tuple[TieLink, ...]:
    """Every tie in force in ``year``: the recorded rows, then those derived through
    organisations (see the module docstring). Memoised: the Monte Carlo of every scenario
    of a year reads them."""
    links = [TieLink(t.a, t.b, t.kind, (r,)) for r, t in enumerate(ds.ties) if t.active(year)]
    return (*links, *derived_links(ds, year))


@dataclass(frozen=True, eq=False)
class TieTable:
    """The tie rows as arrays: actor indices, kind index, strength and period."""

    a: np.ndarray
    b: np.ndarray
    kind: np.ndarray
    strength: np.ndarray
    since: np.ndarray
    until: np.ndarray  # blank until as a year past every scenario

    def active(self, year: int) -> np.ndarray:
        return (self.since <= year) & (year <= self.until)


@memoise(32)
def tie_table(ds: Dataset) -> TieTable:
    """:class:`TieTable` of ``ds.ties``, memoised per dataset."""
    ties = ds.ties
    return TieTable(
        a=np.array([ds.index(t.a) for t in ties], dtype=int),
        b=np.array([ds.index(t.b) for t in ties], dtype=int),
        kind=np.array([KIND_AT[t.kind] for t in ties], dtype=int),
        strength=np.array([t.strength for t in ties], dtype=float),
        since=np.array([t.since for t in ties], dtype=int),
        until=np.array([9999 if t.until is None else t.until for t in ties], dtype=int),
    )


def depth_over_count(per_kind: np.ndarray) -> np.ndarray:
    """A pair's strength in each domain from its strongest row of each kind.

    ``per_kind`` has the kinds (in :data:`KINDS` order) on its first axis and any shape
    after it; the result has the three domains on its first axis. Each kind present can
    anchor the pair: its strength, lifted by the other kinds (combined by noisy-or) by
    :data:`EXTRA_SHARE` of the gap up to the ceiling of the anchor's own level
    (:data:`LEVEL_CEILING`). The pair takes its best anchor. So a treaty can reach 1, a
    pile of partnerships stays below a typical treaty, and adding a tie never lowers it.

    >>> s = np.zeros(len(KINDS))
    >>> s[KINDS.index("exercise")] = s[KINDS.index("intelligence_sharing")] = 0.4
    >>> float(depth_over_count(s)[0])  # intelligence anchors: 0.4 + (0.6 - 0.4) * 0.5 * 0.4
    0.44
    >>> s[KINDS.index("treaty_alliance")] = 0.9
    >>> round(float(depth_over_count(s)[0]), 4)  # 0.9 + 0.1 * 0.5 * (1 - 0.6 * 0.6)
    0.932
    """
    s = np.asarray(per_kind, dtype=float)
    shape = (-1, *([1] * (s.ndim - 1)))
    # kinds are grouped by domain, so each domain is one slice: reduce over the slices
    keep_all = np.multiply.reduceat(1.0 - s, _DOMAIN_START, axis=0)[KIND_DOMAIN]
    anchored = _anchored(s, keep_all, _KIND_CEILING.reshape(shape))
    return np.maximum.reduceat(anchored, _DOMAIN_START, axis=0)


def depth_of_cells(strength: np.ndarray, kind: np.ndarray, group: np.ndarray) -> np.ndarray:
    """:func:`depth_over_count` of the cells that hold a row, the same numbers: a cell is
    one kind of one pair, with its strongest row's ``strength`` (cells first, any shape
    after), its ``kind`` (index in :data:`KINDS`) and its ``group`` (one pair in one
    domain, numbered from 0 in order). Returns one strength per group, groups first.

    A pair has a row of few of the fifteen kinds, so this works on a few cells instead of
    every kind of every pair; each group's cells must be listed in :data:`KINDS` order (as
    the dense version multiplies them; a kind without a row multiplies by exactly 1).

    >>> kinds = np.array([KIND_AT["exercise"], KIND_AT["intelligence_sharing"]])
    >>> float(depth_of_cells(np.array([0.4, 0.4]), kinds, np.array([0, 0]))[0])
    0.44
    """
    s = np.asarray(strength, dtype=float)
    starts = np.flatnonzero(np.diff(group, prepend=-1))
    keep_all = np.multiply.reduceat(1.0 - s, starts, axis=0)[group]
    ceiling = _KIND_CEILING[kind].reshape(-1, *([1] * (s.ndim - 1)))
    return np.maximum.reduceat(_anchored(s, keep_all, ceiling), starts, axis=0)


def _anchored(s: np.ndarray, keep_all: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    """Each kind as the anchor (:func:`depth_over_count`): its strength ``s`` lifted by the
    noisy-or of the domain's other kinds (``keep_all``: the product of 1 - s over the whole
    domain, the anchor's own factor divided back out) by :data:`EXTRA_SHARE` of the gap up
    to its ``ceiling``; 0 where the kind is absent."""
    others = np.where(s < 1.0, 1.0 - keep_all / np.maximum(1.0 - s, 1e-12), 0.0)
    lift = np.maximum(ceiling - s, 0.0) * EXTRA_SHARE
    return np.where(s > 0, s + lift * np.clip(others, 0.0, 1.0), 0.0)


def friction_weights(domain_weights: tuple[float, float, float]) -> np.ndarray:
    """How much a framing weighs friction in each domain: its tie weights scaled so the
    largest is 1, lifted to at least :data:`FRICTION_FLOOR`.

    >>> friction_weights((0.70, 0.10, 0.20)).round(3).tolist()
    [1.0, 0.4, 0.5]
    """
    alpha = np.asarray(domain_weights, dtype=float)
    return FRICTION_FLOOR + (1.0 - FRICTION_FLOOR) * alpha / alpha.max()
