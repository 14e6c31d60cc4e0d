"""The method page's tables render as tables: every row has as many cells as its header
(a `|` inside a formula would split a cell, even inside backticks), and the reader's part
comes before the test note."""

from __future__ import annotations

import re
from pathlib import Path

import model

ROOT = Path(model.__file__).resolve().parent.parent  # the repository, wherever the test is
METHOD = (ROOT / "docs" / "method.md").read_text("utf-8")


def tables(text: str) -> list[list[str]]:
    """Each markdown table of ``text`` as its lines."""
    found, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found + ([current] if current else [])


def cells(line: str) -> int:
    """The cells GFM reads in a table line: unescaped pipes split cells, in code too."""
    return len(re.split(r"(?<!\\)\|", line.strip().strip("|")))


def test_every_row_has_as_many_cells_as_its_header():
    found = tables(METHOD)
    assert len(found) >= 6
    broken = [
        (table[0], line) for table in found for line in table[1:] if cells(line) != cells(table[0])
    ]
    assert broken == []


def test_the_page_starts_in_plain_words_and_ends_with_the_test_note():
    assert METHOD.index("## In plain words") < METHOD.index("## Framings")
    assert METHOD.index("tests/test_method_doc.py") > METHOD.index("## Known limits")
    assert METHOD.rstrip().endswith("what the dashboard computes.")
