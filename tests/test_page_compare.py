"""The compare page through the app (AppTest): linked slots show the CLI's numbers, the
slot editors change them and the URL together, and bad links warn once and load the rest.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from apptest import COMPARE, address, open_page, unescaped
from streamlit.testing.v1 import AppTest

from model import Weights, beats_share, context, load_dataset, scenario, score, simulate
from tests.charts import charts
from ui.compare_explain import TIE_SPREAD
from ui.slots_state import CompareState, Slot, compare_params

ROOT = Path(__file__).resolve().parent.parent
DS = load_dataset()
LATEST = DS.latest_year
QUAD = Slot(("AUS", "IND", "JPN", "USA"), "dialogue")
SQUAD = Slot(("AUS", "JPN", "PHL", "USA"), "dialogue")
CAMP_DAVID = Slot(("JPN", "KOR", "USA"), "dialogue")
CAMP_DAVID_NAME = DS.presets["camp_david"].name
AUKUS = Slot(("AUS", "GBR", "USA"), "dialogue")
ASIAN = DS.presets["asian_nato"].members


@functools.cache
def cli(members: tuple[str, ...], framing: str, year: int) -> float | None:
    """The cohesion the CLI computes for the scenario."""
    return score(DS, scenario(DS, ",".join(members), framing, year)).cohesion


def shown(slot: Slot, year: int) -> str:
    value = cli(slot.members, slot.framing, year)
    return "—" if value is None else f"{value:.1f}"


def beats_caption(slot: Slot, first: Slot, year: int) -> str:
    """The odds as the page words them: the draws vary the judgements and the weights."""
    a = simulate(DS, slot.members, slot.framing, year, Weights(), 1000, 0, True)
    b = simulate(DS, first.members, first.framing, year, Weights(), 1000, 0, True)
    above = round(1000 * beats_share(a, b))
    if above in (0, 1000):
        return f"{'above' if above else 'below'} slot 1 in all 1,000 draws"
    return f"above slot 1 in {above:,} of 1,000 draws"


def table(at: AppTest, first: str):
    """The one table whose first column is ``first`` (the charts' tables hold others)."""
    (found,) = [d.value for d in at.dataframe if d.value.columns[0] == first]
    return found


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def slots(at: AppTest) -> list[Slot]:
    return list(at.session_state["cmp_state"].slots)


def assert_shows(at: AppTest, expected: list[Slot], year: int) -> None:
    """The page holds ``expected``, shows their CLI scores and has the canonical URL."""
    assert slots(at) == expected
    assert metrics(at) == [shown(s, year) for s in expected]
    assert address(at) == compare_params(CompareState(tuple(expected), year))


def warning_text(at: AppTest) -> str:
    assert len(at.warning) == 1, [w.value for w in at.warning]
    return at.warning[0].value.replace("\\", "")  # the markdown escapes of ui.text.plain


LINKED = [CAMP_DAVID, Slot(("AUS", "JPN", "KOR", "USA"), "alliance"), QUAD]


class TestLinks:
    @pytest.fixture(scope="class")
    def at(self) -> AppTest:
        return open_page(
            COMPARE, s1="camp_david", s2="USA,JPN,KOR,AUS", f2="alliance", s3="quad", year="2023"
        )

    def test_slots_show_the_clis_numbers(self, at):
        assert_shows(at, LINKED, 2023)
        # labels are markdown: a preset's name is escaped so that it shows as written
        assert [m.label for m in at.metric] == [
            r"1. US–Japan–South Korea \(Camp David\) · dialogue",
            "2. AUS, JPN, KOR, USA · alliance",
            "3. The Quad · dialogue",
        ]
        assert not at.warning

    def test_deltas_are_against_slot_1(self, at):
        base = cli(CAMP_DAVID.members, "dialogue", 2023)
        expected = [f"{cli(s.members, s.framing, 2023) - base:+.1f} vs slot 1" for s in LINKED[1:]]
        assert [m.delta for m in at.metric][1:] == expected
        assert not at.metric[0].delta

    def test_beats_slot_1_share_matches_the_model(self, at):
        captions = [c.value for c in at.caption if "slot 1 in " in c.value]
        assert [c.split(" · ")[-1] for c in captions] == [
            beats_caption(s, CAMP_DAVID, 2023) for s in LINKED[1:]
        ]

    def test_intervals_are_the_models(self, at):
        captions = [c.value for c in at.caption if c.value.startswith("90% interval")]
        expected = []
        for s in LINKED:
            iv = score(DS, scenario(DS, ",".join(s.members), s.framing, 2023), draws=1000).interval
            expected.append(f"90% interval {iv['p5']:.1f}–{iv['p95']:.1f}")
        assert [c.split(" · ")[0] for c in captions] == expected

    def test_member_and_pair_tables(self, at):
        members, pairs = table(at, "actor"), table(at, "pair")
        assert list(members.columns) == ["actor", "slot 1", "slot 2", "slot 3"]
        rows = members.set_index("actor")
        assert rows.loc["South Korea (KOR)"].tolist() == ["✓", "✓", ""]
        assert rows.loc["India (IND)"].tolist() == ["", "", "✓"]
        assert members["actor"].iloc[0].endswith("(JPN)")  # in all three, sorted first
        assert list(pairs.columns) == ["pair", "slot 1", "slot 2", "slot 3", TIE_SPREAD]
        assert "JPN–KOR" in pairs["pair"].tolist()
        assert pairs[TIE_SPREAD].is_monotonic_decreasing
        # a slot without the pair shows a blank, never "None"
        rows = pairs.set_index("pair")
        assert rows.loc["JPN–KOR"].tolist()[:3] == [
            f"{context(DS, 2023, s.framing).ties[DS.index('JPN'), DS.index('KOR')]:.2f}"
            if {"JPN", "KOR"} <= set(s.members)
            else ""
            for s in LINKED
        ]

    def test_charts_are_drawn(self, at):
        # why the two picked slots differ, the components, one network per slot
        assert len(charts(at)) == 1 + 1 + len(LINKED)

    def test_slots_framed_differently_are_flagged(self, at):
        (note,) = [unescaped(i.value) for i in at.info]
        assert note.startswith("The slots are framed differently: slot 1 (")
        assert "slot 2 (AUS, JPN, KOR, USA) as a mutual-defence alliance" in note
        assert "part of a gap between them comes from the framing" in note

    def test_slots_framed_alike_carry_no_note(self):
        at = open_page(COMPARE, s1="quad", s2="squad", year="2024")
        assert not at.info


def why_lines(at: AppTest) -> list[str]:
    """The "Why they differ" heading of the picked pair and its sentences, as read."""
    texts = [unescaped(m.value) for m in at.markdown]
    head = next(
        i for i, x in enumerate(texts) if re.fullmatch(r"\*\*Slot \d against slot \d\*\*", x)
    )
    return [texts[head].strip("*"), *texts[head + 1].removeprefix("- ").split("\n- ")]


class TestWhyTheyDiffer:
    """Quad, Squad and an Asian NATO, as the issue tried them."""

    @pytest.fixture(scope="class")
    def at(self) -> AppTest:
        return open_page(COMPARE, s1="quad", s2="squad", s3="asian_nato", year="2024")

    def test_it_opens_on_slot_2_against_slot_1(self, at):
        head, first, *_ = why_lines(at)
        assert head == "Slot 2 against slot 1"
        assert first.startswith("Slot 2 scores") and "than slot 1" in first

    def test_any_two_slots_can_be_picked(self, at):
        at.selectbox(key="cmp_why_base").set_value(1).run()
        at.selectbox(key="cmp_why_other").set_value(2).run()
        head, first, *rest = why_lines(at)
        assert head == "Slot 3 against slot 2"
        squad, nato = (
            cli(s, f, 2024) for s, f in ((SQUAD.members, "dialogue"), (ASIAN, "alliance"))
        )
        assert first == (
            f"Slot 3 scores {abs(nato - squad):.1f} points {'lower' if nato < squad else 'higher'}"
            f" than slot 2 ({nato:.1f} against {squad:.1f})."
        )
        # the one member only in slot 3 is named, and the framing is flagged for this pair
        member = next(x for x in rest if x.startswith("By member"))
        assert "South Korea, only in slot 3" in member
        assert any(x.startswith("Not like for like: slot 3 is framed as") for x in rest)
        # the picker cannot explain a slot against itself
        assert 1 not in at.selectbox(key="cmp_why_other").options

    def test_the_member_sentence_names_every_member_that_differs(self):
        at = open_page(COMPARE, s1="quad", s2="asian_nato", year="2024")
        member = next(x for x in why_lines(at) if x.startswith("By member"))
        for only in (
            "India, only in slot 1",
            "South Korea, only in slot 2",
            "Philippines, only in slot 2",
        ):
            assert only in member

    def test_a_pair_alike_in_every_slot_ranks_last(self):
        # all three as alliances: Japan–US holds the same tie in each
        at = open_page(
            COMPARE, s1="quad", f1="alliance", s2="squad", f2="alliance", s3="asian_nato"
        )
        pairs = table(at, "pair")
        alike = pairs[pairs[["slot 1", "slot 2", "slot 3"]].nunique(axis=1) == 1]
        assert len(alike) >= 1 and (alike[TIE_SPREAD] == 0).all()
        differ = pairs[pairs[TIE_SPREAD] > 0]["pair"].tolist()
        assert "JPN–USA" not in differ  # 0.82 in all three: shown after them, or cut
        # every pair alike in all slots comes after every pair that differs
        assert pairs["pair"].tolist()[-len(alike) :] == alike["pair"].tolist()
        assert pairs[TIE_SPREAD].is_monotonic_decreasing
        assert pairs[TIE_SPREAD].iloc[0] > 0
        assert not at.info  # framed alike: no note


class TestFromBuild:
    """The sidebar's "Compare" (an address without parameters) after the build page opens
    with the build page's scenario in slot 1; a link still wins."""

    def build_then_compare(self, **params) -> AppTest:
        at = open_page(None, members="asian_nato", framing="alliance", year="2021")
        at.query_params.clear()
        at.switch_page(COMPARE)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception
        return at

    def test_the_sidebars_compare_takes_the_build_scenario(self):
        at = self.build_then_compare()
        assert_shows(at, [Slot(ASIAN, "alliance"), QUAD], 2021)

    def test_a_link_wins_over_the_build_scenario(self):
        at = self.build_then_compare(s1="aukus", year="2020")
        assert_shows(at, [AUKUS], 2020)

    def test_no_link_opens_the_quad_and_the_squad(self):
        at = open_page(COMPARE)
        assert_shows(at, [QUAD, SQUAD], LATEST)
        assert not at.warning


class TestWidgets:
    """Each editor changes the slots, the scores and the URL together."""

    @pytest.fixture
    def at(self) -> AppTest:
        at = open_page(COMPARE, s1="camp_david", s2="USA,JPN", f2="alliance", year="2023")
        assert_shows(at, [CAMP_DAVID, Slot(("JPN", "USA"), "alliance")], 2023)
        return at

    def test_members(self, at):
        at.multiselect(key="cmp_m1").select("PHL").run()
        assert_shows(at, [CAMP_DAVID, Slot(("JPN", "PHL", "USA"), "alliance")], 2023)
        assert metrics(at)[1] != shown(Slot(("JPN", "USA"), "alliance"), 2023)

    def test_framing(self, at):
        at.segmented_control(key="cmp_f0").set_value("economic").run()
        assert_shows(
            at, [Slot(CAMP_DAVID.members, "economic"), Slot(("JPN", "USA"), "alliance")], 2023
        )
        # still the Camp David grouping, now framed as an economic bloc
        assert unescaped(at.metric[0].label) == f"1. {CAMP_DAVID_NAME} · economic"
        assert metrics(at)[0] != shown(CAMP_DAVID, 2023)

    def test_preset(self, at):
        at.selectbox(key="cmp_p0").set_value("aukus").run()
        assert_shows(at, [AUKUS, Slot(("JPN", "USA"), "alliance")], 2023)
        assert at.selectbox(key="cmp_p0").value is None  # ready to load another

    def test_year(self, at):
        at.slider(key="cmp_year").set_value(2010).run()
        assert_shows(at, [CAMP_DAVID, Slot(("JPN", "USA"), "alliance")], 2010)

    def test_add_copies_the_last_slot(self, at):
        at.button(key="cmp_add").click().run()
        assert_shows(
            at,
            [CAMP_DAVID, Slot(("JPN", "USA"), "alliance"), Slot(("JPN", "USA"), "alliance")],
            2023,
        )

    def test_remove_renumbers_and_keeps_one(self, at):
        at.button(key="cmp_rm0").click().run()
        assert_shows(at, [Slot(("JPN", "USA"), "alliance")], 2023)
        assert at.button(key="cmp_rm0").disabled

    def test_a_click_before_the_address_caught_up_keeps_the_click(self, at):
        opened = dict(at.query_params.items())
        at.multiselect(key="cmp_m1").select("PHL").run()
        for key, value in opened.items():  # the browser still shows the opening address
            at.query_params[key] = value
        at.slider(key="cmp_year").set_value(2010).run()
        assert_shows(at, [CAMP_DAVID, Slot(("JPN", "PHL", "USA"), "alliance")], 2010)

    def test_a_change_answers_the_links_warning(self):
        at = open_page(COMPARE, s1="quad", s2="XXX", s3="aukus")
        assert len(at.warning) == 1
        at.multiselect(key="cmp_m1").unselect("GBR").run()
        assert not at.warning
        assert_shows(at, [QUAD, Slot(("AUS", "USA"), "dialogue")], LATEST)


BAD_LINKS = [
    # (parameters, text the one warning must name, slots that load, year)
    ({"s1": "quad", "s2": "XXX", "s3": "aukus"}, "s2='XXX'", [QUAD, AUKUS], LATEST),
    (
        {"s1": "quad", "s2": "USA,JPN,XXX", "year": "2020"},
        "'XXX'",
        [QUAD, Slot(("JPN", "USA"), "alliance")],
        2020,
    ),
    ({"s1": "quad", "f1": "nato", "s2": "aukus"}, "nato", [QUAD, AUKUS], LATEST),
    ({"s1": "quad", "s2": "aukus", "year": "20x4"}, "20x4", [QUAD, AUKUS], LATEST),
    ({"s1": "quad", "s2": "aukus", "colour": "red"}, "colour", [QUAD, AUKUS], LATEST),
    ({"s1": ["squad", "quad"], "s2": "aukus"}, "given 2 times", [QUAD, AUKUS], LATEST),
    ({"s1": "quad", "s2": "x" * 401}, "'s2' is 401", [QUAD], LATEST),
    ({"s1": "quad", "f4": "alliance"}, "'f4' has no slot s4", [QUAD], LATEST),
    ({"s1": "XXX", "s2": "YYY"}, "no usable slot", [QUAD, SQUAD], LATEST),
]


class TestBadLinks:
    @pytest.mark.parametrize(
        ("params", "named", "expected", "year"),
        BAD_LINKS,
        ids=[
            "bad-slot",
            "unknown-code",
            "framing",
            "year",
            "unknown-param",
            "repeated",
            "oversized",
            "f-without-s",
            "all-bad",
        ],
    )
    def test_one_warning_names_it_and_the_rest_loads(self, params, named, expected, year):
        at = open_page(COMPARE, **params)
        assert named in warning_text(at)
        assert_shows(at, expected, year)

    @pytest.mark.parametrize(
        "value",
        [
            "<script>alert(1)</script>",
            "USA,<img src=x onerror=alert(1)>,JPN",
            "[x](javascript:alert(1))",
            ":red[boom]",
        ],
    )
    def test_injected_markup_is_shown_as_text(self, value):
        at = open_page(COMPARE, s1="quad", s2=value)
        raw = at.warning[0].value
        for special in ("<", ">", "[", "](", ":red["):
            if special in value:
                assert special not in raw.replace("\\" + special[0], "")
        assert len(at.warning) == 1
        assert not any("<" in m.label for m in at.metric)
        assert slots(at)[0] == QUAD
