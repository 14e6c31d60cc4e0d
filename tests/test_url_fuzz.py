"""URL fuzzing (DESIGN section 6): generated query strings through the link parsers
(hypothesis, thousands) and through the pages (AppTest, a few hundred from a seeded
generator). Nothing raises; every value that is ignored is quoted in a warning; the rest of
the link is used; and the canonical link a page writes opens the same view with no warning.

The rules the checks apply are the links' contract, written out independently of the
parser: a preset id or comma-separated codes (any case, blanks ignored), a framing in any
case, a year from the data's range, weights from 0 to 10, the last of repeated values.
"""

from __future__ import annotations

import math
import random
import re

import pytest
from apptest import APP
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from model import Weights, load_dataset
from model.cohesion import COMPONENTS
from model.scenario import MAX_MEMBERS
from model.schema import FRAMINGS
from ui.cache import DEFAULT_START, start_year
from ui.state import (
    MAX_PARAM_LENGTH,
    MAX_SLOTS,
    BuildState,
    Slot,
    build_params,
    parse_build,
    parse_slots,
    single_param,
    slots_params,
)
from ui.text import WORD_JOINER

DS = load_dataset()
CODES, PRESETS = DS.codes, DS.presets
FIRST, LATEST = DS.earliest_year, DS.latest_year
WEIGHT_KEYS = {f"w_{c}": c for c in COMPONENTS}
BUILD_KEYS = {"members", "framing", "year", *WEIGHT_KEYS}
SLOT_KEYS = {"year", *(f"{p}{i}" for p in "sf" for i in range(1, MAX_SLOTS + 1))}
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
        if value is not None and len(value) > MAX_PARAM_LENGTH:
            self.must_name.append(f"'{key}' is {len(value)} characters long")
            return None
        return value

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
    return BuildState(members, framing, year, link.weights()), link.must_name


def expected_slots(params, start: bool = False) -> tuple[list[Slot], int, int, list[str]]:
    """The slots, year and (timeline) start a link holds, and what must be quoted."""
    link = Link(params, SLOT_KEYS | ({"start"} if start else set()))
    slots, given = [], False
    for i in range(1, MAX_SLOTS + 1):
        raw, raw_framing = link.value(f"s{i}"), link.value(f"f{i}")
        if raw is None:
            if f"s{i}" in params:
                given = True
            elif raw_framing is not None:
                link.must_name.append(f"'f{i}' has no slot s{i}")
            continue
        given = True
        members, preset, unknown = link.members(raw)
        if not members and raw.strip():
            link.must_name.append(f"slot s{i}='{quoted(raw)}'")
            continue
        link.must_name += unknown
        default = PRESETS[preset].framing if preset else "alliance"
        slots.append(Slot(members, link.framing(raw_framing, default, f"framing f{i}=")))
    if not slots:
        if given:
            link.must_name.append("no usable slot")
        slots = list(DEFAULT_SLOTS)
    year = link.year(link.value("year"))
    first = START_DEFAULT
    if start and (raw := link.value("start")) is not None:
        value = raw.strip()
        if len(value) == 4 and value.isascii() and value.isdigit() and FIRST <= int(value) < LATEST:
            first = int(value)
        else:
            link.must_name.append(f"start '{quoted(value)}'")
    return slots, year, first, link.must_name


# --------------------------------------------------------------------------- generators

# Values come from pools of telling cases (drawing an index is cheap, so thousands of links
# run in seconds) or are any text at all; keys are the page's own, near misses, or odd.
ODD = [
    "",
    " ",
    "\t",
    "\x00",
    "\u202e",
    "🙂",
    "%2C",
    "&#106;",
    "<b>x</b>",
    "[x](javascript:1)",
    ":red[x]",
    "$x$",
    "\\",
    "'",
    '"',
    "NaN",
    "None",
    "https://evil.example/x",
    "www.evil.example",
    "me@evil.example",
    "a" * (MAX_PARAM_LENGTH + 1),
]
_rng = random.Random(0)
_CODE_LIKE = [
    *CODES,
    *(f" {c.lower()} " for c in CODES),
    "XX",
    "ZZZ",
    "ＵＳＡ",
    "ıdn",
    "EUR",
    "usa\x00",
    "U SA",
    *ODD,
]
POOLS = {
    "members": [
        *PRESETS,
        *(f" {p.upper()} " for p in PRESETS),
        "USA," * 120,
        *ODD,
        *(
            _rng.choice([",", ", ", ",,", ";", "|", "，"]).join(
                _rng.choices(_CODE_LIKE, k=_rng.randint(0, 6))
            )
            for _ in range(300)
        ),
    ],
    "framing": [*FRAMINGS, " ALLIANCE\t", "Economic", "alliances", "ALLİANCE", "a,b", *ODD],
    "year": [
        *(str(y) for y in range(FIRST - 3, LATEST + 4)),
        " 2020 ",
        "2024.0",
        "２０２４",
        "1e3",
        "-2000",
        "0x7e8",
        "2_024",
        "9" * 399,
        str(10**300),
        *ODD,
    ],
    "weight": [
        "0",
        "-0",
        "0.25",
        "2",
        "10",
        "10.000001",
        "nan",
        "inf",
        "-1",
        "1e400",
        "1_0",
        "٣",
        "0x1p-2",
        " 3 ",
        "1e-320",
        *(repr(_rng.uniform(-2, 12)) for _ in range(40)),
        *ODD,
    ],
    "other": ODD,
}
OTHER_KEYS = [
    "Members",
    "s5",
    "f0",
    "yr",
    "<b>x</b>",
    "s1 ",
    "w_ties2",
    "",
    "utm_source",
    "embed",
    "embed_options",
    "utm_x\x00",
]


def query(kinds: dict[str, str]) -> st.SearchStrategy[dict]:
    """A query string as a page sees it: pairs in order, a repeated key becomes a list."""
    keys = [*kinds.items(), *((k, "other") for k in OTHER_KEYS)]
    pair = st.tuples(st.integers(0, len(keys)), st.one_of(st.integers(0, 999), st.text(max_size=8)))

    def grouped(pairs: list[tuple[int, int | str]]) -> dict[str, str | list[str]]:
        params: dict[str, list[str]] = {}
        for i, value in pairs:
            if i == len(keys):  # any text as a key
                key, value = str(value), "1"
            else:
                key, kind = keys[i]
                if isinstance(value, int):
                    value = POOLS[kind][value % len(POOLS[kind])]
            params.setdefault(key, []).append(value)
        # a single value comes as a string or as a list of one, as either may reach a page
        return {k: v[0] if len(v) == 1 and len(k) % 2 else v for k, v in params.items()}

    return st.lists(pair, max_size=7).map(grouped)


BUILD_KINDS = {"members": "members", "framing": "framing", "year": "year"} | dict.fromkeys(
    WEIGHT_KEYS, "weight"
)
SLOT_KINDS = (
    {f"s{i}": "members" for i in range(1, MAX_SLOTS + 1)}
    | {f"f{i}": "framing" for i in range(1, MAX_SLOTS + 1)}
    | {"year": "year"}
)
BUILD_QUERY = query(BUILD_KINDS)
SLOTS_QUERY = query(SLOT_KINDS)
TIMELINE_QUERY = query(SLOT_KINDS | {"start": "year"})
FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_quoted(must_name: list[str], warnings: list[str]) -> None:
    text = "\n".join(warnings)
    missing = [m for m in must_name if m not in text]
    assert not missing, (missing, warnings)


# --------------------------------------------------------------------------- the parsers


class TestParsers:
    @FUZZ
    @given(BUILD_QUERY)
    def test_build_links(self, params):
        note(f"params: {params!r}")
        state, warnings = parse_build(DS, params)
        expected, must_name = expected_build(params)
        assert state == expected
        assert_quoted(must_name, warnings)
        assert bool(warnings) == bool(must_name)
        # the canonical link opens the same scenario, with no warning
        canonical = build_params(state)
        again, none = parse_build(DS, canonical)
        assert none == [] and build_params(again) == canonical
        assert again.members == state.members and again.framing == state.framing
        assert again.year == state.year

    @FUZZ
    @given(SLOTS_QUERY)
    def test_compare_links(self, params):
        note(f"params: {params!r}")
        slots, year, warnings = parse_slots(DS, params)
        expected, expected_year, _, must_name = expected_slots(params)
        assert (slots, year) == (expected, expected_year)
        assert_quoted(must_name, warnings)
        assert bool(warnings) == bool(must_name)
        assert parse_slots(DS, slots_params(slots, year)) == (slots, year, [])

    @settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(TIMELINE_QUERY)
    def test_timeline_links(self, params):
        note(f"params: {params!r}")
        slots, _, warnings = parse_slots(DS, params, extra=("start",))
        start, start_warnings = start_year(DS, single_param(params, "start", warnings))
        expected, _, expected_start, must_name = expected_slots(params, start=True)
        assert (slots, start) == (expected, expected_start)
        assert_quoted(must_name, warnings + start_warnings)
        assert bool(warnings + start_warnings) == bool(must_name)
        canonical = {**slots_params(slots, LATEST), "start": str(start)}
        del canonical["year"]  # the timeline shows every year
        assert parse_slots(DS, canonical, extra=("start",)) == (slots, LATEST, [])
        assert start_year(DS, canonical["start"]) == (start, [])


# --------------------------------------------------------------------------- the pages


def random_query(rng: random.Random, kinds: dict[str, str]) -> dict[str, str | list[str]]:
    """A link for a page: each parameter there half the time, now and then repeated."""
    params: dict[str, str | list[str]] = {}
    for key, kind in kinds.items():
        if rng.random() < 0.5:
            values = rng.choices(POOLS[kind], k=1 if rng.random() < 0.85 else rng.randint(2, 3))
            params[key] = values[0] if len(values) == 1 else values
    if rng.random() < 0.2:
        params[rng.choice(OTHER_KEYS)] = rng.choice(ODD)
    return params


def open_page(view: str | None, params: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if view is not None:
        at.switch_page(view)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (params, [e.value for e in at.exception])
    return at


def shown_warning(at: AppTest) -> str:
    """The page's one link warning as the reader sees it (markdown escapes removed)."""
    texts = [w.value for w in at.warning if w.value.startswith("Parts of this link")]
    assert len(texts) <= 1, texts
    # the invisible word joiner keeps a bare address in the text from becoming a link
    return re.sub(r"\\(.)", r"\1", texts[0]).replace(WORD_JOINER, "") if texts else ""


def the_url(at: AppTest) -> dict[str, str]:
    return {k: v for k, v in at.query_params.items() if not k.startswith(("embed", "utm_"))}


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_page_warns(at: AppTest, must_name: list[str], warnings: list[str]) -> None:
    """One warning holding the parser's warnings, quoting every ignored value."""
    shown = shown_warning(at)
    if not warnings:
        assert shown == ""
        return
    assert shown == collapse("Parts of this link were ignored: " + "; ".join(warnings) + ".")
    assert_quoted([collapse(m) for m in must_name], [shown])


def cases(seed: int, n: int, kinds: dict[str, str]) -> list[dict]:
    rng = random.Random(seed)
    return [random_query(rng, kinds) for _ in range(n)]


@pytest.mark.parametrize("batch", range(6))
def test_build_page_links(batch):
    for params in cases(1000 + batch, 25, BUILD_KINDS):
        at = open_page(None, params)
        state, warnings = parse_build(DS, params)
        expected, must_name = expected_build(params)
        assert at.session_state["build_state"] == state == expected, params
        assert_page_warns(at, must_name, warnings)
        assert the_url(at) == build_params(state), params


@pytest.mark.parametrize("batch", range(4))
def test_compare_page_links(batch):
    for params in cases(2000 + batch, 25, SLOT_KINDS):
        at = open_page("views/compare.py", params)
        slots, year, warnings = parse_slots(DS, params)
        assert (at.session_state["cmp_slots"], at.session_state["cmp_yr"]) == (slots, year)
        assert_page_warns(at, expected_slots(params)[3], warnings)
        assert the_url(at) == slots_params(slots, year), params


@pytest.mark.parametrize("batch", range(2))
def test_timeline_page_links(batch):
    for params in cases(3000 + batch, 25, SLOT_KINDS | {"start": "year"}):
        at = open_page("views/timeline.py", params)
        slots, _, warnings = parse_slots(DS, params, extra=("start",))
        start, start_warnings = start_year(DS, single_param(params, "start", warnings))
        assert at.session_state["tl_slots"] == slots
        expected, _, expected_start, must_name = expected_slots(params, start=True)
        assert (slots, start) == (expected, expected_start)
        assert_page_warns(at, must_name, warnings + start_warnings)
        expected_url = {**slots_params(slots, LATEST), "start": str(start)}
        expected_url.pop("year")
        if start == DEFAULT_START:
            expected_url.pop("start")
        assert the_url(at) == expected_url, params
