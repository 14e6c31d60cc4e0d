"""Show text from the data or the URL as text, never as markup."""

from __future__ import annotations

import html
import re

__all__ = ["WORD_JOINER", "chart_text", "plain", "plain_frame", "wrap_hover"]

# Markdown, Streamlit's directives (:red[...], :icon:) and LaTeX ($) all start with these.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~&=])")


_SPACE = re.compile(r"\s+")
# GFM links bare addresses (https://..., www...., name@host) after escapes are undone; an
# invisible word joiner after the scheme, the "www" or the "@" keeps them text.
_AUTOLINK = re.compile(r"(?i)(?:https?(?=:)|www(?=\.)|@)")
WORD_JOINER = "\u2060"


def plain(text: str) -> str:
    """Escape ``text`` so that st.markdown and friends display it literally, on one line."""
    text = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, _SPACE.sub(" ", str(text)))
    return _SPECIAL.sub(r"\\\1", text)


def chart_text(text: str) -> str:
    """Escape ``text`` for a plotly label (hover, legend), which reads a few HTML tags
    (``<b>``, ``<br>``, ``<a href>``) and entities. Quotes stay as typed: plotly shows
    ``&quot;`` literally, and without ``<`` there is no tag for a quote to end."""
    return html.escape(str(text), quote=False)


def plain_frame(frame):
    """A table for ``st.table`` (which reads its cells as markdown) with every text cell
    shown literally by :func:`plain`; numbers stay numbers."""
    return frame.map(lambda v: plain(v) if isinstance(v, str) else v)


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
#: A tag or an entity: each shows as (at most) one character.
_MARKUP = re.compile(r"<[^>]*>|&[a-z#0-9]+;")


def wrap_hover(text: str, width: int = 64) -> str:
    """A plotly hover text (lines joined by ``<br>``) with every line longer than ``width``
    characters broken at spaces, so that a hover label stays narrow enough to fit inside
    the chart beside the point it belongs to. Tags and entities hold no space, so they are
    never cut.

    >>> wrap_hover("<b>Japan</b><br>" + "word " * 8, 22).split("<br>")
    ['<b>Japan</b>', 'word word word word', 'word word word word']
    >>> wrap_hover("<span style='color:red'>friction: trade</span>", 18)  # it fits: whole
    "<span style='color:red'>friction: trade</span>"
    """
    out = []
    for line in _BREAK.split(text):
        if len(_MARKUP.sub("x", line)) <= width:  # it fits: most lines do
            out.append(line.lstrip(" ").rstrip())
            continue
        words, current = line.split(" "), ""
        for w in words:
            visible = len(_MARKUP.sub("x", current + " " + w))
            if current and visible > width:
                out.append(current)
                current = w
            else:
                current = f"{current} {w}" if current else w
        out.append(current.rstrip())
    return "<br>".join(out)
