"""One URL-state cycle for every page: read the link, keep the state, write the link back.

A page keeps its state (a frozen dataclass) in session state and mirrors it in the address
bar. It reads the URL on its first run, when the dataset changes, and whenever a link
brings parameters other than those it last read or wrote (a link from another page, or an
address pasted in the same session), but not on its own reruns, when a widget callback has
changed the state and the address still shows the previous one. A change answers the
warning about the old link, so the warning goes. After the page is drawn the address is
rewritten to the state's canonical link. An empty address (the sidebar's navigation)
keeps the session's state.

When the session's dataset changes (an edit, an upload or a reset on the data page), a
page keeps the scenario the user built: it re-reads its own canonical link on the new
data, drops the codes the new data no longer has and says so in one warning.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Generic, TypeVar

import streamlit as st

from model import Dataset
from ui.params import LinkSpec
from ui.text import plain

__all__ = ["LinkedState", "data_change_warning", "link_warning", "url_params"]

S = TypeVar("S")


def url_params() -> dict[str, list[str]]:
    """The address bar's query parameters, every value as a list."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


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
        ss = st.session_state
        known = self._state_key in ss
        data_changed = known and ss.get(self._fp_key) != ds.fingerprint
        if data_changed and not self._new_link():
            self._carry_over()
        elif not known or data_changed or self._new_link():
            params = url_params()
            ss[self._state_key], ss[self._warnings_key] = spec.parse(ds, params)
            ss.pop(self._data_key, None)
            self._read_from(params)

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
        current = url_params()
        return bool(current) and current != st.session_state.get(self._seen_key)

    def _remember(self, params: dict[str, str] | dict[str, list[str]]) -> None:
        st.session_state[self._seen_key] = {
            k: v if isinstance(v, list) else [v] for k, v in params.items()
        }

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

    def write_url(self) -> dict[str, str]:
        """Rewrite the address bar to the state's canonical query string."""
        canonical = self.spec.canonical(self.state)
        if url_params() != {k: [v] for k, v in canonical.items()}:
            st.query_params.from_dict(canonical)
        self._remember(canonical)
        return canonical
