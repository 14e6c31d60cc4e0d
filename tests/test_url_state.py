"""The build page's URL-state contract (docs/architecture.md §6) as pure functions:
ui/build_state.py on ui/params.py, and ui/text.py.

A link is parsed leniently (what cannot be used is named in one warning each, the rest
loads) and written canonically; a canonical link parses back to the same scenario.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import Weights, load_dataset
from model.scenario import MAX_MEMBERS
from model.schema import FRAMINGS
from ui.build_state import BuildState, build_params, parse_build, selected_code, toggle_member
from ui.params import MAX_PARAM_LENGTH
from ui.text import WORD_JOINER, plain

DS = load_dataset()
LATEST = DS.latest_year
QUAD = ("AUS", "IND", "JPN", "USA")
POSITIVE = ("ties", "connectivity", "lattice", "threat")


def parse(**params):
    return parse_build(DS, params)


class TestParseValidLinks:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            (
                {"members": "USA,JPN,KOR", "framing": "alliance", "year": "2024"},
                BuildState(("JPN", "KOR", "USA"), "alliance", 2024),
            ),
            (
                {"members": "KOR,USA,JPN,USA", "framing": "economic", "year": "2010"},
                BuildState(("JPN", "KOR", "USA"), "economic", 2010),
            ),
            (
                {"members": "usa, jpn ,Kor", "framing": "Dialogue", "year": " 2020 "},
                BuildState(("JPN", "KOR", "USA"), "dialogue", 2020),
            ),
            ({"members": "USA,JPN"}, BuildState(("JPN", "USA"), "alliance", LATEST)),
            (
                {"members": "USA,JPN", "year": str(DS.earliest_year)},
                BuildState(("JPN", "USA"), "alliance", DS.earliest_year),
            ),
            (
                {"members": "USA,JPN", "w_friction": "1", "w_ties": "0"},
                BuildState(("JPN", "USA"), "alliance", LATEST, Weights(ties=0.0, friction=1.0)),
            ),
            (
                {"members": "USA,JPN", "w_threat": "10", "w_sensitivity": "0"},
                BuildState(
                    ("JPN", "USA"), "alliance", LATEST, Weights(threat=10.0, sensitivity=0.0)
                ),
            ),
        ],
        ids=[
            "canonical",
            "unsorted-repeated",
            "lower-case-and-spaces",
            "defaults",
            "earliest-year",
            "weights",
            "weight-bounds",
        ],
    )
    def test_link_gives_scenario_without_warnings(self, params, expected):
        assert parse(**params) == (expected, [])

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"members": "quad"}, BuildState(QUAD, "dialogue", LATEST)),
            ({"members": "QUAD"}, BuildState(QUAD, "dialogue", LATEST)),
            (
                {"members": "quad", "framing": "alliance", "year": "2022"},
                BuildState(QUAD, "alliance", 2022),
            ),
            ({"members": "crink"}, BuildState(("CHN", "IRN", "PRK", "RUS"), "alliance", LATEST)),
            (
                {"members": "g7", "framing": "dialogue"},
                BuildState(("CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "USA"), "dialogue", LATEST),
            ),
        ],
        ids=[
            "preset",
            "preset-upper-case",
            "preset-with-framing",
            "preset-alliance",
            "preset-framing-overridden",
        ],
    )
    def test_preset_id_takes_its_framing_unless_given(self, params, expected):
        assert parse(**params) == (expected, [])

    def test_missing_members_opens_the_quad(self):
        assert parse() == (BuildState(QUAD, "dialogue", LATEST), [])

    def test_empty_members_is_an_empty_group(self):
        assert parse(members="") == (BuildState((), "alliance", LATEST), [])

    @pytest.mark.parametrize(
        "params",
        [
            {"embed": "true"},
            {"embed": "true", "embed_options": "dark_theme"},
            {"utm_source": "newsletter", "utm_campaign": "x"},
        ],
    )
    def test_host_parameters_are_ignored_silently(self, params):
        assert parse(members="USA,JPN", **params) == (
            BuildState(("JPN", "USA"), "alliance", LATEST),
            [],
        )


class TestParseBadLinks:
    """Each bad value gives one warning naming it; the rest of the scenario still loads."""

    @pytest.mark.parametrize(
        ("members", "kept", "named"),
        [
            ("USA,XXX,JPN", ("JPN", "USA"), ["'XXX'"]),
            ("usa,foo,bar,jpn", ("JPN", "USA"), ["'foo'", "'bar'"]),
            ("USA,,JPN,", ("JPN", "USA"), []),
            ("quad,KOR", ("KOR",), ["'quad'"]),
            ("<script>,USA", ("USA",), ["'<script>'"]),
            ("[x](javascript:alert(1))", (), ["'[x](javascript:alert(1))'"]),
        ],
        ids=["one-unknown", "two-unknown", "empty-parts", "preset-in-a-list", "html", "md"],
    )
    def test_unknown_codes_are_named_and_the_rest_kept(self, members, kept, named):
        state, warnings = parse(members=members, framing="economic", year="2020")
        assert state == BuildState(kept, "economic", 2020)
        if not named:
            assert warnings == []
            return
        assert len(warnings) == 1
        assert "unknown code" in warnings[0]
        for name in named:
            assert name in warnings[0]
        for code in kept:
            assert code not in warnings[0]

    def test_long_unknown_code_is_clipped_in_the_warning(self):
        state, warnings = parse(members="USA," + "Z" * 100)
        assert state.members == ("USA",)
        assert len(warnings) == 1 and "Z" * 37 + "..." in warnings[0]
        assert "Z" * 41 not in warnings[0]

    @pytest.mark.parametrize("framing", ["nato", "", "alliance;drop", "<b>x</b>"])
    def test_bad_framing_is_named_and_the_default_used(self, framing):
        state, warnings = parse(members="USA,JPN", framing=framing, year="2020")
        assert state == BuildState(("JPN", "USA"), "alliance", 2020)
        assert len(warnings) == 1
        assert f"framing '{framing}'" in warnings[0]

    def test_bad_framing_with_a_preset_keeps_the_presets_framing(self):
        state, warnings = parse(members="quad", framing="nato")
        assert state == BuildState(QUAD, "dialogue", LATEST)
        assert len(warnings) == 1 and "'nato'" in warnings[0]

    @pytest.mark.parametrize(
        "year",
        ["20x4", "1800", str(LATEST + 1), "3000", "", "-2024", "2024.0", "２０２４"],
        ids=[
            "letter",
            "too-early",
            "after-the-data",
            "far-future",
            "empty",
            "negative",
            "decimal",
            "full-width-digits",
        ],
    )
    def test_bad_year_is_named_and_the_latest_used(self, year):
        state, warnings = parse(members="USA,JPN", framing="dialogue", year=year)
        assert state == BuildState(("JPN", "USA"), "dialogue", LATEST)
        assert len(warnings) == 1
        assert f"year '{year}'" in warnings[0]

    @pytest.mark.parametrize("value", ["abc", "-1", "nan", "11", "inf", "", "10.01", "1,5"])
    def test_malformed_weight_is_named_and_its_default_kept(self, value):
        state, warnings = parse(members="USA,JPN", w_friction=value, w_threat="0.6")
        assert state == BuildState(("JPN", "USA"), "alliance", LATEST, Weights(threat=0.6))
        assert len(warnings) == 1
        assert f"w_friction='{value}'" in warnings[0]

    def test_all_positive_weights_zero_fall_back_to_their_defaults(self):
        zeros = {f"w_{c}": "0" for c in POSITIVE}
        state, warnings = parse(members="USA,JPN", w_friction="2", **zeros)
        assert state.weights == Weights(friction=2.0)
        assert len(warnings) == 1 and "all 0" in warnings[0]

    @pytest.mark.parametrize(
        ("key", "values", "field_value"),
        [
            ("members", ["USA,JPN", "KOR,USA"], ("KOR", "USA")),
            ("framing", ["dialogue", "economic"], "economic"),
            ("year", ["2010", "2020", "2015"], 2015),
        ],
    )
    def test_repeated_parameter_uses_the_last_and_says_so(self, key, values, field_value):
        params = {"members": "USA,JPN", "framing": "alliance", "year": "2020", key: values}
        state, warnings = parse_build(DS, params)
        field = {"members": "members", "framing": "framing", "year": "year"}[key]
        assert getattr(state, field) == field_value
        assert warnings == [f"'{key}' was given {len(values)} times; used the last"]

    def test_single_item_list_is_not_a_repeat(self):
        state, warnings = parse_build(DS, {"members": ["USA,JPN"], "year": ["2020"]})
        assert state == BuildState(("JPN", "USA"), "alliance", 2020)
        assert warnings == []

    def test_repeated_weight_uses_the_last(self):
        state, warnings = parse_build(DS, {"members": "USA,JPN", "w_ties": ["1", "2"]})
        assert state.weights == Weights(ties=2.0)
        assert warnings == ["'w_ties' was given 2 times; used the last"]

    @pytest.mark.parametrize("key", ["framing", "year", "w_ties"])
    def test_oversized_parameter_is_ignored_and_named(self, key):
        long = "x" * (MAX_PARAM_LENGTH + 1)
        state, warnings = parse_build(DS, {"members": "USA,JPN", "year": "2020", key: long})
        assert state.members == ("JPN", "USA")
        assert len(warnings) == 1
        assert f"'{key}' is {MAX_PARAM_LENGTH + 1} characters long" in warnings[0]
        assert long not in warnings[0]

    def test_oversized_members_is_ignored_and_named(self):
        long = ",".join(["USA"] * 101)  # 403 characters, all valid
        _, warnings = parse(members=long, framing="economic")
        assert len(warnings) == 1 and "'members' is 403 characters long" in warnings[0]

    def test_parameter_at_the_limit_is_used(self):
        members = " JPN" + ",USA" * 99
        assert len(members) == MAX_PARAM_LENGTH
        assert parse(members=members)[0].members == ("JPN", "USA")

    def test_unknown_parameter_names_are_warned_once(self):
        state, warnings = parse(members="USA,JPN", colour="red", Members="KOR")
        assert state.members == ("JPN", "USA")
        assert warnings == ["unknown parameter(s) 'Members', 'colour'"]

    def test_several_problems_give_one_warning_each(self):
        state, warnings = parse(
            members="USA,XXX,JPN", framing="nato", year="20x4", w_ties="abc", foo="1"
        )
        assert state == BuildState(("JPN", "USA"), "alliance", LATEST)
        assert len(warnings) == 5


class TestBuildParams:
    @pytest.mark.parametrize(
        ("state", "expected"),
        [
            (
                BuildState(("JPN", "KOR", "USA"), "alliance", 2024),
                {"members": "JPN,KOR,USA", "framing": "alliance", "year": "2024"},
            ),
            (
                BuildState((), "economic", 2000),
                {"members": "", "framing": "economic", "year": "2000"},
            ),
            (
                BuildState(QUAD, "dialogue", 2025, Weights(friction=1.0, ties=Weights().ties)),
                {
                    "members": "AUS,IND,JPN,USA",
                    "framing": "dialogue",
                    "year": "2025",
                    "w_friction": "1",
                },
            ),
            (
                BuildState(
                    ("JPN", "USA"),
                    "alliance",
                    2024,
                    Weights(ties=0.0, connectivity=0.25, threat=10.0, sensitivity=0.05),
                ),
                {
                    "members": "JPN,USA",
                    "framing": "alliance",
                    "year": "2024",
                    "w_ties": "0",
                    "w_connectivity": "0.25",
                    "w_threat": "10",
                    "w_sensitivity": "0.05",
                },
            ),
        ],
        ids=["plain", "empty", "one-weight", "weights-in-component-order"],
    )
    def test_canonical_form(self, state, expected):
        params = build_params(state)
        assert params == expected
        assert list(params) == list(expected)  # members, framing, year, then w_* in order

    def test_default_weights_are_left_out(self):
        params = build_params(BuildState(("JPN", "USA"), "alliance", 2024, Weights()))
        assert not any(k.startswith("w_") for k in params)


# Weights on a 0.05 grid: k / 20 is the float that "0.15" etc. parse to.
grid = st.integers(0, 200).map(lambda k: k / 20)
positive_weights = st.tuples(grid, grid, grid, grid).filter(lambda ws: sum(ws) > 0)
states = st.builds(
    lambda members, framing, year, pos, neg: BuildState(
        tuple(sorted(members)),
        framing,
        year,
        Weights(**dict(zip(POSITIVE, pos, strict=True)), friction=neg[0], sensitivity=neg[1]),
    ),
    # a state holds at most MAX_MEMBERS members (a longer link keeps the first ones, with a
    # warning: TestMembers checks that)
    st.sets(st.sampled_from(DS.codes), max_size=min(len(DS.codes), MAX_MEMBERS)),
    st.sampled_from(FRAMINGS),
    st.integers(DS.earliest_year, DS.latest_year),
    positive_weights,
    st.tuples(grid, grid),
)


def test_a_link_with_too_many_members_keeps_the_first_and_says_so():
    """A state holds at most MAX_MEMBERS members: a longer list keeps the first ones, in the
    link's order, and the reader is told how many were listed."""
    codes = [c for c in DS.codes if DS.actor(c).kind == "state"][: MAX_MEMBERS + 1]
    state, warnings = parse_build(DS, {"members": ",".join(codes), "framing": "alliance"})
    assert state.members == tuple(sorted(codes[:MAX_MEMBERS]))
    assert warnings == [f"'members' lists {MAX_MEMBERS + 1} members; kept the first {MAX_MEMBERS}"]


class TestRoundTrip:
    @settings(max_examples=150, deadline=None)
    @given(states)
    def test_canonical_link_parses_back_to_the_same_state(self, state):
        assert parse_build(DS, build_params(state)) == (state, [])

    @settings(max_examples=50, deadline=None)
    @given(states)
    def test_canonical_link_is_a_fixed_point(self, state):
        params = build_params(state)
        assert build_params(parse_build(DS, params)[0]) == params


class TestToggleMember:
    @pytest.mark.parametrize(
        ("members", "code", "expected"),
        [
            (("JPN", "USA"), "KOR", ("JPN", "KOR", "USA")),
            (("JPN", "KOR", "USA"), "KOR", ("JPN", "USA")),
            ((), "USA", ("USA",)),
            (("USA",), "USA", ()),
            (("JPN", "USA"), "AUS", ("AUS", "JPN", "USA")),
        ],
        ids=["add", "remove", "add-to-empty", "remove-last", "add-keeps-sorted"],
    )
    def test_adds_or_removes_and_keeps_sorted(self, members, code, expected):
        before = BuildState(members, "economic", 2019, Weights(friction=1.0))
        after = toggle_member(before, code)
        assert after == BuildState(expected, "economic", 2019, Weights(friction=1.0))

    def test_twice_is_the_identity(self):
        state = BuildState(("JPN", "USA"), "alliance", 2024)
        assert toggle_member(toggle_member(state, "PRK"), "PRK") == state


def payload(*points, **extra):
    """What st.plotly_chart(on_select=...) stores under its key."""
    return {
        "selection": {
            "points": list(points),
            "point_indices": list(range(len(points))),
            "box": [],
            "lasso": [],
            **extra,
        }
    }


NODE = {"curve_number": 7, "point_number": 3, "point_index": 3, "x": 0.4, "y": 0.7}


class TestSelectedCode:
    @pytest.mark.parametrize(
        ("selection", "expected"),
        [
            (payload({**NODE, "customdata": "JPN"}), "JPN"),
            (payload({**NODE, "customdata": ["KOR"]}), "KOR"),
            (payload({**NODE, "customdata": ("PRK", "extra")}), "PRK"),
            (payload({"curve_number": 5, "point_index": 0, "x": 0.5, "y": 0.5}), None),
            (payload({"curve_number": 5, "point_index": 0}, {**NODE, "customdata": "USA"}), "USA"),
            (payload({**NODE, "customdata": "XXX"}, {**NODE, "customdata": "AUS"}), "AUS"),
            (payload({**NODE, "customdata": "jpn"}), None),
            (payload({**NODE, "customdata": []}), None),
            (payload({**NODE, "customdata": 3}), None),
            (payload({**NODE, "customdata": None}), None),
            (payload(), None),
            ({"selection": {"points": None}}, None),
            ({"selection": {}}, None),
            ({"selection": None}, None),
            ({}, None),
            (None, None),
            ("garbage", None),
            (42, None),
            (["JPN"], None),
            ({"selection": {"points": ["JPN", 3, None]}}, None),
            ({"selection": {"points": "JPN"}}, None),
        ],
        ids=[
            "node",
            "customdata-list",
            "customdata-tuple",
            "edge-midpoint",
            "midpoint-then-node",
            "unknown-then-known",
            "wrong-case",
            "empty-list",
            "number",
            "none-customdata",
            "empty-selection",
            "points-none",
            "no-points",
            "selection-none",
            "empty-dict",
            "none",
            "string",
            "int",
            "list",
            "points-not-dicts",
            "points-a-string",
        ],
    )
    def test_code_of_the_clicked_node_or_none(self, selection, expected):
        assert selected_code(selection, DS.codes) == expected

    def test_non_iterable_points_give_none(self):
        assert selected_code({"selection": {"points": 5}}, DS.codes) is None


SPECIAL = "\\`*_{}[]()#+-.!|<>$:~&="


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def unescaped_specials(text: str) -> list[str]:
    """Special characters in ``text`` not preceded by an escaping backslash."""
    bare = re.sub(r"\\.", "", text)
    return [c for c in bare if c in SPECIAL]


class TestPlain:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
            ("<b>bold</b>", r"\<b\>bold\</b\>"),
            ("$x$", r"\$x\$"),
            ("$$\\int$$", r"\$\$\\int\$\$"),
            (":red[x]", r"\:red\[x\]"),
            (":material/hub:", r"\:material/hub\:"),
            ("**x** _y_ `z`", r"\*\*x\*\* \_y\_ \`z\`"),
            ("# h", r"\# h"),
            ("a & b", r"a \& b"),
            ("Japan", "Japan"),
            ("", ""),
        ],
        ids=[
            "md-link",
            "html",
            "latex",
            "display-latex",
            "colour-directive",
            "icon",
            "emphasis-code",
            "heading",
            "entity",
            "plain-word",
            "empty",
        ],
    )
    def test_markup_characters_are_escaped(self, text, expected):
        assert plain(text) == expected

    @settings(max_examples=200, deadline=None)
    @given(st.text())
    def test_every_special_character_is_escaped_and_only_whitespace_changes(self, text):
        escaped = plain(text)
        assert unescaped_specials(escaped) == []
        # whitespace runs (line breaks included) become one space: the text stays one line;
        # an invisible word joiner keeps a bare address from becoming a link
        shown = unescape(escaped).replace(WORD_JOINER, "")
        assert shown == re.sub(r"\s+", " ", text).replace(WORD_JOINER, "")
        assert "\n" not in escaped

    def test_non_strings_are_shown_as_text(self):
        assert plain(1.5) == r"1\.5"
        assert plain(None) == "None"
