"""The rows a score rests on, as a table for an analyst: each row in a plain sentence, its
effect on cohesion, and its sources as titles with a link (the data page's rules: only
http(s) addresses become links, and every text is shown as text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import streamlit as st

from model import Dataset, Edit, RowEffect, Scenario
from model.provenance import WHAT_IF_FILE
from model.words import edit_sentence
from model.words import row_sentence as words_row_sentence
from ui import cache
from ui.datatable import safe_link

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = ["RESTS_OPEN", "rests_on", "row_sentence", "rows_frame"]


def row_sentence(ds: Dataset, row: RowEffect, edits: Sequence[Edit] = ()) -> str:
    """A row of the record (or a what-if edit) in a plain sentence, in model/words.py's
    words, as the brief says it too.

    >>> from model import load_dataset, provenance, scenario
    >>> ds = load_dataset()
    >>> top = provenance(ds, scenario(ds, "USA,JPN", "alliance", 2024))[0]
    >>> row_sentence(ds, top)
    'Japan–United States: treaty alliance (security tie, strength 0.90, since 1960)'
    """
    if row.file == WHAT_IF_FILE and 0 < row.row <= len(edits):
        return f"What if: {edit_sentence(ds, edits[row.row - 1])}"
    return words_row_sentence(ds, row.table, row.record)


def _sources(ds: Dataset, row: RowEffect) -> tuple[str, str | None]:
    """The row's sources as titles, and the first one's address if it is a web link."""
    if row.file == WHAT_IF_FILE:
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


def rows_frame(ds: Dataset, rows: Sequence[RowEffect], edits: Sequence[Edit] = ()) -> pd.DataFrame:
    """One line per row: its effect on cohesion (points), what it is, its sources."""
    import pandas as pd

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


def rests_on(ds: Dataset, s: Scenario) -> None:
    """The section "This score rests most on…" for a scenario with its edits."""
    box = st.expander(
        "This score rests most on…", key=RESTS_OPEN, on_change="rerun", icon=":material/rule:"
    )
    with box:
        if box.open:
            _rests_on(ds, s)


def _rests_on(ds: Dataset, s: Scenario) -> None:
    rows = cache.provenance(ds, s)
    if not rows:
        st.caption("No single row moves this score.")
        return
    st.caption(
        "The ties, frictions, sensitivities and threat views whose removal would change the "
        "score most: the effect is the score with the row minus the score without it, in "
        "points, recomputed in full. Hypothetical rows of the what-if count like recorded ones."
    )
    st.dataframe(
        rows_frame(ds, rows, s.what_if),
        hide_index=True,
        column_config={
            "effect": st.column_config.NumberColumn("effect", format="%+.2f", width="small"),
            "row": st.column_config.TextColumn("row", width="large"),
            "source": st.column_config.TextColumn("source", width="medium"),
            "link": st.column_config.LinkColumn("link", display_text="open", width="small"),
        },
    )
