"""The finder page's widgets over one canonical search (see ui/urlsync.py for the cycle),
and the search itself with a progress bar.

Searches are cached per dataset and query (ui/cache.py: a search takes from milliseconds
to seconds); a long one draws a progress bar, and since Streamlit stops a script run when
an input changes, changing the inputs cancels it.
"""

from __future__ import annotations

import time

import streamlit as st

from model import Dataset, SearchQuery
from model.schema import FRAMINGS, REGIONS
from model.search import MAX_EXHAUSTIVE, MAX_TOP, SearchError, SearchResult, check, count_groupings
from model.words import slug
from ui import cache
from ui.build_state import build_link
from ui.finder_state import FINDER, FinderState, max_size, to_query
from ui.slots_state import Slot, compare_link
from ui.style import actor_label
from ui.urlsync import LinkedState

__all__ = ["PAGE_EXHAUSTIVE", "FinderPage", "how_searched", "shared_members"]

#: On the page, ``auto`` is exhaustive up to this many groupings: every size up to 6 over
#: 50 states (18.3 million) takes about 6 s of one core (docs/performance.md, the finder).
PAGE_EXHAUSTIVE = MAX_EXHAUSTIVE
#: Forcing an exhaustive search on the page is refused beyond this (about 20 s of a core).
PAGE_HARD_LIMIT = 50_000_000
SHOW_PROGRESS = 200_000  # smaller searches finish before a bar would be seen
METHOD_LABELS = {"auto": "Auto", "exhaustive": "Exhaustive", "beam": "Beam (heuristic)"}


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


def how_searched(found: SearchResult, seconds: float, asked: str) -> str:
    """One plain sentence on how the results were found and whether they are proven best.

    >>> r = SearchResult((), 9, 0, 30_000_000, False, "beam")
    >>> how_searched(r, 0.5, "auto")[:60]
    'Beam search (a heuristic): 30,000,000 groupings are more tha'
    """
    if found.exhaustive:
        return (
            f"Exhaustive: all {found.candidates:,} groupings checked in {seconds:.2f} s "
            f"({found.evaluated:,} scored in full, {found.bounded:,} ruled out by an upper "
            "bound on their score). These are proven the best."
        )
    why = (
        f"{found.candidates:,} groupings are more than the {PAGE_EXHAUSTIVE:,} that Auto "
        "checks one by one, so"
        if asked == "auto"
        else f"as asked, of {found.candidates:,} groupings"
    )
    return (
        f"Beam search (a heuristic): {why} {found.evaluated:,} were scored in "
        f"{seconds:.2f} s. Good answers, not proven the best; narrow the search (a smaller "
        "size, required members, fewer regions) for a proven answer."
    )


class FinderPage(LinkedState[FinderState]):
    """The canonical search under ``finder_state``, its widgets, and the search itself."""

    def __init__(self, ds: Dataset):
        super().__init__("finder", FINDER, ds)

    # ------------------------------------------------------------------ callbacks
    def _on_size(self) -> None:
        lo, hi = st.session_state["finder_size"]
        self.change(size_min=int(lo), size_max=int(hi))

    def _on_one_size(self) -> None:
        size = int(st.session_state["finder_size_one"])
        self.change(size_min=size, size_max=size)

    def _on_range(self) -> None:
        s, top = self.state, max_size(self.ds)
        if st.session_state["finder_range"]:
            lo = min(s.size_min, top - 1)
            self.change(size_min=lo, size_max=lo + 1)
        else:
            self.change(size_max=s.size_min)

    def _on_codes(self, which: str) -> None:
        picked = tuple(sorted(st.session_state[f"finder_{which}"]))
        other = "exclude" if which == "require" else "require"
        kept = tuple(c for c in getattr(self.state, other) if c not in picked)
        self.change(**{which: picked, other: kept})

    def _on_regions(self) -> None:
        self.change(regions=tuple(sorted(st.session_state["finder_regions"])))

    def _on_simple(self, name: str) -> None:
        value = st.session_state[f"finder_{name}"]
        if name == "framing" and value not in FRAMINGS:
            return
        if name == "method" and value not in METHOD_LABELS:
            return
        self.change(**{name: int(value) if name in ("year", "top") else value})

    # ------------------------------------------------------------------ widgets
    def controls(self) -> None:
        ds, s, ss = self.ds, self.state, st.session_state
        ranged = s.size_min != s.size_max
        ss["finder_range"] = ranged
        ss["finder_size" if ranged else "finder_size_one"] = (
            (s.size_min, s.size_max) if ranged else s.size_min
        )
        ss["finder_require"], ss["finder_exclude"] = list(s.require), list(s.exclude)
        ss["finder_regions"], ss["finder_orgs"] = list(s.regions), s.orgs
        ss["finder_framing"], ss["finder_year"] = s.framing, s.year
        ss["finder_top"], ss["finder_method"] = s.top, s.method
        a, b, c, d = st.columns([2, 2.2, 2, 1], gap="medium")
        # one thumb for one size: a range slider's two labels overlap when its ends meet
        a.slider(
            "Grouping sizes" if ranged else "Grouping size",
            2,
            max_size(ds),
            key="finder_size" if ranged else "finder_size_one",
            on_change=self._on_size if ranged else self._on_one_size,
            help="Every size in the range is searched and ranked together."
            if ranged
            else "How many members.",
        )
        a.toggle("Several sizes", key="finder_range", on_change=self._on_range)
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
        # the pickers of members get the width to show every chip whole
        e, f = st.columns(2, gap="medium")
        g, h, _ = st.columns([2, 1.2, 2.8], gap="medium", vertical_alignment="bottom")
        for where, which, label, nobody in (
            (e, "require", "Must include", "No one required"),
            (f, "exclude", "Must exclude", "No one excluded"),
        ):
            where.multiselect(
                label,
                list(ds.codes),
                key=f"finder_{which}",
                format_func=lambda code: actor_label(code, ds.actor(code).name),
                on_change=self._on_codes,
                args=(which,),
                placeholder=nobody,
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

    def search(self, query: SearchQuery, total: int) -> cache.Timed:
        """Run (or recall) the search, with a progress bar when it is a long one."""
        if total < SHOW_PROGRESS:
            return cache.search(self.ds, query, PAGE_EXHAUSTIVE)
        bar = st.progress(0.0, text=f"Searching {total:,} groupings…")
        last = [0.0]

        def update(done: int, all_: int) -> None:
            now = time.monotonic()
            if now - last[0] > 0.15 or done >= all_:
                last[0] = now
                share = min(1.0, done / all_) if all_ else 1.0
                bar.progress(share, text=f"Searching {all_:,} groupings… {100 * share:.0f}%")

        timed = cache.search(self.ds, query, PAGE_EXHAUSTIVE, update)
        bar.empty()
        return timed

    def file_name(self) -> str:
        """The stem of this search's downloads: ``finder-size-4-alliance-2024``."""
        s = self.state
        size = str(s.size_min) if s.size_min == s.size_max else f"{s.size_min}-{s.size_max}"
        return slug("finder", "size", size, s.framing, s.year)

    def build_link(self, members: tuple[str, ...]) -> dict[str, str]:
        """The build page's link to one result."""
        return build_link(members, self.state.framing, self.state.year)

    def compare_link(self, groups: list[tuple[str, ...]]) -> dict[str, str]:
        """The compare page's link to up to four results."""
        return compare_link([Slot(m, self.state.framing) for m in groups], self.state.year)
