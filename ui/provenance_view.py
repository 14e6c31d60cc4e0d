"""The rows a score rests on, as a table for an analyst: each row in a plain sentence, its
effect on cohesion, and its sources as titles with a link (the data page's rules: only
http(s) addresses become links, and every text is shown as text)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import Dataset, Edit, RowEffect, Scenario
from model.whatif import describe
from ui import cache
from ui.datatable import safe_link

__all__ = ["RESTS_OPEN", "rests_on", "row_sentence", "rows_frame"]


def _name(ds: Dataset, code: str) -> str:
    return ds.actor(code).name if code in ds.codes else code


def _kind(kind: str) -> str:
    return "free trade agreement" if kind == "fta" else kind.replace("_", " ")


def _pair(ds: Dataset, record) -> str:
    a, b = sorted((record.a, record.b))
    return f"{_name(ds, a)}–{_name(ds, b)}"


def _period(record) -> str:
    return f"since {record.since}" if record.until is None else f"{record.since}–{record.until}"


def row_sentence(ds: Dataset, row: RowEffect, edits: tuple[Edit, ...] = ()) -> str:
    """A row of the record (or a what-if edit) in a plain sentence.

    >>> from model import load_dataset, provenance, scenario
    >>> ds = load_dataset()
    >>> top = provenance(ds, scenario(ds, "USA,JPN", "alliance", 2024))[0]
    >>> row_sentence(ds, top)
    'Japan–United States: treaty alliance (security tie, strength 0.90, since 1960)'

    """
    if row.file == "what-if" and 0 < row.row <= len(edits):
        return f"What if: {describe(edits[row.row - 1], ds)}"
    r = row.record
    if row.table == "ties":
        what = f"{_kind(r.kind)} ({r.domain} tie, strength {r.strength:.2f}"
        return f"{_pair(ds, r)}: {what}, {_period(r)})"
    if row.table == "frictions":
        what = f"{_kind(r.kind)} (friction, severity {r.severity:.2f}"
        return f"{_pair(ds, r)}: {what}, {_period(r)})"
    if row.table == "sensitivities":
        if r.trigger.startswith("framing:"):
            what = f"uneasy in a grouping framed as {r.trigger[8:]}"
        else:
            what = f"uneasy with {_name(ds, r.trigger[7:])} as a member"
        return f"{_name(ds, r.actor)}: {what} (severity {r.severity:.2f}, {_period(r)})"
    return (
        f"{_name(ds, r.actor)} sees {_name(ds, r.target)} as a threat "
        f"(level {r.level:.2f}, {_period(r)})"
    )


def _sources(ds: Dataset, row: RowEffect) -> tuple[str, str | None]:
    """The row's sources as titles, and the first one's address if it is a web link."""
    if row.file == "what-if":
        return "hypothetical: no source", None
    keys = [k.strip() for k in row.source.split(";") if k.strip()]
    titles, link = [], None
    for key in keys:
        source = ds.sources.get(key)
        if source is None:
            titles.append(f"{key} (unresolved)")
            continue
        titles.append(f"{source.title} ({source.publisher}, {source.year})")
        link = link or safe_link(source.url)
    return "; ".join(titles), link


def rows_frame(
    ds: Dataset, rows: tuple[RowEffect, ...], edits: tuple[Edit, ...] = ()
) -> pd.DataFrame:
    """One line per row: its effect on cohesion (points), what it is, its sources."""
    lines = []
    for row in rows:
        titles, link = _sources(ds, row)
        lines.append(
            {
                "effect": row.effect,
                "row": row_sentence(ds, row, edits),
                "source": titles,
                "link": link or "",  # blank, not "None", where there is no web source
            }
        )
    # the effect first: on a phone the table scrolls sideways, and it is the point
    return pd.DataFrame(lines, columns=["effect", "row", "source", "link"])


#: Session key of the section's open state: it is computed only while open (one full
#: rescoring per row; a toggle on the page should not pay for it unasked).
RESTS_OPEN = "build_rests_open"


def rests_on(ds: Dataset, s: Scenario, edits: tuple[Edit, ...] = ()) -> None:
    """The section "This score rests most on…" for a scenario and its edits."""
    box = st.expander(
        "This score rests most on…", key=RESTS_OPEN, on_change="rerun", icon=":material/rule:"
    )
    with box:
        if box.open:
            _rests_on(ds, s, edits)


def _rests_on(ds: Dataset, s: Scenario, edits: tuple[Edit, ...]) -> None:
    rows = cache.provenance(ds, s, edits)
    if not rows:
        st.caption("No single row moves this score.")
        return
    st.caption(
        "The ties, frictions, sensitivities and threat views whose removal would change the "
        "score most: the effect is the score with the row minus the score without it, in "
        "points, recomputed in full. Hypothetical rows of the what-if count like recorded ones."
    )
    st.dataframe(
        rows_frame(ds, rows, edits),
        hide_index=True,
        column_config={
            "effect": st.column_config.NumberColumn("effect", format="%+.2f", width="small"),
            "row": st.column_config.TextColumn("row", width="large"),
            "source": st.column_config.TextColumn("source", width="medium"),
            "link": st.column_config.LinkColumn("link", display_text="open", width="small"),
        },
    )
