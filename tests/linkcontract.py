"""The links' contract (docs/architecture.md §6), written out here independently of the parsers
in ui/: what a link asks for, and what the one warning must quote when a value is ignored.

Build and slots links: a preset id or comma-separated codes (any case, blanks ignored), a
framing in any case, a year from the data's range, weights from 0 to 10, the network's
layout (map or force, any case), the last of repeated values. What-if edits (``what_if``
on Build, ``w1``..``w4`` per slot) follow the grammar of model/whatif.py, up to 2,000
characters; an edit that starts with a space after a ``;`` (or at the start) and reads
``tie:``, ``friction:`` or ``sens:`` lost its ``+`` to form decoding; each bad edit is
quoted, the good ones load (canonical for the page's year: the compare year, the
timeline's start).

Finder links: ``size`` is N or A-B with 2 <= A <= B <= the largest size;
``require`` and ``exclude`` are comma lists of codes (any case, unknown ones named; a code
in both stays required); ``regions`` names regions in any case; ``orgs`` is 1/0 (or
true/false, yes/no, on/off); ``top`` is 1-100; ``method`` is auto, exhaustive or beam.
"""

from __future__ import annotations

import math
import re

from strategies import DS, FALSE, FIRST, LATEST, TOP_SIZE, TRUE

from model import COMPONENTS, Weights
from model.scenario import MAX_MEMBERS
from model.schema import FRAMINGS, REGIONS
from model.search import MAX_TOP, METHODS
from model.whatif import parse_valid
from ui.build_state import BuildState
from ui.params import MAX_PARAM_LENGTH
from ui.slots_state import DEFAULT_START, MAX_SLOTS, Slot
from ui.whatif_state import MAX_WHAT_IF_LENGTH

CODES, PRESETS = DS.codes, DS.presets
WEIGHT_KEYS = {f"w_{c}": c for c in COMPONENTS}
WHAT_IF_KEYS = {"what_if", *(f"w{i}" for i in range(1, MAX_SLOTS + 1))}
BUILD_KEYS = {"members", "framing", "year", "layout", "what_if", *WEIGHT_KEYS}
LAYOUTS = ("map", "force")
SLOT_KEYS = {"year", *(f"{p}{i}" for p in "sfw" for i in range(1, MAX_SLOTS + 1))}
ASCII_SPACE = " \t\n\r\f\v"
FINDER_KEYS = {"size", "require", "exclude", "regions", "orgs", "framing", "year", "top", "method"}
HOST_KEYS = ("embed", "embed_options", "utm_source", "utm_campaign")
DEFAULT_SLOTS = [Slot(PRESETS[p].members, PRESETS[p].framing) for p in ("quad", "squad")]
START_DEFAULT = max(DEFAULT_START, FIRST)


def quoted(value: str) -> str:
    """A value as a warning quotes it: one line, escapes shown, at most 40 characters."""
    value = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return value if len(value) <= 40 else value[:37] + "..."


# --------------------------------------------------------------------------- the contract


class Link:
    """Reads a query dict by the contract and collects what a warning must quote."""

    def __init__(self, params: dict[str, str | list[str]], known: set[str]):
        self.params = params
        self.must_name: list[str] = [
            repr(quoted(k))
            for k in params
            if k not in known and k not in HOST_KEYS and not k.startswith("utm_")
        ]

    def value(self, key: str) -> str | None:
        """The value used for ``key``: the last of repeated ones; none if too long."""
        value = self.params.get(key)
        if isinstance(value, list):
            if len(value) > 1:
                self.must_name.append(f"'{key}' was given {len(value)} times")
            value = value[-1] if value else None
        limit = MAX_WHAT_IF_LENGTH if key in WHAT_IF_KEYS else MAX_PARAM_LENGTH
        if value is not None and len(value) > limit:
            self.must_name.append(f"'{key}' is {len(value)} characters long")
            return None
        return value

    def edits(self, raw: str | None, year: int, name: str = "") -> tuple:
        """The good edits of a what-if text for a scenario of ``year``; each bad one quoted."""
        if raw is None:
            return ()
        parts = []
        for part in raw.split(";"):
            body = part.lstrip(ASCII_SPACE)
            lead = part[: len(part) - len(body)]
            lost_plus = re.match(r"(tie|friction|sens)[ \t\n\r\f\v]*:", body, re.I | re.A)
            parts.append(lead[:-1] + "+" + body if lead and lost_plus else part)
        edits, errors = parse_valid(";".join(parts), DS, year)
        self.must_name += [f"what-if edit {name}'{quoted(err.edit)}'" for err in errors]
        return edits

    def members(self, raw: str) -> tuple[tuple[str, ...], str | None, list[str]]:
        """Codes (sorted) and preset id of a members value, and the parts it ignores."""
        if raw.strip().lower() in PRESETS:
            preset = PRESETS[raw.strip().lower()]
            return preset.members, preset.id, []
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        known = {p.upper() for p in parts if p.upper() in CODES}
        unknown = [repr(quoted(p)) for p in parts if p.upper() not in CODES]
        return tuple(sorted(known))[:MAX_MEMBERS], None, unknown

    def framing(self, raw: str | None, default: str, name: str) -> str:
        if raw is None:
            return default
        if raw.strip().lower() in FRAMINGS:
            return raw.strip().lower()
        self.must_name.append(f"{name}'{quoted(raw)}'")
        return default

    def year(self, raw: str | None) -> int:
        if raw is None:
            return LATEST
        value = raw.strip()
        if value.isascii() and value.isdigit() and FIRST <= int(value) <= LATEST:
            return int(value)
        self.must_name.append(f"year '{quoted(raw)}'")
        return LATEST

    def weights(self) -> Weights:
        given: dict[str, float] = {}
        for key, name in WEIGHT_KEYS.items():
            raw = self.value(key)
            if raw is None:
                continue
            try:
                x = float(raw)
            except ValueError:
                x = math.nan
            if math.isfinite(x) and 0 <= x <= 10:
                given[name] = x + 0.0
            else:
                self.must_name.append(f"{key}='{quoted(raw)}'")
        try:
            return Weights(**given)
        except ValueError:  # ties, connectivity, lattice and threat all 0
            self.must_name.append("were all 0; used their defaults")
            return Weights(**{k: v for k, v in given.items() if k in ("friction", "sensitivity")})


def expected_build(params) -> tuple[BuildState, list[str]]:
    """The scenario a build link holds by the contract, and what its warning must quote."""
    link = Link(params, BUILD_KEYS)
    raw = link.value("members")
    if raw is None:
        members, preset = PRESETS["quad"].members, "quad"
    else:
        members, preset, unknown = link.members(raw)
        link.must_name += unknown
    default = PRESETS[preset].framing if preset else "alliance"
    framing = link.framing(link.value("framing"), default, "framing ")
    year = link.year(link.value("year"))
    weights = link.weights()
    layout = link.value("layout")
    if layout is not None and layout.strip().lower() not in LAYOUTS:
        link.must_name.append(f"layout '{quoted(layout)}'")
    layout = layout.strip().lower() if layout and layout.strip().lower() in LAYOUTS else "map"
    edits = link.edits(link.value("what_if"), year)
    return BuildState(members, framing, year, weights, layout, edits), link.must_name


def expected_slots(params, start: bool = False) -> tuple[list[Slot], int, int, list[str]]:
    """The slots, year and (timeline) start a link holds, and what must be quoted."""
    link = Link(params, SLOT_KEYS | ({"start"} if start else set()))
    year = link.year(link.value("year"))
    first = START_DEFAULT
    if start and (raw := link.value("start")) is not None:
        value = raw.strip()
        if len(value) == 4 and value.isascii() and value.isdigit() and FIRST <= int(value) < LATEST:
            first = int(value)
        else:
            link.must_name.append(f"start '{quoted(value)}'")
    slots, given = [], False
    for i in range(1, MAX_SLOTS + 1):
        raw, raw_framing = link.value(f"s{i}"), link.value(f"f{i}")
        raw_what_if = link.value(f"w{i}")
        if raw is None:
            if f"s{i}" in params:
                given = True
            else:
                for key, value in ((f"f{i}", raw_framing), (f"w{i}", raw_what_if)):
                    if value is not None:
                        link.must_name.append(f"'{key}' has no slot s{i}")
            continue
        given = True
        members, preset, unknown = link.members(raw)
        if not members and raw.strip():
            link.must_name.append(f"slot s{i}='{quoted(raw)}'")
            continue
        link.must_name += unknown
        default = PRESETS[preset].framing if preset else "alliance"
        framing = link.framing(raw_framing, default, f"framing f{i}=")
        edits = link.edits(raw_what_if, first if start else year, f"w{i}=")
        slots.append(Slot(members, framing, edits))
    if not slots:
        if given:
            link.must_name.append("no usable slot")
        slots = list(DEFAULT_SLOTS)
    return slots, year, first, link.must_name


def assert_quoted(must_name: list[str], warnings: list[str]) -> None:
    text = "\n".join(warnings)
    missing = [m for m in must_name if m not in text]
    assert not missing, (missing, warnings)


class FinderLink(Link):
    """The state a finder link asks for, and what a warning must quote, by the contract."""

    def __init__(self, params):
        super().__init__(params, FINDER_KEYS)
        self.must = self.must_name
        v = {k: self.value(k) for k in sorted(FINDER_KEYS)}
        self.size = self.sizes(v["size"])
        require = self.codes(v["require"]) if v["require"] is not None else {"USA"}
        exclude = self.codes(v["exclude"]) if v["exclude"] is not None else set()
        for c in sorted(require & exclude):
            self.must.append(c)
        self.exclude = tuple(sorted(exclude - require))
        self.require = tuple(sorted(require))
        if len(self.require) > self.size[1]:
            self.must.append("required members do not fit")
            self.require = self.require[: self.size[1]]
        self.regions = self.region_list(v["regions"])
        self.orgs = self.choice(
            v["orgs"],
            "orgs",
            lambda x: x.strip().lower() in TRUE + FALSE,
            lambda x: x.strip().lower() in TRUE,
            False,
        )
        self.top = self.choice(
            v["top"],
            "top",
            lambda x: (
                x.strip().isascii() and x.strip().isdigit() and 1 <= int(x.strip()) <= MAX_TOP
            ),
            lambda x: int(x),
            10,
        )
        self.method = self.choice(
            v["method"],
            "method",
            lambda x: x.strip().lower() in METHODS,
            lambda x: x.strip().lower(),
            "auto",
        )
        self.framing_used = self.framing(v["framing"], "alliance", "framing ")
        self.year_used = self.year(v["year"])

    def choice(self, raw, name, ok, convert, default):
        if raw is None:
            return default
        if ok(raw):
            return convert(raw)
        self.must.append(f"{name} '{quoted(raw)}'")
        return default

    def sizes(self, raw):
        if raw is None:
            return (4, 4)
        lo, sep, hi = raw.strip().partition("-")
        lo, hi = lo.strip(), (hi.strip() if sep else lo.strip())
        if (
            all(x.isascii() and x.isdigit() and len(x) <= 3 for x in (lo, hi))
            and 2 <= int(lo) <= int(hi) <= TOP_SIZE
        ):
            return (int(lo), int(hi))
        self.must.append(f"size '{quoted(raw)}'")
        return (4, 4)

    def codes(self, raw):
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        self.must.extend(repr(quoted(p)) for p in parts if p.upper() not in DS.codes)
        return {p.upper() for p in parts if p.upper() in DS.codes}

    def region_list(self, raw):
        found = set()
        for part in (raw or "").split(","):
            match = [r for r in REGIONS if r.lower() == part.strip().lower()]
            if match:
                found.add(match[0])
            elif part.strip():
                self.must.append(f"region '{quoted(part.strip())}'")
        return tuple(sorted(found))
