"""The finder page's state, its search cache and its figures.

As on the build page, one canonical :class:`FinderState` lives in session state; widget
keys are set from it before they are drawn, callbacks change it, and the URL is
rewritten from it. Searches are cached per dataset and query (a search takes from
milliseconds to seconds); a long one draws a progress bar, and since Streamlit stops a
script run when an input changes, changing the inputs cancels it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

import plotly.graph_objects as go
import streamlit as st

from model import Dataset
from model.cohesion import COMPONENTS, Weights
from model.schema import FRAMINGS, REGIONS
from model.search import (
    MAX_TOP,
    SearchError,
    SearchQuery,
    SearchResult,
    check,
    count_groupings,
    find_groupings,
)
from ui.charts import LABELS, weighted_points
from ui.finder_state import FinderState, finder_params, max_size, parse_finder, to_query
from ui.state import BuildState, Slot, build_params, slots_params
from ui.urlsync import new_link, remember, url_params

__all__ = [
    "FinderPage",
    "Timed",
    "build_link",
    "compare_link",
    "components_figure",
    "progress_bar",
    "run_search",
    "shared_members",
]

#: On the page, ``auto`` is exhaustive up to this many groupings (about 4 s here).
PAGE_EXHAUSTIVE = 5_000_000
#: Forcing an exhaustive search on the page is refused beyond this (about 40 s here).
PAGE_HARD_LIMIT = 50_000_000
SHOW_PROGRESS = 200_000  # smaller searches finish before a bar would be seen
METHOD_LABELS = {"auto": "Auto", "exhaustive": "Exhaustive", "beam": "Beam (heuristic)"}
COLOURS = {
    "ties": "#1f5fa8",
    "connectivity": "#4c8ed9",
    "lattice": "#8fb8e8",
    "threat": "#2a9d8f",
    "friction": "#c0392b",
    "sensitivity": "#e67e22",
}


@dataclass(frozen=True)
class Timed:
    result: SearchResult
    seconds: float


_CACHE: OrderedDict[tuple, Timed] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 64


def run_search(ds: Dataset, query: SearchQuery, progress=None) -> Timed:
    """The search's result, from the cache when this dataset and query ran before.

    An interrupted search (the progress callback raised) leaves nothing in the cache.
    """
    key = (ds.fingerprint, query)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    start = time.perf_counter()
    result = find_groupings(ds, query, progress, max_exhaustive=PAGE_EXHAUSTIVE)
    timed = Timed(result, time.perf_counter() - start)
    with _LOCK:
        _CACHE[key] = timed
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return timed


def build_link(state: FinderState, members: tuple[str, ...]) -> dict[str, str]:
    return build_params(BuildState(members, state.framing, state.year))


def compare_link(state: FinderState, groups: list[tuple[str, ...]]) -> dict[str, str]:
    return slots_params([Slot(m, state.framing) for m in groups[:4]], state.year)


def shared_members(groups: list[tuple[str, ...]]) -> list[tuple[str, int]]:
    """Each actor in the results and how many results hold it, most shared first.

    >>> shared_members([("A", "B"), ("A", "C")])
    [('A', 2), ('B', 1), ('C', 1)]
    """
    counts: dict[str, int] = {}
    for g in groups:
        for c in g:
            counts[c] = counts.get(c, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def components_figure(result: SearchResult, weights: Weights = Weights()) -> go.Figure:
    """Each result's weighted components as one bar: positives right, negatives left."""
    labels = [f"#{i + 1}" for i in range(len(result.results))]
    points = [weighted_points(f.components, weights) for f in result.results]
    fig = go.Figure()
    for name in COMPONENTS:
        fig.add_bar(
            y=labels,
            x=[p[name] for p in points],
            orientation="h",
            name=LABELS[name],
            marker_color=COLOURS[name],
            customdata=[(f.components[name], ", ".join(f.members)) for f in result.results],
            hovertemplate=(
                f"%{{customdata[1]}}<br>{LABELS[name]}: %{{customdata[0]:.2f}} "
                "(%{x:+.1f} points)<extra></extra>"
            ),
        )
    fig.update_layout(
        barmode="relative",
        height=max(220, 34 * len(labels) + 90),
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, font=dict(size=11)),
        yaxis=dict(autorange="reversed", type="category", tickmode="linear", dtick=1),
        xaxis=dict(title="points of cohesion", zeroline=True),
    )
    return fig


class FinderPage:
    """The canonical search in session state, its widgets and its URL."""

    STATE, WARNINGS, FP, SEEN = "finder_state", "finder_warnings", "finder_fp", "finder_seen"

    def __init__(self, ds: Dataset):
        self.ds = ds
        ss = st.session_state
        if self.STATE not in ss or ss.get(self.FP) != ds.fingerprint or new_link(self.SEEN):
            params = url_params()
            ss[self.STATE], ss[self.WARNINGS] = parse_finder(ds, params)
            ss[self.FP] = ds.fingerprint
            remember(self.SEEN, params)

    @property
    def state(self) -> FinderState:
        return st.session_state[self.STATE]

    @property
    def warnings(self) -> list[str]:
        return list(st.session_state.get(self.WARNINGS, []))

    def _set(self, **changes) -> None:
        st.session_state[self.STATE] = replace(self.state, **changes)
        st.session_state[self.WARNINGS] = []

    # ------------------------------------------------------------------ callbacks
    def _on_size(self) -> None:
        lo, hi = st.session_state["finder_size"]
        self._set(size_min=int(lo), size_max=int(hi))

    def _on_codes(self, which: str) -> None:
        picked = tuple(sorted(st.session_state[f"finder_{which}"]))
        other = "exclude" if which == "require" else "require"
        kept = tuple(c for c in getattr(self.state, other) if c not in picked)
        self._set(**{which: picked, other: kept})

    def _on_regions(self) -> None:
        self._set(regions=tuple(sorted(st.session_state["finder_regions"])))

    def _on_simple(self, name: str) -> None:
        value = st.session_state[f"finder_{name}"]
        if name == "framing" and value not in FRAMINGS:
            return
        if name == "method" and value not in METHOD_LABELS:
            return
        self._set(**{name: int(value) if name in ("year", "top") else value})

    # ------------------------------------------------------------------ widgets
    def controls(self) -> None:
        ds, s, ss = self.ds, self.state, st.session_state
        names = {a.code: a.name for a in ds.actors}
        ss["finder_size"] = (s.size_min, s.size_max)
        ss["finder_require"], ss["finder_exclude"] = list(s.require), list(s.exclude)
        ss["finder_regions"], ss["finder_orgs"] = list(s.regions), s.orgs
        ss["finder_framing"], ss["finder_year"] = s.framing, s.year
        ss["finder_top"], ss["finder_method"] = s.top, s.method
        a, b, c, d = st.columns([2, 2.2, 2, 1], gap="medium")
        a.slider(
            "Grouping size",
            2,
            max_size(ds),
            key="finder_size",
            on_change=self._on_size,
            help="One size, or drag the ends apart for a range; every size in it is "
            "searched and ranked together.",
        )
        b.segmented_control(
            "Framing",
            list(FRAMINGS),
            key="finder_framing",
            format_func=str.capitalize,
            on_change=self._on_simple,
            args=("framing",),
        )
        c.slider(
            "Year",
            ds.earliest_year,
            ds.latest_year,
            key="finder_year",
            on_change=self._on_simple,
            args=("year",),
        )
        d.number_input(
            "Results", 1, MAX_TOP, key="finder_top", on_change=self._on_simple, args=("top",)
        )
        e, f, g, h = st.columns([2, 2, 2, 1.2], gap="medium", vertical_alignment="bottom")
        label = lambda code: f"{code} · {names[code]}"  # noqa: E731
        e.multiselect(
            "Must include",
            list(ds.codes),
            key="finder_require",
            format_func=label,
            on_change=self._on_codes,
            args=("require",),
            placeholder="No one required",
        )
        f.multiselect(
            "Must exclude",
            list(ds.codes),
            key="finder_exclude",
            format_func=label,
            on_change=self._on_codes,
            args=("exclude",),
            placeholder="No one excluded",
        )
        g.multiselect(
            "Candidates from",
            list(REGIONS),
            key="finder_regions",
            on_change=self._on_regions,
            placeholder="Every region",
            help="The open places are filled from these regions only; required "
            "members can come from anywhere.",
        )
        h.toggle(
            "EU, NATO",
            key="finder_orgs",
            on_change=self._on_simple,
            args=("orgs",),
            help="Let organisations (the EU, NATO) fill open places too.",
        )
        with st.expander("Search method"):
            st.radio(
                "Method",
                list(METHOD_LABELS),
                key="finder_method",
                format_func=METHOD_LABELS.get,
                horizontal=True,
                on_change=self._on_simple,
                args=("method",),
            )
            st.caption(
                f"Auto searches every grouping up to {PAGE_EXHAUSTIVE:,} of them, and "
                "beyond that grows groupings one member at a time, keeping the 64 best at "
                "each size, then swaps members while that helps (a heuristic: not proven "
                f"best). Exhaustive is refused here beyond {PAGE_HARD_LIMIT:,} groupings; "
                "the command line goes further (`python -m model best --method exhaustive`)."
            )

    # ------------------------------------------------------------------ search
    def query(self) -> tuple[SearchQuery | None, int, str | None]:
        """The checked query and its size, or None and why it cannot run."""
        q = to_query(self.state)
        try:
            q = check(self.ds, q)
        except SearchError as err:
            return None, 0, str(err)
        total = count_groupings(self.ds, q)
        if q.method == "exhaustive" and total > PAGE_HARD_LIMIT:
            return (
                None,
                total,
                (
                    f"{total:,} groupings is over this page's exhaustive limit "
                    f"of {PAGE_HARD_LIMIT:,}: choose Auto or Beam, or narrow "
                    "the search"
                ),
            )
        return q, total, None

    def write_url(self) -> None:
        params = finder_params(self.state)
        if url_params() != {k: [v] for k, v in params.items()}:
            st.query_params.from_dict(params)
        remember(self.SEEN, params)


def progress_bar(total: int):
    """A progress callback drawing a bar for long searches (None for short ones)."""
    if total < SHOW_PROGRESS:
        return None, None
    bar = st.progress(0.0, text=f"Searching {total:,} groupings…")
    last = [0.0]

    def update(done: int, all_: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.15 or done >= all_:
            last[0] = now
            share = min(1.0, done / all_) if all_ else 1.0
            bar.progress(share, text=f"Searching {all_:,} groupings… {100 * share:.0f}%")

    return bar, update
