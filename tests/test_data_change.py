"""A scenario the user built survives a change of data (AppTest): after an edit, an upload
or a reset on the data page, every page comes back with its own scenario, scored on the
new data; codes the new data lacks are left out and named in one warning.

The sidebar's navigation opens a page with an empty address, so the tests empty it before
going back, as a reader's click does.
"""

from __future__ import annotations

import csv
import io

import pytest
from apptest import BUILD, COMPARE, DATA, FINDER, TIMELINE, open_page, unescaped
from streamlit.testing.v1 import AppTest

from model import load_dataset, parse_tables
from model import score as model_score
from model.export import read_dataset_files
from ui.datastore import CUSTOM
from ui.datatable import ACTOR_COLUMNS

BUILTIN = read_dataset_files()
DS = load_dataset()
ASIAN = {"members": "AUS,JPN,PHL,USA", "framing": "alliance", "year": str(DS.latest_year)}
DATA_WARNING = "The data changed; this page kept its scenario and scored it on the new data: "


def mentions(row: dict, columns: tuple[str, ...], code: str) -> bool:
    return any(code in row[c].replace("member:", "").replace(" ", "").split(",") for c in columns)


def without(code: str) -> dict[str, bytes]:
    """The built-in files with every row naming ``code`` taken out (a valid dataset)."""
    out = {}
    for name, raw in BUILTIN.items():
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        kept = [r for r in rows if not mentions(r, ACTOR_COLUMNS[name], code)]
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
        out[name] = text.getvalue().encode("utf-8")
    return out


def halved_ties() -> dict[str, bytes]:
    """The built-in files with every tie's strength halved (so every score moves)."""
    rows = list(csv.DictReader(io.StringIO(BUILTIN["ties.csv"].decode("utf-8-sig"))))
    for r in rows:
        r["strength"] = f"{float(r['strength']) / 2:.3f}"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return {**BUILTIN, "ties.csv": text.getvalue().encode("utf-8")}


def go(at: AppTest, page: str | None) -> AppTest:
    """Open ``page`` from the sidebar: an empty address."""
    at.query_params.clear()
    at.switch_page(page or "views/build.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def use(at: AppTest, files: dict[str, bytes] | None, page: str | None = BUILD) -> AppTest:
    """Put ``files`` in use for the session as the data page does (None: reset to the
    built-in data, from a custom dataset that ``page`` has been scored on first)."""
    if files is None:
        custom = halved_ties()
        at.session_state[CUSTOM] = (custom, parse_tables(custom))
        go(at, page)
        go(at, DATA)
        reset = next(b for b in at.button if b.label == "Reset to the built-in dataset")
        reset.click().run()
    else:
        at.session_state[CUSTOM] = (dict(files), parse_tables(files))
        go(at, DATA)
    assert not at.exception, [e.value for e in at.exception]
    return at


def data_warnings(at: AppTest) -> list[str]:
    return [unescaped(w.value) for w in at.warning if w.value.startswith("The data changed")]


def cohesion(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Cohesion")


class TestBuildKeepsItsScenario:
    @pytest.mark.parametrize("files", [halved_ties(), None], ids=["edited data", "reset"])
    def test_the_scenario_comes_back_scored_on_the_new_data(self, files):
        at = open_page(BUILD, ASIAN, w_threat="0.5", layout="force")
        before = at.session_state["build_state"]
        use(at, files)
        go(at, BUILD)
        assert at.session_state["build_state"] == before
        ds = at.session_state[CUSTOM][1] if files is not None else DS
        expected = model_score(ds, before.scenario()).cohesion
        assert cohesion(at) == f"{expected:.1f}"
        assert dict(at.query_params) == {**ASIAN, "w_threat": "0.5", "layout": "force"}
        assert data_warnings(at) == []

    def test_a_member_the_new_data_lacks_is_left_out_and_named(self):
        at = open_page(BUILD, ASIAN)
        use(at, without("PHL"))
        go(at, BUILD)
        state = at.session_state["build_state"]
        assert state.members == ("AUS", "JPN", "USA")
        assert data_warnings(at) == [DATA_WARNING + "PHL is not in the new data and left out."]
        expected = model_score(at.session_state[CUSTOM][1], state.scenario()).cohesion
        assert cohesion(at) == f"{expected:.1f}"
        assert at.query_params["members"] == "AUS,JPN,USA"

    def test_a_change_answers_the_warning(self):
        at = open_page(BUILD, ASIAN)
        use(at, without("PHL"))
        go(at, BUILD)
        at.segmented_control(key="build_framing").set_value("dialogue").run()
        assert data_warnings(at) == []
        assert at.session_state["build_state"].members == ("AUS", "JPN", "USA")

    def test_a_new_link_after_the_change_is_read_as_a_link(self):
        at = open_page(BUILD, ASIAN)
        use(at, halved_ties())
        at.query_params.clear()
        at.query_params["members"] = "USA,KOR"
        at.switch_page("views/build.py")
        at.run()
        assert at.session_state["build_state"].members == ("KOR", "USA")
        assert data_warnings(at) == []


SLOTS = {"s1": "AUS,JPN,PHL,USA", "s2": "JPN,USA", "f2": "dialogue", "year": "2020"}


@pytest.mark.parametrize(
    "page, params, key, kept",
    [
        (COMPARE, SLOTS, "cmp_state", lambda s: [x.members for x in s.slots]),
        (TIMELINE, {**SLOTS, "start": "2000"}, "tl_state", lambda s: (s.slots, s.start)),
        (
            FINDER,
            {"size": "3", "require": "PHL,USA", "exclude": "CHN", "year": "2020"},
            "finder_state",
            lambda s: (s.require, s.exclude, s.size_min, s.year),
        ),
    ],
    ids=["compare", "timeline", "finder"],
)
class TestEveryPageKeepsItsScenario:
    def test_across_a_change_of_data(self, page, params, key, kept):
        at = open_page(page, params)
        before = kept(at.session_state[key])
        use(at, halved_ties())
        go(at, page)
        assert kept(at.session_state[key]) == before
        assert data_warnings(at) == []

    def test_codes_the_new_data_lacks_are_left_out(self, page, params, key, kept):
        at = open_page(page, params)
        use(at, without("PHL"))
        go(at, page)
        assert "PHL" not in repr(at.session_state[key])
        assert data_warnings(at) == [DATA_WARNING + "PHL is not in the new data and left out."]


class TestResetSentence:
    def test_reset_says_what_happened(self):
        at = open_page(DATA)
        use(at, None)
        assert [unescaped(s.value) for s in at.success] == [
            "This session uses the built-in dataset again. The scenarios on the other pages "
            "are kept and scored on it; members it lacks are left out, with a warning."
        ]
