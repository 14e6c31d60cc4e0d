"""Filtering and source display for the data page (pure pandas, testable without a page)."""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["ACTOR_COLUMNS", "filter_rows", "names_actors", "safe_link", "with_sources"]

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
