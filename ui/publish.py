"""Publish a scenario with its data, and open a published one (docs/architecture.md §10).

:func:`arrive` runs first on the build and compare pages. When the address holds a short
link (``?s=ID``) the page has not opened yet, it reads the publication from the store,
makes its dataset the session's, and has the page read the scenario as if its canonical
link had been opened (ui/urlsync.py keeps ``?s=ID`` in the address while the page shows
just that). An unknown or malformed ID opens the default scenario with the page's one
link warning naming it; a store that cannot be reached says so, and the page still works.
While the page shows the publication, a banner gives its title, its note (plain text,
always escaped), when it was published and that it runs on its own data.

:func:`publish_form` stores the scenario, its data, a title and a note, and shows the
short link. Nothing here changes a publication: publishing again makes a new one.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import NamedTuple

import streamlit as st

from model import Dataset, Scenario
from model.store import (
    MAX_NOTE,
    MAX_TITLE,
    Published,
    PublishError,
    StoreError,
    UnknownScenario,
    default_store_url,
    open_store,
    parse_id,
)
from model.words import grouping_name
from model.words import title as scenario_title
from ui import cache
from ui.build import share_link
from ui.build_state import BUILD, BuildState
from ui.datastore import current_files, custom_dataset, use_published
from ui.params import clip
from ui.slots_state import COMPARE, CompareState, Slot
from ui.text import plain
from ui.urlsync import alias_key, notes_key

__all__ = ["UNREACHABLE", "arrive", "default_title", "publish_form"]

logger = logging.getLogger(__name__)

#: Each kind of publication: its page's session prefix and its page file.
PAGES = {"build": ("build", "views/build.py"), "compare": ("cmp", "views/compare.py")}
PUBLISHER = "publish_publisher"
UNREACHABLE = (
    "the store of published scenarios cannot be reached right now. Everything else works; "
    "try again later"
)


class _Keys(NamedTuple):
    """A page's session keys: the short link it last opened, the publication it shows
    (its title, note and time), and a problem to show once."""

    prefix: str
    arrived: str
    opened: str
    problem: str


def _keys(kind: str) -> _Keys:
    prefix = PAGES[kind][0]
    return _Keys(prefix, f"{prefix}_arrived", f"{prefix}_opened", f"{prefix}_publish_problem")


def _as_lists(params: dict[str, str]) -> dict[str, list[str]]:
    return {k: [v] for k, v in params.items()}


def _canonical(pub: Published) -> dict[str, list[str]]:
    """The canonical query of the page a publication opens."""
    if pub.kind == "build":
        s = pub.scenarios[0]
        state = BuildState(s.members, s.framing, s.year, s.weights, what_if=s.what_if)
        return _as_lists(BUILD.canonical(state))
    slots = tuple(Slot(s.members, s.framing, s.what_if) for s in pub.scenarios)
    return _as_lists(COMPARE.canonical(CompareState(slots, pub.year)))


def _short_link_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def arrive(kind: str) -> None:
    """Open the publication a new short link names (before the page reads its link),
    then show the banner of the one the page shows, if any."""
    keys = _keys(kind)
    ss = st.session_state
    current = _short_link_params()
    if "s" in current and ss.get(keys.arrived) != current:
        ss[keys.arrived] = current
        _open(kind, current)
    _banner(kind)


def _open(kind: str, current: dict[str, list[str]]) -> None:
    prefix, arrived, opened, problem = _keys(kind)
    ss = st.session_state
    values = current["s"]
    raw = values[-1] if values else ""
    notes = [f"'s' was given {len(values)} times; used the last"] if len(values) > 1 else []
    others = sorted(k for k in current if k != "s" and not k.startswith(("embed", "utm_")))
    if others:
        names = ", ".join(repr(clip(k)) for k in others)
        notes.append(f"{names} beside 's' (a published scenario opens as it was published)")
    ss.pop(f"{prefix}_state", None)  # the page reads its link afresh
    ss.pop(opened, None)
    try:
        pub = cache.published(default_store_url(), parse_id(raw))
    except UnknownScenario:
        notes.append(f"no published scenario has the ID '{clip(raw.strip())}'")
        ss[alias_key(prefix)] = (current, {}, None)
        ss[notes_key(prefix)] = notes
        return
    except StoreError as err:
        logger.warning("opening published scenario %r: %s", clip(raw), err)
        ss[alias_key(prefix)] = (current, {}, None)
        ss[notes_key(prefix)] = notes
        ss[problem] = (
            "This link opens a published scenario, but "
            + UNREACHABLE
            + ". Showing the default scenario."
        )
        return
    if pub.kind != kind:
        ss.pop(arrived, None)
        st.switch_page(PAGES[pub.kind][1], query_params={"s": pub.id})
    use_published(pub.files, pub.dataset)
    ss[alias_key(prefix)] = (current, _canonical(pub), pub.fingerprint)
    ss[notes_key(prefix)] = notes
    ss[opened] = pub.to_json() | {"when": pub.when}


def _shows_publication(kind: str) -> bool:
    """Whether the page shows exactly what the publication opened, on its data."""
    prefix = PAGES[kind][0]
    ss = st.session_state
    alias, ds = ss.get(alias_key(prefix)), custom_dataset()
    if not alias or ds is None or alias[2] != ds.fingerprint:
        return False
    state = ss.get(f"{prefix}_state")
    if state is None:
        return True
    spec = BUILD if kind == "build" else COMPARE
    return _as_lists(spec.canonical(state)) == alias[1]


def _note_markdown(note: str) -> str:
    """A note as escaped markdown, its lines kept."""
    return "  \n".join(plain(line) for line in note.splitlines())


def _banner(kind: str) -> None:
    keys = _keys(kind)
    problem, opened = keys.problem, keys.opened
    ss = st.session_state
    if problem in ss:
        st.error(ss.pop(problem), icon=":material/cloud_off:")
    meta = ss.get(opened)
    if not meta:
        return
    if _shows_publication(kind):
        with st.container(border=True):
            st.caption(
                f":material/push_pin: Published {meta['when']} · on its own data, kept with "
                "this link · what you change stays yours; the link does not change"
            )
            st.markdown(f"#### {plain(meta['title'])}" if meta["title"] else "#### (untitled)")
            if meta["note"]:
                st.markdown(_note_markdown(meta["note"]))
    else:
        ds = custom_dataset()
        if ds is not None and ds.fingerprint == meta["data_fingerprint"]:
            st.caption(
                f":material/push_pin: Changed from the published scenario "
                f"“{plain(meta['title'])}”: your changes are not published."
            )


# --------------------------------------------------------------------------- publishing


def default_title(ds: Dataset, kind: str, scenarios: Sequence[Scenario]) -> str:
    """The title a publication gets when none is typed."""
    if kind == "build":
        text = scenario_title(ds, scenarios[0])
    else:
        names = " vs ".join(grouping_name(ds, s.members, limit=36) for s in scenarios)
        text = f"Compare: {names} · {scenarios[0].year}"
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 3] + "..."


def _publisher() -> str:
    """This session's name in the store (random, kept for the session): the hourly limit
    counts per session."""
    if PUBLISHER not in st.session_state:
        st.session_state[PUBLISHER] = secrets.token_hex(16)
    return st.session_state[PUBLISHER]


def _publish(kind: str, ds: Dataset, scenarios: Sequence[Scenario], title: str, note: str):
    prefix = PAGES[kind][0]
    title = title.strip() or default_title(ds, kind, scenarios)
    try:
        pid = open_store().publish(
            current_files(), kind, scenarios, title, note, publisher=_publisher(), dataset=ds
        )
    except PublishError as err:
        st.session_state[f"{prefix}_published"] = ("error", f"Not published: {err}.")
        return
    except StoreError as err:
        logger.warning("publishing: %s", err)
        st.session_state[f"{prefix}_published"] = ("error", f"Not published: {UNREACHABLE}.")
        return
    st.session_state[f"{prefix}_published"] = ("ok", share_link({"s": pid}), title)


def publish_form(kind: str, ds: Dataset, scenarios: Sequence[Scenario]) -> None:
    """Publish this page's scenario (or slots) with its data, a title and a note."""
    prefix = PAGES[kind][0]
    what = "this scenario" if kind == "build" else "this comparison"
    box = st.expander(
        f"Publish {what} with its data",
        key=f"{prefix}_publish_open",
        on_change="rerun",
        icon=":material/publish:",
    )
    if not box.open:  # built only while open: its fields cost every click otherwise
        return
    with box:
        st.caption(
            f"Stores {what}, the data it runs on (yours, if you edited or uploaded any), a "
            "title and a note, and gives a short link that opens them for anyone. A "
            "publication never changes: publish again for a new link. Title and note are "
            "shown as plain text."
        )
        with st.form(f"{prefix}_publish_form", border=False):
            title = st.text_input(
                "Title",
                max_chars=MAX_TITLE,
                placeholder=default_title(ds, kind, scenarios),
                key=f"{prefix}_publish_title",
            )
            note = st.text_area(
                "Note",
                max_chars=MAX_NOTE,
                placeholder="What it shows, where the data comes from…",
                key=f"{prefix}_publish_note",
                height=100,
            )
            go = st.form_submit_button("Publish", icon=":material/publish:", type="primary")
        if go:
            _publish(kind, ds, scenarios, title or "", note or "")
        shown = st.session_state.get(f"{prefix}_published")
        if shown and shown[0] == "ok":
            st.success(
                f"Published “{plain(shown[2])}”. This link opens it, with its data, for anyone:",
                icon=":material/check_circle:",
            )
            st.code(shown[1], language=None, wrap_lines=True)
        elif shown:
            st.error(plain(shown[1]), icon=":material/error:")
