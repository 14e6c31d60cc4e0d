"""Open a page of the app the way a link does, for the AppTest page tests."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


def open_view(view: str | None = None, **params: str | list[str]) -> AppTest:
    """Run ``app.py`` on ``view`` (default: the build page) with query ``params``."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    if view is not None:
        at.switch_page(view)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
