"""The rows a score rests on: each active row's effect on a grouping's cohesion.

A row's effect is the grouping's cohesion with the row minus its cohesion without it,
both recomputed in full through :func:`model.cohesion.build_context` and
:func:`model.cohesion.score_groups`. To keep that fast, the recomputation runs on a
*focused* dataset: every actor, but only the rows in force that can reach the grouping
(ties and frictions between members and the organisations a member belongs to,
sensitivities of those actors, threat views). Two rules of the model cut it further: of
a pair's ties of one kind only the strongest counts (depth over count), so each pair
keeps one tie per kind, and the runner-up takes its place when it goes (a tie that is
not strictly the strongest of its kind has no effect and is not measured); and the
threat views of non-members count only by the targets they add, so one view per such
target is kept. The cut is checked to score exactly like the full dataset; if a model
change ever made them differ, the uncollapsed cut and then the full dataset are used.

>>> from model import load_dataset, scenario
>>> ds = load_dataset()
>>> rows = provenance(ds, scenario(ds, "USA,JPN", "alliance", 2024))
>>> rows[0].file in FILES.values() and all(r.effect != 0 for r in rows)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from model.cohesion import build_context, context, score_groups
from model.data import Dataset
from model.scenario import Scenario, dataset_for, resolve
from model.whatif import TABLES, Edit

__all__ = ["FILES", "WHAT_IF_FILE", "Focus", "RowEffect", "cohesion_of", "focus", "provenance"]

#: The file each table is read from, as validation messages name it.
FILES: dict[str, str] = {name: f"{name}.csv" for name in TABLES}
WHAT_IF_FILE = "what-if"
LIMIT = 10


def _score(ds: Dataset, s: Scenario, cached: bool) -> float:
    ctx = (context if cached else build_context)(ds, s.year, s.framing)
    idx = np.array([ds.index(m) for m in s.members], dtype=int)
    # fiedler=True: the eigen-solver model.score.score uses, so the last bits agree
    return float(score_groups(ctx, idx[None, :], s.weights, fiedler=True).cohesion[0])


def cohesion_of(ds: Dataset, s: Scenario) -> float | None:
    """The cohesion :func:`model.score.score` gives ``s`` on ``ds`` with its edits (None
    below two members), without the rest of the result."""
    return _score(dataset_for(ds, s), s, cached=True) if len(s.members) >= 2 else None


@dataclass(frozen=True, eq=False)
class Focus:
    """A dataset cut down to the rows that can reach one grouping, for fast recomputation.

    ``positions[table][i]`` is the position, in the full dataset's table, of the focused
    table's row ``i``. When ties are collapsed, ``runner_up[i]`` is the tie that takes the
    place of the focused tie ``i`` when it goes (None: none does), and ``measured`` holds
    the focused rows whose effect can differ from zero.
    """

    dataset: Dataset
    scenario: Scenario
    positions: dict[str, tuple[int, ...]]
    cohesion: float
    runner_up: dict[int, Any] = field(default_factory=dict)
    measured: dict[str, frozenset[int]] | None = None  # None: every row

    def without(self, table: str, i: int) -> float:
        """Cohesion with the focused table's row ``i`` left out."""
        rows = getattr(self.dataset, table)
        instead = (self.runner_up.get(i),) if table == "ties" and self.runner_up.get(i) else ()
        ds = replace(
            self.dataset,
            **{table: rows[:i] + instead + rows[i + 1 :]},
            fingerprint=f"{self.dataset.fingerprint}-{table}{i}",
        )
        return _score(ds, self.scenario, cached=False)

    def with_edit(self, edit: Edit) -> float:
        """Cohesion with one more what-if edit applied after the others."""
        ds = dataset_for(self.dataset, self.scenario.with_edits((edit,)), cached=False)
        return _score(ds, self.scenario, cached=False)

    def may_matter(self, table: str, i: int) -> bool:
        """False for a focused row whose effect is zero by the cut's rule (not measured)."""
        return self.measured is None or table not in self.measured or i in self.measured[table]


def _reach(ds: Dataset, s: Scenario) -> set[str]:
    """The members, and the organisations that are members or that a member belongs to."""
    members = set(s.members)
    orgs = {a.code for a in ds.actors if a.kind != "state"}
    reach = set(members)
    for t in ds.ties:
        if t.kind == "membership" and t.active(s.year) and ({t.a, t.b} & members):
            reach |= {t.a, t.b} & orgs
    return reach


def _reached(ds: Dataset, s: Scenario) -> dict[str, list[int]]:
    """Positions of the rows in force that can reach the grouping."""
    reach = _reach(ds, s)
    keep = {
        "ties": lambda r: r.a in reach and r.b in reach,
        "frictions": lambda r: r.a in reach and r.b in reach,
        "sensitivities": lambda r: r.actor in reach,
        "threats": lambda r: True,
    }
    return {
        name: [i for i, r in enumerate(getattr(ds, name)) if r.active(s.year) and keep[name](r)]
        for name in TABLES
    }


def _collapse(ds: Dataset, s: Scenario, positions: dict[str, list[int]]):
    """Fewer rows that score the same (checked by the caller): of a pair's ties of one kind
    only the strongest counts (depth over count), and the threat views of non-members
    count only by the targets they add. Returns (positions, runner-up ties, measured)."""
    groups: dict[tuple, list[int]] = {}
    for p in positions["ties"]:
        t = ds.ties[p]
        groups.setdefault((frozenset((t.a, t.b)), t.kind), []).append(p)
    kept, second = [], {}
    for rows in groups.values():
        rows.sort(key=lambda p: (-ds.ties[p].strength, p))
        kept.append(rows[0])
        second[rows[0]] = rows[1] if len(rows) > 1 else None
    kept.sort()
    members = set(s.members)
    views = [p for p in positions["threats"] if ds.threats[p].actor in members]
    seen = {ds.threats[p].target for p in views}
    for p in positions["threats"]:
        if ds.threats[p].target not in seen:  # a target no member has a view of
            seen.add(ds.threats[p].target)
            views.append(p)
    runner_up = {
        i: ds.ties[second[p]] if second[p] is not None else None for i, p in enumerate(kept)
    }
    # a tie matters only if it is strictly the strongest of its kind for its pair
    decisive = frozenset(
        i
        for i, p in enumerate(kept)
        if second[p] is None or ds.ties[second[p]].strength < ds.ties[p].strength
    )
    return {**positions, "ties": kept, "threats": sorted(views)}, runner_up, {"ties": decisive}


def _subset(ds: Dataset, positions: dict[str, list[int]], tag: str) -> Dataset:
    return replace(
        ds,
        **{name: tuple(getattr(ds, name)[i] for i in positions[name]) for name in TABLES},
        fingerprint=f"{ds.fingerprint}-{tag}",
    )


def focus(ds: Dataset, s: Scenario) -> Focus:
    """The fewest rows of ``ds`` that score ``s`` exactly as ``ds`` does (module docstring).

    Tries the collapsed cut, then every row that can reach the grouping, then the whole
    dataset, and keeps the first that gives the full dataset's cohesion to the last bit.
    """
    full = _score(ds, s, cached=True)
    tag = f"focus-{s.year}-{s.framing}-{','.join(s.members)}"
    reached = _reached(ds, s)
    positions, runner_up, measured = _collapse(ds, s, reached)
    small = _subset(ds, positions, tag + "-collapsed")
    if _score(small, s, cached=False) == full:
        return Focus(small, s, _frozen(positions), full, runner_up, measured)
    small = _subset(ds, reached, tag)
    if _score(small, s, cached=False) == full:
        return Focus(small, s, _frozen(reached), full)
    every = {name: range(len(getattr(ds, name))) for name in TABLES}
    return Focus(ds, s, _frozen(every), full)  # the model reaches further: use every row


def _frozen(positions) -> dict[str, tuple[int, ...]]:
    return {name: tuple(p) for name, p in positions.items()}


@dataclass(frozen=True)
class RowEffect:
    """One row's effect on cohesion (with it minus without it).

    ``file`` is the data file (``ties.csv`` ...) or ``what-if``; ``row`` the spreadsheet
    row number validation messages use, or for a what-if row the edit's position (from 1)
    in the what-if list; ``source`` the row's source keys (``;``-separated) or the edit's
    canonical text.
    """

    file: str
    row: int
    effect: float
    source: str
    table: str  # the Dataset table the record is in: ties, frictions, sensitivities, threats
    record: Any  # the Tie, Friction, Sensitivity or Threat

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "effect": self.effect, "source": self.source}


def _candidate(table: str, record, members: set[str], year: int) -> bool:
    """An active row among the members: the rows whose effect is measured."""
    if not record.active(year):
        return False
    if table in ("sensitivities", "threats"):
        return record.actor in members
    return record.a in members or record.b in members


def provenance(ds: Dataset, s: Scenario, limit: int | None = LIMIT) -> tuple[RowEffect, ...]:
    """The rows the cohesion of ``s`` rests on, largest |effect| first (zero effects left out).

    Measured on ``ds`` with the scenario's edits applied; what-if rows count like data rows.
    """
    if len(s.members) < 2:
        return ()
    edits = s.what_if
    resolved = resolve(ds, s)
    full, added = resolved.dataset, resolved.added
    f = focus(full, s.record)
    members = set(s.members)
    out = []
    for table in TABLES:
        for i, record in enumerate(getattr(f.dataset, table)):
            if not (_candidate(table, record, members, s.year) and f.may_matter(table, i)):
                continue
            effect = f.cohesion - f.without(table, i)
            if effect == 0.0:
                continue
            edit = added.get((table, f.positions[table][i]))
            if edit is None:
                source = ";".join(record.sources)
                out.append(RowEffect(FILES[table], record.row, effect, source, table, record))
            else:
                text = edits[edit].text()
                out.append(RowEffect(WHAT_IF_FILE, edit + 1, effect, text, table, record))
    out.sort(key=lambda r: (-abs(r.effect), r.file, r.row))
    return tuple(out[:limit] if limit is not None else out)
