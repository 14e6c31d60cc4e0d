"""Load the dataset and validate it once.

Every file is read as text (nothing is guessed: the string ``NA`` is a value, not a
missing one), checked in full, and either turned into frozen records or refused with a
single :class:`DatasetError` that lists every problem as ``file:row: column: what``.
Row numbers count lines as a spreadsheet does: the header is row 1, the first record
row 2; row 0 means the whole file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from model.schema import (
    ACTOR_KINDS,
    CONFIDENCE_SPREAD,
    DATED_COLUMNS,
    DATED_TABLES,
    DOMAINS,
    FILES,
    FRAMING_TRIGGERS,
    FRAMINGS,
    REGIONS,
    REQUIRED_COLUMNS,
    TIE_KINDS,
)

__all__ = [
    "BUILTIN_DATA_DIR",
    "MAX_FILE_BYTES",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "MAX_YEAR",
    "MIN_YEAR",
    "RECORDS",
    "Actor",
    "Dataset",
    "DatasetError",
    "Friction",
    "Preset",
    "Sensitivity",
    "Source",
    "Threat",
    "Tie",
    "default_data_dir",
    "fingerprint",
    "load_dataset",
    "parse_tables",
]

BUILTIN_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_FILE_BYTES = 5_000_000
#: Rows per file: a CSV of short rows under the byte cap could otherwise hold 250,000.
MAX_ROWS = 50_000
#: Validation stops here: a garbage file would otherwise give one problem per cell.
MAX_PROBLEMS = 1_000


def default_data_dir() -> Path:
    """The dataset in use: ``COHESION_DATA_DIR`` if set, else the built-in one."""
    env = os.environ.get("COHESION_DATA_DIR", "").strip()
    return Path(env) if env else BUILTIN_DATA_DIR


class _TooManyProblems(Exception):
    pass


class _Problems(list):
    """The problems found so far; stops validation once it holds MAX_PROBLEMS."""

    def append(self, problem: str) -> None:
        super().append(problem)
        if len(self) >= MAX_PROBLEMS:
            raise _TooManyProblems


class DatasetError(ValueError):
    """The dataset failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Actor:
    code: str
    name: str
    kind: str
    region: str
    lat: float
    lon: float
    gdp_usd_bn: float | None = None
    defence_usd_bn: float | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class _Dated:
    """What every dated judgement holds besides its own columns (``DATED_COLUMNS``): in
    force from ``since`` to ``until`` (inclusive; None = still), how sure, on what sources,
    and the row of its file (counted as validation messages count)."""

    since: int
    until: int | None
    confidence: str
    sources: tuple[str, ...]
    note: str
    row: int = 0

    def active(self, year: int) -> bool:
        return self.since <= year and (self.until is None or year <= self.until)


@dataclass(frozen=True)
class Tie(_Dated):
    a: str
    b: str
    domain: str
    kind: str
    strength: float


@dataclass(frozen=True)
class Friction(_Dated):
    a: str
    b: str
    kind: str
    severity: float


@dataclass(frozen=True)
class Sensitivity(_Dated):
    actor: str
    trigger: str
    severity: float


@dataclass(frozen=True)
class Threat(_Dated):
    actor: str
    target: str
    level: float


#: The record of each dated table; its own fields are the table's columns before ``since``.
RECORDS: dict[str, type[_Dated]] = {
    "ties.csv": Tie,
    "frictions.csv": Friction,
    "sensitivities.csv": Sensitivity,
    "threats.csv": Threat,
}


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    year: int
    url: str


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    members: tuple[str, ...]
    framing: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Dataset:
    """A validated dataset. Records are immutable; codes are sorted."""

    actors: tuple[Actor, ...]
    ties: tuple[Tie, ...]
    frictions: tuple[Friction, ...]
    sensitivities: tuple[Sensitivity, ...]
    threats: tuple[Threat, ...]
    sources: Mapping[str, Source]
    presets: Mapping[str, Preset]
    fingerprint: str
    origin: str = ""
    _index: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.actors)

    def actor(self, code: str) -> Actor:
        return self.actors[self._index[code]]

    def index(self, code: str) -> int:
        return self._index[code]

    @cached_property
    def latest_year(self) -> int:
        """The latest ``since`` year in the data: the default scenario year."""
        rows = (*self.ties, *self.frictions, *self.sensitivities, *self.threats)
        return max((r.since for r in rows), default=2024)

    @cached_property
    def earliest_year(self) -> int:
        return min((t.since for t in self.ties), default=1950)

    def __hash__(self) -> int:  # cached Streamlit/lru wrappers key on the content
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Dataset) and other.fingerprint == self.fingerprint


# --------------------------------------------------------------------------- reading


def _decode(name: str, raw: bytes, problems: list[str]) -> str | None:
    if len(raw) == 0:
        problems.append(f"{name}:0: file: the file is empty")
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(f"{name}:0: file: {len(raw)} bytes is over the {MAX_FILE_BYTES}-byte cap")
        return None
    if b"\x00" in raw and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(f"{name}:0: file: UTF-16 text; save it as UTF-8 CSV")
        return None
    if b"\x00" in raw:
        problems.append(f"{name}:0: file: binary data (a NUL byte) where CSV text was expected")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.append(
            f"{name}:0: file: not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})"
        )
        return None
    if not text.strip():
        problems.append(f"{name}:0: file: the file is empty")
        return None
    return text


def _read_rows(name: str, text: str, problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, {column: text}); header problems are reported."""
    too_many = f"{name}:0: file: more than {MAX_ROWS} rows; the cap is {MAX_ROWS}"
    # More line breaks than a header and MAX_ROWS rows have: refused before any parsing.
    if max(text.count("\n"), text.count("\r")) > MAX_ROWS + 1:
        problems.append(too_many)
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as err:
        problems.append(f"{name}:1: header: unreadable CSV ({err})")
        return []
    header = [h.strip() for h in header]
    seen: set[str] = set()
    ok = True
    for col in header:
        if col == "":
            problems.append(f"{name}:1: header: an empty column name")
            ok = False
        elif col in seen:
            problems.append(f"{name}:1: {col}: duplicate column '{col}'")
            ok = False
        seen.add(col)
    for col in REQUIRED_COLUMNS[name]:
        if col not in seen:
            problems.append(f"{name}:1: {col}: missing column '{col}'")
            ok = False
    if not ok:
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        while True:
            rownum = reader.line_num + 1  # the line this record starts on
            record = next(reader, None)
            if record is None:
                break
            if reader.line_num > MAX_ROWS + 1:  # the header and MAX_ROWS lines
                problems.append(too_many)
                return []
            if not record or all(not c.strip() for c in record):
                continue
            if len(record) != len(header):
                problems.append(
                    f"{name}:{rownum}: row: {len(record)} fields where the header has {len(header)}"
                )
                continue
            rows.append((rownum, {h: c.strip() for h, c in zip(header, record, strict=True)}))
    except csv.Error as err:
        problems.append(f"{name}:{reader.line_num}: row: unreadable CSV ({err})")
    if not rows:
        problems.append(f"{name}:0: file: no data rows under the header")
    return rows


class _RowChecker:
    """Parses one row's cells, recording a problem (and returning None) for each bad one."""

    def __init__(self, name: str, rownum: int, cells: dict[str, str], problems: list[str]):
        self.name, self.rownum, self.cells, self.problems = name, rownum, cells, problems
        self.ok = True

    def bad(self, column: str, what: str) -> None:
        self.problems.append(f"{self.name}:{self.rownum}: {column}: {what}")
        self.ok = False

    def text(self, column: str, required: bool = True) -> str:
        value = self.cells[column]
        if required and not value:
            self.bad(column, "is empty")
        return value

    def choice(self, column: str, allowed: tuple[str, ...] | Mapping[str, str]) -> str:
        value = self.cells[column]
        if value not in allowed:
            self.bad(column, f"'{value}' is not one of {', '.join(allowed)}")
        return value

    def number(self, column: str, lo: float, hi: float, required: bool = True) -> float | None:
        value = self.cells[column]
        if not value:
            if required:
                self.bad(column, "is empty")
            return None
        try:
            x = float(value)
        except ValueError:
            self.bad(column, f"'{value}' is not a number")
            return None
        if not math.isfinite(x) or not lo <= x <= hi:
            self.bad(column, f"'{value}' is out of range [{lo:g}, {hi:g}]")
            return None
        return x

    def year(self, column: str, required: bool = True) -> int | None:
        value = self.cells[column]
        if not value:
            if required:
                self.bad(column, "is empty")
            return None
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            self.bad(column, f"'{value}' is not a four-digit year")
            return None
        y = int(value)
        if not MIN_YEAR <= y <= MAX_YEAR:
            self.bad(column, f"'{value}' is outside {MIN_YEAR}-{MAX_YEAR}")
            return None
        return y

    def code(self, column: str, codes: set[str] | None) -> str:
        """A known actor code; ``codes`` None means actors.csv was unreadable: skip."""
        value = self.cells[column]
        if codes is not None and value not in codes:
            self.bad(column, f"unknown actor code '{value}'")
        return value

    def period(self) -> tuple[int | None, int | None]:
        since, until = self.year("since"), self.year("until", required=False)
        if since is not None and until is not None and until < since:
            self.bad("until", f"'{until}' is before since '{since}'")
        return since, until

    def sources(self, keys: Mapping[str, Source], column: str = "source") -> tuple[str, ...]:
        value = self.cells[column]
        parts = tuple(p.strip() for p in value.split(";"))
        if not value or any(not p for p in parts):
            self.bad(column, f"'{value}' is not a ';'-separated list of source keys")
            return ()
        for p in parts:
            if keys is not None and p not in keys:
                self.bad(column, f"source key '{p}' does not resolve in sources.csv")
        return parts


# --------------------------------------------------------------------------- tables


def _parse_sources(rows, problems) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for rownum, cells in rows:
        c = _RowChecker("sources.csv", rownum, cells, problems)
        key, title, publisher = c.text("key"), c.text("title"), c.text("publisher")
        year = c.year("year")
        url = c.text("url")
        if url and not url.startswith(("https://", "http://")):
            c.bad("url", f"'{url}' is not an http(s) address")
        if key in out:
            c.bad("key", f"duplicate key '{key}'")
        if c.ok:
            out[key] = Source(key, title, publisher, year, url)
    return out


def _parse_actors(rows, problems, keys) -> list[Actor]:
    out: list[Actor] = []
    seen: set[str] = set()
    for rownum, cells in rows:
        c = _RowChecker("actors.csv", rownum, cells, problems)
        code = c.text("code")
        if code and not (code.isascii() and code.isalpha() and code.isupper() and len(code) <= 6):
            c.bad("code", f"'{code}' is not an upper-case code of 2-6 letters")
        if code in seen:
            c.bad("code", f"duplicate actor '{code}'")
        seen.add(code)
        name, kind = c.text("name"), c.choice("kind", ACTOR_KINDS)
        region = c.choice("region", REGIONS)
        lat, lon = c.number("lat", -90, 90), c.number("lon", -180, 180)
        gdp = c.number("gdp_usd_bn", 0, 1e6, required=False) if "gdp_usd_bn" in cells else None
        mil = (
            c.number("defence_usd_bn", 0, 1e5, required=False)
            if "defence_usd_bn" in cells
            else None
        )
        if cells.get("capability_source"):
            c.sources(keys, "capability_source")
        if c.ok:
            out.append(Actor(code, name, kind, region, lat, lon, gdp, mil, cells.get("note", "")))
    return out


def _duplicate(seen: dict, key, c: _RowChecker, what: str) -> None:
    if key in seen:
        c.bad("row", f"duplicate of row {seen[key]} (same {what})")
    else:
        seen[key] = c.rownum


def _overlaps(rows, key) -> dict[int, int]:
    """Row number -> an earlier row of the same key whose period overlaps it."""
    by_key: dict = {}
    clash: dict[int, int] = {}
    for r in rows:
        for other in by_key.get(key(r), []):
            end_r = r.until if r.until is not None else MAX_YEAR
            end_o = other.until if other.until is not None else MAX_YEAR
            if r.since <= end_o and other.since <= end_r:
                clash[r.row] = other.row
                break
        by_key.setdefault(key(r), []).append(r)
    return clash


def _check_tie_kind(c: _RowChecker, codes: set[str] | None, orgs: frozenset[str]) -> None:
    """A tie kind belongs to one domain; a membership ties a state to an organisation."""
    a, b, domain, kind = (c.cells[k] for k in ("a", "b", "domain", "kind"))
    if kind in TIE_KINDS and domain in DOMAINS and TIE_KINDS[kind] != domain:
        c.bad("domain", f"'{domain}' does not match kind '{kind}' ({TIE_KINDS[kind]})")
    if kind == "membership" and codes is not None and (a in orgs) == (b in orgs):
        c.bad("kind", f"a membership ties a state to an organisation, not '{a}' to '{b}'")


def _check_trigger(c: _RowChecker, codes: set[str] | None, orgs: frozenset[str]) -> None:
    """A trigger is a framing or another actor's membership."""
    actor, trigger = c.cells["actor"], c.cells["trigger"]
    if trigger.startswith("member:"):
        other = trigger.removeprefix("member:")
        if codes is not None and other not in codes:
            c.bad("trigger", f"unknown actor code '{other}' in '{trigger}'")
        elif other == actor:
            c.bad("trigger", f"'{trigger}' names the actor itself")
    elif trigger not in FRAMING_TRIGGERS:
        c.bad("trigger", f"'{trigger}' is not framing:{'|'.join(FRAMINGS)} or member:CODE")


#: Checks of a dated table beyond what its DatedTable describes.
_ROW_CHECKS = {"ties.csv": _check_tie_kind, "sensitivities.csv": _check_trigger}


def _parse_dated(name: str, rows, problems, codes, keys, orgs=frozenset()) -> list:
    """The records of a dated table (``DATED_TABLES``), checked cell by cell in column order."""
    table, record = DATED_TABLES[name], RECORDS[name]
    own = REQUIRED_COLUMNS[name][: -len(DATED_COLUMNS)]
    duplicate = ", ".join(table.key_words()) + " and since"
    out, seen = [], {}
    for rownum, cells in rows:
        c = _RowChecker(name, rownum, cells, problems)
        named = [c.code(column, codes) for column in table.actors]
        if table.self_pair and named[0] and named == [named[0]] * 2:
            c.bad(table.actors[1], table.self_pair.format(named[0]))
        for column, allowed in table.vocabularies.items():
            c.choice(column, allowed)
        if name in _ROW_CHECKS:
            _ROW_CHECKS[name](c, codes, orgs)
        judgement = c.number(table.judgement, 0, 1)
        since, until = c.period()
        confidence = c.choice("confidence", CONFIDENCE_SPREAD)
        sources = c.sources(keys)
        key = tuple(cells[k] for k in table.key)
        if table.pair:
            key = (frozenset(key[:2]), *key[2:])
        _duplicate(seen, (*key, since), c, duplicate)
        if c.ok:
            values = {column: cells[column] for column in own} | {table.judgement: judgement}
            out.append(
                record(
                    **values,
                    since=since,
                    until=until,
                    confidence=confidence,
                    sources=sources,
                    note=cells["note"],
                    row=rownum,
                )
            )
    if table.no_overlap:
        same = " and ".join(table.key)
        for row, other in _overlaps(out, lambda r: tuple(getattr(r, k) for k in table.key)).items():
            problems.append(f"{name}:{row}: since: period overlaps row {other} (same {same})")
    return out


def _parse_presets(rows, problems, codes, keys) -> dict[str, Preset]:
    out: dict[str, Preset] = {}
    for rownum, cells in rows:
        c = _RowChecker("presets.csv", rownum, cells, problems)
        pid = c.text("id")
        if pid and not all(ch.islower() or ch.isdigit() or ch == "_" for ch in pid):
            c.bad("id", f"'{pid}' is not a lower-case id (a-z, 0-9, _)")
        if pid in out:
            c.bad("id", f"duplicate preset '{pid}'")
        if codes is not None and pid.upper() in codes:
            # a link reads "brics" as the preset, so the actor BRICS alone could not be named
            c.bad("id", f"'{pid}' is also an actor code; a link could not tell them apart")
        members = tuple(m.strip() for m in cells["members"].split(","))
        for m in members:
            if codes is not None and m not in codes:
                c.bad("members", f"unknown actor code '{m}'")
        if len(set(members)) != len(members):
            c.bad("members", f"'{cells['members']}' repeats a code")
        framing = c.choice("framing", FRAMINGS)
        srcs = c.sources(keys)
        if c.ok:
            out[pid] = Preset(
                pid, c.text("name"), tuple(sorted(members)), framing, srcs, cells["note"]
            )
    return out


def fingerprint(files: Mapping[str, bytes]) -> str:
    """The content fingerprint of a dataset's files (those of ``FILES``; a missing one
    counts as empty): what :attr:`Dataset.fingerprint` holds and what the store keys a
    dataset by."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + files.get(name, b"") + b"\0")
    return digest.hexdigest()


def parse_tables(files: Mapping[str, bytes], origin: str = "") -> Dataset:
    """Validate raw file contents (name -> bytes) and build a :class:`Dataset`.

    Raises :class:`DatasetError` listing every problem in every file (up to MAX_PROBLEMS).
    """
    problems = _Problems()
    try:
        return _parse_tables(files, origin, problems)
    except _TooManyProblems:
        where = problems[-1].split(":", 1)[0]  # the file it stopped in
        stopped = f"{where}:0: file: validation stopped after {MAX_PROBLEMS} problems"
        raise DatasetError([*problems, stopped]) from None


def _parse_tables(files: Mapping[str, bytes], origin: str, problems: _Problems) -> Dataset:
    rows: dict[str, list] = {}
    for name in FILES:
        if name not in files:
            problems.append(f"{name}:0: file: the file is missing")
            rows[name] = []
            continue
        text = _decode(name, files[name], problems)
        rows[name] = _read_rows(name, text, problems) if text is not None else []
    sources = _parse_sources(rows["sources.csv"], problems)
    # A key on a bad row of sources.csv is still known, to avoid cascades of errors; if
    # sources.csv could not be read at all, its problem is reported once and keys go unchecked.
    keys: dict | None = dict(sources) if rows["sources.csv"] else None
    for _, cells in rows["sources.csv"]:
        keys.setdefault(cells["key"], None)
    actors = _parse_actors(rows["actors.csv"], problems, keys)
    # If actors.csv could not be read, its problem is reported once, not once per code.
    codes = {cells["code"] for _, cells in rows["actors.csv"]} if rows["actors.csv"] else None
    orgs = frozenset(cells["code"] for _, cells in rows["actors.csv"] if cells["kind"] != "state")
    ties, frictions, sens, threats = (
        _parse_dated(name, rows[name], problems, codes, keys, orgs) for name in DATED_TABLES
    )
    presets = _parse_presets(rows["presets.csv"], problems, codes, keys)
    if problems:
        raise DatasetError(list(problems))
    actors.sort(key=lambda a: a.code)
    return Dataset(
        actors=tuple(actors),
        ties=tuple(ties),
        frictions=tuple(frictions),
        sensitivities=tuple(sens),
        threats=tuple(threats),
        sources=sources,
        presets=presets,
        fingerprint=fingerprint(files),
        origin=origin,
        _index={a.code: i for i, a in enumerate(actors)},
    )


def load_dataset(directory: str | os.PathLike | None = None) -> Dataset:
    """Read and validate the dataset in ``directory`` (default: :func:`default_data_dir`)."""
    path = Path(directory) if directory is not None else default_data_dir()
    if not path.is_dir():
        raise DatasetError([f"{path}:0: directory: no such dataset directory"])
    files = {}
    for name in FILES:
        f = path / name
        if f.is_file():
            files[name] = f.read_bytes()
    return parse_tables(files, origin=str(path))
