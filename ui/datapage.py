"""Widgets of the data page: browse, edit, upload, download, reset."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from model import Dataset
from model.export import safe_csv
from model.schema import DOMAINS, FILES
from ui import cache, datastore
from ui.datatable import filter_rows, names_actors, table_csv, table_download
from ui.style import actor_label
from ui.text import plain

__all__ = [
    "actor_filter",
    "browse",
    "editor",
    "problems_box",
    "tables",
    "toolbar",
    "uploader",
]

RESULT = "data_result"
#: The one actor filter above the tables, and its "only rows between them" switch.
ACTORS, BETWEEN = "data_actors", "data_between"


def problems_box(problems: list[str], what: str) -> None:
    st.error(
        f"{plain(what)} was refused, and the previous data is kept: "
        f"{len(problems)} problem(s), listed as file:row: column: what is wrong."
    )
    st.code("\n".join(problems), language=None)


def _report() -> None:
    """Show the outcome of the last edit, upload or reset (set by a callback)."""
    result = st.session_state.pop(RESULT, None)
    if result is None:
        return
    what, problems = result
    if problems:
        problems_box(problems, what)
    elif what == RESET:
        st.success(RESET_DONE)
    else:
        st.success(
            f"{plain(what)} passed validation and is now in use for this session. " + CARRIED_OVER
        )


RESET = "reset"
CARRIED_OVER = (
    "The scenarios on the other pages are kept and scored on it; members it lacks are "
    "left out, with a warning."
)
RESET_DONE = "This session uses the built-in dataset again. " + CARRIED_OVER


def _reset() -> None:
    datastore.reset()
    st.session_state[RESULT] = (RESET, [])


def toolbar(ds: Dataset) -> None:
    st.caption(
        f"{len(ds.actors)} actors, {len(ds.ties)} ties, {len(ds.frictions)} frictions, "
        f"{len(ds.sensitivities)} sensitivities, {len(ds.threats)} threat views, "
        f"{len(ds.sources)} sources, {len(ds.presets)} presets"
        + (" · custom dataset" if datastore.is_custom() else " · built-in dataset")
    )
    a, b, _ = st.columns([1.4, 1.4, 1.2])
    datastore.download_button(
        a,
        "Download the whole dataset (zip)",
        help="Every table in full, whatever the filters below show, in one zip; safe to "
        "open in a spreadsheet. Each table's own button downloads just the rows it shows.",
        key="data_zip",
    )
    b.button(
        "Reset to the built-in dataset",
        on_click=_reset,
        icon=":material/restart_alt:",
        disabled=not datastore.is_custom(),
        width="stretch",
    )
    _report()


def _on_upload() -> None:
    up = st.session_state.get("data_upload")
    if up is None:
        return
    table = st.session_state.get("data_upload_table")
    problems = datastore.upload(up.name, up.getvalue(), table)
    st.session_state[RESULT] = (f"The upload {up.name}", problems)


def uploader() -> None:
    with st.expander("Upload a table or a whole dataset"):
        st.caption(
            f"A CSV up to {datastore.MAX_CSV_BYTES // 1_000_000} MB replaces one table (named "
            "after it, e.g. ties.csv, or picked below); a zip up to "
            f"{datastore.MAX_ZIP_BYTES // 1_000_000} MB replaces the whole dataset. Everything "
            "is validated first; the current data stays unless the new data passes."
        )
        st.selectbox(
            "Table the CSV replaces",
            FILES,
            index=None,
            key="data_upload_table",
            placeholder="from the file name",
        )
        st.file_uploader(
            "CSV or zip",
            type=["csv", "zip"],
            key="data_upload",
            on_change=_on_upload,
            max_upload_size=datastore.MAX_UPLOAD_BYTES // 1_000_000,
        )


def _listed(names: list[str], word: str) -> str:
    """'A', 'A or B', 'A, B or C' (``word`` joins the last two)."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def actor_filter(ds: Dataset) -> tuple[tuple[str, ...], bool]:
    """The one actor filter above the tables: the actors picked and whether only the rows
    between them are kept. It applies to every table that names actors."""
    picked = st.session_state.get(ACTORS)
    if picked and any(c not in ds.codes for c in picked):
        # After an upload or a reset: keep the picks the data in use still has.
        st.session_state[ACTORS] = [c for c in picked if c in ds.codes]
    box = st.container(border=True)
    left, right = box.columns([3, 1.3], vertical_alignment="bottom")
    actors = left.multiselect(
        "Filter every table by actor",
        list(ds.codes),
        key=ACTORS,
        format_func=lambda c: actor_label(c, ds.actor(c).name),
        placeholder="Type a code or a name, e.g. USA or Japan",
        help="Keeps the rows that name any of these actors, in every table but sources. "
        "Each table keeps its own search, domain and year filters.",
        # Enter picks the best match, never every match: with the "Select all" row on top
        # (the default), typing USA and pressing Enter added Australia and Russia too.
        select_all=False,
        filter_mode="fuzzy",
    )
    between = right.toggle(
        "Only rows between them",
        key=BETWEEN,
        help="With two or more actors: only the rows all of whose actors are among them "
        "(the ties between the United States and the Philippines), not every row naming "
        "one of them.",
    )
    if actors:
        names = [plain(ds.actor(c).name) for c in actors]
        box.caption(
            "Every table but sources shows only the rows "
            + (
                f"between {_listed(names, 'and')}."
                if between
                else f"naming {_listed(names, 'or')}."
            )
        )
    return tuple(actors), between


def _download(name: str, raw: bytes, kept: pd.DataFrame, total: int, actors, between) -> None:
    """The table's download: exactly the rows shown (the whole file when they are all)."""
    what = table_download(name, len(kept), total, actors if names_actors(name) else (), between)
    data = partial(safe_csv, raw) if what.whole else partial(_kept_csv, kept)
    st.download_button(
        what.label,
        data,
        file_name=what.file_name,
        mime="text/csv",
        key=f"data_dl_{name}",
        help=what.help,
        icon=":material/download:",
        on_click="ignore",
        disabled=what.empty,
        width="stretch",
    )


def _kept_csv(kept: pd.DataFrame) -> bytes:
    return safe_csv(table_csv(kept))


@st.fragment
def browse(ds: Dataset, name: str, actors: tuple[str, ...] = (), between: bool = False) -> None:
    """A filterable view of one table, with its sources as titles and links; ``actors``
    and ``between`` come from the one actor filter above the tables.

    A fragment: its own filters rerun this table alone, not the page and its other tables.
    """
    files = datastore.current_files()
    frame = datastore.table_frame(name)
    by_actor = names_actors(name)
    cols = st.columns([2.6, 1.2, 1.2], vertical_alignment="bottom")
    search = cols[0].text_input("Search", key=f"data_q_{name}", placeholder="any text")
    domain = (
        cols[1].selectbox("Domain", DOMAINS, index=None, key=f"data_d_{name}")
        if "domain" in frame
        else None
    )
    year = None
    if "since" in frame:
        only = cols[2].checkbox("In force in a year", key=f"data_y_on_{name}")
        if only:
            year = st.slider(
                "Year", ds.earliest_year, ds.latest_year, ds.latest_year, key=f"data_y_{name}"
            )
    if actors and not by_actor:
        st.caption("The actor filter above does not apply to this table.")
    picked = actors if by_actor else ()
    kept = filter_rows(frame, name, search, picked, domain, year, between and bool(picked))
    source_col = "capability_source" if name == "actors.csv" else "source"
    sourced = cache.sourced_table(files.get(name, b""), files.get("sources.csv", b""), source_col)
    shown = sourced.loc[kept.index]
    count, get = st.columns([3, 1.4], vertical_alignment="center")
    count.caption(f"{len(shown)} of {len(frame)} rows")
    with get:
        _download(name, files[name], kept, len(frame), picked, between)
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
    )


def _apply_edit(name: str) -> None:
    edited = st.session_state.get(f"data_edit_frame_{name}")
    if edited is None:
        return
    problems = datastore.try_replace({name: datastore.table_bytes(edited)})
    st.session_state[RESULT] = (f"The edit of {name}", problems)


def editor(name: str) -> None:
    """Edit the whole table in place; 'Apply' validates the dataset with the edit."""
    frame = datastore.table_frame(name)
    st.caption(
        "Edits stay in this session. Add or delete rows at the table's edge; "
        "'Apply edits' validates them with the rest of the dataset."
    )
    edited = st.data_editor(frame, num_rows="dynamic", hide_index=True, key=f"data_editor_{name}")
    st.session_state[f"data_edit_frame_{name}"] = edited
    st.button(
        "Apply edits",
        key=f"data_apply_{name}",
        on_click=_apply_edit,
        args=(name,),
        type="primary",
        icon=":material/check:",
    )


def tables(ds: Dataset) -> None:
    """The one actor filter, then one tab per table: browse it, or switch to editing it."""
    actors, between = actor_filter(ds)
    for tab, name in zip(st.tabs([f.removesuffix(".csv") for f in FILES]), FILES, strict=True):
        with tab:
            if st.toggle("Edit this table", key=f"data_editing_{name}"):
                editor(name)
            else:
                browse(ds, name, actors, between)
