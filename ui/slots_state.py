"""The compare and timeline pages' scenarios in the URL (docs/architecture.md §6), no Streamlit.

Slots ``s1``..``s4`` (a preset id or comma list of codes), each with its framing
``f1``..``f4`` (the preset's own when left out) and its what-if edits ``w1``..``w4``
(ui/whatif_state.py). The compare page adds the shared ``year``; the timeline adds its
first year, ``start``, and reads a ``year`` (so that a compare link opens there too)
without writing it: it shows every year. A slot's edits hold from the compare page's
year, or from the timeline's first year, unless they say ``@YEAR``.

A bad slot is named in the warnings and left out; the good ones still load, renumbered
from 1. With no slot at all a page opens on the Quad against the Squad.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from model import Dataset, Scenario
from model.whatif import Edit
from ui.params import YEAR, LinkSpec, Param, Params, Reading, clip, members_of, read_framing
from ui.whatif_state import MAX_WHAT_IF_LENGTH, for_year, read_edits, write_edits

__all__ = [
    "COMPARE",
    "DEFAULT_SLOTS",
    "DEFAULT_START",
    "MAX_SLOTS",
    "TIMELINE",
    "CompareState",
    "Slot",
    "TimelineState",
    "at_year",
    "compare_link",
    "compare_params",
    "parse_compare",
    "parse_timeline",
    "timeline_params",
]

MAX_SLOTS = 4
DEFAULT_SLOTS = ("quad", "squad")
#: The timeline's first year unless the link says otherwise (or the data starts later).
DEFAULT_START = 1990


@dataclass(frozen=True)
class Slot:
    """One scenario of the compare or timeline page (the year is the page's), with its
    what-if edits."""

    members: tuple[str, ...]
    framing: str
    what_if: tuple[Edit, ...] = ()

    def scenario(self, year: int) -> Scenario:
        """The slot as a scenario of ``year`` (its edits hold from then unless they say
        ``@YEAR``)."""
        return Scenario(self.members, self.framing, year, what_if=self.what_if)


@dataclass(frozen=True)
class CompareState:
    slots: tuple[Slot, ...]
    year: int


@dataclass(frozen=True)
class TimelineState:
    slots: tuple[Slot, ...]
    start: int


def _read_slot(r: Reading, raw: str, p: Param) -> tuple[str, ...] | None:
    """A slot's members; None (and named) when it names no known actor or preset.

    An emptied slot (``s1=``) is kept, as the page writes it.
    """
    found: list[str] = []
    members, preset = members_of(r.ds, raw, p.name, found)
    if not members and raw.strip():
        r.warn(f"slot {p.name}='{clip(raw)}' names no known actor or preset; left out")
        return None
    r.warnings.extend(found)
    if preset:
        r.presets[p.name] = preset
    return members


def _slot_framing(i: int) -> Param:
    slot = f"s{i}"

    def default(r: Reading) -> str | None:
        if r[slot] is None:
            return None
        preset = r.presets.get(slot)
        return r.ds.presets[preset].framing if preset else "alliance"

    def read(r: Reading, raw: str, p: Param) -> str | None:
        if r[slot] is not None:
            return read_framing(r, raw, p)
        if not r.given(slot):
            r.warn(f"'{p.name}' has no slot {slot}")
        return None  # the slot was given but left out: already named

    return Param(f"f{i}", read, default=default, get=_slot_field(i, "framing"))


def _slot_what_if(i: int) -> Param:
    slot = f"s{i}"

    def read(r: Reading, raw: str, p: Param) -> tuple[Edit, ...] | None:
        if r[slot] is not None:
            return read_edits(r, raw, None, f"{p.name}=")
        if not r.given(slot):
            r.warn(f"'{p.name}' has no slot {slot}")
        return None

    return Param(
        f"w{i}",
        read,
        write_edits,
        default=lambda r: None if r[slot] is None else (),
        get=_slot_field(i, "what_if"),
        limit=MAX_WHAT_IF_LENGTH,
    )


def _slot_field(i: int, name: str):
    return lambda state: getattr(state.slots[i - 1], name) if i <= len(state.slots) else None


def _slot_params(i: int) -> tuple[Param, ...]:
    """Slot ``i``'s parameters: one per field of :class:`Slot`, in the fields' order."""
    return (
        Param(f"s{i}", _read_slot, ",".join, get=_slot_field(i, "members")),
        _slot_framing(i),
        _slot_what_if(i),
    )


SLOT_NUMBERS = range(1, MAX_SLOTS + 1)
SLOT_PARAMS = tuple(p for i in SLOT_NUMBERS for p in _slot_params(i))


def at_year(slots: Sequence[Slot], year: int) -> tuple[Slot, ...]:
    """The slots with their edits canonical for a page whose edits hold from ``year``."""
    return tuple(replace(s, what_if=for_year(s.what_if, year)) for s in slots)


def _slots_from(year: str):
    """The usable slots (those whose members could be read), renumbered, their edits
    canonical for the parameter ``year``; the Quad and the Squad when there is none."""

    def derive(r: Reading) -> dict[str, tuple[Slot, ...]]:
        slots = tuple(
            Slot(*(r[p.name] for p in _slot_params(i)))
            for i in SLOT_NUMBERS
            if r[f"s{i}"] is not None
        )
        if not slots:
            if any(r.given(f"s{i}") for i in SLOT_NUMBERS):
                r.warn("no usable slot; showing the Quad and the Squad")
            presets = [r.ds.presets[p] for p in DEFAULT_SLOTS if p in r.ds.presets]
            slots = tuple(Slot(p.members, p.framing) for p in presets)
        return {"slots": at_year(slots, r[year])}

    return derive


def _default_start(r: Reading) -> int:
    return max(DEFAULT_START, r.ds.earliest_year)


def _read_start(r: Reading, raw: str, p: Param) -> int:
    """A four-digit year from the data's first to the year before its last."""
    ds, value = r.ds, raw.strip()
    if (
        len(value) == 4
        and value.isascii()
        and value.isdigit()
        and ds.earliest_year <= int(value) < ds.latest_year
    ):
        return int(value)
    default = _default_start(r)
    r.warn(
        f"start '{clip(value)}' is not a year from {ds.earliest_year} to "
        f"{ds.latest_year - 1}; used {default}"
    )
    return default


COMPARE: LinkSpec[CompareState] = LinkSpec(
    CompareState, (*SLOT_PARAMS, YEAR), derive=_slots_from("year")
)
TIMELINE: LinkSpec[TimelineState] = LinkSpec(
    TimelineState,
    (
        *SLOT_PARAMS,
        replace(YEAR, get=lambda state: None),  # read from a compare link, never written
        Param(
            "start",
            _read_start,
            write=lambda year: None if year == DEFAULT_START else str(year),
            default=_default_start,
        ),
    ),
    derive=_slots_from("start"),
)


def parse_compare(ds: Dataset, params: Params) -> tuple[CompareState, list[str]]:
    """The compare page's slots and year from query parameters, and what was ignored."""
    return COMPARE.parse(ds, params)


def compare_params(state: CompareState) -> dict[str, str]:
    """Canonical query string: slots numbered from 1, codes sorted, the shared year."""
    return COMPARE.canonical(state)


def compare_link(slots: Sequence[Slot], year: int) -> dict[str, str]:
    """Query parameters that open the compare page on ``slots`` (at most four)."""
    return compare_params(CompareState(tuple(slots[:MAX_SLOTS]), year))


def parse_timeline(ds: Dataset, params: Params) -> tuple[TimelineState, list[str]]:
    """The timeline's slots and first year from query parameters, and what was ignored."""
    return TIMELINE.parse(ds, params)


def timeline_params(state: TimelineState) -> dict[str, str]:
    """Canonical query string: the slots, and ``start`` unless it is the default."""
    return TIMELINE.canonical(state)
