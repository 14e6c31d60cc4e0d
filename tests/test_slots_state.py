"""The compare and timeline pages' URL state as pure functions (ui/slots_state.py,
docs/architecture.md
§6): slots, the compare page's year and the timeline's ``start``.

A link is parsed leniently (a bad slot is named and left out, the good ones load) and
written canonically (s1..sN with f1..fN and the shared year); a canonical link parses
back to the same slots.
"""

from __future__ import annotations

import pytest
from builders import dataset, tie
from hypothesis import given, settings
from hypothesis import strategies as st

from model import load_dataset
from model.schema import FRAMINGS
from ui.params import MAX_PARAM_LENGTH
from ui.slots_state import (
    DEFAULT_START,
    MAX_SLOTS,
    CompareState,
    Slot,
    TimelineState,
    compare_params,
    parse_compare,
    parse_timeline,
    timeline_params,
)

DS = load_dataset()
LATEST = DS.latest_year
QUAD = Slot(("AUS", "IND", "JPN", "USA"), "dialogue")
SQUAD = Slot(("AUS", "JPN", "PHL", "USA"), "dialogue")
AUKUS = ("AUS", "GBR", "USA")
DEFAULTS = [QUAD, SQUAD]


def parse(params):
    """The compare page's reading of a link: (slots, year, warnings)."""
    state, warnings = parse_compare(DS, params)
    return list(state.slots), state.year, warnings


def slots_params(slots, year):
    return compare_params(CompareState(tuple(slots), year))


def start_year(ds, raw):
    """The timeline's first year from a link holding ``start=raw``, and its warnings."""
    state, warnings = parse_timeline(ds, {} if raw is None else {"start": raw})
    return state.start, warnings


# (parameters, slots that load, year, fragments that the warnings must contain)
LINKS = [
    ({"s1": "quad"}, [QUAD], LATEST, []),
    ({"s1": "QUAD "}, [QUAD], LATEST, []),
    ({"s1": "aukus", "s2": "squad"}, [Slot(AUKUS, "dialogue"), SQUAD], LATEST, []),
    ({"s1": "aukus", "f1": "alliance"}, [Slot(AUKUS, "alliance")], LATEST, []),
    ({"s1": "usa, jpn ,KOR", "year": "2010"}, [Slot(("JPN", "KOR", "USA"), "alliance")], 2010, []),
    ({"s1": "USA,JPN,USA", "f1": " Economic"}, [Slot(("JPN", "USA"), "economic")], LATEST, []),
    ({"s1": "USA"}, [Slot(("USA",), "alliance")], LATEST, []),
    (
        {"s1": "quad", "s2": "USA,JPN", "s3": "aukus", "s4": "squad", "f2": "dialogue"},
        [QUAD, Slot(("JPN", "USA"), "dialogue"), Slot(AUKUS, "dialogue"), SQUAD],
        LATEST,
        [],
    ),
    ({"s2": "quad", "f2": "economic"}, [Slot(QUAD.members, "economic")], LATEST, []),
    # bad framing: named, the slot keeps its preset's framing (or alliance)
    ({"s1": "quad", "f1": "nato"}, [QUAD], LATEST, ["f1='nato'", "used dialogue"]),
    (
        {"s1": "USA,JPN", "f1": "x"},
        [Slot(("JPN", "USA"), "alliance")],
        LATEST,
        ["f1='x'", "used alliance"],
    ),
    # a bad slot is named and left out; the good ones load
    (
        {"s1": "quad", "s2": "XXX,YYY", "s3": "aukus"},
        [QUAD, Slot(AUKUS, "dialogue")],
        LATEST,
        ["s2='XXX,YYY'", "left out"],
    ),
    # an emptied slot is kept (the page writes s1= when all its members are removed)
    ({"s1": "", "s2": "quad"}, [Slot((), "alliance"), QUAD], LATEST, []),
    # unknown codes in a slot: named, the rest of it loads
    (
        {"s1": "USA,JPN,XXX", "s2": "quad"},
        [Slot(("JPN", "USA"), "alliance"), QUAD],
        LATEST,
        ["unknown code(s) in 's1': 'XXX'"],
    ),
    ({"s1": "quad", "f3": "alliance"}, [QUAD], LATEST, ["'f3' has no slot s3"]),
    # repeated: the last counts, and the warning says so
    ({"s1": ["USA,JPN", "quad"]}, [QUAD], LATEST, ["'s1' was given 2 times"]),
    ({"s1": "quad", "year": ["2010", "2020"]}, [QUAD], 2020, ["'year' was given 2 times"]),
    # oversized
    ({"s1": "quad", "s2": "USA," * 101}, [QUAD], LATEST, ["'s2' is 404 characters"]),
    ({"s1": "quad", "f1": "x" * 401}, [QUAD], LATEST, ["'f1' is 401 characters"]),
    ({"s1": "quad", "year": "2" * 401}, [QUAD], LATEST, ["'year' is 401 characters"]),
    # years
    ({"s1": "quad", "year": "20x4"}, [QUAD], LATEST, ["year '20x4'", f"used {LATEST}"]),
    ({"s1": "quad", "year": "1800"}, [QUAD], LATEST, ["year '1800'"]),
    # no slots, or none usable
    ({}, DEFAULTS, LATEST, []),
    ({"year": "2015"}, DEFAULTS, 2015, []),
    (
        {"s1": "XXX", "s2": "<b>"},
        DEFAULTS,
        LATEST,
        ["s1='XXX'", "s2='<b>'", "no usable slot; showing the Quad and the Squad"],
    ),
    # unknown and host parameters
    (
        {"s1": "quad", "colour": "red", "s5": "aukus"},
        [QUAD],
        LATEST,
        ["unknown parameter(s) 'colour', 's5'"],
    ),
    ({"s1": "quad", "start": "2000"}, [QUAD], LATEST, ["unknown parameter(s) 'start'"]),
    (
        {"s1": "quad", "embed": "true", "embed_options": "x", "utm_source": "mail"},
        [QUAD],
        LATEST,
        [],
    ),
]
IDS = [
    "preset",
    "preset-case-space",
    "two-presets",
    "preset-with-framing",
    "codes-and-year",
    "repeated-code-framing-case",
    "one-member",
    "four-slots",
    "gap-in-numbering",
    "bad-framing-preset",
    "bad-framing-codes",
    "bad-slot",
    "empty-slot",
    "unknown-code",
    "f-without-s",
    "repeated-slot",
    "repeated-year",
    "oversized-slot",
    "oversized-framing",
    "oversized-year",
    "year-letters",
    "year-too-early",
    "no-slots",
    "year-only",
    "all-bad",
    "unknown-params",
    "extra-not-declared",
    "host-params",
]


class TestParseSlots:
    @pytest.mark.parametrize(("params", "slots", "year", "named"), LINKS, ids=IDS)
    def test_link(self, params, slots, year, named):
        got_slots, got_year, warnings = parse(params)
        assert (got_slots, got_year) == (slots, year)
        text = "; ".join(warnings)
        for fragment in named:
            assert fragment in text
        assert bool(warnings) == bool(named)

    def test_each_problem_is_one_warning(self):
        _, _, warnings = parse({"s1": "USA,XXX", "f1": "nato", "s2": "YYY", "year": "x"})
        assert len(warnings) == 4

    def test_values_may_be_lists_of_one(self):
        assert parse({"s1": ["quad"], "f1": ["economic"], "year": ["2015"]}) == (
            [Slot(QUAD.members, "economic")],
            2015,
            [],
        )

    def test_the_timeline_reads_start_and_a_compare_links_year_silently(self):
        state, warnings = parse_timeline(DS, {"s1": "quad", "start": "2000", "year": "2010"})
        assert (state, warnings) == (TimelineState((QUAD,), 2000), [])
        assert timeline_params(state) == {
            "s1": "AUS,IND,JPN,USA",
            "f1": "dialogue",
            "start": "2000",
        }

    def test_the_timeline_names_a_bad_year_although_it_shows_every_year(self):
        _, warnings = parse_timeline(DS, {"s1": "quad", "year": "20x4"})
        assert len(warnings) == 1 and "year '20x4'" in warnings[0]

    def test_warnings_quote_values_on_one_line_and_clipped(self):
        _, _, warnings = parse({"s1": "quad", "s2": "a\nb" + "z" * 100})
        assert len(warnings) == 1 and "\n" not in warnings[0]
        assert "a\\nb" in warnings[0] and "..." in warnings[0]
        assert len(warnings[0]) < 100

    def test_an_oversized_slot_is_one_warning_even_with_its_framing(self):
        slots, _, warnings = parse({"s1": "quad", "s2": "USA," * 101, "f2": "alliance"})
        assert slots == [QUAD]
        assert len(warnings) == 1 and "'s2' is 404 characters" in warnings[0]


class TestSlotsParams:
    def test_canonical_form(self):
        assert slots_params([QUAD, Slot(AUKUS, "alliance")], 2020) == {
            "s1": "AUS,IND,JPN,USA",
            "f1": "dialogue",
            "s2": "AUS,GBR,USA",
            "f2": "alliance",
            "year": "2020",
        }

    def test_a_gap_is_renumbered(self):
        slots, year, _ = parse({"s1": "quad", "s3": "aukus", "f3": "alliance", "year": "2020"})
        assert slots_params(slots, year) == {
            "s1": "AUS,IND,JPN,USA",
            "f1": "dialogue",
            "s2": "AUS,GBR,USA",
            "f2": "alliance",
            "year": "2020",
        }

    def test_a_dropped_slot_renumbers_the_rest(self):
        slots, year, _ = parse({"s1": "XXX", "s2": "quad", "s4": "squad", "year": "2020"})
        assert list(slots_params(slots, year)) == ["s1", "f1", "s2", "f2", "year"]

    def test_at_most_four_slots_are_written(self):
        params = slots_params([QUAD] * (MAX_SLOTS + 1), 2020)
        assert sorted(k for k in params if k.startswith("s")) == ["s1", "s2", "s3", "s4"]

    def test_an_emptied_slot_survives_its_canonical_link(self):
        slots = [Slot((), "alliance"), QUAD]
        assert parse(slots_params(slots, 2020)) == (slots, 2020, [])


slot_strategy = st.builds(
    Slot,
    st.lists(st.sampled_from(DS.codes), min_size=1, max_size=8, unique=True).map(
        lambda codes: tuple(sorted(codes))
    ),
    st.sampled_from(FRAMINGS),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(slot_strategy, min_size=1, max_size=MAX_SLOTS),
    st.integers(DS.earliest_year, LATEST),
    st.booleans(),
)
def test_canonical_link_round_trips(slots, year, as_lists):
    params = slots_params(slots, year)
    assert all(len(v) <= MAX_PARAM_LENGTH for v in params.values())
    if as_lists:  # how st.query_params.get_all hands them over
        params = {k: [v] for k, v in params.items()}
    assert parse(params) == (slots, year, [])


class TestStartYear:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (None, DEFAULT_START),
            ("2000", 2000),
            (" 2000 ", 2000),
            (str(DS.earliest_year), DS.earliest_year),
            (str(LATEST - 1), LATEST - 1),
        ],
    )
    def test_valid(self, raw, expected):
        assert start_year(DS, raw) == (expected, [])

    @pytest.mark.parametrize(
        "raw",
        [
            str(LATEST),  # the slider ends a year before the data: one year is no timeline
            str(DS.earliest_year - 1),
            "1800",
            "2999",
            "",
            "abc",
            "20x4",
            "-2000",
            "2000.0",
            "２０００",
            "9" * 20,
        ],
        ids=[
            "latest",
            "before-data",
            "1800",
            "2999",
            "empty",
            "letters",
            "mixed",
            "negative",
            "decimal",
            "fullwidth-digits",
            "huge",
        ],
    )
    def test_out_of_range_or_junk_warns_and_uses_the_default(self, raw):
        start, warnings = start_year(DS, raw)
        assert start == DEFAULT_START
        assert len(warnings) == 1
        assert warnings[0].startswith("start '")
        assert f"from {DS.earliest_year} to {LATEST - 1}; used {DEFAULT_START}" in warnings[0]
        assert len(warnings[0]) < 120

    def test_the_default_is_the_datas_first_year_when_that_is_later(self):
        ds = dataset(ties=[tie("AAA", "BBB", 0.5, since=2005), tie("AAA", "CCC", 0.5, since=2010)])
        assert start_year(ds, None) == (2005, [])
        assert start_year(ds, "1990")[0] == 2005

    def test_an_oversized_start_is_named_and_the_default_used(self):
        start, warnings = start_year(DS, "1" * 401)
        assert start == DEFAULT_START
        assert warnings == [f"'start' is 401 characters long (limit {MAX_PARAM_LENGTH})"]

    def test_a_default_start_is_left_out_of_the_link(self):
        state = TimelineState((QUAD,), DEFAULT_START)
        assert "start" not in timeline_params(state)
        assert parse_timeline(DS, timeline_params(state)) == (state, [])
