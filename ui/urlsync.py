"""One URL-state cycle for every page: read the link, keep the state, write the link back.

A page keeps its state (a frozen dataclass) in session state and mirrors it in the address
bar. It reads the URL on its first run, when the dataset changes, and whenever a link
brings parameters other than those it last read or wrote (a link from another page, or an
address pasted in the same session), but not on its own reruns, when a widget callback has
changed the state and the address still shows the previous one. A change answers the
warning about the old link, so the warning goes. After the page is drawn the address is
rewritten to the state's canonical link. An empty address (the sidebar's navigation)
keeps the session's state.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Generic, TypeVar

import streamlit as st

from model import Dataset
from ui.params import LinkSpec
from ui.text import plain

__all__ = ["LinkedState", "link_warning", "url_params"]

S = TypeVar("S")


def url_params() -> dict[str, list[str]]:
    """The address bar's query parameters, every value as a list."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def link_warning(warnings: list[str]) -> None:
    """The one warning naming what a link held that the page could not use."""
    if warnings:
        st.warning("Parts of this link were ignored: " + plain("; ".join(warnings)) + ".")


class LinkedState(Generic[S]):
    """A page's state in session state under ``{prefix}_state``, mirrored in the URL."""

    def __init__(self, prefix: str, spec: LinkSpec[S], ds: Dataset):
        self.spec, self.ds = spec, ds
        self._state_key, self._warnings_key = f"{prefix}_state", f"{prefix}_warnings"
        self._fp_key, self._seen_key = f"{prefix}_fp", f"{prefix}_seen"
        ss = st.session_state
        if self._state_key not in ss or ss.get(self._fp_key) != ds.fingerprint or self._new_link():
            params = url_params()
            ss[self._state_key], ss[self._warnings_key] = spec.parse(ds, params)
            ss[self._fp_key] = ds.fingerprint
            self._remember(params)

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
        link_warning(self.warnings)

    def set(self, state: S) -> None:
        """A widget changed the state: keep it, and drop the old link's warning."""
        st.session_state[self._state_key] = state
        st.session_state[self._warnings_key] = []

    def change(self, **fields) -> None:
        self.set(replace(self.state, **fields))

    def write_url(self) -> dict[str, str]:
        """Rewrite the address bar to the state's canonical query string."""
        canonical = self.spec.canonical(self.state)
        if url_params() != {k: [v] for k, v in canonical.items()}:
            st.query_params.from_dict(canonical)
        self._remember(canonical)
        return canonical
