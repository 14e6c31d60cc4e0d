"""Every Streamlit-side cache, at the data boundary (the model memoises its own pure
functions, see model/memo.py).

Keys hold the dataset's fingerprint, so a custom dataset in one session never answers for
the built-in one in another.
"""

from __future__ import annotations

import io
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import streamlit as st

from model import (
    Dataset,
    DatasetError,
    Lever,
    RowEffect,
    Scenario,
    Score,
    SearchQuery,
    SearchResult,
    context_of,
    find_groupings,
    load_dataset,
)
from model import beats as model_beats
from model import levers as model_levers
from model import provenance as model_provenance
from model import score as model_score
from model.calibration import yardstick as model_yardstick
from model.cohesion import Context
from model.export import read_dataset_files
from model.store import Published, open_store
from model.timeline import YearChange
from model.timeline import timeline as model_timeline
from model.timeline import timeline_changes as model_timeline_changes
from ui.datatable import with_sources
from ui.network import positions
from ui.text import plain
from ui.whatif_marks import what_if_network

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = [
    "DRAWS",
    "Timed",
    "beats",
    "builtin_dataset",
    "builtin_files",
    "clear_searches",
    "context",
    "csv_frame",
    "layout",
    "levers",
    "names",
    "network",
    "provenance",
    "published",
    "result",
    "search",
    "sourced_table",
    "timeline_changes",
    "timeline_series",
    "yardstick",
]

#: Monte Carlo draws behind every interval and "beats" share on the pages.
DRAWS = 1000
#: The timeline's band is drawn from fewer draws per year.
BAND_DRAWS = 200


class _Memo:
    """A small least-recently-used cache shared by every session, for the values every
    build page run reads (the dataset, the positions, the result, the network figure and
    the yardstick).

    Not ``st.cache_data``/``st.cache_resource``: a hit there costs 0.5–1 ms (it hashes
    every argument, looks up the function's signature and, for ``cache_data``, unpickles a
    copy), and a click read six of them. The values are only read, never changed, so one
    object serves every session; two sessions that miss the same key at once both compute
    it (the same value).
    """

    def __init__(self, size: int) -> None:
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key, make: Callable[[], object]):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# Sizes by memory: a network figure holds ~75 KB, a result ~25 KB (with its draws).
_DATASETS, _POSITIONS, _NETWORKS = _Memo(4), _Memo(16), _Memo(128)
_RESULTS, _YARDSTICKS, _NAMES = _Memo(512), _Memo(256), _Memo(8)


# --------------------------------------------------------------------------- data


def builtin_dataset(directory: str) -> Dataset | DatasetError:
    """The dataset in ``directory``, or the error listing its problems (read once)."""

    def load() -> Dataset | DatasetError:
        try:
            return load_dataset(directory)
        except DatasetError as err:
            return err

    return _DATASETS.get(directory, load)


@st.cache_resource(show_spinner=False)
def builtin_files(directory: str) -> dict[str, bytes]:
    """The raw files of the dataset in ``directory`` (read once)."""
    return read_dataset_files(directory)


@st.cache_resource(show_spinner=False, max_entries=8)
def published(store_url: str, pid: str) -> Published:
    """A published scenario with its validated dataset, read once per store and ID and
    shared by every session that opens it (a publication never changes; up to 5 MB of
    files each, so few are kept). Errors (unknown ID, store unreachable) are not cached."""
    return open_store(store_url).open(pid)


@st.cache_data(show_spinner=False, max_entries=64)
def csv_frame(raw: bytes) -> pd.DataFrame:
    """A CSV file as text columns, exactly as written (no type guessing, 'NA' stays 'NA')."""
    import pandas as pd

    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")


@st.cache_data(show_spinner=False, max_entries=32)
def sourced_table(raw: bytes, sources: bytes, column: str) -> pd.DataFrame:
    """A whole table with its sources' titles and links, cached per file content (keyed on
    the bytes, which hash far faster than a frame); filters then pick its rows."""
    return with_sources(csv_frame(raw), csv_frame(sources), column)


# --------------------------------------------------------------------------- scenarios
# Every scenario cache is keyed one way: the dataset's fingerprint and the scenario's key
# (members, framing, year, weights and what-if edits, model.Scenario.key). The underscore
# arguments carry the values themselves and are not hashed.


def names(ds: Dataset) -> dict[str, str]:
    """Every actor's name escaped for the page (``ui.text.plain``), by code: the sidebar's
    pickers label about 150 options a run."""
    return _NAMES.get(ds.fingerprint, lambda: {a.code: plain(a.name) for a in ds.actors})


def layout(ds: Dataset, name: str, scale: float = 1.0) -> dict[str, tuple[float, float]]:
    """Node positions for a dataset, computed once per dataset, layout and chart size
    (``scale`` against the build page's network)."""
    return _POSITIONS.get((ds.fingerprint, name, scale), lambda: positions(ds, name, scale))


def network(
    ds: Dataset,
    s: Scenario,
    layout_name: str = "map",
    scale: float = 1.0,
    height: int = 560,
    legend: bool = True,
):
    """The network figure of a scenario (what-if marked), built once per scenario and
    layout and shared: the chart only reads it."""

    def make():
        fig = what_if_network(ds, s, layout(ds, layout_name, scale), height=height)
        return fig if legend else fig.update_layout(showlegend=False)

    key = (ds.fingerprint, s.key, layout_name, scale, height, legend)
    return _NETWORKS.get(key, make)


def result(ds: Dataset, s: Scenario, draws: int = DRAWS) -> Score:
    """The scenario's one result (with its Monte Carlo interval), computed once per
    scenario and dataset: every view of it renders this."""
    return _RESULTS.get((ds.fingerprint, s.key, draws), lambda: model_score(ds, s, draws=draws))


@st.cache_data(show_spinner=False, max_entries=256)
def _provenance(_ds: Dataset, fingerprint: str, key: str, _s: Scenario) -> tuple[RowEffect, ...]:
    return model_provenance(_ds, _s, limit=None)


def provenance(ds: Dataset, s: Scenario, limit: int | None = 10) -> tuple[RowEffect, ...]:
    """The rows the scenario's cohesion rests on, largest effect first (what-if rows
    included), worked out once for the page and the brief alike."""
    rows = _provenance(ds, ds.fingerprint, s.key, s)
    return rows[:limit] if limit is not None else rows


@st.cache_data(show_spinner=False, max_entries=256)
def _levers(_ds: Dataset, fingerprint: str, key: str, _s: Scenario) -> tuple[Lever, ...]:
    return model_levers(_ds, _s)


def levers(ds: Dataset, s: Scenario) -> tuple[Lever, ...]:
    """The five single edits that would raise the scenario's cohesion most, cached."""
    return _levers(ds, ds.fingerprint, s.key, s)


def context(ds: Dataset, s: Scenario) -> Context:
    """The model's context for a scenario's year and framing, on its own dataset
    (memoised in the model)."""
    return context_of(ds, s)


@st.cache_data(show_spinner=False, max_entries=256)
def _beats(
    _ds: Dataset, fingerprint: str, keys: tuple[str, str], _a: Scenario, _b: Scenario, vary: bool
) -> float | None:
    return model_beats(_ds, _a, _b, DRAWS, 0, vary)


def beats(ds: Dataset, a: Scenario, b: Scenario, vary_weights: bool = False) -> float | None:
    """Share of shared Monte Carlo draws in which ``a`` scores above ``b``, each with its
    own edits; ``vary_weights`` redraws the weights too."""
    return _beats(ds, ds.fingerprint, (a.key, b.key), a, b, vary_weights)


@st.cache_data(show_spinner="Scoring every year…", max_entries=64)
def _series(_ds: Dataset, fingerprint: str, keys: tuple[str, ...], _scenarios, end: int):
    return model_timeline(_ds, _scenarios, end, BAND_DRAWS)


def timeline_series(ds: Dataset, scenarios: Sequence[Scenario], end: int) -> list[dict]:
    """Every scenario's yearly cohesion, band and events from its year to ``end`` (and its
    what-if series when it has edits), computed in one go and cached."""
    scenarios = tuple(scenarios)
    return _series(ds, ds.fingerprint, tuple(s.key for s in scenarios), scenarios, end)


@st.cache_data(show_spinner=False, max_entries=64)
def _changes(_ds: Dataset, fingerprint: str, keys: tuple[str, ...], _scenarios, end: int, top: int):
    series = _series(_ds, fingerprint, keys, _scenarios, end)
    return model_timeline_changes(_ds, _scenarios, series, top)


def timeline_changes(
    ds: Dataset, scenarios: Sequence[Scenario], end: int, top: int = 10
) -> list[tuple[int, bool, list[YearChange]]]:
    """Each scenario's biggest year-on-year changes with the effect of each event, and the
    moves of a what-if line that differ from its record's (cached)."""
    scenarios = tuple(scenarios)
    return _changes(ds, ds.fingerprint, tuple(s.key for s in scenarios), scenarios, end, top)


def yardstick(ds: Dataset, s: Scenario) -> list[tuple[str, str, float]]:
    """Every preset's (id, name, cohesion) in the framing, year, weights and what-if of
    ``s``, highest first: the reference points a score is read against. They do not depend
    on the members, so they are worked out once per framing, year, weights and what-if
    (a click on a node reuses them)."""
    frame = replace(s, members=())
    return _YARDSTICKS.get((ds.fingerprint, frame.key), lambda: model_yardstick(ds, frame))


# --------------------------------------------------------------------------- searches


@dataclass(frozen=True)
class Timed:
    result: SearchResult
    seconds: float


_SEARCHES: OrderedDict[tuple, Timed] = OrderedDict()
_SEARCHES_LOCK = threading.Lock()
_SEARCHES_SIZE = 64


def search(
    ds: Dataset,
    query: SearchQuery,
    max_exhaustive: int,
    progress: Callable[[int, int], None] | None = None,
) -> Timed:
    """A finder search and how long it took, from the cache when it ran before.

    Not ``st.cache_data``: the progress callback draws on the page while the search runs,
    and an interrupted search (the callback raised because an input changed) must leave
    nothing behind. Shared by every session, least recently used first out.
    """
    key = (ds.fingerprint, query, max_exhaustive)
    with _SEARCHES_LOCK:
        if key in _SEARCHES:
            _SEARCHES.move_to_end(key)
            return _SEARCHES[key]
    start = time.perf_counter()
    result = find_groupings(ds, query, progress, max_exhaustive=max_exhaustive)
    timed = Timed(result, time.perf_counter() - start)
    with _SEARCHES_LOCK:
        _SEARCHES[key] = timed
        while len(_SEARCHES) > _SEARCHES_SIZE:
            _SEARCHES.popitem(last=False)
    return timed


def clear_searches() -> None:
    """Empty the finder's searches and the scenario caches above (a cold start)."""
    with _SEARCHES_LOCK:
        _SEARCHES.clear()
    for memo in (_DATASETS, _POSITIONS, _NETWORKS, _RESULTS, _YARDSTICKS, _NAMES):
        memo.clear()
