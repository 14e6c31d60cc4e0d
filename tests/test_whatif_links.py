"""What-if edits in links and page state (ui/whatif_state.py, docs/architecture.md §5 and §6):
``what_if`` on Build and ``w1``..``w4`` per slot. Good edits load and are written back in
canonical form for the page's year; each bad edit is named in the warning; the rest of the
link loads.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from model import Edit, Scenario, WhatIfError, load_dataset, parse_what_if
from model.whatif import MAX_EDITS
from ui.build_state import BuildState, build_params, parse_build
from ui.slots_state import (
    Slot,
    at_year,
    compare_params,
    parse_compare,
    parse_timeline,
    timeline_params,
)
from ui.whatif_state import MAX_WHAT_IF_LENGTH, add_edit, restore_plus

DS = load_dataset()
LATEST = DS.latest_year
TRIO = ("JPN", "KOR", "USA")


def build(what_if: str, year: int = LATEST):
    return parse_build(DS, {"members": "JPN,KOR,USA", "year": str(year), "what_if": what_if})


# (what_if as linked, the canonical what_if written back, the quotes the warning must hold)
BUILD_LINKS = [
    ("-friction:kor-jpn", "-friction:JPN-KOR", []),
    (" -friction:KOR-JPN ; ; -sens:ind ", "-friction:JPN-KOR;-sens:IND", []),
    (" tie:JPN-KOR:fta:0.50", "+tie:JPN-KOR:fta:0.5", []),  # a '+' decoded as a space
    ("-sens:IND; sens:IND:framing:alliance:1", "-sens:IND;+sens:IND:framing:alliance:1", []),
    (f"-sens:IND@{LATEST}", "-sens:IND", []),  # the scenario's own year is not written
    ("-sens:IND@2030", "-sens:IND@2030", []),
    (
        "-sens:IND;+tie:JPN-JPN:fta:1;=threat:IND:XX:0.5",
        "-sens:IND",
        ["what-if edit '+tie:JPN-JPN:fta:1'", "what-if edit '=threat:IND:XX:0.5'"],
    ),
    ("tie:JPN-KOR:fta:0.5", None, ["what-if edit 'tie:JPN-KOR:fta:0.5'"]),  # no sign at all
    ("+tie:JPN-KOR:fta:2", None, ["'2' is out of range"]),
    ("<b>x</b>", None, ["what-if edit '<b>x</b>'"]),
    ("", None, []),
]


class TestBuildLinks:
    @pytest.mark.parametrize(("raw", "canonical", "named"), BUILD_LINKS)
    def test_good_edits_load_and_each_bad_one_is_named(self, raw, canonical, named):
        state, warnings = build(raw)
        assert build_params(state).get("what_if") == canonical
        assert state.members == TRIO and state.year == LATEST  # the rest of the link loads
        assert len(warnings) == len(named)
        for quote, warning in zip(named, warnings, strict=True):
            assert quote in warning

    @pytest.mark.parametrize(("raw", "canonical", "named"), BUILD_LINKS)
    def test_the_canonical_link_reads_back_with_no_warning(self, raw, canonical, named):
        state, _ = build(raw)
        again, warnings = parse_build(DS, build_params(state))
        assert (again, warnings) == (state, [])

    def test_more_than_twenty_edits_keep_the_first_twenty(self):
        state, warnings = build(";".join(["-sens:IND"] * (MAX_EDITS + 1)))
        assert len(state.what_if) == MAX_EDITS
        assert warnings == [
            f"what-if edit '-sens:IND': more than {MAX_EDITS} edits; the limit is {MAX_EDITS}"
        ]

    def test_an_oversized_what_if_is_refused_and_named(self):
        state, warnings = build("-sens:IND;" * (MAX_WHAT_IF_LENGTH // 10 + 1))
        assert state.what_if == ()
        assert warnings == [
            f"'what_if' is {MAX_WHAT_IF_LENGTH + 10} characters long (limit {MAX_WHAT_IF_LENGTH})"
        ]

    def test_twenty_long_edits_fit_in_a_link(self):
        edit = "+friction:JPN-KOR:military_confrontation:0.55@2030"
        state, warnings = build(";".join([edit] * MAX_EDITS))
        assert (len(state.what_if), warnings) == (MAX_EDITS, [])

    def test_the_edits_hold_from_the_links_year(self):
        """Read after the year, so an @YEAR equal to it is dropped whatever the order."""
        state, _ = parse_build(DS, {"what_if": "-sens:IND@2020", "members": "quad", "year": "2020"})
        assert state.what_if == parse_what_if("-sens:IND")


class TestBuildState:
    def test_edits_are_canonical_for_the_year_however_the_state_is_made(self):
        state = BuildState(TRIO, "alliance", 2020, what_if=(Edit("-sens", "IND", start=2020),))
        assert state.what_if == (Edit("-sens", "IND"),)

    def test_a_new_year_keeps_an_explicit_start_that_differs(self):
        state = BuildState(TRIO, "alliance", 2024, what_if=(Edit("-sens", "IND", start=2020),))
        assert replace(state, year=2022).what_if == (Edit("-sens", "IND", start=2020),)
        assert replace(state, year=2020).what_if == (Edit("-sens", "IND"),)


QUAD_KOR = ("AUS", "IND", "JPN", "KOR", "USA")


class TestAddEdit:
    def test_a_good_edit_is_added_in_canonical_form(self):
        edits = add_edit(DS, Scenario(QUAD_KOR, "alliance", 2024), "+tie:kor-jpn:FTA:0.50")
        assert edits == parse_what_if("+tie:JPN-KOR:fta:0.5")

    @pytest.mark.parametrize(
        ("before", "text", "what"),
        [
            ((), "+tie:JPN-JPN:fta:0.5", "two different actors"),
            ((), "+tie:USA-JPN:membership:0.5", "a membership ties a state to an organisation"),
            ((), "=threat:IND:XX:0.5", "unknown actor code 'XX'"),
            ((), "-sens:IND;-sens:JPN", "expected one change"),
            (parse_what_if("-sens:IND"), "-sens:ind", "already in the list"),
            (
                parse_what_if(";".join(f"-sens:IND@{2000 + i}" for i in range(MAX_EDITS))),
                "-sens:JPN",
                f"at most {MAX_EDITS} changes",
            ),
            ((), "-friction:AUS-IND", "would change nothing: Australia–India: every friction"),
            ((), "-tie:JPN-KOR:treaty_alliance", "no such row in force from 2024 on"),
        ],
    )
    def test_a_bad_edit_is_refused_with_a_reason(self, before, text, what):
        with pytest.raises(WhatIfError, match=what):
            add_edit(DS, Scenario(QUAD_KOR, "alliance", 2024, what_if=before), text)


# (link, slots' canonical w parameters, quotes the warning must hold)
SLOT_LINKS = [
    ({"s1": "quad", "s2": "quad", "w2": "-sens:IND"}, {"w2": "-sens:IND"}, []),
    ({"s1": "quad", "w1": "-sens:IND@2020", "year": "2020"}, {"w1": "-sens:IND"}, []),
    ({"s1": "quad", "w1": "-sens:IND@2020", "year": "2021"}, {"w1": "-sens:IND@2020"}, []),
    ({"s1": "quad", "w1": " tie:IND-USA:fta:0.4"}, {"w1": "+tie:IND-USA:fta:0.4"}, []),
    ({"s1": "quad", "w1": "-sens:IND;-sens:XX"}, {"w1": "-sens:IND"}, ["w1='-sens:XX'"]),
    ({"s1": "quad", "w3": "-sens:IND"}, {}, ["'w3' has no slot s3"]),
    ({"s1": "ZZZ", "w1": "-sens:XX", "s2": "quad"}, {}, ["slot s1='ZZZ'"]),  # left out whole
    ({"s1": "ZZZ", "s2": "quad", "w2": "-sens:IND"}, {"w1": "-sens:IND"}, ["slot s1='ZZZ'"]),
]


class TestSlotLinks:
    @pytest.mark.parametrize(("params", "written", "named"), SLOT_LINKS)
    def test_compare_links(self, params, written, named):
        state, warnings = parse_compare(DS, params)
        canonical = compare_params(state)
        assert {k: v for k, v in canonical.items() if k.startswith("w")} == written
        assert len(warnings) == len(named)
        for quote, warning in zip(named, warnings, strict=True):
            assert quote in warning
        assert parse_compare(DS, canonical) == (state, [])

    def test_a_slots_edits_are_its_own(self):
        state, _ = parse_compare(DS, {"s1": "quad", "s2": "quad", "w2": "-sens:IND"})
        assert [s.what_if for s in state.slots] == [(), parse_what_if("-sens:IND")]

    def test_on_the_timeline_edits_hold_from_its_first_year(self):
        state, warnings = parse_timeline(
            DS, {"s1": "quad", "w1": "-sens:IND@2010;-sens:JPN@2012", "start": "2010"}
        )
        assert warnings == []
        assert timeline_params(state)["w1"] == "-sens:IND;-sens:JPN@2012"
        assert parse_timeline(DS, timeline_params(state)) == (state, [])

    def test_at_year_makes_edits_canonical_for_a_new_year(self):
        slot = Slot(TRIO, "alliance", parse_what_if("-sens:IND@2020;-sens:JPN"))
        (moved,) = at_year([slot], 2020)
        assert moved.what_if == parse_what_if("-sens:IND;-sens:JPN")


@pytest.mark.parametrize(
    ("text", "restored"),
    [
        (" tie:A-B:fta:1", "+tie:A-B:fta:1"),
        ("-sens:IND;  friction:A-B:trade_dispute:1", "-sens:IND; +friction:A-B:trade_dispute:1"),
        (" SENS :IND:framing:alliance:1", "+SENS :IND:framing:alliance:1"),
        (" threat:IND:CHN:1", " threat:IND:CHN:1"),  # '=threat' has no '+' to lose
        ("tie:A-B:fta:1", "tie:A-B:fta:1"),  # nothing was lost: no space
        ("-tie:A-B; -sens:IND", "-tie:A-B; -sens:IND"),
    ],
)
def test_restore_plus(text, restored):
    assert restore_plus(text) == restored
