"""Show text from the data or the URL as text, never as markup."""

from __future__ import annotations

import re

__all__ = ["plain"]

# Markdown, Streamlit's directives (:red[...], :icon:) and LaTeX ($) all start with these.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~&=])")


_SPACE = re.compile(r"\s+")


def plain(text: str) -> str:
    """Escape ``text`` so that st.markdown and friends display it literally, on one line."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", str(text)))
