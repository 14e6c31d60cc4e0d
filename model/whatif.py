"""What-if edits: hypothetical changes to the record, in one compact grammar
(docs/architecture.md §5).

An edit list such as ``+tie:JPN-KOR:security_agreement:0.6;-friction:JPN-KOR`` is parsed
into :class:`Edit` values, written back in one canonical form, checked against a dataset
as data rows are, and applied to a :class:`~model.data.Dataset` to give a new one:

* ``+tie``, ``+friction``, ``+sens`` append hypothetical rows (medium confidence, no
  source, the edit's text in ``note``, row numbers beyond the file's);
* ``-tie``, ``-friction``, ``-sens`` end the matching rows the year before the edit's
  start (a row that would only start later gets an empty period, so it never counts);
* ``=threat`` ends the actor's view of the target and appends the new one.

Rows are never deleted: the Monte Carlo keys its noise by row position. An edit holds
from the scenario's year on, or from ``@YEAR`` written after it.

>>> edits = parse("-friction:kor-jpn ; +tie:KOR-JPN:security_agreement:0.60@2026", year=2024)
>>> canonical(edits)
'-friction:JPN-KOR;+tie:JPN-KOR:security_agreement:0.6@2026'
>>> parse(canonical(edits), year=2024) == edits
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from model.data import MAX_YEAR, MIN_YEAR, Dataset, Friction, Sensitivity, Threat, Tie
from model.schema import FRAMING_TRIGGERS, FRAMINGS, FRICTION_KINDS, TIE_KINDS

__all__ = [
    "MAX_EDITS",
    "OPS",
    "TABLES",
    "Edit",
    "WhatIfError",
    "applied",
    "apply",
    "canonical",
    "check",
    "ended_rows",
    "for_year",
    "is_hypothetical",
    "number_text",
    "parse",
    "parse_valid",
    "texts",
]

MAX_EDITS = 20
#: Each operation and the form it is written in.
OPS: dict[str, str] = {
    "+tie": "+tie:A-B:KIND:STRENGTH",
    "-tie": "-tie:A-B[:KIND]",
    "+friction": "+friction:A-B:KIND:SEVERITY",
    "-friction": "-friction:A-B[:KIND]",
    "+sens": "+sens:A:TRIGGER:SEVERITY",
    "-sens": "-sens:A[:TRIGGER]",
    "=threat": "=threat:A:TARGET:LEVEL",
}
#: The note of a hypothetical row starts with this, followed by the edit's canonical text.
NOTE_PREFIX = "what-if: "
#: The tables an edit can change, by their Dataset attribute names.
TABLES: tuple[str, ...] = ("ties", "frictions", "sensitivities", "threats")
CONFIDENCE = "medium"

_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")
_CODE = re.compile(r"[A-Za-z]{2,6}")
_YEAR = re.compile(r"[0-9]{4}")
_QUOTE_LIMIT = 80


class WhatIfError(ValueError):
    """A what-if edit that cannot be read or applied; the message quotes the edit."""

    def __init__(self, edit: str, what: str):
        self.edit = edit
        self.what = _quote(what, limit=400)  # it may quote a piece of the edit
        super().__init__(f"what-if edit {self.quoted}: {self.what}")

    @property
    def quoted(self) -> str:
        """The edit as typed, in quotes, on one line and of bounded length."""
        return f"'{_quote(self.edit)}'"


def _quote(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """User text on one line and of bounded length."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Edit:
    """One hypothetical change to the record.

    ``actor`` and ``other`` are the pair (sorted) of a tie or friction, the actor and the
    target of a threat view, or the actor of a sensitivity (``other`` None). ``kind`` is
    the tie or friction kind or the sensitivity trigger (None: all of them, for a
    removal); ``value`` the strength, severity or level of an addition. ``start`` is the
    first year the edit holds (None: the scenario's year).
    """

    op: str
    actor: str
    other: str | None = None
    kind: str | None = None
    value: float | None = None
    start: int | None = None

    @property
    def table(self) -> str:
        """The dataset table the edit changes: ties, frictions, sensitivities or threats."""
        return {"tie": "ties", "friction": "frictions", "sens": "sensitivities"}.get(
            self.op[1:], "threats"
        )

    def text(self) -> str:
        """The edit in canonical form."""
        if self.op in ("+sens", "-sens"):
            parts = [self.op, self.actor]
        elif self.op == "=threat":
            parts = [self.op, self.actor, self.other]
        else:
            parts = [self.op, f"{self.actor}-{self.other}"]
        if self.kind is not None:
            parts.append(self.kind)
        if self.value is not None:
            parts.append(number_text(self.value))
        return ":".join(parts) + (f"@{self.start}" if self.start is not None else "")


def number_text(x: float) -> str:
    """The shortest positional decimal that reads back as ``x`` (0.5, 1, 0.25)."""
    return np.format_float_positional(float(x) + 0.0, unique=True, trim="-")


def canonical(edits: Sequence[Edit]) -> str:
    """The edits in canonical form, ``;``-separated, in the order they apply."""
    return ";".join(e.text() for e in edits)


def texts(edits: Sequence[Edit]) -> list[str]:
    """Each edit's canonical text (the JSON ``what_if`` list)."""
    return [e.text() for e in edits]


# --------------------------------------------------------------------------- parsing


def parse(text: str, ds: Dataset | None = None, year: int | None = None) -> tuple[Edit, ...]:
    """Read ``;``-separated edits; check their codes against ``ds`` when given.

    Codes may be in any case; blank edits are skipped. With ``year`` (the scenario's),
    an ``@YEAR`` equal to it is dropped, so the result is canonical for that scenario.
    Raises :class:`WhatIfError`, quoting the first bad edit.

    >>> parse("+sens:IND:framing:alliance:0.90")
    (Edit(op='+sens', actor='IND', other=None, kind='framing:alliance', value=0.9, start=None),)
    """
    raw = [part.strip() for part in text.split(";")]
    raw = [part for part in raw if part]
    if len(raw) > MAX_EDITS:
        raise WhatIfError(raw[MAX_EDITS], f"more than {MAX_EDITS} edits; the limit is {MAX_EDITS}")
    edits = tuple(_parse_one(part, year) for part in raw)
    if ds is not None:
        check(ds, edits, raw)
    return edits


def parse_valid(
    text: str, ds: Dataset, year: int | None = None
) -> tuple[tuple[Edit, ...], tuple[WhatIfError, ...]]:
    """The edits of ``text`` that pass, and one error for each that does not (a link's
    edits: the good ones load, the page names the others). Past the limit, the first
    :data:`MAX_EDITS` good edits are kept and the rest refused."""
    edits: list[Edit] = []
    errors: list[WhatIfError] = []
    for raw in (part.strip() for part in text.split(";")):
        if not raw:
            continue
        if len(edits) == MAX_EDITS:
            errors.append(
                WhatIfError(raw, f"more than {MAX_EDITS} edits; the limit is {MAX_EDITS}")
            )
            continue
        try:
            edit = _parse_one(raw, year)
            check(ds, (edit,), (raw,))
        except WhatIfError as err:
            errors.append(err)
        else:
            edits.append(edit)
    return tuple(edits), tuple(errors)


def _parse_one(raw: str, year: int | None) -> Edit:
    body, at, start_text = raw.rpartition("@")
    if not at:
        body, start_text = raw, ""
    start = _start(raw, start_text) if at else None
    if start is not None and start == year:
        start = None
    op, _, rest = body.partition(":")
    op = op.strip().lower()
    if op not in OPS:
        raise WhatIfError(raw, f"unknown change '{op}'; expected one of {', '.join(OPS)}")
    fields = [f.strip() for f in rest.split(":")] if rest else []
    form = OPS[op]
    kind: str | None = None
    value: float | None = None
    if op in ("+sens", "-sens"):
        actor, other = _code(raw, fields[0] if fields else ""), None
        trigger, fields = fields[1:3], fields[3:]
        if trigger:
            kind = _trigger(raw, ":".join(trigger), actor)
    elif op == "=threat":
        if len(fields) != 3:
            raise WhatIfError(raw, f"expected {form}")
        actor, other = _code(raw, fields[0]), _code(raw, fields[1])
        if actor == other:
            raise WhatIfError(raw, f"'{actor}' cannot see itself as a threat")
        fields = fields[2:]
    else:
        actor, other = _pair(raw, fields[0] if fields else "")
        if len(fields) > 1:
            kind = _kind(raw, fields[1], op)
        fields = fields[2:]
    if op[0] in "+=":
        if (kind is None and op != "=threat") or len(fields) != 1:
            raise WhatIfError(raw, f"expected {form}")
        value = _value(raw, fields[0])
    elif fields:
        raise WhatIfError(raw, f"expected {form}")
    return Edit(op, actor, other, kind, value, start)


def _start(raw: str, text: str) -> int:
    text = text.strip()
    if not _YEAR.fullmatch(text):
        raise WhatIfError(raw, f"'@{text}' is not a four-digit year")
    y = int(text)
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise WhatIfError(raw, f"year {y} is outside {MIN_YEAR}-{MAX_YEAR}")
    return y


def _code(raw: str, text: str) -> str:
    if not _CODE.fullmatch(text):
        what = f"'{text}' is not an actor code" if text else "an actor code is missing"
        raise WhatIfError(raw, what)
    return text.upper()


def _pair(raw: str, text: str) -> tuple[str, str]:
    if not text:
        raise WhatIfError(raw, "the pair A-B is missing")
    a, dash, b = text.partition("-")
    if not dash or not a.strip() or not b.strip():
        raise WhatIfError(raw, f"'{text}' is not a pair of actor codes A-B")
    a, b = _code(raw, a.strip()), _code(raw, b.strip())
    if a == b:
        raise WhatIfError(raw, f"a pair needs two different actors, not '{a}' twice")
    return (a, b) if a < b else (b, a)


def _kind(raw: str, text: str, op: str) -> str:
    kinds = tuple(TIE_KINDS) if op.endswith("tie") else FRICTION_KINDS
    kind = text.lower()
    if kind not in kinds:
        what = "tie" if op.endswith("tie") else "friction"
        raise WhatIfError(raw, f"'{text}' is not a {what} kind (one of {', '.join(kinds)})")
    return kind


def _trigger(raw: str, text: str, actor: str) -> str:
    head, _, tail = text.partition(":")
    head = head.lower()
    if head == "framing" and f"framing:{tail.lower()}" in FRAMING_TRIGGERS:
        return f"framing:{tail.lower()}"
    if head == "member":
        other = _code(raw, tail)
        if other == actor:
            raise WhatIfError(raw, f"'{text}' names the actor itself")
        return f"member:{other}"
    raise WhatIfError(raw, f"'{text}' is not framing:{'|'.join(FRAMINGS)} or member:CODE")


def _value(raw: str, text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise WhatIfError(raw, f"'{text}' is not a number")
    x = float(text)
    if not 0.0 <= x <= 1.0:
        raise WhatIfError(raw, f"'{text}' is out of range [0, 1]")
    return x


def check(ds: Dataset, edits: Sequence[Edit], raw: Sequence[str] | None = None) -> None:
    """Check each edit's codes against ``ds`` as the validator checks a data row.

    ``raw`` (the edits as typed) is what an error quotes; by default the canonical text.
    """
    orgs = {a.code for a in ds.actors if a.kind != "state"}
    for i, e in enumerate(edits):
        quoted = raw[i] if raw is not None else e.text()
        codes = [e.actor] + ([e.other] if e.other else [])
        if e.kind and e.kind.startswith("member:"):
            codes.append(e.kind[7:])
        for code in codes:
            if code not in ds.codes:
                raise WhatIfError(quoted, f"unknown actor code '{code}'")
        if e.kind == "membership" and e.op == "+tie" and (e.actor in orgs) == (e.other in orgs):
            raise WhatIfError(
                quoted,
                f"a membership ties a state to an organisation, not '{e.actor}' to '{e.other}'",
            )


# --------------------------------------------------------------------------- applying


def is_hypothetical(record) -> bool:
    """True for a row that a what-if edit added (it has no source; its note is the edit)."""
    return not record.sources and record.note.startswith(NOTE_PREFIX)


def _matches(edit: Edit, row) -> bool:
    if edit.table == "sensitivities":
        return row.actor == edit.actor and edit.kind in (None, row.trigger)
    if edit.table == "threats":
        return row.actor == edit.actor and row.target == edit.other
    pair = {row.a, row.b} == {edit.actor, edit.other}
    return pair and edit.kind in (None, row.kind)


def _ended(row, start: int):
    """``row`` as it reads when it stops counting from ``start`` on (itself if it already has)."""
    if row.until is not None and row.until < start:
        return row
    # A row that only starts at or after ``start`` gets an empty period: it never counts.
    return replace(row, until=start - 1 if row.since < start else row.since - 1)


def _added(edit: Edit, start: int, rownum: int):
    common = {
        "since": start,
        "until": None,
        "confidence": CONFIDENCE,
        "sources": (),
        "note": NOTE_PREFIX + edit.text(),
        "row": rownum,
    }
    if edit.op == "+tie":
        domain = TIE_KINDS[edit.kind]
        return Tie(
            a=edit.actor, b=edit.other, domain=domain, kind=edit.kind, strength=edit.value, **common
        )
    if edit.op == "+friction":
        return Friction(a=edit.actor, b=edit.other, kind=edit.kind, severity=edit.value, **common)
    if edit.op == "+sens":
        return Sensitivity(actor=edit.actor, trigger=edit.kind, severity=edit.value, **common)
    return Threat(actor=edit.actor, target=edit.other, level=edit.value, **common)


def applied(ds: Dataset, edits: Sequence[Edit], year: int) -> tuple[Dataset, dict]:
    """:func:`apply`, and which edit added each hypothetical row.

    The mapping is (table, position in that table) -> index of the edit in ``edits``.
    """
    if not edits:
        return ds, {}
    check(ds, edits)
    tables = {name: list(getattr(ds, name)) for name in TABLES}
    next_row = {name: max((r.row for r in rows), default=1) + 1 for name, rows in tables.items()}
    added: dict[tuple[str, int], int] = {}
    resolved = []
    for i, e in enumerate(edits):
        start = e.start if e.start is not None else year
        resolved.append(f"{e.text()}@{start}")
        rows = tables[e.table]
        if e.op[0] in "-=":
            rows[:] = [_ended(r, start) if _matches(e, r) else r for r in rows]
        if e.op[0] in "+=":
            rows.append(_added(e, start, next_row[e.table]))
            next_row[e.table] += 1
            added[(e.table, len(rows) - 1)] = i
    digest = hashlib.sha256(f"{ds.fingerprint}\0what-if\0{';'.join(resolved)}".encode())
    new = replace(
        ds, **{name: tuple(rows) for name, rows in tables.items()}, fingerprint=digest.hexdigest()
    )
    return new, added


def ended_rows(record: Dataset, changed: Dataset, year: int) -> dict[str, tuple]:
    """Table -> the rows of ``record`` in force in ``year`` that are no longer in force in
    ``changed`` (the record with edits applied; edits never delete or reorder rows), for a
    network that marks removed ties."""
    return {
        name: tuple(
            old
            for old, row in zip(getattr(record, name), getattr(changed, name), strict=False)
            if old.active(year) and not row.active(year)
        )
        for name in TABLES
    }


def for_year(edits: Sequence[Edit], year: int) -> tuple[Edit, ...]:
    """The edits canonical for a scenario of ``year``: an ``@YEAR`` equal to it is dropped.

    >>> for_year((Edit("-sens", "IND", start=2024), Edit("-sens", "JPN", start=2020)), 2024)
    (Edit(op='-sens', actor='IND', ...), Edit(op='-sens', actor='JPN', ..., start=2020))
    """
    return tuple(replace(e, start=None) if e.start == year else e for e in edits)


def apply(ds: Dataset, edits: Sequence[Edit], year: int) -> Dataset:
    """The dataset with ``edits`` applied in order, each from its start (default ``year``).

    A new dataset with its own fingerprint (no edits: ``ds`` itself); ``ds`` is unchanged.
    """
    return applied(ds, edits, year)[0]
