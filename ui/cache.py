"""Cached wrappers at the data boundary: the dataset, layouts, contexts and scores."""

from __future__ import annotations

import streamlit as st

from model import (
    Dataset,
    DatasetError,
    Scenario,
    Score,
    Weights,
    beats_share,
    default_data_dir,
    load_dataset,
    simulate,
)
from model import context as model_context
from model import score as model_score
from ui import datastore
from ui.network import positions as network_positions
from ui.state import _clip  # a value quoted as every link warning quotes it

__all__ = ["beats", "context", "dataset_or_stop", "layout", "scenario_score"]

DRAWS = 1000


@st.cache_resource(show_spinner=False)
def _load(directory: str) -> Dataset | DatasetError:
    try:
        return load_dataset(directory)
    except DatasetError as err:
        return err


def dataset_or_stop() -> Dataset:
    """The dataset in use; if it fails validation, list its problems and stop the page.

    While a custom dataset is active, say so in one line, with its download beside it.
    """
    custom = datastore.custom_dataset()
    if custom is not None:
        note, get = st.columns([4, 1.3], vertical_alignment="center")
        note.info(
            "A custom dataset is active in this session. A shared link opens the "
            "built-in dataset: download this one to share it.",
            icon=":material/info:",
        )
        get.download_button(
            "Download dataset",
            datastore.download_zip(),
            file_name="cohesion-dataset.zip",
            mime="application/zip",
            icon=":material/download:",
            width="stretch",
        )
        return custom
    loaded = _load(str(default_data_dir()))
    if isinstance(loaded, DatasetError):
        st.error(
            f"The dataset at {default_data_dir()} failed validation "
            f"({len(loaded.problems)} problem(s)); nothing can be scored until it is fixed:"
        )
        st.code("\n".join(loaded.problems), language=None)
        st.stop()
    return loaded


@st.cache_data(show_spinner=False, max_entries=8)
def _positions(_ds: Dataset, fingerprint: str, name: str) -> dict[str, tuple[float, float]]:
    return network_positions(_ds, name)


def layout(ds: Dataset, name: str) -> dict[str, tuple[float, float]]:
    """Node positions for a dataset, computed once per dataset and layout."""
    return _positions(ds, ds.fingerprint, name)


@st.cache_data(show_spinner=False, max_entries=2048)
def _score(
    _ds: Dataset,
    fingerprint: str,
    members: tuple[str, ...],
    framing: str,
    year: int,
    weights: tuple[float, ...],
    draws: int,
) -> Score:
    return model_score(_ds, Scenario(members, framing, year, Weights(*weights)), draws=draws)


def scenario_score(ds: Dataset, s: Scenario, draws: int = DRAWS) -> Score:
    """The full score of a scenario with its Monte Carlo interval, cached per scenario."""
    return _score(
        ds, ds.fingerprint, s.members, s.framing, s.year, tuple(s.weights.as_dict().values()), draws
    )


def context(ds: Dataset, year: int, framing: str):
    """The model's memoised context (matrices for a year and framing)."""
    return model_context(ds, year, framing)


def beats(ds: Dataset, a: Scenario, b: Scenario, draws: int = DRAWS) -> float | None:
    """Share of shared Monte Carlo draws in which ``a`` scores above ``b``."""
    if len(a.members) < 2 or len(b.members) < 2:
        return None
    sim_a = simulate(ds, a.members, a.framing, a.year, a.weights, draws, 0)
    sim_b = simulate(ds, b.members, b.framing, b.year, b.weights, draws, 0)
    return beats_share(sim_a, sim_b)


DEFAULT_START = 1990


def start_year(ds: Dataset, raw: str | None) -> tuple[int, list[str]]:
    """The timeline's first year from the URL's ``start``; 1990 (or the data's first)."""
    default = max(DEFAULT_START, ds.earliest_year)
    if raw is None:
        return default, []
    value = raw.strip()
    if (
        len(value) == 4
        and value.isascii()
        and value.isdigit()
        and ds.earliest_year <= int(value) < ds.latest_year
    ):
        return int(value), []
    return default, [
        f"start '{_clip(value)}' is not a year from {ds.earliest_year} to "
        f"{ds.latest_year - 1}; used {default}"
    ]
