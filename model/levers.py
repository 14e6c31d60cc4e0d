"""The levers: the single what-if edits, from a fixed menu, that would raise cohesion most.

The menu, for a grouping under its framing in its year (after any what-if edits):

* end one active friction among the members: ``-friction:A-B:KIND`` for each pair and
  kind with an active friction;
* remove one sensitivity of a member that this scenario triggers (its framing, or
  another member): ``-sens:A:TRIGGER``;
* deepen one pair's ties in the framing's main domain (the largest of its domain
  weights): add a tie of the next commitment level above the pair's deepest tie in force
  in that domain, recorded or through an organisation as the model counts it
  (:meth:`model.cohesion.Context.links_between`; levels in
  :data:`model.schema.COMMITMENT_LEVEL`; none yet counts as level 0).
  Of the kinds at that level, the one the dataset records most often (then the first
  by name); membership is not offered (it ties a state to an organisation). Its
  strength is the median strength of that kind in the dataset's rows, to two decimals
  (0.5 if the dataset has none). A pair already at the domain's deepest level gets none.

Each edit is scored exactly (:class:`model.provenance.Focus`); the levers are the edits
that raise cohesion, best first (ties broken by the edit's text).

>>> from model import load_dataset, scenario
>>> ds = load_dataset()
>>> found = levers(ds, scenario(ds, "squad", "alliance", 2024))
>>> all(lever.delta > 0 for lever in found)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from model.cohesion import DOMAIN_WEIGHTS, context
from model.data import Dataset
from model.provenance import focus
from model.rows import triggered
from model.scenario import Scenario, dataset_for
from model.schema import COMMITMENT_LEVEL, DOMAINS, TIE_KINDS
from model.whatif import Edit, is_hypothetical

__all__ = ["TOP", "Lever", "lever_menu", "levers", "main_domain", "new_tie_strength"]

TOP = 5
DEFAULT_STRENGTH = 0.5


@dataclass(frozen=True)
class Lever:
    """An edit and the change in cohesion it makes (after the scenario's own edits)."""

    edit: Edit
    delta: float

    def to_json(self) -> dict[str, Any]:
        return {"edit": self.edit.text(), "delta": self.delta}


def main_domain(framing: str) -> str:
    """The domain a framing weighs most (security for an alliance)."""
    weights = DOMAIN_WEIGHTS[framing]
    return DOMAINS[max(range(len(DOMAINS)), key=lambda d: weights[d])]


def new_tie_strength(ds: Dataset, kind: str) -> float:
    """The median strength of ``kind`` in the dataset's recorded rows, to two decimals."""
    values = [t.strength for t in ds.ties if t.kind == kind and not is_hypothetical(t)]
    return round(float(np.median(values)), 2) if values else DEFAULT_STRENGTH


def _next_kind(ds: Dataset, domain: str, level: int) -> str | None:
    """The kind one step deeper than ``level`` in ``domain`` (see the module docstring)."""
    deeper = [
        k
        for k, d in TIE_KINDS.items()
        if d == domain and k != "membership" and COMMITMENT_LEVEL[k] > level
    ]
    if not deeper:
        return None
    step = min(COMMITMENT_LEVEL[k] for k in deeper)
    count = {k: 0 for k in deeper if COMMITMENT_LEVEL[k] == step}
    for t in ds.ties:
        if t.kind in count and not is_hypothetical(t):
            count[t.kind] += 1
    return min(count, key=lambda k: (-count[k], k))


def lever_menu(ds: Dataset, s: Scenario) -> tuple[Edit, ...]:
    """The candidate edits for ``s`` on ``ds`` (a dataset with any what-if edits applied)."""
    members = set(s.members)
    menu: dict[str, Edit] = {}

    def offer(edit: Edit) -> None:
        menu.setdefault(edit.text(), edit)

    for f in ds.frictions:
        if f.active(s.year) and f.a in members and f.b in members:
            offer(Edit("-friction", *sorted((f.a, f.b)), kind=f.kind))
    for x in ds.sensitivities:
        if triggered(x, s.framing, members, s.year):
            offer(Edit("-sens", x.actor, kind=x.trigger))
    domain = main_domain(s.framing)
    ctx = context(ds, s.year, s.framing)
    for a, b in combinations(s.members, 2):
        depth = max(
            (
                COMMITMENT_LEVEL[link.kind]
                for link in ctx.links_between(a, b)
                if TIE_KINDS[link.kind] == domain
            ),
            default=0,
        )
        kind = _next_kind(ds, domain, depth)
        if kind is not None:
            offer(Edit("+tie", a, b, kind, new_tie_strength(ds, kind)))
    return tuple(menu[text] for text in sorted(menu))


def levers(ds: Dataset, s: Scenario, top: int | None = TOP) -> tuple[Lever, ...]:
    """The ``top`` single edits from :func:`lever_menu` that raise cohesion most.

    Each ``delta`` is the cohesion of ``s`` with its own edits and the lever applied after
    them, minus that with its own edits alone, recomputed exactly.
    """
    if len(s.members) < 2:
        return ()
    full = dataset_for(ds, s)
    f = focus(full, s.record)
    found = [Lever(e, f.with_edit(e) - f.cohesion) for e in lever_menu(full, s)]
    found = sorted((x for x in found if x.delta > 0), key=lambda x: (-x.delta, x.edit.text()))
    return tuple(found[:top] if top is not None else found)
