"""Open a page of the app the way a link does, and read what it shows, for the AppTest
page tests."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from model.schema import REGIONS
from ui.build import OPEN, WEIGHTS_OPEN
from ui.text import WORD_JOINER

APP = Path(__file__).resolve().parent.parent / "app.py"
BUILD, COMPARE, FINDER = None, "views/compare.py", "views/finder.py"
TIMELINE, DATA, METHOD = "views/timeline.py", "views/data.py", "views/method.py"
LINK_WARNING = "Parts of this link were ignored: "
#: The open-state keys of the build page's sidebar sections (regions with no actor have
#: none on the page: their keys are plain session values, read by nothing).
SIDEBAR_SECTIONS = [*(OPEN + region for region in REGIONS), WEIGHTS_OPEN]


def open_page(
    page: str | None = BUILD,
    params: Mapping[str, str | list[str]] | None = None,
    /,
    **more: str | list[str],
) -> AppTest:
    """Run ``app.py`` on ``page`` (default: the build page) with the query ``params`` and
    ``more``, as a link opens it; the page must run without an exception."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if page is not None:
        at.switch_page(page)
    for key, value in {**(params or {}), **more}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (params, more, [e.value for e in at.exception])
    return at


def open_with_sidebar(**params: str) -> AppTest:
    """The build page from a link, every section of its sidebar open from the first run
    (a reader who opened them before): a test of what the first run does."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key in SIDEBAR_SECTIONS:
        at.session_state[key] = True
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (params, [e.value for e in at.exception])
    return at


def open_sidebar(at: AppTest) -> AppTest:
    """Open every region and the weights in the build page's sidebar, as a reader clicking
    each would, and run the page again (their widgets are built only while open,
    ui/build.py)."""
    for key in SIDEBAR_SECTIONS:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tables(at: AppTest) -> AppTest:
    """Open every chart's "The chart as a table" expander, as a reader clicking each would,
    and run the page again (the tables are made only while open, ui/chartview.py)."""
    for key in [k for k in at.session_state if k.startswith("table:")]:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def address(at: AppTest) -> dict[str, str]:
    """The address bar's parameters, without those a host adds (embed, utm_*)."""
    return {k: v for k, v in at.query_params.items() if not k.startswith(("embed", "utm_"))}


def unescaped(text: str) -> str:
    """Text as the reader sees it: without the markdown escapes of ui.text.plain and the
    invisible word joiner that keeps a bare address from becoming a link."""
    return re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "")


def link_warning(at: AppTest) -> str:
    """The page's one warning about its link, as the reader sees it ('' when none)."""
    texts = [w.value for w in at.warning if w.value.startswith(LINK_WARNING)]
    assert len(texts) <= 1, texts
    return unescaped(texts[0]) if texts else ""


class _KeptFiles(MediaFileManager):
    """AppTest's media file manager, kept after the run so that a test can read what a
    download button offers (AppTest makes a new one per run and drops it afterwards)."""

    last: MediaFileManager | None = None

    def __init__(self, storage):
        super().__init__(storage)
        _KeptFiles.last = self


app_test.MediaFileManager = _KeptFiles


def download(at: AppTest, key: str) -> tuple[str, bytes]:
    """The file name and content of the download button with widget key ``key`` (a
    deferred download is made now, as a click would)."""
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    files = _KeptFiles.last
    assert files is not None
    if button.proto.deferred_file_id:
        entry = files._deferred_callables[button.proto.deferred_file_id]
        data = entry["callable"]()
        return entry["filename"], data.encode("utf-8") if isinstance(data, str) else data
    stored = files._storage.get_file(button.proto.url.rsplit("/", 1)[1].split(".")[0])
    return stored.filename, stored.content
