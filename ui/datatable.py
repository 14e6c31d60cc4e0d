"""Filtering and source display for the data page (pure pandas, testable without a page)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd


__all__ = [
    "ACTOR_COLUMNS",
    "TableDownload",
    "filter_rows",
    "names_actors",
    "safe_link",
    "table_csv",
    "table_download",
    "with_sources",
]

_WEB = re.compile(r"https?://[^\s]", re.IGNORECASE)

#: Columns of each table that hold actor codes (presets list several, comma-separated).
ACTOR_COLUMNS = {
    "actors.csv": ("code",),
    "ties.csv": ("a", "b"),
    "frictions.csv": ("a", "b"),
    "sensitivities.csv": ("actor", "trigger"),
    "threats.csv": ("actor", "target"),
    "presets.csv": ("members",),
    "sources.csv": (),
}


_SPLIT = re.compile(r"[\s,]+")


def names_actors(table: str) -> bool:
    """Whether ``table`` has columns of actor codes (the data page's actor filter applies).

    >>> names_actors("ties.csv"), names_actors("sources.csv")
    (True, False)
    """
    return bool(ACTOR_COLUMNS.get(table))


def _codes_in(cell: str) -> tuple[str, ...]:
    """The actor codes a cell names: 'USA', 'USA,JPN' (presets), 'member:JPN' (a trigger);
    a framing trigger names none."""
    parts = (p.removeprefix("member:") for p in _SPLIT.split(str(cell)) if p)
    return tuple(p for p in parts if ":" not in p)


def _per_value(column: pd.Series, test) -> pd.Series:
    """``test`` of each cell, computed once per distinct value."""
    return column.map({v: test(v) for v in column.unique()})


def filter_rows(
    frame: pd.DataFrame,
    table: str,
    search: str = "",
    actors: tuple[str, ...] = (),
    domain: str | None = None,
    year: int | None = None,
    between: bool = False,
) -> pd.DataFrame:
    """Rows matching every filter given: text anywhere, an actor, a domain, in force in a
    year. ``between``: only rows whose actors are all among ``actors`` (the ties between
    two countries), not every row naming one of them.

    Column by column and once per distinct value, not row by row: the data page filters
    as fast as a reader types.
    """
    import pandas as pd

    keep = pd.Series(True, index=frame.index)
    if search.strip():
        needle = search.strip().lower()
        found = pd.Series(False, index=frame.index)
        for col in frame.columns:
            found |= _per_value(frame[col], lambda v: needle in str(v).lower())
        keep &= found
    if actors:
        codes = set(actors)
        cols = [c for c in ACTOR_COLUMNS.get(table, ()) if c in frame]
        if not cols:
            keep &= False
        elif between:
            named = pd.Series(False, index=frame.index)
            for col in cols:
                keep &= _per_value(frame[col], lambda v: set(_codes_in(v)) <= codes)
                named |= _per_value(frame[col], lambda v: bool(_codes_in(v)))
            keep &= named
        else:
            hit = pd.Series(False, index=frame.index)
            for col in cols:
                hit |= _per_value(frame[col], lambda v: not codes.isdisjoint(_codes_in(v)))
            keep &= hit
    if domain and "domain" in frame:
        keep &= frame["domain"] == domain
    if year is not None and "since" in frame and "until" in frame:
        since = pd.to_numeric(frame["since"], errors="coerce")
        until = pd.to_numeric(frame["until"].replace("", None), errors="coerce")
        keep &= (since <= year) & (until.isna() | (until >= year))
    return frame[keep.astype(bool)]


def safe_link(url: str) -> str | None:
    """``url`` if it is a web address (http or https), else None: a link column must never
    get anything else (validation already demands it of sources.csv).

    >>> safe_link(" https://example.org/a "), safe_link("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    url = str(url).strip()
    return url if _WEB.match(url) else None


def with_sources(
    frame: pd.DataFrame, sources: pd.DataFrame, column: str = "source"
) -> pd.DataFrame:
    """Add each row's sources as readable titles and the first source's link."""
    if column not in frame:
        return frame
    by_key = {r["key"]: r for _, r in sources.iterrows()}

    def titles(cell: str) -> str:
        out = []
        for key in (k.strip() for k in str(cell).split(";") if k.strip()):
            s = by_key.get(key)
            out.append(
                f"{s['title']} ({s['publisher']}, {s['year']})"
                if s is not None
                else f"{key} (unresolved)"
            )
        return "; ".join(out)

    def first_link(cell: str) -> str | None:
        for key in (k.strip() for k in str(cell).split(";") if k.strip()):
            if key in by_key:
                return safe_link(by_key[key]["url"])
        return None

    shown = frame.copy()
    at = list(shown.columns).index(column) + 1
    shown.insert(at, "sources", shown[column].map(titles))
    shown.insert(at + 1, "link", shown[column].map(first_link))
    return shown


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table of text cells as CSV bytes: its header and rows, in order, empty cells empty,
    CRLF rows (the writer then quotes a cell holding a line break)."""
    out = io.StringIO()
    frame.fillna("").astype(str).to_csv(
        out, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    return out.getvalue().encode("utf-8")


#: At most this many actor codes go into a download's file name; the rest are counted.
CODES_IN_NAME = 4
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9]")


@dataclass(frozen=True)
class TableDownload:
    """What a table's download button says and names its file, for ``shown`` of ``total``
    rows. ``whole``: every row is kept, so the download is the file itself."""

    file_name: str
    label: str
    help: str
    whole: bool
    empty: bool


def table_download(
    table: str,
    shown: int,
    total: int,
    actors: tuple[str, ...] = (),
    between: bool = False,
) -> TableDownload:
    """The download of the rows a filter keeps: the file's own name when it keeps them
    all; otherwise a name that says which actors (sorted) and how many rows, always the
    same for the same filter.

    >>> table_download("ties.csv", 822, 822).file_name
    'ties.csv'
    >>> table_download("ties.csv", 11, 822, ("USA", "PHL"), between=True).file_name
    'ties-between-PHL-USA-11-of-822-rows.csv'
    >>> table_download("ties.csv", 11, 822).label
    'Download the 11 rows shown'
    """
    safe_note = "safe to open in a spreadsheet: a cell that would run as a formula is kept as text"
    if shown >= total:
        rows = "row" if total == 1 else "rows"
        return TableDownload(
            table,
            f"Download all {total} {rows}",
            f"The whole table, as {table}; {safe_note}.",
            whole=True,
            empty=total == 0,
        )
    stem = table.removesuffix(".csv")
    codes = sorted({_NOT_IN_NAME.sub("", c) for c in actors} - {""})
    parts = [stem]
    if codes:
        if between:
            parts.append("between")
        parts += codes[:CODES_IN_NAME]
        if len(codes) > CODES_IN_NAME:
            parts.append(f"and-{len(codes) - CODES_IN_NAME}-more")
    parts.append(f"{shown}-of-{total}-rows")
    name = "-".join(parts) + ".csv"
    if shown == 0:
        return TableDownload(
            name,
            "No rows to download",
            "The filters keep none of this table's rows.",
            whole=False,
            empty=True,
        )
    rows = "row" if shown == 1 else "rows"
    return TableDownload(
        name,
        f"Download the {shown} {rows} shown",
        f"Only the {shown} of {total} rows the filters keep, with all the table's columns, "
        f"in {name}; {safe_note}. The zip at the top of the page holds the whole dataset.",
        whole=False,
        empty=False,
    )
