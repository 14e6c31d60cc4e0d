"""A hostile copy of a dataset: every free-text field holds every payload below.

Payloads cover script, HTML event handlers, ``javascript:`` links with the usual
obfuscations (entities, an embedded tab or newline, mixed case), a MathJax/KaTeX ``\\href``,
markdown links, and a plain live link. Each one sets ``window.__xss`` if it ever runs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

__all__ = ["HOSTILE", "LINK_TEXTS", "PAYLOADS", "SOURCE_URL_TAIL", "hostile_files"]

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '<a href="javascript:window.__xss=3">js</a>',
    "$\\href{javascript:window.__xss=4}{click}$",
    '<a href="jav&#x09;ascript:window.__xss=5">entity</a>',
    '<a href="java\tscript:window.__xss=6">tab</a>',
    '<a href="java\nscript:window.__xss=7">newline</a>',
    '<a href="JaVaScRiPt:window.__xss=8">case</a>',
    '<a href="&#106;avascript:window.__xss=9">decimal</a>',
    '<svg onload="window.__xss=10">',
    "[md](javascript:window.__xss=11)",
    "[md2](JaVaScRiPt:window.__xss=12)",
    '<b>bold</b><a href="https://example.org/xss">live</a> www.example.org/xss xss@example.org',
]
HOSTILE = " ".join(PAYLOADS)
#: The text of each payload's link, should one ever become a link.
LINK_TEXTS = [
    "js",
    "click",
    "entity",
    "tab",
    "newline",
    "case",
    "decimal",
    "md",
    "md2",
    "live",
    "www.example.org/xss",
    "xss@example.org",
]
#: Source addresses must be http(s); this tail keeps them valid, and hostile.
SOURCE_URL_TAIL = '?q="><script>window.__xss=13</script>'

TEXT_COLUMNS = {
    "actors.csv": ("name", "note"),
    "ties.csv": ("note",),
    "frictions.csv": ("note",),
    "sensitivities.csv": ("note",),
    "threats.csv": ("note",),
    "presets.csv": ("name", "note"),
    "sources.csv": ("title", "publisher"),
}


def hostile_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """``files`` with HOSTILE appended to every free-text cell and to every source url."""
    out = {}
    for name, raw in files.items():
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        for row in rows:
            for column in TEXT_COLUMNS.get(name, ()):
                row[column] = f"{row[column]} {HOSTILE}"
            if name == "sources.csv":
                row["url"] += SOURCE_URL_TAIL
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        out[name] = text.getvalue().encode("utf-8")
    return out
