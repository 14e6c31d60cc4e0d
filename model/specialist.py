"""The specialist's table of docs/method.md: orderings a regional specialist would sign.

Each row says that one scenario should score higher than another, with a reason and a
source. The table lives in the method page between markers; the tests read it from there
(one test per row), and ``python -m model.specialist`` prints how many rows hold, so the
pass count can be reported before and after every change to the model.

A scenario cell reads ``MEMBERS FRAMING YEAR``: MEMBERS is a preset id or comma-separated
codes, optionally followed by ``+CODE`` or ``-CODE`` to add or drop a member.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from model.data import Dataset, load_dataset
from model.scenario import Scenario, parse_members
from model.schema import FRAMINGS
from model.score import score

__all__ = ["Ordering", "check", "orderings", "parse_cell"]

METHOD = Path(__file__).resolve().parent.parent / "docs" / "method.md"
START, END = "<!-- specialist:start -->", "<!-- specialist:end -->"


@dataclass(frozen=True)
class Ordering:
    """``higher`` should score above ``lower``, for ``reason`` (resting on ``sources``)."""

    higher: str
    lower: str
    reason: str
    sources: tuple[str, ...]


def parse_cell(ds: Dataset, cell: str) -> Scenario:
    """A scenario from a table cell such as ``squad -JPN alliance 2024``.

    >>> ds = load_dataset()
    >>> s = parse_cell(ds, "squad -JPN alliance 2024")
    >>> s.members, s.framing, s.year
    (('AUS', 'PHL', 'USA'), 'alliance', 2024)
    """
    *spec, framing, year = cell.split()
    if framing not in FRAMINGS or not year.isdigit() or not spec:
        raise ValueError(f"'{cell}' is not 'MEMBERS FRAMING YEAR'")
    members = set(parse_members(ds, spec[0])[0])
    for change in spec[1:]:
        code = parse_members(ds, change[1:])[0]
        members = members | set(code) if change[0] == "+" else members - set(code)
    return Scenario(tuple(sorted(members)), framing, int(year))


def orderings(path: Path = METHOD) -> list[Ordering]:
    """The rows of the specialist's table in ``path``."""
    text = path.read_text(encoding="utf-8")
    body = text.partition(START)[2].partition(END)[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        higher, lower, reason, sources = cells
        keys = tuple(k.strip().strip("`") for k in sources.split(";"))
        rows.append(Ordering(higher.strip("`"), lower.strip("`"), reason, keys))
    return rows


def check(ds: Dataset, row: Ordering) -> tuple[bool, float, float]:
    """Whether ``row`` holds on ``ds``, with the two cohesion scores."""
    high = score(ds, parse_cell(ds, row.higher)).cohesion or 0.0
    low = score(ds, parse_cell(ds, row.lower)).cohesion or 0.0
    return high > low, high, low


def main() -> int:
    ds = load_dataset()
    rows = orderings()
    failed = 0
    for row in rows:
        ok, high, low = check(ds, row)
        failed += not ok
        mark = "ok  " if ok else "FAIL"
        print(f"{mark} {row.higher} ({high:.1f}) > {row.lower} ({low:.1f})")
    print(f"{len(rows) - failed} of {len(rows)} orderings hold")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
