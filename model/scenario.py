"""Scenarios: which members, under which framing, in which year, with which weights."""

from __future__ import annotations

from dataclasses import dataclass, field

from model.cohesion import Weights
from model.data import Dataset
from model.schema import FRAMINGS

__all__ = [
    "MAX_MEMBERS",
    "Scenario",
    "ScenarioError",
    "parse_members",
    "scenario",
]

MAX_MEMBERS = 30


class ScenarioError(ValueError):
    """A scenario names an unknown code, preset, framing or year; the message says which."""


@dataclass(frozen=True)
class Scenario:
    members: tuple[str, ...]  # sorted, unique codes
    framing: str
    year: int
    weights: Weights = field(default_factory=Weights)


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
) -> Scenario:
    """Build a scenario from user text: a preset's framing applies when none is given."""
    codes, preset = parse_members(ds, members)
    if framing is None:
        framing = ds.presets[preset].framing if preset else "alliance"
    if framing not in FRAMINGS:
        raise ScenarioError(f"unknown framing '{framing}': expected one of {', '.join(FRAMINGS)}")
    if year is None:
        year = ds.latest_year
    if not 1900 <= year <= 2100:
        raise ScenarioError(f"year {year} is outside 1900-2100")
    return Scenario(codes, framing, int(year), weights or Weights())
