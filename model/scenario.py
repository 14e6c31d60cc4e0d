"""Scenarios: which members, under which framing, in which year, with which weights, and
which hypothetical changes to the record (docs/architecture.md §9).

A :class:`Scenario` is the one value every view renders: it carries its what-if edits,
and :func:`resolve` is the one place those edits are applied to a dataset.

>>> from model import load_dataset
>>> from model.whatif import parse
>>> ds = load_dataset()
>>> s = scenario(ds, "camp_david", year=2024, what_if="-friction:JPN-KOR@2024")
>>> s.what_if_text, s.is_what_if, s.record.is_what_if
('-friction:JPN-KOR', True, False)
>>> dataset_for(ds, s) is dataset_for(ds, s), dataset_for(ds, s.record) is ds
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from model.cohesion import Context, Weights, context
from model.data import Dataset
from model.memo import memoise
from model.schema import FRAMINGS
from model.whatif import TABLES, Edit, applied, canonical, for_year, parse

__all__ = [
    "MAX_MEMBERS",
    "Resolved",
    "Scenario",
    "ScenarioError",
    "changes_nothing",
    "context_of",
    "dataset_for",
    "parse_members",
    "resolve",
    "scenario",
]

MAX_MEMBERS = 30


class ScenarioError(ValueError):
    """A scenario names an unknown code, preset, framing or year; the message says which."""


@dataclass(frozen=True)
class Scenario:
    """A grouping to score, with the hypothetical changes it is scored under.

    ``members`` are sorted, unique codes. ``what_if`` holds the edits in order, canonical
    for ``year`` (an edit starting in the scenario's own year carries no ``@YEAR``),
    however the scenario is made; no edits means the record.
    """

    members: tuple[str, ...]
    framing: str
    year: int
    weights: Weights = field(default_factory=Weights)
    what_if: tuple[Edit, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "what_if", for_year(tuple(self.what_if), self.year))

    @property
    def is_what_if(self) -> bool:
        """True when the scenario changes the record."""
        return bool(self.what_if)

    @property
    def record(self) -> Scenario:
        """The same scenario on the record, without its edits."""
        return replace(self, what_if=()) if self.what_if else self

    @property
    def what_if_text(self) -> str:
        """The edits in the canonical grammar ('' for none), as links and the CLI write them."""
        return canonical(self.what_if)

    @property
    def key(self) -> str:
        """One text naming the scenario in full: the key every cache uses.

        >>> Scenario(("JPN", "USA"), "alliance", 2024).key
        'JPN,USA|alliance|2024|0.3,0.1,0.3,0.3,0.5,0.3|'
        """
        weights = ",".join(repr(float(w)) for w in self.weights.as_dict().values())
        return f"{','.join(self.members)}|{self.framing}|{self.year}|{weights}|{self.what_if_text}"

    def with_edits(self, edits: Sequence[Edit]) -> Scenario:
        """The scenario with ``edits`` in place of its own."""
        return replace(self, what_if=tuple(edits))


@dataclass(frozen=True, eq=False)
class Resolved:
    """A scenario's dataset: the record with its edits applied, and which edit added each
    hypothetical row (``(table, position) -> index in what_if``)."""

    dataset: Dataset
    added: dict[tuple[str, int], int]


def _resolve(ds: Dataset, s: Scenario) -> Resolved:
    changed, added = applied(ds, s.what_if, s.year)
    return Resolved(changed, added)


_resolve_cached = memoise(64)(_resolve)


def resolve(ds: Dataset, s: Scenario, cached: bool = True) -> Resolved:
    """The dataset ``s`` is scored on: ``ds`` with the scenario's edits applied in order,
    each from its start (the scenario's year unless it says ``@YEAR``), and which edit
    added each row. The only place edits are applied to a dataset; memoised per dataset
    content and scenario (``cached=False`` for a one-off, such as a lever's trial)."""
    return (_resolve_cached if cached else _resolve)(ds, s)


def dataset_for(ds: Dataset, s: Scenario, cached: bool = True) -> Dataset:
    """The dataset ``s`` is scored on (``ds`` itself when the scenario has no edits)."""
    return resolve(ds, s, cached).dataset if s.what_if else ds


def changes_nothing(ds: Dataset, s: Scenario, edit: Edit) -> bool:
    """True when adding ``edit`` after the scenario's own edits leaves its dataset as it is:
    a removal that matches no row still in force from its start, say.

    >>> from model import load_dataset
    >>> ds = load_dataset()
    >>> quad = scenario(ds, "quad", year=2024)
    >>> changes_nothing(ds, quad, parse("-friction:AUS-IND")[0])
    True
    >>> changes_nothing(ds, quad, parse("-sens:IND")[0])
    False
    """
    before = dataset_for(ds, s)
    after = resolve(ds, s.with_edits((*s.what_if, edit)), cached=False).dataset
    return all(getattr(before, t) == getattr(after, t) for t in TABLES)


def context_of(ds: Dataset, s: Scenario) -> Context:
    """The model's context for the scenario's year and framing, on its own dataset."""
    return context(dataset_for(ds, s), s.year, s.framing)


def parse_members(ds: Dataset, text: str) -> tuple[tuple[str, ...], str | None]:
    """Codes from a preset id or a comma list; returns (sorted codes, preset id or None).

    Codes are matched case-insensitively; a repeated code counts once.

    >>> from model import load_dataset
    >>> ds = load_dataset()
    >>> parse_members(ds, "quad")
    (('AUS', 'IND', 'JPN', 'USA'), 'quad')
    >>> parse_members(ds, "usa, jpn,USA")
    (('JPN', 'USA'), None)
    """
    raw = text.strip()
    if raw.lower() in ds.presets:
        preset = ds.presets[raw.lower()]
        return preset.members, preset.id
    codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
    unknown = [c for c in codes if c not in ds.codes]
    if unknown:
        raise ScenarioError(
            f"unknown code(s) {', '.join(repr(c) for c in unknown)}: not an actor code or preset id"
        )
    unique = tuple(sorted(set(codes)))
    if len(unique) > MAX_MEMBERS:
        raise ScenarioError(f"{len(unique)} members is over the limit of {MAX_MEMBERS}")
    return unique, None


def scenario(
    ds: Dataset,
    members: str,
    framing: str | None = None,
    year: int | None = None,
    weights: Weights | None = None,
    what_if: str | Sequence[Edit] = (),
) -> Scenario:
    """Build a scenario from user text: a preset's framing applies when none is given.

    ``what_if`` is the edits' text (checked against ``ds``; a bad edit raises
    :class:`~model.whatif.WhatIfError` quoting it) or edits already read.
    """
    codes, preset = parse_members(ds, members)
    if framing is None:
        framing = ds.presets[preset].framing if preset else "alliance"
    if framing not in FRAMINGS:
        raise ScenarioError(f"unknown framing '{framing}': expected one of {', '.join(FRAMINGS)}")
    if year is None:
        year = ds.latest_year
    if not 1900 <= year <= 2100:
        raise ScenarioError(f"year {year} is outside 1900-2100")
    edits = parse(what_if, ds, year) if isinstance(what_if, str) else tuple(what_if)
    return Scenario(codes, framing, int(year), weights or Weights(), edits)
