"""One URL-state cycle for every page: read the link, keep the state, write the link back.

A page keeps its state (a frozen dataclass) in session state and mirrors it in the address
bar. It reads the URL on its first run, when the dataset changes, and whenever a link
brings parameters other than those it last read or wrote (a link from another page, or an
address pasted in the same session), but not on its own reruns, when a widget callback has
changed the state and the address still shows the previous one. A change answers the
warning about the old link, so the warning goes. After the page is drawn the address is
rewritten to the state's canonical link. An empty address (the sidebar's navigation)
keeps the session's state.

A rerun of the same page whose address is one the page itself read or wrote earlier in
the session is not a new link either: the browser sends its address with every click,
and a click made before the browser had applied the page's last rewrite carries the
address before it. Reading that echo would undo what the user had just done (the click,
and the change before it). A link from another page is read whatever it holds: the
previous run was another page's (``page_started``, called by ``app.py``).

When the session's dataset changes (an edit, an upload or a reset on the data page), a
page keeps the scenario the user built: it re-reads its own canonical link on the new
data, drops the codes the new data no longer has and says so in one warning.

A short link (``?s=ID``, a published scenario: ui/publish.py) stands for the canonical
query of the scenario it opened, on the data it opened: while the page shows exactly
that, the address keeps the short link; any change writes the canonical query instead.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Generic, TypeVar

import streamlit as st

from model import Dataset
from ui.params import LinkSpec
from ui.text import plain

__all__ = [
    "LinkedState",
    "alias_key",
    "data_change_warning",
    "link_warning",
    "notes_key",
    "page_started",
    "url_params",
]

S = TypeVar("S")

#: Session keys of the page that ran before this run, and of the one running now.
_PREVIOUS_PAGE, _THIS_PAGE = "_urlsync_previous_page", "_urlsync_page"
#: How many of its own addresses a page remembers as echoes (a burst of quick clicks).
_ECHOES = 16


def page_started(name: str) -> None:
    """Note that page ``name`` runs now (``app.py``, before the page's script)."""
    ss = st.session_state
    ss[_PREVIOUS_PAGE], ss[_THIS_PAGE] = ss.get(_THIS_PAGE), name


def _same_page_rerun() -> bool:
    ss = st.session_state
    return _THIS_PAGE in ss and ss.get(_PREVIOUS_PAGE) == ss[_THIS_PAGE]


def url_params() -> dict[str, list[str]]:
    """The address bar's query parameters, every value as a list."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def alias_key(prefix: str) -> str:
    """Session key of a page's short link: (its query, the canonical query it stands for,
    the dataset fingerprint it stands for), all queries as lists of values."""
    return f"{prefix}_alias"


def notes_key(prefix: str) -> str:
    """Session key of warnings about a link that the page adds when it next reads it."""
    return f"{prefix}_link_notes"


def link_warning(warnings: list[str]) -> None:
    """The one warning naming what a link held that the page could not use."""
    if warnings:
        st.warning("Parts of this link were ignored: " + plain("; ".join(warnings)) + ".")


def data_change_warning(dropped: list[str], warnings: list[str]) -> None:
    """The one warning after the data changed under a page's scenario (nothing if the
    scenario carried over whole)."""
    if not dropped and not warnings:
        return
    parts = []
    if dropped:
        verb = "is" if len(dropped) == 1 else "are"
        parts.append(f"{', '.join(dropped)} {verb} not in the new data and left out")
    parts += warnings
    st.warning(
        "The data changed; this page kept its scenario and scored it on the new data: "
        + plain("; ".join(parts))
        + "."
    )


def without_codes(params: dict[str, str], gone: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """A canonical query with the codes in ``gone`` taken out of its comma lists, and the
    codes taken out (in the order met, once each).

    >>> without_codes({"members": "JPN,PHL,USA", "year": "2024"}, {"PHL"})
    ({'members': ['JPN,USA'], 'year': ['2024']}, ['PHL'])
    """
    out: dict[str, list[str]] = {}
    dropped: list[str] = []
    for key, value in params.items():
        kept = []
        for part in value.split(","):
            if part in gone:
                dropped += [part] if part not in dropped else []
            else:
                kept.append(part)
        out[key] = [",".join(kept)]
    return out, dropped


class LinkedState(Generic[S]):
    """A page's state in session state under ``{prefix}_state``, mirrored in the URL."""

    def __init__(self, prefix: str, spec: LinkSpec[S], ds: Dataset):
        self.spec, self.ds = spec, ds
        self._state_key, self._warnings_key = f"{prefix}_state", f"{prefix}_warnings"
        self._fp_key, self._seen_key = f"{prefix}_fp", f"{prefix}_seen"
        self._codes_key, self._data_key = f"{prefix}_codes", f"{prefix}_data_change"
        self._alias_key, self._notes_key = alias_key(prefix), notes_key(prefix)
        ss = st.session_state
        known = self._state_key in ss
        data_changed = known and ss.get(self._fp_key) != ds.fingerprint
        if data_changed and not self._new_link():
            self._carry_over()
        elif not known or data_changed or self._new_link():
            params = self._link()
            ss[self._state_key], warnings = spec.parse(ds, params)
            ss[self._warnings_key] = ss.pop(self._notes_key, []) + warnings
            ss.pop(self._data_key, None)
            self._read_from(params)

    def _link(self) -> dict[str, list[str]]:
        """The address bar's query; a short link stands for the query it was opened as."""
        current = url_params()
        alias = st.session_state.get(self._alias_key)
        return alias[1] if alias and current == alias[0] else current

    def _read_from(self, params) -> None:
        ss = st.session_state
        ss[self._fp_key], ss[self._codes_key] = self.ds.fingerprint, frozenset(self.ds.codes)
        self._remember(params)

    def _carry_over(self) -> None:
        """The data changed under the session's own scenario: read its canonical link on
        the new data, without the codes that are gone."""
        ss = st.session_state
        old = self.spec.canonical(ss[self._state_key])
        gone = set(ss.get(self._codes_key, ())) - set(self.ds.codes)
        params, dropped = without_codes(old, gone)
        ss[self._state_key], warnings = self.spec.parse(self.ds, params)
        ss[self._warnings_key] = []
        ss[self._data_key] = (dropped, warnings)
        self._read_from(self.spec.canonical(ss[self._state_key]))

    def _new_link(self) -> bool:
        current = self._link()
        seen = st.session_state.get(self._seen_key, [])  # the last is the latest
        if not current or current == (seen[-1] if seen else None):
            return False
        return not (_same_page_rerun() and current in seen)

    def _remember(self, params: dict[str, str] | dict[str, list[str]]) -> None:
        """Keep ``params`` as the address the page last read or wrote, after the earlier
        ones whose echo a rerun ignores."""
        ss = st.session_state
        latest = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
        earlier = [e for e in ss.get(self._seen_key, []) if e != latest]
        ss[self._seen_key] = [*earlier, latest][-_ECHOES:]

    @property
    def state(self) -> S:
        return st.session_state[self._state_key]

    @property
    def warnings(self) -> list[str]:
        return list(st.session_state.get(self._warnings_key, []))

    def show_warnings(self) -> None:
        """The link's warning, or what a change of data did to the scenario."""
        link_warning(self.warnings)
        if self._data_key in st.session_state:
            data_change_warning(*st.session_state[self._data_key])

    def set(self, state: S) -> None:
        """A widget changed the state: keep it, and drop the old link's warning."""
        st.session_state[self._state_key] = state
        st.session_state[self._warnings_key] = []
        st.session_state.pop(self._data_key, None)

    def change(self, **fields) -> None:
        self.set(replace(self.state, **fields))

    def short_link(self) -> dict[str, str] | None:
        """The short link's query when the page shows just what it opened (else None)."""
        alias = st.session_state.get(self._alias_key)
        if not alias or alias[2] != self.ds.fingerprint:
            return None
        canonical = {k: [v] for k, v in self.spec.canonical(self.state).items()}
        return {k: v[-1] for k, v in alias[0].items()} if canonical == alias[1] else None

    def write_url(self) -> dict[str, str]:
        """Rewrite the address bar to the state's canonical query string (or to the short
        link that stands for it); returns the query the address now holds."""
        canonical = self.spec.canonical(self.state)
        shown = self.short_link() or canonical
        if url_params() != {k: [v] for k, v in shown.items()}:
            st.query_params.from_dict(shown)
        self._remember(canonical)
        return shown
