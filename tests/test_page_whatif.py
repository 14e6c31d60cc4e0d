"""What-if on the pages (AppTest): a what-if link opens with the model's (the CLI's) number,
the editor adds and removes changes and refuses bad ones, the network marks them, the
provenance and levers sections are the model's, and Compare and Timeline score a slot's
edits. Expected numbers are read from the model, never written here.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import numpy as np
import pytest
from apptest import (
    COMPARE,
    TIMELINE,
    address,
    download,
    link_warning,
    open_page,
    open_sidebar,
    unescaped,
)
from streamlit.testing.v1 import AppTest
from test_page_timeline import plotted

from model import (
    compare,
    context,
    levers,
    load_dataset,
    parse_what_if,
    provenance,
    scenario,
    score,
)
from model.timeline import cohesion_series
from model.whatif import apply as apply_what_if
from model.words import edit_sentence
from tests.charts import charts
from ui.compare_explain import odds_text
from ui.provenance_view import RESTS_OPEN, rows_frame
from ui.whatif_editor import FORM_OPEN, LEVERS_OPEN, points
from ui.whatif_marks import MARKS

DS = load_dataset()
YEAR = 2024
MEMBERS = "JPN,KOR,USA"
EDITS = "-friction:JPN-KOR;+tie:JPN-KOR:security_agreement:0.6"
CAMP_DAVID = DS.presets["camp_david"].name  # JPN, KOR, USA: the preset's name


def cohesion(members: str, framing: str, year: int, edits: str = "") -> float:
    """The cohesion the CLI prints for ``score --what-if=edits --json``."""
    s = scenario(DS, members, framing, year)
    return score(apply_what_if(DS, parse_what_if(edits, DS, year), year), s).cohesion


def shown(value: float) -> str:
    return f"{value:.1f}"


def texts(elements) -> list[str]:
    return [unescaped(e.value) for e in elements]


def chart_traces(at: AppTest, n: int = 0) -> list[dict]:
    return charts(at)[n].figure["data"]


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if unescaped(b.label) == label]
    return found


def with_sections_open(at: AppTest) -> AppTest:
    """Open the two sections that are worked out only on demand, as a reader clicks them."""
    at.session_state[RESTS_OPEN] = True
    at.session_state[LEVERS_OPEN] = True
    at.run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def linked() -> AppTest:
    at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR), what_if=EDITS)
    return with_sections_open(at)


def test_closed_sections_cost_nothing():
    # a toggle must not pay for provenance and levers unless the reader opened them
    at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR), what_if=EDITS)
    assert not [d for d in at.dataframe if "effect" in d.value.columns]
    assert not [b for b in at.button if (b.key or "").startswith("wi_lever_")]
    labels = [e.label for e in at.expander]
    assert "This score rests most on…" in labels and "What would move it most" in labels


class TestBuildLink:
    def test_the_score_is_the_clis_with_the_edits(self, linked):
        assert linked.metric[0].value == shown(cohesion(MEMBERS, "alliance", YEAR, EDITS))

    def test_the_score_is_set_against_the_record(self, linked):
        delta = cohesion(MEMBERS, "alliance", YEAR, EDITS) - cohesion(MEMBERS, "alliance", YEAR)
        assert linked.metric[0].delta == f"{points(delta)} vs the record"

    def test_the_link_stays_canonical(self, linked):
        assert address(linked)["what_if"] == EDITS
        assert link_warning(linked) == ""

    def test_the_changes_are_listed_as_sentences(self, linked):
        markdown = texts(linked.markdown)
        for i, edit in enumerate(parse_what_if(EDITS)):
            assert f"{i + 1}. {edit_sentence(DS, edit)}" in markdown
        assert not any(EDITS.split(";")[0] in m for m in markdown)  # no code as a label

    def test_a_banner_says_it_is_a_what_if(self, linked):
        (info,) = linked.info
        assert "2 hypothetical changes to the record" in info.value

    def test_the_record_has_no_banner_and_no_delta(self):
        at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR))
        assert not at.info and not at.metric[0].delta
        assert "what_if" not in address(at)
        assert not [b for b in at.button if b.label == "Compare with the record"]

    def test_a_bad_edit_is_named_and_the_rest_loads(self):
        at = open_page(
            members=MEMBERS, year=str(YEAR), what_if=EDITS + ";+tie:JPN-XX:fta:0.5;-sens:KOR"
        )
        warning = link_warning(at)
        assert "what-if edit '+tie:JPN-XX:fta:0.5': unknown actor code 'XX'" in warning
        assert address(at)["what_if"] == EDITS + ";-sens:KOR"
        framing = at.session_state["build_state"].framing
        assert at.metric[0].value == shown(cohesion(MEMBERS, framing, YEAR, EDITS + ";-sens:KOR"))


class TestNetwork:
    def test_hypothetical_and_removed_rows_are_marked(self, linked):
        names = {t.get("name") for t in chart_traces(linked)}
        assert MARKS[("added", "ties")]["name"] in names
        assert MARKS[("removed", "frictions")]["name"] in names
        assert MARKS[("added", "frictions")]["name"] not in names  # none was added

    def test_marks_have_their_own_style(self, linked):
        marks = {t["name"]: t["line"] for t in chart_traces(linked) if t.get("mode") == "lines"}
        added = marks[MARKS[("added", "ties")]["name"]]
        assert added["dash"] == "dot"
        assert added["color"] not in {
            line["color"] for name, line in marks.items() if "what if" not in name
        }

    def test_the_hover_names_a_hypothetical_tie(self, linked):
        hovers = [str(h) for t in chart_traces(linked) for h in (t.get("hovertext") or [])]
        assert any("security agreement 0.60 (2024–) — what if (no source)" in h for h in hovers)
        assert any("security agreement tie 0.60 added" in h for h in hovers)
        assert any(re.search(r"friction \d\.\d\d removed", h) for h in hovers)

    def test_the_record_has_no_marks(self):
        at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR))
        assert not any("what if" in (t.get("name") or "") for t in chart_traces(at))


class TestEditor:
    @pytest.fixture
    def at(self) -> AppTest:
        at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR))
        at.session_state[FORM_OPEN] = True  # the reader opens "Write a change"
        return at.run()

    def test_the_form_is_built_only_when_opened(self):
        at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR))
        assert "Write a change" in [e.label for e in at.expander]
        assert not [s for s in at.selectbox if (s.key or "").startswith("wi_")]
        assert not [b for b in at.button if b.key == "wi_add"]

    def pick(self, at: AppTest, **values) -> None:
        for key, value in values.items():
            if key == "value":
                at.slider(key="wi_value").set_value(value)
            elif key == "start":  # the start picker's key names the scenario's year
                at.selectbox(key=f"wi_start_{YEAR}").set_value(value)
            else:
                at.selectbox(key=f"wi_{key}").set_value(value)
            at.run()

    def test_adding_a_tie(self, at):
        self.pick(at, op="+tie", a="JPN", b="KOR", kind="security_agreement", value=0.6)
        at.button(key="wi_add").click().run()
        edits = parse_what_if("+tie:JPN-KOR:security_agreement:0.6")
        assert at.session_state["build_state"].what_if == edits
        assert address(at)["what_if"] == "+tie:JPN-KOR:security_agreement:0.6"
        assert at.metric[0].value == shown(
            cohesion(MEMBERS, "alliance", YEAR, "+tie:JPN-KOR:security_agreement:0.6")
        )
        assert f"1. {edit_sentence(DS, edits[0])}" in texts(at.markdown)

    def test_removing_a_sensitivity_from_a_later_year(self, at):
        self.pick(at, op="-sens", a="KOR", kind="member:JPN", start=2026)
        at.button(key="wi_add").click().run()
        assert address(at)["what_if"] == "-sens:KOR:member:JPN@2026"

    def test_a_pair_is_picked_among_the_members_and_never_one_actor_twice(self, at):
        self.pick(at, op="-tie", a="JPN")
        members = ["JPN · Japan", "KOR · South Korea", "USA · United States"]
        assert at.selectbox(key="wi_a").options == members
        assert at.selectbox(key="wi_b").options == ["KOR · South Korea", "USA · United States"]

    def test_a_change_that_changes_nothing_is_refused_in_a_sentence(self, at):
        before = at.metric[0].value
        self.pick(at, op="-friction", a="JPN", b="USA", kind="military_confrontation")
        at.button(key="wi_add").click().run()
        (error,) = at.error
        assert unescaped(error.value).startswith(
            "This change was not added: it would change nothing: Japan–United States: military "
            "confrontation friction removed, but the record has no such row in force from 2024"
        )
        assert at.session_state["build_state"].what_if == ()
        assert "what_if" not in address(at) and at.metric[0].value == before

    def test_a_removed_member_leaves_the_form(self, at):
        self.pick(at, op="-friction", a="JPN", b="KOR")
        open_sidebar(at).pills(key="build_region_Northeast Asia").set_value(
            ["JPN"]
        ).run()  # South Korea out
        assert at.selectbox(key="wi_a").options == ["JPN · Japan", "USA · United States"]
        assert at.selectbox(key="wi_b").options == ["USA · United States"]

    def test_the_start_follows_the_scenario_year(self, at):
        at.slider(key="build_year").set_value(2020).run()
        picker = at.selectbox(key="wi_start_2020")
        assert picker.value == 0 and picker.options[0] == "the scenario's year (2020)"

    def test_a_change_the_model_refuses_shows_its_reason(self, at):
        self.pick(at, op="+tie", a="JPN", b="USA", kind="membership")
        at.button(key="wi_add").click().run()
        (error,) = at.error
        assert unescaped(error.value).startswith(
            "This change was not added: a membership ties a state to an organisation"
        )
        assert at.session_state["build_state"].what_if == ()

    def test_the_same_change_twice_is_refused(self, at):
        self.pick(at, op="-friction", a="JPN", b="KOR", kind="")
        at.button(key="wi_add").click().run()
        at.button(key="wi_add").click().run()
        assert "already in the list" in unescaped(at.error[0].value)
        assert address(at)["what_if"] == "-friction:JPN-KOR"

    def test_removing_a_change(self):
        at = open_page(members=MEMBERS, year=str(YEAR), what_if=EDITS)
        at.button(key="wi_rm_0").click().run()
        assert address(at)["what_if"] == EDITS.split(";")[1]
        at.button(key="wi_rm_0").click().run()
        assert "what_if" not in address(at) and not at.info

    def test_a_new_year_keeps_the_edits_canonical(self):
        at = open_page(members=MEMBERS, year=str(YEAR), what_if="-sens:KOR@2020")
        at.slider(key="build_year").set_value(2020).run()
        assert address(at)["what_if"] == "-sens:KOR"


class TestProvenance:
    def test_the_table_is_the_models(self, linked):
        s = scenario(DS, MEMBERS, "alliance", YEAR)
        edits = parse_what_if(EDITS, DS, YEAR)
        expected = rows_frame(DS, provenance(DS, s.with_edits(edits)), edits)
        (table,) = [d.value for d in linked.dataframe if "effect" in d.value.columns]
        assert table["row"].tolist() == expected["row"].tolist()
        assert np.array_equal(table["effect"].to_numpy(), expected["effect"].to_numpy())
        assert any(row.startswith("What if: ") for row in table["row"])

    def test_links_are_web_addresses_only(self, linked):
        (table,) = [d.value for d in linked.dataframe if "effect" in d.value.columns]
        links = [link for link in table["link"] if link]
        assert links and all(link.startswith(("http://", "https://")) for link in links)
        what_if = table[table["row"].str.startswith("What if: ")]
        assert (what_if["link"] == "").all()


class TestLevers:
    def test_the_five_levers_are_the_models(self, linked):
        s = scenario(DS, MEMBERS, "alliance", YEAR)
        found = levers(DS, s.with_edits(parse_what_if(EDITS, DS, YEAR)))
        labels = [
            unescaped(b.label) for b in linked.button if (b.key or "").startswith("wi_lever_")
        ]
        assert labels == [f"{edit_sentence(DS, x.edit)} ({points(x.delta)})" for x in found]
        assert 0 < len(labels) <= 5

    def test_one_click_applies_a_lever(self):
        at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR), what_if=EDITS)
        with_sections_open(at)
        s = scenario(DS, MEMBERS, "alliance", YEAR)
        first = levers(DS, s.with_edits(parse_what_if(EDITS, DS, YEAR)))[0]
        at.button(key="wi_lever_0").click().run()
        now = f"{EDITS};{first.edit.text()}"
        assert address(at)["what_if"] == now
        assert at.metric[0].value == shown(cohesion(MEMBERS, "alliance", YEAR, now))


class TestDownloads:
    def test_the_brief_rests_on_the_what_if(self):
        at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR), what_if=EDITS)
        _, data = download(at, "build_brief")
        brief = data.decode("utf-8")
        s = scenario(DS, MEMBERS, "alliance", YEAR)
        rows = provenance(DS, s.with_edits(parse_what_if(EDITS, DS, YEAR)), limit=None)
        assert any(r.file == "what-if" for r in rows)
        assert "what-if" in brief.lower()


class TestCompareWithTheRecord:
    def test_one_click_opens_the_record_beside_the_what_if(self):
        at = open_page(members=MEMBERS, framing="alliance", year=str(YEAR), what_if=EDITS)
        button(at, "Compare with the record").click().run()
        assert address(at) == {
            "s1": MEMBERS,
            "f1": "alliance",
            "s2": MEMBERS,
            "f2": "alliance",
            "w2": EDITS,
            "year": str(YEAR),
        }
        assert [m.value for m in at.metric] == [
            shown(cohesion(MEMBERS, "alliance", YEAR)),
            shown(cohesion(MEMBERS, "alliance", YEAR, EDITS)),
        ]


class TestCompare:
    @pytest.fixture(scope="class")
    def at(self) -> AppTest:
        return open_page(
            COMPARE, s1=MEMBERS, f1="alliance", s2=MEMBERS, f2="alliance", w2=EDITS, year="2023"
        )

    def test_a_slot_is_scored_with_its_edits(self, at):
        assert [m.value for m in at.metric] == [
            shown(cohesion(MEMBERS, "alliance", 2023)),
            shown(cohesion(MEMBERS, "alliance", 2023, EDITS)),
        ]
        assert unescaped(at.metric[1].label).endswith("(what if) · alliance")

    def test_the_odds_line_works_across_the_edits(self, at):
        s = scenario(DS, MEMBERS, "alliance", 2023)
        edits = parse_what_if(EDITS, DS, 2023)
        share = compare(DS, s.with_edits(edits), s, vary_weights=True).a_beats_b
        (caption,) = [c.value for c in at.caption if "slot 1 in" in c.value]
        assert caption.endswith(odds_text(share))

    def test_the_slot_lists_its_changes(self, at):
        text = "\n".join(texts(at.markdown))
        for edit in parse_what_if(EDITS):
            assert edit_sentence(DS, edit) in text

    def test_open_in_build_carries_the_edits(self, at):
        links = [parse_qs(p.proto.query_string) for p in at.get("page_link")]
        assert [q.get("what_if") for q in links] == [None, [EDITS]]

    def test_the_slots_networks_mark_the_edits(self, at):
        drawn = (chart_traces(at, n) for n in range(len(charts(at))))
        record, what_if = [c for c in drawn if any("customdata" in t for t in c)]
        assert not any("what if" in (t.get("name") or "") for t in record)
        assert any("what if" in (t.get("name") or "") for t in what_if)

    def test_the_pairs_are_read_with_the_slots_edits(self, at):
        (table,) = [d.value for d in at.dataframe if "pair" in d.value.columns]
        row = table.set_index("pair").loc["JPN–KOR"]
        changed = apply_what_if(DS, parse_what_if(EDITS, DS, 2023), 2023)
        for n, data in ((1, DS), (2, changed)):
            tie = context(data, 2023, "alliance").ties[DS.index("JPN"), DS.index("KOR")]
            assert row[f"slot {n}"] == f"{tie:.2f}"
        assert row["slot 1"] != row["slot 2"]

    def test_the_brief_holds_the_what_if_rows(self):
        at = open_page(COMPARE, s1=MEMBERS, s2=MEMBERS, w2=EDITS, year="2023")
        _, data = download(at, "cmp_brief")
        assert "what-if" in data.decode("utf-8").lower()

    def test_back_to_the_record(self):
        at = open_page(COMPARE, s1=MEMBERS, s2=MEMBERS, w2=EDITS, year="2023")
        at.button(key="cmp_nowi1").click().run()
        assert "w2" not in address(at)
        assert at.metric[0].value == at.metric[1].value

    def test_a_bad_edit_is_named(self):
        at = open_page(COMPARE, s1="quad", w1="-sens:IND;-sens:XX", year="2023")
        assert "what-if edit w1='-sens:XX'" in link_warning(at)
        assert address(at)["w1"] == "-sens:IND"


class TestTimeline:
    START = 2000
    W1 = "-friction:JPN-KOR;+tie:JPN-KOR:security_agreement:0.6@2010"

    @pytest.fixture(scope="class")
    def at(self) -> AppTest:
        return open_page(TIMELINE, s1=MEMBERS, f1="alliance", w1=self.W1, start=str(self.START))

    def test_a_what_if_line_beside_the_record(self, at):
        lines = plotted(at)
        assert set(lines) == {f"1. {CAMP_DAVID}", f"1. {CAMP_DAVID}, what if"}
        years = range(self.START, DS.latest_year + 1)
        record = cohesion_series(DS, tuple(MEMBERS.split(",")), "alliance", years)
        edits = parse_what_if(self.W1, DS, self.START)
        changed = apply_what_if(DS, edits, self.START)  # from the first year shown
        what_if = cohesion_series(changed, tuple(MEMBERS.split(",")), "alliance", years)
        x, y = lines[f"1. {CAMP_DAVID}"]
        assert np.array_equal(x, record["year"]) and np.allclose(y, record["cohesion"])
        x, y = lines[f"1. {CAMP_DAVID}, what if"]
        assert np.array_equal(x, what_if["year"]) and np.allclose(y, what_if["cohesion"])
        assert not np.allclose(what_if["cohesion"], record["cohesion"])

    def test_the_link_keeps_the_edits(self, at):
        assert address(at)["w1"] == self.W1
        assert link_warning(at) == ""

    def test_the_changes_table_names_the_what_if(self, at):
        (table,) = at.table  # st.table, its text cells escaped as markdown
        assert f"1. {CAMP_DAVID}, what if" in table.value["slot"].map(unescaped).tolist()

    def test_the_series_csv_holds_the_what_if_line(self):
        at = open_page(TIMELINE, s1=MEMBERS, f1="alliance", w1=self.W1, start=str(self.START))
        _, data = download(at, "tl_csv")
        text = data.decode("utf-8")
        assert f"1. {CAMP_DAVID}, what if" in text and f"1. {CAMP_DAVID}," in text

    def test_a_new_first_year_keeps_the_edits_canonical(self):
        at = open_page(TIMELINE, s1=MEMBERS, w1="-sens:KOR@2005", start="2000")
        at.slider(key="tl_start").set_value(2005).run()
        assert address(at)["w1"] == "-sens:KOR"
