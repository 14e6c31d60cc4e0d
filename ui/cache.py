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
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from model import (
    Dataset,
    DatasetError,
    Edit,
    Lever,
    RowEffect,
    Scenario,
    Score,
    SearchQuery,
    SearchResult,
    Weights,
    apply_what_if,
    beats_share,
    find_groupings,
    load_dataset,
    simulate,
)
from model import context as model_context
from model import levers as model_levers
from model import provenance as model_provenance
from model import score as model_score
from model.cohesion import Context
from model.export import read_dataset_files
from model.provenance import cohesion_of
from model.timeline import YearChange, biggest_changes, cohesion_series, events_in, with_effects
from ui.datatable import with_sources
from ui.network import positions
from ui.slots_state import Slot

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
    "network",
    "provenance",
    "scenario_score",
    "search",
    "slot_beats",
    "slot_dataset",
    "slot_score",
    "sourced_table",
    "timeline_changes",
    "timeline_series",
    "yardstick",
]

#: Monte Carlo draws behind every interval and "beats" share on the pages.
DRAWS = 1000
#: The timeline's band is drawn from fewer draws per year.
BAND_DRAWS = 200

# --------------------------------------------------------------------------- data


@st.cache_resource(show_spinner=False)
def builtin_dataset(directory: str) -> Dataset | DatasetError:
    """The dataset in ``directory``, or the error listing its problems (read once)."""
    try:
        return load_dataset(directory)
    except DatasetError as err:
        return err


@st.cache_resource(show_spinner=False)
def builtin_files(directory: str) -> dict[str, bytes]:
    """The raw files of the dataset in ``directory`` (read once)."""
    return read_dataset_files(directory)


@st.cache_data(show_spinner=False, max_entries=64)
def csv_frame(raw: bytes) -> pd.DataFrame:
    """A CSV file as text columns, exactly as written (no type guessing, 'NA' stays 'NA')."""
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")


@st.cache_data(show_spinner=False, max_entries=32)
def sourced_table(raw: bytes, sources: bytes, column: str) -> pd.DataFrame:
    """A whole table with its sources' titles and links, cached per file content (keyed on
    the bytes, which hash far faster than a frame); filters then pick its rows."""
    return with_sources(csv_frame(raw), csv_frame(sources), column)


# --------------------------------------------------------------------------- scores


@st.cache_data(show_spinner=False, max_entries=8)
def _positions(
    _ds: Dataset, fingerprint: str, name: str, scale: float
) -> dict[str, tuple[float, float]]:
    return positions(_ds, name, scale)


def layout(ds: Dataset, name: str, scale: float = 1.0) -> dict[str, tuple[float, float]]:
    """Node positions for a dataset, computed once per dataset, layout and chart size
    (``scale`` against the build page's network)."""
    return _positions(ds, ds.fingerprint, name, scale)


@st.cache_resource(show_spinner=False, max_entries=128)
def _network(
    _ds: Dataset,
    fingerprint: str,
    members: tuple[str, ...],
    framing: str,
    year: int,
    edits: str,
    layout_name: str,
    scale: float,
    height: int,
    legend: bool,
):
    # imported here: the figure module reads contexts through this one
    from model.whatif import parse as parse_edits
    from ui.whatif_marks import what_if_network

    pos = layout(_ds, layout_name, scale)
    changes = parse_edits(edits, _ds, year) if edits else ()
    fig = what_if_network(_ds, members, framing, year, changes, pos, height=height)
    return fig if legend else fig.update_layout(showlegend=False)


def network(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    year: int,
    what_if: tuple[Edit, ...] = (),
    layout_name: str = "map",
    scale: float = 1.0,
    height: int = 560,
    legend: bool = True,
):
    """The network figure of a scenario (what-if marked), built once per scenario and
    layout and shared: plotly_chart only reads it, and rebuilding costs a click ~40 ms."""
    from model.whatif import canonical

    edits = canonical(what_if)
    return _network(
        ds, ds.fingerprint, members, framing, year, edits, layout_name, scale, height, legend
    )


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


def scenario_score(
    ds: Dataset, s: Scenario, draws: int = DRAWS, what_if: tuple[Edit, ...] = ()
) -> Score:
    """The full score of a scenario with its Monte Carlo interval, cached per scenario;
    with ``what_if``, on the record with those edits applied (as the CLI scores it)."""
    ds = apply_what_if(ds, what_if, s.year)
    weights = tuple(s.weights.as_dict().values())
    return _score(ds, ds.fingerprint, s.members, s.framing, s.year, weights, draws)


def _scenario_key(s: Scenario) -> tuple:
    return (s.members, s.framing, s.year, tuple(s.weights.as_dict().values()))


def slot_dataset(ds: Dataset, slot: Slot, year: int) -> Dataset:
    """The record with a slot's what-if edits applied from ``year`` (``ds`` when none)."""
    return apply_what_if(ds, slot.what_if, year)


def slot_score(ds: Dataset, slot: Slot, year: int) -> Score:
    """A compare slot's score in ``year``, on the record with the slot's edits."""
    return scenario_score(ds, slot.scenario(year), what_if=slot.what_if)


@st.cache_data(show_spinner=False, max_entries=256)
def _provenance(
    _ds: Dataset, fingerprint: str, key: tuple, what_if: tuple[Edit, ...]
) -> tuple[RowEffect, ...]:
    members, framing, year, weights = key
    return model_provenance(_ds, Scenario(members, framing, year, Weights(*weights)), what_if)


def provenance(ds: Dataset, s: Scenario, what_if: tuple[Edit, ...] = ()) -> tuple[RowEffect, ...]:
    """The ten rows the scenario's cohesion rests on most (what-if rows included), cached."""
    return _provenance(ds, ds.fingerprint, _scenario_key(s), tuple(what_if))


@st.cache_data(show_spinner=False, max_entries=256)
def _levers(
    _ds: Dataset, fingerprint: str, key: tuple, what_if: tuple[Edit, ...]
) -> tuple[Lever, ...]:
    members, framing, year, weights = key
    return model_levers(_ds, Scenario(members, framing, year, Weights(*weights)), what_if)


def levers(ds: Dataset, s: Scenario, what_if: tuple[Edit, ...] = ()) -> tuple[Lever, ...]:
    """The five single edits that would raise the scenario's cohesion most, cached."""
    return _levers(ds, ds.fingerprint, _scenario_key(s), tuple(what_if))


def context(ds: Dataset, year: int, framing: str) -> Context:
    """The model's context for a year and framing (memoised in the model)."""
    return model_context(ds, year, framing)


def beats(
    ds: Dataset,
    a: Scenario,
    b: Scenario,
    draws: int = DRAWS,
    vary_weights: bool = False,
    what_if_a: tuple[Edit, ...] = (),
    what_if_b: tuple[Edit, ...] = (),
) -> float | None:
    """Share of shared Monte Carlo draws in which ``a`` scores above ``b``, each with its
    own what-if edits (the draws belong to the data rows, so they are shared across edits,
    as in model.compare_what_if; they are memoised in the model); ``vary_weights`` redraws
    the weights too."""
    if len(a.members) < 2 or len(b.members) < 2:
        return None
    ds_a, ds_b = apply_what_if(ds, what_if_a, a.year), apply_what_if(ds, what_if_b, b.year)
    sim_a = simulate(ds_a, a.members, a.framing, a.year, a.weights, draws, 0, vary_weights)
    sim_b = simulate(ds_b, b.members, b.framing, b.year, b.weights, draws, 0, vary_weights)
    return beats_share(sim_a, sim_b)


def slot_beats(
    ds: Dataset, a: Slot, b: Slot, year: int, vary_weights: bool = False
) -> float | None:
    """Share of shared draws in which slot ``a`` scores above slot ``b`` in ``year``."""
    sa, sb = a.scenario(year), b.scenario(year)
    return beats(ds, sa, sb, DRAWS, vary_weights, a.what_if, b.what_if)


def _events(ds: Dataset, slot: Slot, years: range) -> dict[int, list]:
    """The events that touch the grouping, per year (they mark the chart)."""
    return {y: events for y in years if (events := events_in(ds, slot.members, slot.framing, y))}


@st.cache_data(show_spinner="Scoring every year…", max_entries=64)
def _series(
    _ds: Dataset, fingerprint: str, slots: tuple[Slot, ...], start: int, end: int
) -> list[dict]:
    out = []
    years, later = range(start, end + 1), range(start + 1, end + 1)
    for s in slots:
        series = cohesion_series(_ds, s.members, s.framing, years, draws=BAND_DRAWS)
        series["events"] = _events(_ds, s, later)
        series["what_if"] = None
        if s.what_if:
            # the edits hold from the first year shown unless they say otherwise
            changed = apply_what_if(_ds, s.what_if, start)
            what_if = cohesion_series(changed, s.members, s.framing, years)
            recorded = {y: {e.what for e in events} for y, events in series["events"].items()}
            what_if["events"] = {
                y: new
                for y, events in _events(changed, s, later).items()
                if (new := [e for e in events if e.what not in recorded.get(y, ())])
            }
            series["what_if"] = what_if
        out.append(series)
    return out


def timeline_series(ds: Dataset, slots: tuple[Slot, ...], start: int, end: int) -> list[dict]:
    """Every slot's yearly cohesion, band and events, computed in one go and cached; a slot
    with what-if edits also has its ``what_if`` series (from ``start``), marked where its
    events differ from the record's."""
    return _series(ds, ds.fingerprint, tuple(slots), start, end)


@st.cache_data(show_spinner=False, max_entries=64)
def _changes(
    _ds: Dataset, fingerprint: str, slots: tuple[Slot, ...], start: int, end: int, top: int
) -> list[tuple[int, bool, list[YearChange]]]:
    series = _series(_ds, fingerprint, slots, start, end)
    lines = []
    for i, (s, one) in enumerate(zip(slots, series, strict=True)):
        lines.append((i, False, biggest_changes(_ds, s.members, s.framing, one, top=top)))
        if one.get("what_if") is not None:
            # a what-if line adds the moves that differ from its record's
            changed = apply_what_if(_ds, s.what_if, start)
            years, values = one["year"], one["cohesion"]
            moves = {
                int(y): float(v - u)
                for y, u, v in zip(years[1:], values[:-1], values[1:], strict=True)
            }
            differ = [
                c
                for c in biggest_changes(
                    changed, s.members, s.framing, one["what_if"], None, effects=False
                )
                if not abs(c.delta - moves.get(c.year, 0.0)) < 0.05
            ]
            differ = [with_effects(changed, s.members, s.framing, c) for c in differ[:top]]
            lines.append((i, True, differ))
    return lines


def timeline_changes(
    ds: Dataset, slots: tuple[Slot, ...], start: int, end: int, top: int = 10
) -> list[tuple[int, bool, list[YearChange]]]:
    """Each slot's biggest year-on-year changes with the effect of each event, and for a
    slot with what-if edits the moves of its what-if line that differ from the record's
    (cached): ``(slot index, is the what-if line, changes)``."""
    return _changes(ds, ds.fingerprint, tuple(slots), start, end, top)


@st.cache_data(show_spinner=False, max_entries=256)
def _yardstick(
    _ds: Dataset, fingerprint: str, framing: str, year: int, weights: tuple[float, ...]
) -> list[tuple[str, str, float]]:
    out = []
    for p in _ds.presets.values():
        value = cohesion_of(_ds, Scenario(p.members, framing, year, Weights(*weights)))
        if value is not None:
            out.append((p.id, p.name, value))
    return sorted(out, key=lambda t: (-t[2], t[1]))


def yardstick(ds: Dataset, s: Scenario) -> list[tuple[str, str, float]]:
    """Every preset's (id, name, cohesion) in the framing, year and weights of ``s``,
    highest first: the reference points a score is read against."""
    weights = tuple(s.weights.as_dict().values())
    return _yardstick(ds, ds.fingerprint, s.framing, s.year, weights)


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
    with _SEARCHES_LOCK:
        _SEARCHES.clear()
