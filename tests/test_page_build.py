"""The build page through the app (AppTest): links open scenarios, widgets change them,
bad links warn once and load the rest, and the URL is always the canonical one.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from apptest import address, open_page, open_sidebar, open_with_sidebar
from streamlit.testing.v1 import AppTest

from model import Weights, load_dataset, scenario, score
from model.schema import REGIONS
from ui.build import SHARE
from ui.build_state import build_params

ROOT = Path(__file__).resolve().parent.parent
DS = load_dataset()
LATEST = DS.latest_year
#: The scenario the widget tests open: (members, framing, year).
OPENED = ("USA,JPN,KOR", "alliance", 2024)


def cohesion(at: AppTest) -> str:
    """The Cohesion metric as shown."""
    return at.metric[0].value


@functools.cache
def expected(
    members: str,
    framing: str | None = None,
    year: int | None = None,
    weights: Weights | None = None,
) -> str:
    """What the CLI prints for the scenario, to one decimal."""
    value = score(DS, scenario(DS, members, framing, year, weights)).cohesion
    return "—" if value is None else f"{value:.1f}"


def state(at: AppTest):
    return at.session_state["build_state"]


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def assert_canonical(at: AppTest) -> None:
    assert address(at) == build_params(state(at))


class TestLinks:
    def test_link_opens_its_scenario_with_the_clis_cohesion(self):
        at = open_page(members="USA,JPN,KOR", framing="alliance", year="2024")
        assert (state(at).members, state(at).framing, state(at).year) == (
            ("JPN", "KOR", "USA"),
            "alliance",
            2024,
        )
        assert at.metric[0].label == "Cohesion"
        assert cohesion(at) == expected("USA,JPN,KOR", "alliance", 2024)
        assert warnings(at) == [] and not at.info
        assert address(at) == {"members": "JPN,KOR,USA", "framing": "alliance", "year": "2024"}

    def test_preset_id_opens_the_preset_with_its_framing(self):
        at = open_page(members="aukus", year="2023")
        assert address(at) == {"members": "AUS,GBR,USA", "framing": "dialogue", "year": "2023"}
        assert cohesion(at) == expected("aukus", None, 2023)
        assert at.pills(key="build_preset").value == "aukus"
        assert at.segmented_control(key="build_framing").value == "dialogue"

    def test_preset_id_with_a_framing_uses_that_framing(self):
        at = open_page(members="aukus", framing="alliance")
        assert address(at) == {"members": "AUS,GBR,USA", "framing": "alliance", "year": str(LATEST)}
        assert cohesion(at) == expected("aukus", "alliance")
        # the grouping is still AUKUS (one rule, model/words.py: by members alone)
        assert at.pills(key="build_preset").value == "aukus"

    def test_no_parameters_open_the_quad(self):
        at = open_page()
        assert address(at) == {
            "members": "AUS,IND,JPN,USA",
            "framing": "dialogue",
            "year": str(LATEST),
        }
        assert cohesion(at) == expected("quad")
        assert at.pills(key="build_preset").value == "quad"
        assert warnings(at) == []

    def test_weights_in_the_link_are_used_and_shown(self):
        at = open_sidebar(open_page(members="USA,JPN,KOR", year="2024", w_friction="2", w_ties="1"))
        assert cohesion(at) == expected(
            "USA,JPN,KOR", "alliance", 2024, Weights(ties=1.0, friction=2.0)
        )
        assert at.number_input(key="build_w_friction").value == 2.0
        assert at.number_input(key="build_w_ties").value == 1.0
        assert address(at)["w_friction"] == "2" and address(at)["w_ties"] == "1"

    def test_widgets_show_the_linked_scenario(self):
        at = open_sidebar(open_page(members="USA,JPN,KOR,AUS", framing="economic", year="2015"))
        assert at.segmented_control(key="build_framing").value == "economic"
        assert at.slider(key="build_year").value == 2015
        assert at.pills(key="build_region_Northeast Asia").value == ["JPN", "KOR"]
        assert at.pills(key="build_region_North America").value == ["USA"]
        assert at.pills(key="build_region_Oceania").value == ["AUS"]
        assert at.pills(key="build_region_Europe").value == []

    def test_host_parameters_are_ignored_silently(self):
        at = open_page(members="USA,JPN", embed="true")
        assert warnings(at) == []
        assert_canonical(at)

    def test_share_link_holds_the_canonical_query(self):
        at = open_page(members="usa,kor,jpn", year="2024", w_threat="1")
        link = at.text_input(key=SHARE).value
        assert parse_qs(urlsplit(link).query) == {
            "members": ["JPN,KOR,USA"],
            "framing": ["alliance"],
            "year": ["2024"],
            "w_threat": ["1"],
        }


class TestWidgets:
    """Each widget changes the canonical state, the score and the URL together."""

    @pytest.fixture
    def at(self) -> AppTest:
        members, framing, year = OPENED
        return open_sidebar(open_page(members=members, framing=framing, year=str(year)))

    def test_framing(self, at):
        at.segmented_control(key="build_framing").set_value("economic").run()
        assert address(at)["framing"] == "economic"
        assert cohesion(at) == expected("USA,JPN,KOR", "economic", 2024) != expected(*OPENED)
        assert_canonical(at)

    def test_year(self, at):
        at.slider(key="build_year").set_value(2010).run()
        assert address(at)["year"] == "2010"
        assert cohesion(at) == expected("USA,JPN,KOR", "alliance", 2010) != expected(*OPENED)
        assert_canonical(at)

    def test_region_pills_add_a_member(self, at):
        at.pills(key="build_region_Northeast Asia").select("TWN").run()
        assert address(at)["members"] == "JPN,KOR,TWN,USA"
        assert cohesion(at) == expected("USA,JPN,KOR,TWN", "alliance", 2024)
        assert_canonical(at)

    def test_region_pills_remove_a_member(self, at):
        at.pills(key="build_region_Northeast Asia").unselect("KOR").run()
        assert address(at)["members"] == "JPN,USA"
        assert cohesion(at) == expected("USA,JPN", "alliance", 2024)

    def test_the_search_adds_the_one_actor_picked_and_clears_itself(self, at):
        find = at.selectbox(key="build_find")
        assert find.value is None and find.placeholder == "Type a name, e.g. Swe"
        assert "Sweden (SWE)" in find.options
        find.select_index(find.options.index("Sweden (SWE)")).run()
        assert address(at)["members"] == "JPN,KOR,SWE,USA"
        assert cohesion(at) == expected("USA,JPN,KOR,SWE", "alliance", 2024)
        assert at.pills(key="build_region_Europe").value == ["SWE"]
        assert at.selectbox(key="build_find").value is None
        assert_canonical(at)

    def test_the_search_marks_members_and_removes_the_one_picked(self, at):
        options = at.selectbox(key="build_find").options
        assert "Japan (JPN) · a member: pick to remove" in options
        assert "Sweden (SWE)" in options
        find = at.selectbox(key="build_find")
        find.select_index(options.index("Japan (JPN) · a member: pick to remove")).run()
        assert address(at)["members"] == "KOR,USA"
        assert "Japan (JPN)" in at.selectbox(key="build_find").options

    def test_the_members_come_first_and_one_click_removes_one(self, at):
        chosen = at.pills(key="build_members")
        assert chosen.options == ["Japan", "South Korea", "United States"]
        assert chosen.value == ["JPN", "KOR", "USA"]
        chosen.unselect("KOR").run()
        assert address(at)["members"] == "JPN,USA"
        assert at.pills(key="build_members").value == ["JPN", "USA"]

    def test_a_closed_region_builds_no_pills(self):
        at = open_page(members="USA,JPN,KOR")
        assert [p.key for p in at.sidebar.pills] == ["build_preset", "build_members"]
        assert not at.number_input  # the weights are folded too
        at.session_state["build_open_Northeast Asia"] = True  # the reader opens one
        at.run()
        assert at.pills(key="build_region_Northeast Asia").value == ["JPN", "KOR"]
        assert not [p for p in at.sidebar.pills if p.key == "build_region_Europe"]

    def test_a_folded_region_keeps_its_members(self):
        # pick in Europe, fold it, pick in Oceania: France stays, built or not
        at = open_page(members="USA,JPN")
        at.session_state["build_open_Europe"] = True
        at.run()
        at.pills(key="build_region_Europe").select("FRA").run()
        at.session_state["build_open_Europe"] = False
        at.session_state["build_open_Oceania"] = True
        at.run()
        assert not [p for p in at.sidebar.pills if p.key == "build_region_Europe"]
        at.pills(key="build_region_Oceania").select("AUS").run()
        linked = address(at)
        assert linked["members"] == "AUS,FRA,JPN,USA"
        assert cohesion(at) == expected(linked["members"], linked["framing"], int(linked["year"]))
        assert_canonical(at)

    def test_folded_weights_hold(self, at):
        at.number_input(key="build_w_friction").set_value(1.5).run()
        at.session_state["build_open_weights"] = False  # the reader folds them
        at.run()
        assert not at.number_input
        at.pills(key="build_region_Oceania").select("AUS").run()
        assert address(at)["w_friction"] == "1.5"
        weights = Weights(friction=1.5)
        assert cohesion(at) == expected("AUS,USA,JPN,KOR", "alliance", 2024, weights)
        at.session_state["build_open_weights"] = True  # and opens them again
        at.run()
        assert at.number_input(key="build_w_friction").value == 1.5

    def test_each_region_is_folded_with_its_count(self, at):
        labels = [e.label for e in at.sidebar.expander]
        regions = [r for r in REGIONS if any(a.region == r for a in DS.actors)]
        assert labels == [*regions, "Weights"]
        northeast = at.pills(key="build_region_Northeast Asia")
        total = sum(a.region == "Northeast Asia" for a in DS.actors)
        assert northeast.label == f"2 of {total} in the grouping"

    def test_preset(self, at):
        at.pills(key="build_preset").set_value("five_eyes").run()
        assert address(at) == {
            "members": "AUS,CAN,GBR,NZL,USA",
            "framing": "dialogue",
            "year": "2024",
        }
        assert cohesion(at) == expected("five_eyes", None, 2024)
        assert at.pills(key="build_region_Oceania").value == ["AUS", "NZL"]

    def test_weight(self, at):
        at.number_input(key="build_w_friction").set_value(1.5).run()
        assert address(at)["w_friction"] == "1.5"
        assert cohesion(at) == expected("USA,JPN,KOR", "alliance", 2024, Weights(friction=1.5))
        assert_canonical(at)

    def test_all_positive_weights_zero_keeps_the_previous_weights(self, at):
        for c in ("ties", "connectivity", "lattice"):
            at.number_input(key=f"build_w_{c}").set_value(0.0).run()
        before = state(at)
        at.number_input(key="build_w_threat").set_value(0.0).run()
        assert state(at) == before
        assert at.number_input(key="build_w_threat").value == 0.3
        assert any("must be above 0" in w for w in warnings(at))
        assert_canonical(at)

    def test_reset_weights(self, at):
        reset = next(b for b in at.button if b.label == "Reset weights")
        assert reset.disabled
        at.number_input(key="build_w_ties").set_value(2.0).run()
        assert address(at)["w_ties"] == "2"
        next(b for b in at.button if b.label == "Reset weights").click().run()
        assert "w_ties" not in address(at)
        assert state(at).weights == Weights()
        assert cohesion(at) == expected(*OPENED)
        assert at.number_input(key="build_w_ties").value == Weights().ties

    def test_best_addition_button(self, at):
        top, delta = score(DS, scenario(DS, "USA,JPN,KOR", "alliance", 2024)).best_additions[0]
        button = at.button(key=f"add_{top}")
        assert button.label == f"Add {DS.actor(top).name} ({delta:+.1f})"
        button.click().run()
        members = ",".join(sorted(("USA", "JPN", "KOR", top)))
        assert address(at)["members"] == members
        assert cohesion(at) == expected(members, "alliance", 2024)
        assert f"add_{top}" not in [b.key for b in at.button]

    def test_a_change_answers_the_links_warning(self):
        at = open_page(members="USA,JPN,XXX")
        assert len(warnings(at)) == 1
        at.slider(key="build_year").set_value(2020).run()
        assert warnings(at) == []


class TestClicksBeforeTheAddressCatchesUp:
    """The browser sends its address with every click. A click made before it had applied
    the page's last rewrite carries the address before that rewrite: the page keeps the
    click, and the change before it, and writes the address again (ui/urlsync.py)."""

    def test_a_click_on_the_first_run_keeps_the_click(self):
        at = open_with_sidebar(members="USA,JPN,AUS", framing="alliance", year="2024")
        assert address(at)["members"] == "AUS,JPN,USA"
        at.query_params["members"] = "USA,JPN,AUS"  # the rewrite has not reached the browser
        at.pills(key="build_region_Southeast Asia").select("PHL").run()
        assert address(at)["members"] == "AUS,JPN,PHL,USA"
        assert cohesion(at) == expected("AUS,JPN,PHL,USA", "alliance", 2024)
        assert_canonical(at)

    def test_two_quick_clicks_keep_both(self):
        at = open_with_sidebar(members="USA,JPN,KOR", framing="alliance", year="2024")
        at.pills(key="build_region_Southeast Asia").select("PHL").run()
        assert address(at)["members"] == "JPN,KOR,PHL,USA"
        at.query_params["members"] = "JPN,KOR,USA"  # the address before the first click
        at.segmented_control(key="build_framing").set_value("economic").run()
        assert address(at) == {"members": "JPN,KOR,PHL,USA", "framing": "economic", "year": "2024"}
        assert cohesion(at) == expected("JPN,KOR,PHL,USA", "economic", 2024)

    def test_a_link_from_another_page_to_an_earlier_scenario_opens_it(self):
        at = open_with_sidebar(members="USA,JPN,KOR", framing="alliance", year="2024")
        at.pills(key="build_region_Southeast Asia").select("PHL").run()
        at.switch_page("views/compare.py")
        at.query_params.clear()
        at.run()
        at.switch_page("views/build.py")
        at.query_params.clear()
        for key, value in {"members": "JPN,KOR,USA", "framing": "alliance", "year": "2024"}.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception
        assert state(at).members == ("JPN", "KOR", "USA")
        assert cohesion(at) == expected("JPN,KOR,USA", "alliance", 2024)

    def test_a_new_address_on_the_same_page_is_read(self):
        at = open_page(members="USA,JPN,KOR", framing="alliance", year="2024")
        at.query_params["members"] = "AUS,GBR,USA"
        at.run()
        assert state(at).members == ("AUS", "GBR", "USA")
        assert_canonical(at)


BAD_LINKS = [
    # (parameters, text the warning must name, scenario the rest loads)
    (
        {"members": "USA,JPN,XXX", "framing": "economic", "year": "2020"},
        "XXX",
        ("USA,JPN", "economic", 2020, None),
    ),
    (
        {"members": "usa,jpn,kor,foo", "year": "2024"},
        "foo",
        ("USA,JPN,KOR", "alliance", 2024, None),
    ),
    (
        {"members": "USA,JPN", "framing": "nato", "year": "2020"},
        "nato",
        ("USA,JPN", "alliance", 2020, None),
    ),
    (
        {"members": "USA,JPN", "framing": "economic", "year": "20x4"},
        "20x4",
        ("USA,JPN", "economic", LATEST, None),
    ),
    ({"members": "USA,JPN", "year": "1800"}, "1800", ("USA,JPN", "alliance", LATEST, None)),
    (
        {"members": "USA,JPN", "year": str(LATEST + 5)},
        str(LATEST + 5),
        ("USA,JPN", "alliance", LATEST, None),
    ),
    (
        {"members": "USA,JPN", "year": "2020", "w_ties": "abc", "w_friction": "1"},
        "abc",
        ("USA,JPN", "alliance", 2020, Weights(friction=1.0)),
    ),
    (
        {"members": "USA,JPN", "year": "2020", "w_friction": "-1"},
        "-1",
        ("USA,JPN", "alliance", 2020, None),
    ),
    (
        {"members": "USA,JPN", "year": "2020", "w_threat": "nan"},
        "nan",
        ("USA,JPN", "alliance", 2020, None),
    ),
    (
        {"members": "USA,JPN", "year": "2020", "w_lattice": "11"},
        "11",
        ("USA,JPN", "alliance", 2020, None),
    ),
    (
        {
            "members": "USA,JPN",
            "year": "2020",
            "w_ties": "0",
            "w_connectivity": "0",
            "w_lattice": "0",
            "w_threat": "0",
        },
        "all 0",
        ("USA,JPN", "alliance", 2020, None),
    ),
    (
        {"members": "USA,JPN", "year": ["2010", "2020"]},
        "given 2 times",
        ("USA,JPN", "alliance", 2020, None),
    ),
    (
        {"members": "USA,JPN", "year": "2020", "framing": "x" * 401},
        "'framing' is 401",
        ("USA,JPN", "alliance", 2020, None),
    ),
    (
        {"members": "USA,JPN", "year": "2020", "colour": "red"},
        "colour",
        ("USA,JPN", "alliance", 2020, None),
    ),
]


class TestBadLinks:
    @pytest.mark.parametrize(
        ("params", "named", "rest"),
        BAD_LINKS,
        ids=[
            "unknown-code",
            "lower-case-and-unknown",
            "framing",
            "year-letters",
            "year-too-early",
            "year-after-data",
            "weight-text",
            "weight-negative",
            "weight-nan",
            "weight-too-big",
            "weights-all-zero",
            "repeated",
            "oversized",
            "unknown-parameter",
        ],
    )
    def test_one_warning_names_it_and_the_rest_loads(self, params, named, rest):
        at = open_page(**params)
        assert len(at.warning) == 1
        shown = at.warning[0].value.replace("\\", "")  # the markdown escapes of ui.text.plain
        assert named in shown
        assert cohesion(at) == expected(*rest)
        members, framing, year, weights = rest
        s = scenario(DS, members, framing, year, weights)
        assert (state(at).members, state(at).framing, state(at).year, state(at).weights) == (
            s.members,
            s.framing,
            s.year,
            s.weights,
        )
        assert_canonical(at)

    @pytest.mark.parametrize(
        "member",
        [
            "<script>alert(1)</script>",
            "[x](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            ":red[boom]",
            "$x$",
        ],
    )
    def test_injected_member_is_shown_as_text(self, member):
        at = open_page(members=f"USA,{member},JPN")
        assert len(at.warning) == 1
        value = at.warning[0].value
        for raw in ("<", ">", "[", "](", "$", ":red["):
            if raw in member:
                assert raw not in value.replace("\\" + raw[0], "")
        assert member in value.replace("\\", "")
        assert address(at)["members"] == "JPN,USA"
        assert cohesion(at) == expected("USA,JPN")

    @pytest.mark.parametrize(
        "params",
        [
            {"members": "USA,JPN", "framing": "x\n\n    code"},
            {"members": "USA,JPN", "year": "2020\n\n    code"},
            {"members": "USA,JPN", "w_ties": "1\n\n    code"},
        ],
        ids=["framing", "year", "weight"],
    )
    def test_line_breaks_in_a_value_stay_in_one_line_of_text(self, params):
        at = open_page(**params)
        assert len(at.warning) == 1
        assert "\n" not in at.warning[0].value


class TestSmallAndIsolatedGroups:
    def test_one_member_asks_for_at_least_two(self):
        at = open_page(members="USA")
        assert cohesion(at) == "—"
        assert [i.value for i in at.info] == ["Pick at least two members to score a grouping."]
        assert warnings(at) == []

    def test_empty_members_is_an_empty_group_not_the_quad(self):
        at = open_page(members="")
        assert state(at).members == ()
        assert "at least two" in at.info[0].value
        assert address(at)["members"] == ""

    def test_isolated_member_gives_zero_and_names_it(self):
        at = open_page(members="USA,PRK", year="2024")
        assert cohesion(at) == expected("USA,PRK", "alliance", 2024) == "0.0"
        assert len(at.warning) == 1 and "PRK" in at.warning[0].value
