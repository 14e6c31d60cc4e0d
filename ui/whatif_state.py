"""What-if edits in a link and in a page's state (docs/architecture.md §5 and §6), no Streamlit.

The build page carries its edits in ``what_if``, each compare or timeline slot in
``w1``..``w4``, in the grammar of :mod:`model.whatif`. A link's good edits load and each
bad one is named in the page's warning. A state keeps its edits canonical for its year:
an edit whose ``@YEAR`` is the scenario's own year is written without it.

>>> from model import load_dataset
>>> from ui.params import Reading
>>> r = Reading(load_dataset(), {})
>>> edits = read_edits(r, "-friction:kor-jpn; tie:JPN-KOR:fta:0.5; +tie:JPN-JPN:fta:1", 2024)
>>> write_edits(edits), r.warnings
('-friction:JPN-KOR;+tie:JPN-KOR:fta:0.5', ["what-if edit '+tie:JPN-JPN:fta:1': a pair \
needs two different actors, not 'JPN' twice"])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from model import Dataset, Scenario
from model.scenario import changes_nothing
from model.whatif import MAX_EDITS, Edit, WhatIfError, canonical, for_year, parse, parse_valid
from model.words import edit_sentence
from ui.params import Reading, clip

__all__ = [
    "MAX_WHAT_IF_LENGTH",
    "add_edit",
    "for_year",
    "read_edits",
    "restore_plus",
    "write_edits",
]

#: A link's what-if text may be longer than other parameters: twenty edits of up to ~60
#: characters each.
MAX_WHAT_IF_LENGTH = 2000
# A '+' typed into an address reaches the page as a space: " tie:..." is "+tie:...".
_LOST_PLUS = re.compile(r"(^|;)(\s*)\s(?=(?:tie|friction|sens)\s*:)", re.IGNORECASE | re.ASCII)


def restore_plus(text: str) -> str:
    """Undo a form decoding that turned an edit's leading ``+`` into a space.

    >>> restore_plus(" tie:JPN-KOR:fta:0.5;-sens:IND; sens:IND:framing:alliance:1")
    '+tie:JPN-KOR:fta:0.5;-sens:IND;+sens:IND:framing:alliance:1'
    """
    return _LOST_PLUS.sub(r"\1\2+", text)


def read_edits(r: Reading, raw: str, year: int | None, name: str = "") -> tuple[Edit, ...]:
    """The good edits of a link's text (canonical for ``year`` when given); each bad one is
    named in the reading's warnings (``name`` prefixes the quote, e.g. ``w2=``)."""
    edits, errors = parse_valid(restore_plus(raw), r.ds, year)
    for err in errors:
        r.warn(f"what-if edit {name}'{clip(err.edit)}': {err.what}")
    return edits


def write_edits(edits: Sequence[Edit]) -> str | None:
    """The link's text of ``edits`` (None: no edits, so no parameter)."""
    return canonical(edits) or None


def add_edit(ds: Dataset, s: Scenario, text: str) -> tuple[Edit, ...]:
    """The scenario's edits with the edit written ``text`` added, checked as a link's edit
    is, and refused when it would change nothing.

    Raises :class:`~model.whatif.WhatIfError` (quoting ``text``) when it is bad, already
    in the list, one too many, or changes nothing in the record.
    """
    found = parse(text, ds, s.year)
    if len(found) != 1:
        raise WhatIfError(text, "expected one change")
    edit = found[0]
    if edit in s.what_if:
        raise WhatIfError(text, "this change is already in the list")
    if len(s.what_if) >= MAX_EDITS:
        raise WhatIfError(text, f"a scenario holds at most {MAX_EDITS} changes")
    if changes_nothing(ds, s, edit):
        start = edit.start if edit.start is not None else s.year
        raise WhatIfError(
            text,
            f"it would change nothing: {edit_sentence(ds, edit)}, but the record has no such "
            f"row in force from {start} on",
        )
    return (*s.what_if, edit)
