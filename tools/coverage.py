"""How well the record covers each actor: the coverage table of docs/method.md.

For every actor of ``actors.csv`` (by code): the rows of each dated table that name it
(ties and frictions as ``a`` or ``b``, sensitivities as the actor or as a ``member:``
trigger, threats as the actor or the target), leaving out the trade baselines the import
writes (:data:`GENERATED`: they cover every pair that trades and say nothing of the
actor's record); the distinct actors those rows pair it with; the years they cover (the
earliest ``since`` to the latest ``since`` or ``until``, and how many rows are still in
force, ``until`` blank); whether it has capability
figures; and what falls short of the standard for the actors added since the first
dataset (docs/method.md, "Coverage"): at least :data:`MIN_ROWS` rows with at least
:data:`MIN_PARTNERS` partners, and for a state both capability figures.

``python -m tools.coverage`` prints the table; ``--write-doc`` puts it into
docs/method.md between its markers, and tests/test_coverage.py fails when the two differ.
Pure Python over the loaded dataset; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from model.data import Dataset, load_dataset

ROOT = Path(__file__).resolve().parent.parent
METHOD = ROOT / "docs" / "method.md"
START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"

#: The source key of the generated trade baselines (tools/import_baselines.py).
GENERATED = "cow-trade-v4"
#: The standard for a new actor (docs/method.md, "Coverage").
MIN_ROWS, MIN_PARTNERS = 8, 3
TABLES = ("ties", "frictions", "sensitivities", "threats")


@dataclass(frozen=True)
class Coverage:
    """One actor's line of the table."""

    code: str
    kind: str
    rows: dict[str, int]  # table -> rows naming the actor
    partners: int
    first: int | None  # earliest since
    last: int | None  # latest since or until
    open: int  # rows still in force (until blank)
    gdp: bool
    defence: bool

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def missing(self) -> list[str]:
        """What falls short of the standard, in words ("" when nothing does)."""
        out = []
        if self.kind == "state" and not self.gdp:
            out.append("no GDP figure")
        if self.kind == "state" and not self.defence:
            out.append("no defence figure")
        if self.total < MIN_ROWS:
            out.append(f"fewer than {MIN_ROWS} rows")
        if self.partners < MIN_PARTNERS:
            out.append(f"fewer than {MIN_PARTNERS} partners")
        return out


def _named(ds: Dataset) -> Iterable[tuple[str, object, tuple[str, ...]]]:
    """(table, row, the actors it names) for every row but the generated ones."""
    for t in ds.ties:
        if GENERATED not in t.sources:
            yield "ties", t, (t.a, t.b)
    for f in ds.frictions:
        yield "frictions", f, (f.a, f.b)
    for s in ds.sensitivities:
        other = s.trigger.split(":", 1)[1] if s.trigger.startswith("member:") else None
        yield "sensitivities", s, (s.actor, other) if other else (s.actor,)
    for th in ds.threats:
        yield "threats", th, (th.actor, th.target)


def coverage(ds: Dataset) -> list[Coverage]:
    """Every actor's coverage, by code."""
    rows = {a.code: dict.fromkeys(TABLES, 0) for a in ds.actors}
    partners: dict[str, set[str]] = {a.code: set() for a in ds.actors}
    years: dict[str, list[int]] = {a.code: [] for a in ds.actors}
    still: dict[str, int] = dict.fromkeys(rows, 0)
    for table, row, names in _named(ds):
        for code in set(names):
            if code not in rows:
                continue
            rows[code][table] += 1
            partners[code].update(n for n in names if n != code)
            years[code] += [row.since, row.until if row.until is not None else row.since]
            still[code] += row.until is None
    return [
        Coverage(
            a.code,
            a.kind,
            rows[a.code],
            len(partners[a.code]),
            min(years[a.code], default=None),
            max(years[a.code], default=None),
            still[a.code],
            bool(a.gdp_usd_bn),
            bool(a.defence_usd_bn),
        )
        for a in ds.actors
    ]


def _capability(c: Coverage) -> str:
    have = [name for name, ok in (("GDP", c.gdp), ("defence", c.defence)) if ok]
    return ", ".join(have) if have else "none"


def coverage_markdown(ds: Dataset, new: Sequence[str] = ()) -> str:
    """The table, and a line naming the new actors below the standard."""
    lines = [
        "| actor | kind | ties | frictions | sensitivities | threats | rows | partners "
        "| years | capability | missing |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    table = coverage(ds)
    for c in table:
        span = f"{c.first}–{c.last}" if c.first is not None else ""
        span += f", {c.open} in force" if c.open else ""
        counts = " | ".join(str(c.rows[t]) for t in TABLES)
        lines.append(
            f"| {c.code} | {c.kind} | {counts} | {c.total} | {c.partners} | {span} "
            f"| {_capability(c)} | {'; '.join(c.missing())} |"
        )
    by_code = {c.code: c for c in table}
    below = [
        code
        for code in new
        if code in by_code
        and (by_code[code].total < MIN_ROWS or by_code[code].partners < MIN_PARTNERS)
    ]
    no_figures = [
        code
        for code in new
        if code in by_code
        and by_code[code].kind == "state"
        and not (by_code[code].gdp and by_code[code].defence)
    ]
    lines += [
        "",
        f"{len(table)} actors; generated trade rows (`{GENERATED}`) left out. "
        f"New actors below {MIN_ROWS} rows or {MIN_PARTNERS} partners: "
        f"{', '.join(below) if below else 'none'}; "
        f"without both capability figures: {', '.join(no_figures) if no_figures else 'none'}.",
    ]
    return "\n".join(lines)


#: The actors added after the first dataset of 24 states and two organisations, held to
#: the standard (docs/method.md, "Coverage").
_CODES = (
    "ARG BRA MEX SAU ZAF TUR SWE FIN NOR NLD ESP ARE ISR EGY PAK BGD LKA BRN KHM LAO MMR "
    "MNG PNG FJI SLB"
)
NEW_ACTORS = tuple(_CODES.split())


def rewrite(path: Path = METHOD, ds: Dataset | None = None) -> bool:
    """Put the current table into ``path``; True if the file changed."""
    text = path.read_text(encoding="utf-8")
    before, sep, rest = text.partition(START)
    if not sep or END not in rest:
        raise ValueError(f"{path} has no coverage markers")
    after = rest[rest.index(END) :]
    new = f"{before}{START}\n{coverage_markdown(ds or load_dataset(), NEW_ACTORS)}\n{after}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data directory")
    parser.add_argument("--write-doc", action="store_true", help="update docs/method.md")
    args = parser.parse_args(argv)
    ds = load_dataset(args.data) if args.data else load_dataset()
    if args.write_doc:
        changed = rewrite(METHOD, ds)
        print(f"{METHOD}: {'updated' if changed else 'already current'}")
    else:
        print(coverage_markdown(ds, NEW_ACTORS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
