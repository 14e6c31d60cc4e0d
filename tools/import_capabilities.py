"""Capability figures for every state: GDP from the World Bank, defence from SIPRI.

The pillars (docs/method.md, "Pillars") weigh each member by the square root of its share
of GDP, of defence spending or of both. This script writes, for every state in
``data/actors.csv``, its GDP and its military expenditure in one year from one published
dataset each, and nothing else by hand:

* **GDP**: World Bank, *GDP (current US$)*, indicator NY.GDP.MKTP.CD
  (https://data.worldbank.org/indicator/NY.GDP.MKTP.CD; source key ``wb-gdp``). Either the
  long table of the public repository github.com/datasets/gdp (``data/gdp.csv``: Country
  Name, Country Code, Year, Value; made from the World Bank's bulk file by its
  ``scripts/process.py``), or the World Bank's own bulk download
  (``API_NY.GDP.MKTP.CD_DS2_en_csv_v2_*.csv``, four lines of preamble, one column a year).
  The figures in the data were made from datasets/gdp at commit
  822019c80142c162e4ca4eb1a63699ae36075078 (its ``data/gdp.csv`` last changed at commit
  1cdcd2eb, October 2024, the World Bank release of 2024-09-19: latest year 2023).
* **Defence**: SIPRI Military Expenditure Database, *Military expenditure by country, in
  millions of US$ at current prices and exchange rates* (sheet "Current US$" of the
  workbook ``SIPRI-Milex-data-1949-2024.xlsx``, https://www.sipri.org/databases/milex;
  source key ``sipri-milex``). The workbook, or that sheet saved as CSV. Figures SIPRI
  prints in blue are its estimates, in red highly uncertain: the note says so (read from
  the workbook's font colours; a CSV export has none). The figures in the data were made
  from the copy ``data/SIPRI-Milex-data-1949-2024_2.xlsx`` of the public repository
  github.com/Jakob-al28/defense-sector-dashboard (commit
  36504f6b49fd80982b945f4dfdc1590dbf9b92d5), whose "Current US$" sheet agrees for
  2022-2024 with the copy in github.com/shruti-01-narwat/Global_Military_Expenditure_Dashboard.

**The year.** One year for both: the latest year in which every state that one of the two
datasets covers in its latest year (:func:`current`) has a figure in that dataset
(:func:`common_year`). A state a dataset no longer covers is left blank for that dataset,
with the reason in its note. If no year satisfies both, each dataset gives its own latest
year (:func:`fallback_years`) and the notes say so.

**What is written.** For each row of kind ``state`` (organisations are left as they are):
``gdp_usd_bn`` and ``defence_usd_bn`` in billions of current US dollars, rounded to three
significant figures and at least one decimal (:func:`billions`), or blank;
``capability_year``; ``capability_source`` (``wb-gdp;sipri-milex``, keeping any other key
that the note's other text cites, such as ``jp-nss-2022``); and the note: the text before
:data:`MARKER` is kept, everything from it on is rewritten (:func:`capability_note`). Rows,
columns and every other cell are kept byte for byte; a second run changes nothing.

Keep the downloaded files outside the repository (only this script and the figures it
writes are committed). Run from the repository root::

    python -m tools.import_capabilities --gdp RAW/gdp.csv \\
        --milex RAW/SIPRI-Milex-data-1949-2024_2.xlsx
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent

GDP_KEY, MILEX_KEY = "wb-gdp", "sipri-milex"
#: Source keys of capability datasets: replaced by the run. Any other key already in a
#: row's capability_source is cited by its note's other text and is kept.
CAPABILITY_KEYS = frozenset(
    {GDP_KEY, MILEX_KEY, "imf-weo-2024", "nato-defence-expenditures", "eda-2024-defence-data"}
)
#: The note's generated part starts here; the text before it is kept.
MARKER = "Capability figures:"
MILEX_SHEET = "Current US$"

#: ISO 3166-1 alpha-3 -> the country's name in SIPRI's tables (the World Bank uses the ISO
#: codes themselves, and has no Taiwan). A state missing here has no SIPRI row.
SIPRI_NAMES: dict[str, str] = {
    "USA": "United States of America",
    "CAN": "Canada",
    "MEX": "Mexico",
    "BRA": "Brazil",
    "ARG": "Argentina",
    "GBR": "United Kingdom",
    "NLD": "Netherlands",
    "FRA": "France",
    "ESP": "Spain",
    "DEU": "Germany",
    "POL": "Poland",
    "ITA": "Italy",
    "RUS": "Russia",
    "UKR": "Ukraine",
    "FIN": "Finland",
    "SWE": "Sweden",
    "NOR": "Norway",
    "ZAF": "South Africa",
    "IRN": "Iran",
    "TUR": "Türkiye",
    "EGY": "Egypt",
    "ISR": "Israel",
    "SAU": "Saudi Arabia",
    "ARE": "United Arab Emirates",
    "CHN": "China",
    "MNG": "Mongolia",
    "TWN": "Taiwan",
    "PRK": "Korea, North",
    "KOR": "Korea, South",
    "JPN": "Japan",
    "IND": "India",
    "PAK": "Pakistan",
    "BGD": "Bangladesh",
    "MMR": "Myanmar",
    "LKA": "Sri Lanka",
    "THA": "Thailand",
    "KHM": "Cambodia",
    "LAO": "Laos",
    "VNM": "Viet Nam",
    "MYS": "Malaysia",
    "SGP": "Singapore",
    "BRN": "Brunei",
    "PHL": "Philippines",
    "IDN": "Indonesia",
    "AUS": "Australia",
    "PNG": "Papua New Guinea",
    "NZL": "New Zealand",
    "FJI": "Fiji",
}

#: SIPRI's font colours (indexed palette entries and their RGB) and what they mean.
ESTIMATE, UNCERTAIN = "a SIPRI estimate", "marked highly uncertain by SIPRI"
_COLOURS = {"12": ESTIMATE, "FF0000FF": ESTIMATE, "10": UNCERTAIN, "FFFF0000": UNCERTAIN}


@dataclass(frozen=True)
class Figure:
    """One published figure: US dollars (not billions), and SIPRI's flag if any."""

    value: float
    flag: str = ""


#: A dataset as read: ISO code -> year -> figure. Codes the dataset lacks are absent.
Series = dict[str, dict[int, Figure]]


@dataclass(frozen=True)
class Dataset:
    """One source: its key, how the note names it, and its figures."""

    key: str
    label: str  # e.g. "World Bank GDP (current US$)"
    what: str  # "GDP" or "defence"
    series: Series


@dataclass(frozen=True)
class Capability:
    """What the run writes for one state."""

    code: str
    gdp_bn: float | None
    defence_bn: float | None
    year: int | None  # the common year (None when each dataset gives its own)
    note: str


# --- choosing the year ---------------------------------------------------------------------


def latest(series: Series, codes: Iterable[str]) -> int | None:
    """The latest year in which any of ``codes`` has a figure."""
    years = [y for c in codes for y in series.get(c, {})]
    return max(years) if years else None


def current(series: Series, codes: Iterable[str]) -> set[str]:
    """The states the dataset still covers: those with a figure in its latest year."""
    codes = list(codes)
    last = latest(series, codes)
    return {c for c in codes if last is not None and last in series.get(c, {})}


def common_year(datasets: Sequence[Series], codes: Sequence[str]) -> int | None:
    """The latest year in which, in every dataset, every state it currently covers has a
    figure; None if there is none.

    >>> wb = {"A": {2022: Figure(1), 2023: Figure(1)}, "B": {2023: Figure(1)}}
    >>> sipri = {"A": {2022: Figure(1), 2023: Figure(1), 2024: Figure(1)}}
    >>> common_year([wb, sipri], ["A", "B"])
    2023
    """
    ends = [latest(s, codes) for s in datasets]
    if any(e is None for e in ends):
        return None
    covered = [current(s, codes) for s in datasets]
    starts = [min(y for c in codes for y in s.get(c, {})) for s in datasets]  # not empty
    for year in range(min(ends), max(starts) - 1, -1):
        if all(year in s.get(c, {}) for s, cov in zip(datasets, covered, strict=True) for c in cov):
            return year
    return None


def fallback_years(datasets: Sequence[Series], codes: Sequence[str]) -> list[int | None]:
    """Each dataset's own latest year, when no common year exists."""
    return [latest(s, codes) for s in datasets]


# --- the figures and the note ---------------------------------------------------------------


def billions(dollars: float) -> float:
    """US dollars to billions, three significant figures and at least one decimal.

    >>> billions(27_360_935_000_000.0), billions(47_801_863_038.9), billions(73_348_297.5)
    (27360.9, 47.8, 0.0733)
    """
    bn = dollars / 1e9
    if bn <= 0:
        return 0.0
    return round(bn, max(1, 2 - math.floor(math.log10(bn))))


def _reason(ds: Dataset, code: str, year: int) -> str:
    years = ds.series.get(code)
    if not years:
        return f"{ds.what} blank: no figure in {ds.label}"
    return f"{ds.what} blank: no {year} figure in {ds.label} (last figure {max(years)})"


def capability(
    code: str, datasets: Sequence[Dataset], years: Sequence[int | None], common: bool
) -> tuple[list[float | None], str]:
    """The figures (billions, or None) of one state in the given years, one per dataset,
    and the note's generated part."""
    values: list[float | None] = []
    parts: list[str] = []
    for ds, year in zip(datasets, years, strict=True):
        fig = ds.series.get(code, {}).get(year) if year is not None else None
        if fig is None:
            values.append(None)
            parts.append(_reason(ds, code, year) if year is not None else f"{ds.what} blank")
            continue
        values.append(billions(fig.value))
        flag = f", {fig.flag}" if fig.flag else ""
        parts.append(f"{ds.what} from {ds.label}, {year}{flag}")
    head = MARKER if common else f"{MARKER} no common year, each dataset's latest;"
    return values, f"{head} {'; '.join(parts)}"


def capability_note(old: str, generated: str) -> str:
    """The note's own text (before :data:`MARKER`) followed by the generated part."""
    own = old.split(MARKER, 1)[0].strip().rstrip(".;").strip()
    return f"{own}. {generated}" if own else generated


def capability_source(old: str, keys: Sequence[str]) -> str:
    """The datasets' keys, then any other key the row already cites (kept for its note)."""
    others = [k.strip() for k in old.split(";") if k.strip() and k.strip() not in CAPABILITY_KEYS]
    return ";".join([*keys, *others])


def compute(datasets: Sequence[Dataset], codes: Sequence[str]) -> list[Capability]:
    """Figures and notes for every state in ``codes``."""
    year = common_year([d.series for d in datasets], codes)
    years = (
        [year] * len(datasets)
        if year is not None
        else fallback_years([d.series for d in datasets], codes)
    )
    out = []
    for code in codes:
        values, note = capability(code, datasets, years, year is not None)
        out.append(Capability(code, values[0], values[1], year, note))
    return out


# --- reading the inputs --------------------------------------------------------------------


def _float(text: object) -> float | None:
    try:
        value = float(str(text).replace(",", ""))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _year(text: object) -> int | None:
    value = _float(text)
    return int(value) if value is not None and value == int(value) and 1900 < value < 2200 else None


def read_gdp(path: Path) -> Series:
    """The World Bank table, long (datasets/gdp) or wide (the bulk download), in US$."""
    text = path.read_text(encoding="utf-8-sig")
    return parse_gdp(text)


def parse_gdp(text: str) -> Series:
    """:func:`read_gdp` on the file's text."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if "Country Code" in ln), 0)
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))
    out: Series = {}
    if rows and "Year" in rows[0]:  # long: Country Name, Country Code, Year, Value
        for r in rows:
            year, value = _year(r["Year"]), _float(r["Value"])
            if year is not None and value is not None:
                out.setdefault(r["Country Code"], {})[year] = Figure(value)
        return out
    for r in rows:  # wide: one column a year
        out.setdefault(r["Country Code"], {})
        for col, cell in r.items():
            year, value = _year(col), _float(cell)
            if year is not None and value is not None:
                out.setdefault(r["Country Code"], {})[year] = Figure(value)
    return out


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def xlsx_sheet(path: Path, name: str) -> list[list[tuple[str, str]]]:
    """The rows of one sheet of an .xlsx workbook, each cell as (text, flag), with the
    flag from its font colour (:data:`_COLOURS`). The standard library only: a workbook is
    a zip of XML parts."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rid = next((s.get(_REL) for s in book.iter(f"{_NS}sheet") if s.get("name") == name), None)
        if rid is None:
            raise ValueError(f"{path.name} has no sheet '{name}'")
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        target = target.lstrip("/")
        target = target if target.startswith("xl/") else f"xl/{target}"
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_NS}si"):
                strings.append("".join(t.text or "" for t in si.iter(f"{_NS}t")))
        flags = _style_flags(ElementTree.fromstring(z.read("xl/styles.xml")))
        sheet = ElementTree.fromstring(z.read(target))
    rows: list[list[tuple[str, str]]] = []
    for row in sheet.iter(f"{_NS}row"):
        cells: list[tuple[str, str]] = []
        for c in row.iter(f"{_NS}c"):
            col = _column(re.match(r"[A-Z]+", c.get("r", "A")).group())
            while len(cells) < col:
                cells.append(("", ""))
            v = c.find(f"{_NS}v")
            kind = c.get("t")
            if kind == "s" and v is not None:
                text = strings[int(v.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            else:
                text = v.text or "" if v is not None else ""
            cells.append((text, flags.get(int(c.get("s", 0)), "")))
        rows.append(cells)
    return rows


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _style_flags(styles: ElementTree.Element) -> dict[int, str]:
    """Cell style index -> the flag its font colour means."""
    fonts = styles.find(f"{_NS}fonts")
    xfs = styles.find(f"{_NS}cellXfs")
    if fonts is None or xfs is None:
        return {}
    colour = []
    for font in fonts.findall(f"{_NS}font"):
        c = font.find(f"{_NS}color")
        code = "" if c is None else (c.get("indexed") or c.get("rgb") or "")
        colour.append(_COLOURS.get(code.upper(), ""))
    return {
        i: colour[int(xf.get("fontId", 0))] if int(xf.get("fontId", 0)) < len(colour) else ""
        for i, xf in enumerate(xfs.findall(f"{_NS}xf"))
    }


def read_milex(path: Path) -> tuple[Series, str]:
    """SIPRI's current-US$ table by ISO code, in US$ (SIPRI publishes US$ m.), and the
    edition named in its title line (e.g. "1949-2024")."""
    if path.suffix.lower() == ".xlsx":
        rows = xlsx_sheet(path, MILEX_SHEET)
    else:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = [[(cell, "") for cell in r] for r in csv.reader(fh)]
    return parse_milex(rows)


def parse_milex(rows: Sequence[Sequence[tuple[str, str]]]) -> tuple[Series, str]:
    """:func:`read_milex` on the sheet's rows of (text, flag)."""
    title = next((r[0][0] for r in rows if r and r[0][0].strip()), "")
    edition = m.group(0) if (m := re.search(r"\b(19|20)\d\d-(19|20)\d\d\b", title)) else ""
    head = next(i for i, r in enumerate(rows) if r and r[0][0].strip() == "Country")
    years = {j: _year(text) for j, (text, _) in enumerate(rows[head]) if _year(text)}
    by_name = {name: code for code, name in SIPRI_NAMES.items()}
    out: Series = {}
    for r in rows[head + 1 :]:
        code = by_name.get(r[0][0].strip()) if r else None
        if code is None:
            continue
        out.setdefault(code, {})
        for j, year in years.items():
            text, flag = r[j] if j < len(r) else ("", "")
            value = _float(text)
            if value is not None:
                out.setdefault(code, {})[year] = Figure(value * 1e6, flag)
    return out, edition


def milex_label(edition: str) -> str:
    """How a note names SIPRI's table: ``SIPRI Milex 1949-2024 edition (current US$)``."""
    edition = f" {edition} edition" if edition else ""
    return f"SIPRI Milex{edition} (current US$)"


# --- the actors file -----------------------------------------------------------------------


def state_codes(text: str) -> list[str]:
    return [r["code"] for r in csv.DictReader(io.StringIO(text)) if r["kind"] == "state"]


def _cell(value: float | None) -> str:
    return "" if value is None else repr(value)


def rewrite_actors(text: str, caps: Iterable[Capability], keys: Sequence[str]) -> str:
    """actors.csv with the capability columns and notes of the given states rewritten;
    every other row and cell as it was."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    col = {name: header.index(name) for name in header}
    by_code: Mapping[str, Capability] = {c.code: c for c in caps}
    for row in rows[1:]:
        cap = by_code.get(row[col["code"]])
        if cap is None:
            continue
        row[col["gdp_usd_bn"]] = _cell(cap.gdp_bn)
        row[col["defence_usd_bn"]] = _cell(cap.defence_bn)
        row[col["capability_year"]] = "" if cap.year is None else str(cap.year)
        row[col["capability_source"]] = capability_source(row[col["capability_source"]], keys)
        row[col["note"]] = capability_note(row[col["note"]], cap.note)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gdp", type=Path, required=True, help="World Bank GDP table (.csv)")
    parser.add_argument(
        "--milex", type=Path, required=True, help="SIPRI workbook (.xlsx) or its Current US$ sheet"
    )
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data directory")
    args = parser.parse_args(argv)
    actors = args.data / "actors.csv"
    text = actors.read_text(encoding="utf-8")
    codes = state_codes(text)
    milex, edition = read_milex(args.milex)
    datasets = [
        Dataset(GDP_KEY, "World Bank NY.GDP.MKTP.CD (current US$)", "GDP", read_gdp(args.gdp)),
        Dataset(MILEX_KEY, milex_label(edition), "defence", milex),
    ]
    caps = compute(datasets, codes)
    actors.write_text(rewrite_actors(text, caps, [GDP_KEY, MILEX_KEY]), encoding="utf-8")
    year = caps[0].year if caps else None
    print(f"{len(caps)} states, year {year if year is not None else 'per dataset'} -> {actors}")
    for ds, what in zip(datasets, ("gdp_bn", "defence_bn"), strict=True):
        blank = [c.code for c in caps if getattr(c, what) is None]
        print(f"{ds.what}: {len(caps) - len(blank)} figures; blank: {', '.join(blank) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
