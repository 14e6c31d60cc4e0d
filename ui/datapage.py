"""Widgets of the data page: browse, edit, upload, download, reset."""

from __future__ import annotations

import streamlit as st

from model import Dataset
from model.export import safe_csv
from model.schema import DOMAINS, FILES
from ui import cache, datastore
from ui.datatable import ACTOR_COLUMNS, filter_rows
from ui.style import actor_label
from ui.text import plain

__all__ = ["browse", "editor", "problems_box", "tables", "toolbar", "uploader"]

RESULT = "data_result"


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
    a, b, _ = st.columns([1, 1, 2])
    datastore.download_button(a, "Download the dataset (zip)")
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


@st.fragment
def browse(ds: Dataset, name: str) -> None:
    """A filterable view of one table, with its sources as titles and links.

    A fragment: a filter reruns this table alone, not the page and its other tables.
    """
    files = datastore.current_files()
    frame = datastore.table_frame(name)
    has_actors = bool(ACTOR_COLUMNS.get(name))
    cols = st.columns([1.8, 2.6, 1.2, 1.2])
    search = cols[0].text_input("Search", key=f"data_q_{name}", placeholder="any text")
    actors = (
        cols[1].multiselect(
            "Actor",
            list(ds.codes),
            key=f"data_a_{name}",
            format_func=lambda c: actor_label(c, ds.actor(c).name),
            placeholder="code or name",
        )
        if has_actors
        else []
    )
    between = (
        cols[1].toggle(
            "Only rows between them",
            key=f"data_b_{name}",
            help="With two or more actors: only the rows all of whose actors are among them "
            "(the ties between the United States and the Philippines), not every row "
            "naming one of them.",
        )
        if has_actors
        else False
    )
    domain = (
        cols[2].selectbox("Domain", DOMAINS, index=None, key=f"data_d_{name}")
        if "domain" in frame
        else None
    )
    year = None
    if "since" in frame:
        only = cols[3].checkbox("In force in a year", key=f"data_y_on_{name}")
        if only:
            year = st.slider(
                "Year", ds.earliest_year, ds.latest_year, ds.latest_year, key=f"data_y_{name}"
            )
    kept = filter_rows(frame, name, search, tuple(actors), domain, year, between)
    source_col = "capability_source" if name == "actors.csv" else "source"
    sourced = cache.sourced_table(files.get(name, b""), files.get("sources.csv", b""), source_col)
    shown = sourced.loc[kept.index]
    st.caption(f"{len(shown)} of {len(frame)} rows")
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
    )
    st.download_button(
        f"Download {name}",
        safe_csv(files[name]),
        file_name=name,
        mime="text/csv",
        key=f"data_dl_{name}",
        icon=":material/download:",
        on_click="ignore",
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
    """One tab per table: browse it, or switch to editing it."""
    for tab, name in zip(st.tabs([f.removesuffix(".csv") for f in FILES]), FILES, strict=True):
        with tab:
            if st.toggle("Edit this table", key=f"data_editing_{name}"):
                editor(name)
            else:
                browse(ds, name)
