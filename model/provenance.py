"""The rows a score rests on: each active row's effect on a grouping's cohesion.

A row's effect is the grouping's cohesion with the row minus its cohesion without it,
both recomputed in full through :func:`model.cohesion.build_context` and
:func:`model.cohesion.score_groups`. To keep that fast, the recomputation runs on a
*focused* dataset: every actor, but only the rows that can reach the grouping (ties and
frictions between members and organisations, sensitivities of members and
organisations, and every threat view, since the targets anyone perceives set the
threat component's columns). The focused dataset is checked to score exactly like the
full one; if a model change ever made them differ, the full dataset is used instead.

>>> from model import load_dataset, scenario
>>> ds = load_dataset()
>>> rows = provenance(ds, scenario(ds, "USA,JPN", "alliance", 2024))
>>> rows[0].file in FILES.values() and all(r.effect != 0 for r in rows)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from model.cohesion import build_context, context, score_groups
from model.data import Dataset
from model.scenario import Scenario
from model.whatif import TABLES, Edit, applied

__all__ = ["FILES", "Focus", "RowEffect", "cohesion_of", "focus", "provenance"]

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
    """The cohesion :func:`model.score.score` gives ``s`` on ``ds`` (None below two members)."""
    return _score(ds, s, cached=True) if len(s.members) >= 2 else None


@dataclass(frozen=True, eq=False)
class Focus:
    """A dataset cut down to the rows that can reach one grouping, for fast recomputation.

    ``positions[table][i]`` is the position, in the full dataset's table, of the focused
    table's row ``i``.
    """

    dataset: Dataset
    scenario: Scenario
    positions: dict[str, tuple[int, ...]]
    cohesion: float

    def without(self, table: str, i: int) -> float:
        """Cohesion with the focused table's row ``i`` left out."""
        rows = getattr(self.dataset, table)
        ds = replace(
            self.dataset,
            **{table: rows[:i] + rows[i + 1 :]},
            fingerprint=f"{self.dataset.fingerprint}-{table}{i}",
        )
        return _score(ds, self.scenario, cached=False)

    def with_edit(self, edit: Edit) -> float:
        """Cohesion with one more what-if edit applied after the others."""
        ds, _ = applied(self.dataset, (edit,), self.scenario.year)
        return _score(ds, self.scenario, cached=False)


def _reach(ds: Dataset, s: Scenario) -> set[str]:
    """The members, and the organisations that are members or that a member belongs to."""
    members = set(s.members)
    orgs = {a.code for a in ds.actors if a.kind != "state"}
    reach = set(members)
    for t in ds.ties:
        if t.kind == "membership" and t.active(s.year) and ({t.a, t.b} & members):
            reach |= {t.a, t.b} & orgs
    return reach


def focus(ds: Dataset, s: Scenario) -> Focus:
    """The rows of ``ds`` that can reach the grouping ``s`` (see the module docstring)."""
    reach = _reach(ds, s)
    keep = {
        "ties": lambda r: r.a in reach and r.b in reach,
        "frictions": lambda r: r.a in reach and r.b in reach,
        "sensitivities": lambda r: r.actor in reach,
        "threats": lambda r: True,
    }
    positions = {
        name: tuple(
            i for i, r in enumerate(getattr(ds, name)) if r.active(s.year) and keep[name](r)
        )
        for name in TABLES
    }
    small = replace(
        ds,
        **{name: tuple(getattr(ds, name)[i] for i in positions[name]) for name in TABLES},
        fingerprint=f"{ds.fingerprint}-focus-{s.year}-{','.join(s.members)}",
    )
    full = _score(ds, s, cached=True)
    if _score(small, s, cached=False) != full:  # the model reaches further: use every row
        small = ds
        positions = {name: tuple(range(len(getattr(ds, name)))) for name in TABLES}
    return Focus(small, s, positions, full)


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


def provenance(
    ds: Dataset, s: Scenario, edits: Sequence[Edit] = (), limit: int | None = LIMIT
) -> tuple[RowEffect, ...]:
    """The rows the cohesion of ``s`` rests on, largest |effect| first (zero effects left out).

    Measured on ``ds`` with ``edits`` applied; what-if rows count like data rows.
    """
    if len(s.members) < 2:
        return ()
    full, added = applied(ds, edits, s.year)
    f = focus(full, s)
    members = set(s.members)
    out = []
    for table in TABLES:
        for i, record in enumerate(getattr(f.dataset, table)):
            if not _candidate(table, record, members, s.year):
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
