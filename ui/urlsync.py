"""Tell a link from a rerun: has the address changed since this page last read or wrote it?

Each page keeps its scenario in session state and mirrors it in the URL. A page must read
the URL again when it is opened by a link (from another page, or a pasted address in the
same session) but not on its own reruns, when a widget callback has changed the scenario
and the address still shows the previous one.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["new_link", "remember", "url_params"]


def url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def new_link(key: str) -> bool:
    """True when the address holds parameters other than those last seen under ``key``.

    An empty address (the sidebar's navigation) keeps the session's scenario.
    """
    current = url_params()
    return bool(current) and current != st.session_state.get(key)


def remember(key: str, params: dict[str, str] | dict[str, list[str]]) -> None:
    st.session_state[key] = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
