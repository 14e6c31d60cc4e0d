"""The dataset a session is using: the built-in one, or a custom one that passed validation.

A custom dataset lives only in this session (never on disk, never in the URL). Replacing
it is all-or-nothing: new files are validated together with the rest, and only a dataset
that passes replaces the old one, so a bad edit or upload never loses what was there.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

import streamlit as st

from model import Dataset, DatasetError, default_data_dir, parse_tables
from model.data import MAX_FILE_BYTES
from model.export import MAX_ZIP_BYTES, dataset_zip, read_zip, unsafe_csv_or_raw
from model.schema import FILES
from ui import cache
from ui.datatable import table_csv

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = [
    "CUSTOM",
    "MAX_CSV_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_BYTES",
    "apply_files",
    "current_files",
    "custom_dataset",
    "dataset_or_stop",
    "download_button",
    "is_custom",
    "reset",
    "table_bytes",
    "table_frame",
    "try_replace",
    "upload",
    "use_published",
]

CUSTOM = "custom_dataset"
#: An uploaded CSV (one table): the size validation allows any one file of a dataset.
MAX_CSV_BYTES = MAX_FILE_BYTES
#: The largest upload the data page takes (a dataset zip; model/export.MAX_ZIP_BYTES): the
#: upload widget's own limit. The README and .streamlit/config.toml say the same, and a
#: test keeps them in step.
MAX_UPLOAD_BYTES = max(MAX_CSV_BYTES, MAX_ZIP_BYTES)
#: The fingerprint of the data a published scenario brought into this session.
PUBLISHED = "published_dataset"


def dataset_or_stop() -> Dataset:
    """The dataset in use; if it fails validation, list its problems and stop the page.

    While a custom dataset is active, say so in one line, with its download beside it.
    """
    custom = custom_dataset()
    if custom is not None:
        note, get = st.columns([4, 1.3], vertical_alignment="center")
        note.info(
            "This session runs on a published scenario's data. Edits and uploads stay in "
            "your session."
            if st.session_state.get(PUBLISHED) == custom.fingerprint
            else "A custom dataset is active in this session. A shared link opens the "
            "built-in dataset: publish the scenario, or download this dataset, to share it.",
            icon=":material/info:",
        )
        download_button(get, "Download dataset")
        return custom
    loaded = cache.builtin_dataset(str(default_data_dir()))
    if isinstance(loaded, DatasetError):
        st.error(
            f"The dataset at {default_data_dir()} failed validation "
            f"({len(loaded.problems)} problem(s)); nothing can be scored until it is fixed:"
        )
        st.code("\n".join(loaded.problems), language=None)
        st.stop()
    return loaded


def download_button(where, label: str, help: str | None = None, key: str | None = None) -> None:
    """A button downloading the whole dataset in use as one zip, made when it is clicked
    (zipping every table on every run cost more than the data page's filters)."""
    where.download_button(
        label,
        partial(dataset_zip, current_files()),
        file_name="cohesion-dataset.zip",
        mime="application/zip",
        key=key,
        icon=":material/download:",
        help=help,
        on_click="ignore",  # downloading changes nothing on the page: no rerun
        width="stretch",
    )


def is_custom() -> bool:
    return CUSTOM in st.session_state


def current_files() -> dict[str, bytes]:
    """The raw files of the dataset in use."""
    if is_custom():
        return dict(st.session_state[CUSTOM][0])
    return dict(cache.builtin_files(str(default_data_dir())))


def custom_dataset() -> Dataset | None:
    return st.session_state[CUSTOM][1] if is_custom() else None


def try_replace(changes: Mapping[str, bytes]) -> list[str]:
    """Validate the current files with ``changes`` applied; keep them only if they pass.

    Returns the problems (empty when the new dataset is now in use).
    """
    files = {**current_files(), **changes}
    return apply_files(files)


def apply_files(files: Mapping[str, bytes]) -> list[str]:
    try:
        ds = parse_tables(files, origin="custom dataset (this session)")
    except DatasetError as err:
        return err.problems
    st.session_state[CUSTOM] = (dict(files), ds)
    return []


def use_published(files: Mapping[str, bytes], ds: Dataset) -> None:
    """Use the data a published scenario holds (already validated by the store)."""
    st.session_state[CUSTOM] = (dict(files), ds)
    st.session_state[PUBLISHED] = ds.fingerprint


def reset() -> None:
    st.session_state.pop(CUSTOM, None)


def table_frame(name: str) -> pd.DataFrame:
    """A table as text columns, exactly as written (no type guessing, 'NA' stays 'NA')."""
    return cache.csv_frame(current_files().get(name, b""))


def table_bytes(frame: pd.DataFrame) -> bytes:
    """A (possibly edited) table back to CSV bytes; empty cells stay empty."""
    return table_csv(frame)


def upload(filename: str, raw: bytes, table: str | None = None) -> list[str]:
    """Apply an uploaded CSV (one table) or zip (the whole dataset); return the problems.

    A CSV replaces the table its name matches (or ``table``), up to MAX_CSV_BYTES; a zip
    replaces the whole dataset, up to MAX_ZIP_BYTES. Nothing changes unless the result
    validates.
    """
    is_zip = filename.lower().endswith(".zip")
    cap = MAX_ZIP_BYTES if is_zip else MAX_CSV_BYTES
    if len(raw) > cap:
        kind = "zip" if is_zip else "CSV"
        return [f"{filename}: {len(raw):,} bytes is over the {cap:,}-byte limit for a {kind}"]
    if is_zip:
        try:
            files = read_zip(raw)
        except ValueError as err:
            return [f"{filename}: {err}"]
        return apply_files(files)
    target = table or filename
    if target not in FILES:
        return [
            f"{filename}: name the file after one of its tables "
            f"({', '.join(FILES)}) or pick the table it replaces"
        ]
    problems = try_replace({target: unsafe_csv_or_raw(raw)})
    return problems
