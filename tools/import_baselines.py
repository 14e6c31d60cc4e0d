"""Economic baselines for every pair of states, from the Correlates of War trade data.

Between two states with no notable agreement the model has nothing to score, and the pair
reads exactly 0, however much they trade (the United States and China, for one). This
script writes a ``trade_intensity`` row (economic domain, commitment level 1: observed
dependence, not an agreement) for every pair of states in ``data/actors.csv`` that trades
enough to matter, from a published dataset:

    Barbieri, Katherine and Omar M. G. Keshk. 2016. Correlates of War Project Trade Data
    Set Codebook, Version 4.0. Dyadic trade, 1870-2014, current million US dollars.
    (Barbieri, Keshk and Pollins 2009, "Trading Data", Conflict Management and Peace
    Science 26(5): 471-491.)

**The measure.** In each year, trade between two states (imports both ways, ``flow1 +
flow2``) as a share of the recorded trade of the smaller trader of the two (the sum of its
flows with every partner in the same table): the dependence of the more exposed side. Its
mean over five-year blocks (1950-54, ..., 2010-14) is mapped to a strength on a log scale,
:func:`strength`: 1 % of the smaller trader's trade gives 0.10, 50 % gives 0.40 (the top of
the hand-made rows: Canada-US, China-North Korea), linear in the logarithm between, at most
0.40, rounded to 0.05. A block under 0.5 % (:data:`FLOOR_SHARE`) gives no row. Blocks of one
pair with the same strength merge into one row; the last block (2010-14) is carried forward
with ``until`` blank, and each row's note says so. Every row cites :data:`SOURCE_KEY`, has
confidence ``medium``, and is recognised by that key: a run first removes the rows it wrote
before, so running it twice gives the same file, and hand-made rows are never touched. The
model counts one row of a kind per pair at its strongest, so a hand-made trade_intensity row
and a generated one of the same pair coexist (the stronger counts in each year).

**The cross-check** (``--atop``): the pairs of states for which the ATOP dyad-year table
(Leeds et al. 2002; v5.1, 1815-2018) records a defence obligation in its last year, against
the pairs the data ties by an active ``treaty_alliance`` in that year (directly or through
NATO). It prints a table and, with ``--write-doc``, writes it into docs/method.md. It never
writes treaty rows.

**Inputs.** Either file as published or as shipped in the R package peacesciencer:

* ``--trade``: the COW dyadic trade table: ``Dyadic_COW_4.0.csv`` from the COW trade page
  (missing flows are -9), or peacesciencer's ``data/cow_trade_ndy.rda`` (v4.0, flows
  rounded to whole million USD; in the package at commit
  3db24a54be2fd1f77fe63f742ccc9dd9f0450125, dropped from later versions).
* ``--atop``: ATOP's dyad-year table (``atop5_1ddyr.csv``: stateA, stateB, year, defense)
  or peacesciencer's ``data/atop_alliance.rda`` (ccode1, ccode2, year, atop_defense).

``.rda`` files are read with the PyPI package ``pyreadr`` (``pip install pyreadr``); CSV
needs nothing beyond the project's requirements. Keep the downloaded files outside the
repository: only this script and the rows it writes are committed. Run from the repository
root, again whenever actors are added::

    python -m tools.import_baselines --trade RAW/cow_trade_ndy.rda \\
        --atop RAW/atop_alliance.rda --write-doc
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The source key every generated row cites (data/sources.csv); it marks the rows as ours.
SOURCE_KEY = "cow-trade-v4"
KIND = "trade_intensity"
CONFIDENCE = "medium"

#: The five-year blocks start here; the dataset's own last year ends the last block.
FIRST_YEAR = 1950
BLOCK = 5
#: Shares below this give no row: trade too thin to count as a tie.
FLOOR_SHARE = 0.005
#: The log scale: share LOW_SHARE -> LOW_STRENGTH, HIGH_SHARE -> HIGH_STRENGTH (the cap).
LOW_SHARE, LOW_STRENGTH = 0.01, 0.10
HIGH_SHARE, HIGH_STRENGTH = 0.50, 0.40
STEP = 0.05

#: ISO 3166-1 alpha-3 -> Correlates of War state codes, each with the years it stands for
#: (first, last; None = open). Source: the COW State System Membership list (v2016), as
#: shipped in peacesciencer's ``cow_states`` table (stateabb, ccode, statenme). Germany is
#: the German Federal Republic (260) before 1990 and Germany (255) from 1990, as in the
#: trade table; Russia is COW 365 throughout (the Soviet Union before 1992, as the rest of
#: the dataset treats it); Vietnam is 816 from unification (1976).
COW_CODES: dict[str, tuple[tuple[int, int | None, int | None], ...]] = {
    "USA": ((2, None, None),),
    "CAN": ((20, None, None),),
    "MEX": ((70, None, None),),
    "BRA": ((140, None, None),),
    "ARG": ((160, None, None),),
    "GBR": ((200, None, None),),
    "NLD": ((210, None, None),),
    "FRA": ((220, None, None),),
    "ESP": ((230, None, None),),
    "DEU": ((260, None, 1989), (255, 1990, None)),
    "POL": ((290, None, None),),
    "ITA": ((325, None, None),),
    "RUS": ((365, None, None),),
    "UKR": ((369, None, None),),
    "FIN": ((375, None, None),),
    "SWE": ((380, None, None),),
    "NOR": ((385, None, None),),
    "ZAF": ((560, None, None),),
    "IRN": ((630, None, None),),
    "TUR": ((640, None, None),),
    "EGY": ((651, None, None),),
    "ISR": ((666, None, None),),
    "SAU": ((670, None, None),),
    "ARE": ((696, None, None),),
    "CHN": ((710, None, None),),
    "MNG": ((712, None, None),),
    "TWN": ((713, None, None),),
    "PRK": ((731, None, None),),
    "KOR": ((732, None, None),),
    "JPN": ((740, None, None),),
    "IND": ((750, None, None),),
    "PAK": ((770, None, None),),
    "BGD": ((771, None, None),),
    "MMR": ((775, None, None),),
    "LKA": ((780, None, None),),
    "THA": ((800, None, None),),
    "KHM": ((811, None, None),),
    "LAO": ((812, None, None),),
    "VNM": ((816, 1976, None),),
    "MYS": ((820, None, None),),
    "SGP": ((830, None, None),),
    "BRN": ((835, None, None),),
    "PHL": ((840, None, None),),
    "IDN": ((850, None, None),),
    "AUS": ((900, None, None),),
    "PNG": ((910, None, None),),
    "NZL": ((920, None, None),),
    "SLB": ((940, None, None),),
    "FJI": ((950, None, None),),
}

#: One-line explanations of the ATOP cross-check's disagreements, by pair (sorted codes).
ATOP_NOTES: dict[tuple[str, str], str] = {
    ("AUS", "NZL"): (
        "ATOP records a defence obligation between the two up to 1986 and only consultation "
        "from 1987, the year after the US suspended its ANZUS obligations to New Zealand; "
        "our row (wiki-anzus) holds ANZUS in force between Australia and New Zealand: for a "
        "specialist to review"
    ),
    **{
        pair: (
            "the Rio Treaty: Mexico gave notice of withdrawal in Sep 2002, effective two "
            "years later under its Art. 25, so our rows end in 2004 "
            "(chicagotribune-2002-fox-rio-withdrawal); ATOP still codes the obligation"
        )
        for pair in (("ARG", "MEX"), ("BRA", "MEX"), ("MEX", "USA"))
    },
}

Pair = tuple[str, str]


@dataclass(frozen=True)
class Flow:
    """Trade between two COW states in one year, both directions, in million USD."""

    c1: int
    c2: int
    year: int
    trade: float


@dataclass(frozen=True)
class Block:
    """One pair's mean share over a block of years that has figures."""

    first: int  # the block's first year
    last: int  # the block's last year
    share: float  # mean share of the smaller trader's recorded trade
    smaller: tuple[str, ...]  # who was the smaller trader in the block's years


@dataclass(frozen=True)
class Period:
    """A generated row: one pair at one strength from ``since`` to ``until``."""

    a: str
    b: str
    strength: float
    since: int
    until: int | None
    low: float  # the smallest and largest block share merged into the row
    high: float
    smaller: tuple[str, ...]
    data_since: int  # the first and last years of the blocks merged into the row
    data_until: int


# --- the measure --------------------------------------------------------------------------


def strength(share: float) -> float:
    """A share of the smaller trader's trade on the log scale, before rounding; 0 below the
    floor. Monotone, at most :data:`HIGH_STRENGTH`.

    >>> strength(0.01), round(strength(0.5), 6), strength(0.9), strength(0.001)
    (0.1, 0.4, 0.4, 0.0)
    """
    if share < FLOOR_SHARE:
        return 0.0
    slope = (HIGH_STRENGTH - LOW_STRENGTH) / math.log10(HIGH_SHARE / LOW_SHARE)
    return min(HIGH_STRENGTH, max(0.0, LOW_STRENGTH + slope * math.log10(share / LOW_SHARE)))


def bucket(value: float) -> float:
    """Round to the nearest :data:`STEP` (0.05), as a clean two-decimal number."""
    return round(round(value / STEP) * STEP, 2)


def code_for(iso: str, year: int) -> int | None:
    """The COW code that stands for ``iso`` in ``year`` (None outside its years)."""
    for code, first, last in COW_CODES.get(iso, ()):
        if (first is None or year >= first) and (last is None or year <= last):
            return code
    return None


def totals(flows: Iterable[Flow]) -> dict[tuple[int, int], float]:
    """(COW code, year) -> the state's recorded trade with every partner in the table."""
    out: dict[tuple[int, int], float] = defaultdict(float)
    for f in flows:
        out[f.c1, f.year] += f.trade
        out[f.c2, f.year] += f.trade
    return dict(out)


def yearly_shares(
    flows: Sequence[Flow], isos: Sequence[str]
) -> dict[Pair, dict[int, tuple[float, str]]]:
    """Pair (sorted ISO codes) -> year -> (share, the smaller trader), for the given states."""
    total = totals(flows)
    candidates: dict[int, list[str]] = defaultdict(list)  # COW code -> the ISO codes it serves
    for iso in isos:
        for code, _, _ in COW_CODES.get(iso, ()):
            candidates[code].append(iso)
    out: dict[Pair, dict[int, tuple[float, str]]] = defaultdict(dict)
    for f in flows:
        a = next((i for i in candidates.get(f.c1, ()) if code_for(i, f.year) == f.c1), None)
        b = next((i for i in candidates.get(f.c2, ()) if code_for(i, f.year) == f.c2), None)
        if a is None or b is None or a == b:
            continue
        t1, t2 = total[f.c1, f.year], total[f.c2, f.year]
        if min(t1, t2) <= 0:
            continue
        smaller = a if t1 <= t2 else b
        pair = (a, b) if a < b else (b, a)
        out[pair][f.year] = (f.trade / min(t1, t2), smaller)
    return dict(out)


def blocks(
    years: Mapping[int, tuple[float, str]], last_year: int, first_year: int = FIRST_YEAR
) -> list[Block]:
    """Five-year means of one pair's shares, from ``first_year`` to the dataset's last year.
    A block with no figure is left out (a gap)."""
    out: list[Block] = []
    for start in range(first_year, last_year + 1, BLOCK):
        end = min(start + BLOCK - 1, last_year)
        inside = [years[y] for y in range(start, end + 1) if y in years]
        if inside:
            mean = sum(s for s, _ in inside) / len(inside)
            out.append(Block(start, end, mean, tuple(sorted({who for _, who in inside}))))
    return out


def periods(pair: Pair, pair_blocks: Sequence[Block], last_year: int) -> list[Period]:
    """Merge consecutive blocks of one strength into rows. A block under the floor, or a
    gap, ends a row; the row that reaches the dataset's last year stays open."""
    out: list[Period] = []
    run: list[Block] = []
    value = 0.0

    def close() -> None:
        if run:
            until = None if run[-1].last == last_year else run[-1].last
            shares = [b.share for b in run]
            who = tuple(sorted({w for b in run for w in b.smaller}))
            out.append(
                Period(
                    *pair,
                    strength=value,
                    since=run[0].first,
                    until=until,
                    low=min(shares),
                    high=max(shares),
                    smaller=who,
                    data_since=run[0].first,
                    data_until=run[-1].last,
                )
            )

    for blk in pair_blocks:
        s = bucket(strength(blk.share))
        contiguous = bool(run) and blk.first == run[-1].last + 1
        if s > 0 and run and contiguous and s == value:
            run.append(blk)
            continue
        close()
        run, value = ([blk], s) if s > 0 else ([], 0.0)
    close()
    return out


def avoid_collisions(rows: Sequence[Period], taken: set[tuple[Pair, int]]) -> list[Period]:
    """The file holds one row per pair, kind and start year: a generated row that would
    start in the same year as a hand-made one of its pair starts a year later (the hand-made
    row covers that year), or is left out if that leaves it no year."""
    out = []
    for p in rows:
        since = p.since
        while ((p.a, p.b), since) in taken:
            since += 1
        if p.until is not None and since > p.until:
            continue
        out.append(replace(p, since=since))
    return out


def share_text(low: float, high: float) -> str:
    """A share, or the range of the shares merged into a row, in per cent.

    >>> share_text(0.1234, 0.1234), share_text(0.05, 0.0912)
    ('12.3%', '5.0-9.1%')
    """
    a, b = f"{100 * low:.1f}", f"{100 * high:.1f}"
    return f"{a}%" if a == b else f"{a}-{b}%"


def note(p: Period) -> str:
    """The row's note: what the strength rests on, and the carry-forward."""
    pct = share_text(p.low, p.high)
    text = (
        f"Generated by tools/import_baselines.py from COW Trade v4.0: trade between them "
        f"{pct} of the smaller trader's ({'/'.join(p.smaller)}) recorded trade "
        f"(5-year means, {p.data_since}-{p.data_until}); {p.strength:.2f} on the log scale of "
        f"docs/method.md (1% -> 0.10, 50% -> 0.40)"
    )
    if p.until is None:
        text += f"; the dataset ends in {p.data_until}: carried forward"
    return text


def generate(flows: Sequence[Flow], isos: Sequence[str]) -> list[Period]:
    """Every generated row for the states ``isos``, sorted by pair and start."""
    if not flows:
        return []
    last_year = max(f.year for f in flows)
    out: list[Period] = []
    for pair, years in sorted(yearly_shares(flows, isos).items()):
        out += periods(pair, blocks(years, last_year), last_year)
    return out


# --- ties.csv, kept byte for byte where it is not ours ------------------------------------


def records(text: str) -> list[str]:
    """The CSV records of ``text`` as their own text (a quoted field may hold line breaks)."""
    out: list[str] = []
    buf = ""
    for line in text.splitlines(keepends=True):
        buf += line
        if buf.count('"') % 2 == 0:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


def fields(record: str) -> list[str]:
    return next(csv.reader(io.StringIO(record)), [])


def is_generated(row: Mapping[str, str]) -> bool:
    return row.get("kind") == KIND and row.get("source") == SOURCE_KEY


def row_cells(p: Period, header: Sequence[str]) -> list[str]:
    cells = {
        "a": p.a,
        "b": p.b,
        "domain": "economic",
        "kind": KIND,
        "strength": f"{p.strength:.2f}".rstrip("0").rstrip("."),
        "since": str(p.since),
        "until": "" if p.until is None else str(p.until),
        "confidence": CONFIDENCE,
        "source": SOURCE_KEY,
        "note": note(p),
    }
    return [cells.get(col, "") for col in header]


def taken_starts(text: str) -> set[tuple[Pair, int]]:
    """(pair, first year) of every hand-made trade_intensity row of ``ties.csv``."""
    return {((min(r["a"], r["b"]), max(r["a"], r["b"])), int(r["since"])) for r in hand_rows(text)}


def rewrite_ties(text: str, rows: Sequence[Period]) -> str:
    """``ties.csv`` with its previously generated rows replaced by ``rows``; every other
    record is kept as it was written. ``rows`` must not collide with the hand-made rows
    (:func:`avoid_collisions`)."""
    recs = records(text)
    if not recs:
        raise ValueError("ties.csv has no header")
    header = fields(recs[0])
    kept = [recs[0]]
    for rec in recs[1:]:
        if is_generated(dict(zip(header, fields(rec), strict=False))):
            continue
        kept.append(rec if rec.endswith("\n") else rec + "\n")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for p in rows:
        writer.writerow(row_cells(p, header))
    return "".join(kept) + out.getvalue()


def hand_rows(text: str) -> list[dict[str, str]]:
    """The hand-made trade_intensity rows of ``ties.csv``."""
    recs = records(text)
    header = fields(recs[0]) if recs else []
    rows = [dict(zip(header, fields(r), strict=False)) for r in recs[1:]]
    return [r for r in rows if r.get("kind") == KIND and not is_generated(r)]


# --- reading the inputs --------------------------------------------------------------------


def read_table(path: Path) -> list[dict[str, float]]:
    """Rows of a CSV file or of the one data frame in an .rda/.rds file, as numbers (a
    missing cell is NaN)."""
    if path.suffix.lower() in (".rda", ".rdata", ".rds"):
        try:
            import pyreadr
        except ImportError:
            sys.exit("reading .rda files needs pyreadr: pip install pyreadr (or pass the CSV)")
        frames = pyreadr.read_r(str(path))
        frame = next(iter(frames.values()))
        frame.columns = [str(c).lower() for c in frame.columns]
        return frame.to_dict("records")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [
            {k.lower(): _number(v) for k, v in row.items() if k is not None}
            for row in csv.DictReader(fh)
        ]


def _number(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "", "NA") else math.nan
    except ValueError:
        return math.nan


def _known(value: float) -> bool:
    """A published figure: not missing (NaN) and not COW's missing code -9."""
    return not math.isnan(value) and value != -9


def read_flows(path: Path) -> list[Flow]:
    """The dyadic trade table: one :class:`Flow` per dyad-year with at least one figure."""
    out = []
    for r in read_table(path):
        known = [r[k] for k in ("flow1", "flow2") if _known(r.get(k, math.nan))]
        if known:
            out.append(Flow(int(r["ccode1"]), int(r["ccode2"]), int(r["year"]), sum(known)))
    return out


def read_defence_pairs(path: Path, isos: Sequence[str]) -> tuple[int, set[Pair]]:
    """ATOP's last year, and the pairs of ``isos`` with a defence obligation in it (either
    direction)."""
    rows = read_table(path)
    a_col = "ccode1" if "ccode1" in rows[0] else "statea"
    b_col = "ccode2" if "ccode2" in rows[0] else "stateb"
    flag = "atop_defense" if "atop_defense" in rows[0] else "defense"
    last = int(max(r["year"] for r in rows))
    by_code = {code_for(i, last): i for i in isos if code_for(i, last) is not None}
    out: set[Pair] = set()
    for r in rows:
        if int(r["year"]) != last or r.get(flag) != 1:
            continue
        a, b = by_code.get(int(r[a_col])), by_code.get(int(r[b_col]))
        if a and b and a != b:
            out.add((a, b) if a < b else (b, a))
    return last, out


# --- the data directory --------------------------------------------------------------------


def states(data: Path) -> list[str]:
    """The codes of the states in actors.csv that the COW table can name."""
    with (data / "actors.csv").open(newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "state"]
    missing = [r["code"] for r in rows if r["code"] not in COW_CODES]
    if missing:
        print(f"no COW code for {', '.join(missing)}: left out", file=sys.stderr)
    return [r["code"] for r in rows if r["code"] in COW_CODES]


def has_source(data: Path, key: str) -> bool:
    with (data / "sources.csv").open(newline="", encoding="utf-8-sig") as fh:
        return any(r["key"] == key for r in csv.DictReader(fh))


def treaty_pairs(data: Path, year: int) -> set[Pair]:
    """Pairs of states tied by an active treaty_alliance in ``year``, directly or through an
    organisation (NATO), as the model reads them."""
    sys.path.insert(0, str(ROOT))
    from model.aggregate import tie_links
    from model.data import load_dataset

    ds = load_dataset(data)
    state_codes = {a.code for a in ds.actors if a.kind == "state"}
    return {
        (min(t.a, t.b), max(t.a, t.b))
        for t in tie_links(ds, year)
        if t.kind == "treaty_alliance" and {t.a, t.b} <= state_codes
    }


def atop_table(year: int, atop: set[Pair], ours: set[Pair]) -> str:
    """The cross-check as a Markdown table: agreements, then each disagreement."""
    lines = [
        "| pairs | ATOP defence obligation | active treaty_alliance here | note |",
        "|---|---|---|---|",
    ]
    both = sorted(atop & ours)
    lines.append(f"| {len(both)} pairs: {', '.join('–'.join(p) for p in both)} | yes | yes | |")
    for pair in sorted(atop - ours):
        lines.append(f"| {'–'.join(pair)} | yes | no | {ATOP_NOTES.get(pair, '')} |")
    for pair in sorted(ours - atop):
        lines.append(f"| {'–'.join(pair)} | no | yes | {ATOP_NOTES.get(pair, '')} |")
    return f"ATOP's last year, {year}:\n\n" + "\n".join(lines) + "\n"


def scale_table(rows: Sequence[Period], hand: Sequence[Mapping[str, str]]) -> str:
    """Each hand-made trade_intensity row beside the generated strength of its pair in the
    dataset's last block (carried forward), as a Markdown table."""
    last = {(p.a, p.b): p for p in rows if p.until is None}
    lines = [
        "| pair | hand-made row | generated row, carried forward | share of the smaller trader |",
        "|---|---|---|---|",
    ]
    for h in sorted(hand, key=lambda r: tuple(sorted((r["a"], r["b"])))):
        pair = tuple(sorted((h["a"], h["b"])))
        period = f"{h['since']}–{h['until']}" if h["until"] else f"from {h['since']}"
        p = last.get(pair)
        gen = f"{p.strength:.2f} ({p.since}–)" if p else "none"
        share = share_text(p.low, p.high) if p else ""
        lines.append(
            f"| {'–'.join(pair)} | {float(h['strength']):.2f} ({period}) | {gen} | {share} |"
        )
    return "\n".join(lines) + "\n"


def replace_between(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, sep, rest = text.partition(start)
    if not sep or end not in rest:
        raise ValueError(f"docs/method.md has no {name} markers")
    return head + start + body + rest[rest.index(end) :]


def write_doc(name: str, body: str) -> None:
    doc = ROOT / "docs" / "method.md"
    doc.write_text(replace_between(doc.read_text(encoding="utf-8"), name, body), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trade", type=Path, help="COW dyadic trade table (.csv or .rda)")
    parser.add_argument("--atop", type=Path, help="ATOP dyad-year table (.csv or .rda)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory")
    parser.add_argument(
        "--write-doc", action="store_true", help="write the tables into docs/method.md"
    )
    args = parser.parse_args(argv)
    if args.trade is None and args.atop is None:
        parser.error("give --trade, --atop or both")
    isos = states(args.data)
    if args.trade is not None:
        if not has_source(args.data, SOURCE_KEY):
            sys.exit(f"add the source '{SOURCE_KEY}' to sources.csv first")
        ties = args.data / "ties.csv"
        text = ties.read_text(encoding="utf-8")
        rows = avoid_collisions(generate(read_flows(args.trade), isos), taken_starts(text))
        ties.write_text(rewrite_ties(text, rows), encoding="utf-8", newline="")
        print(f"{len(rows)} {KIND} rows for {len({(p.a, p.b) for p in rows})} pairs -> {ties}")
        table = scale_table(rows, hand_rows(text))
        print(table)
        if args.write_doc:
            write_doc("trade-scale", table)
    if args.atop is not None:
        year, atop = read_defence_pairs(args.atop, isos)
        table = atop_table(year, atop, treaty_pairs(args.data, year))
        print(table)
        if args.write_doc:
            write_doc("atop", table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
