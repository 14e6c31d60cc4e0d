"""The finder page through the app (AppTest), its URL state, its cache and its links."""

from __future__ import annotations

from math import comb
from urllib.parse import parse_qs

import pytest
from apptest import FINDER, open_page
from hypothesis import given, settings
from hypothesis import strategies as st

import ui.finder as finder
from model import find_groupings, load_dataset
from model.search import SearchQuery
from ui import cache
from ui.charts import components_by_result
from ui.finder_state import (
    FinderState,
    default_state,
    finder_params,
    parse_finder,
    to_query,
)

DS = load_dataset()
LATEST = DS.latest_year


def model_best(**kwargs) -> list:
    query = SearchQuery(**{"year": LATEST, **kwargs})
    return list(find_groupings(DS, query, max_exhaustive=finder.PAGE_EXHAUSTIVE).results)


def rows_shown(at) -> list[str]:
    """The 'cohesion · members' line of each result, top first."""
    return [m.value for m in at.markdown if " · " in m.value and m.value.startswith("**")]


def captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


def links(at, label: str) -> list[dict[str, list[str]]]:
    return [parse_qs(p.proto.query_string) for p in at.get("page_link") if p.proto.label == label]


class TestLinks:
    def test_default_search_is_four_around_the_us(self):
        at = open_page(FINDER)
        best = model_best(sizes=(4,), require=("USA",))
        assert at.metric[0].value == f"{best[0].cohesion:.1f}"
        assert len(rows_shown(at)) == 10
        assert dict(at.query_params) == {
            "size": "4",
            "require": "USA",
            "framing": "alliance",
            "year": str(LATEST),
            "top": "10",
        }

    def test_a_linked_search_shows_the_models_ranking(self):
        at = open_page(
            FINDER,
            size="3-5",
            require="usa,jpn",
            exclude="CHN",
            framing="dialogue",
            top="5",
            year="2024",
        )
        best = model_best(
            sizes=(3, 4, 5),
            require=("JPN", "USA"),
            exclude=("CHN",),
            framing="dialogue",
            top=5,
            year=2024,
        )
        assert not at.warning
        assert at.metric[0].value == f"{best[0].cohesion:.1f}"
        assert [r.split(" · ")[0] for r in rows_shown(at)] == [
            f"**{b.cohesion:.1f}**" for b in best
        ]
        assert at.query_params["require"] == "JPN,USA"

    def test_regions_and_organisations(self):
        at = open_page(FINDER, size="3", require="", regions="europe", orgs="1", top="50")
        best = model_best(sizes=(3,), regions=("Europe",), with_orgs=True, top=50)
        assert len(rows_shown(at)) == len(best)
        assert at.toggle(key="finder_orgs").value is True
        assert at.multiselect(key="finder_regions").value == ["Europe"]

    def test_every_result_links_to_build_and_compare(self):
        at = open_page(FINDER, size="3", require="USA", top="4")
        best = model_best(sizes=(3,), require=("USA",), top=4)
        builds = links(at, "Build")
        assert [b["members"] for b in builds] == [[",".join(r.members)] for r in best]
        assert all(b["framing"] == ["alliance"] and b["year"] == [str(LATEST)] for b in builds)
        top4 = links(at, "Top 4")[0]
        assert [top4[f"s{i}"] for i in range(1, 5)] == [[",".join(r.members)] for r in best]
        versus = links(at, "vs #1")
        assert versus[0]["s1"] == [",".join(best[0].members)]
        assert versus[0]["s2"] == [",".join(best[1].members)]


class TestWidgets:
    def test_changing_the_size_reruns_the_search_and_the_url(self):
        at = open_page(FINDER, size="4", require="USA")
        assert not at.toggle(key="finder_range").value  # one size: one thumb
        at.slider(key="finder_size_one").set_value(3).run()
        best = model_best(sizes=(3,), require=("USA",))
        assert at.metric[0].value == f"{best[0].cohesion:.1f}"
        assert at.query_params["size"] == "3"
        at.toggle(key="finder_range").set_value(True).run()
        assert at.query_params["size"] == "3-4"
        at.slider(key="finder_size").set_value((3, 5)).run()
        assert at.query_params["size"] == "3-5"
        assert {len(r.split(" · ")[1].split(", ")) for r in rows_shown(at)} <= {3, 4, 5}
        at.toggle(key="finder_range").set_value(False).run()
        assert at.query_params["size"] == "3"
        assert at.slider(key="finder_size_one").value == 3

    def test_excluding_a_required_member_moves_it(self):
        at = open_page(FINDER, size="4", require="USA,JPN")
        at.multiselect(key="finder_exclude").select("JPN").run()
        assert at.query_params["require"] == "USA"
        assert at.query_params["exclude"] == "JPN"
        assert all("JPN" not in r for r in rows_shown(at))

    def test_framing_year_top_and_method(self):
        at = open_page(FINDER, size="3", require="USA")
        at.segmented_control(key="finder_framing").set_value("economic").run()
        at.slider(key="finder_year").set_value(2015).run()
        at.number_input(key="finder_top").set_value(3).run()
        at.radio(key="finder_method").set_value("beam").run()
        assert dict(at.query_params) == {
            "size": "3",
            "require": "USA",
            "framing": "economic",
            "year": "2015",
            "top": "3",
            "method": "beam",
        }
        best = model_best(
            sizes=(3,), require=("USA",), framing="economic", year=2015, top=3, method="beam"
        )
        assert at.metric[0].value == f"{best[0].cohesion:.1f}"
        assert any("Beam search (a heuristic)" in c.value.replace("\\", "") for c in at.caption)

    def test_auto_says_when_a_search_is_too_large_to_prove(self):
        # groupings of k around the United States: C(others, k - 1), from the data's states
        others = sum(1 for a in DS.actors if a.kind == "state") - 1
        small = range(2, others // 2)  # past the middle the counts fall again
        proven = max(k for k in small if comb(others, k - 1) <= finder.PAGE_EXHAUSTIVE)
        over = proven + 1
        at = open_page(FINDER, size=str(over), require="USA", top="3")
        (how,) = [c for c in captions(at) if c.startswith(("Beam", "Exhaustive"))]
        too_many = comb(others, over - 1)
        assert how.startswith(f"Beam search (a heuristic): {too_many:,} groupings are more than ")
        assert f"the {finder.PAGE_EXHAUSTIVE:,} that Auto checks one by one" in how
        assert "not proven the best" in how
        at = open_page(FINDER, size=str(proven), require="USA", top="3")
        (how,) = [c for c in captions(at) if c.startswith(("Beam", "Exhaustive"))]
        assert how.startswith(f"Exhaustive: all {comb(others, proven - 1):,} groupings checked")


BAD = [
    ({"size": "abc"}, "size 'abc'"),
    ({"size": "1"}, "size '1'"),
    ({"size": "5-3"}, "size '5-3'"),
    ({"require": "USA,ZZZ"}, "unknown code(s) in 'require': 'ZZZ'"),
    ({"exclude": "<b>x</b>"}, "'<b>x</b>'"),
    ({"require": "USA", "exclude": "usa"}, "USA both required and excluded"),
    ({"regions": "Atlantis"}, "region 'Atlantis'"),
    ({"orgs": "maybe"}, "orgs 'maybe'"),
    ({"top": "500"}, "top '500'"),
    ({"method": "genetic"}, "method 'genetic'"),
    ({"framing": "military"}, "framing 'military'"),
    ({"year": "1066"}, "year '1066'"),
    ({"colour": "red"}, "unknown parameter(s) 'colour'"),
    ({"size": ["3", "4"]}, "'size' was given 2 times"),
]


@pytest.mark.parametrize(("params", "named"), BAD)
def test_a_bad_link_warns_once_and_still_searches(params, named):
    at = open_page(FINDER, **params)
    assert len(at.warning) == 1
    assert named.replace("\\", "") in at.warning[0].value.replace("\\", "")
    assert at.metric and rows_shown(at)


def test_an_impossible_search_explains_itself():
    at = open_page(FINDER, size="20", require="USA", regions="Oceania")
    assert not at.metric
    assert "larger than the pool" in at.error[0].value


def test_a_search_is_cached_and_an_interrupted_one_is_not(fresh_caches):
    query = SearchQuery((3,), year=LATEST, require=("USA",))

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop

    with pytest.raises(Stop):
        cache.search(DS, query, finder.PAGE_EXHAUSTIVE, stop)
    first = cache.search(DS, query, finder.PAGE_EXHAUSTIVE)
    assert first.result == find_groupings(DS, query, max_exhaustive=finder.PAGE_EXHAUSTIVE)
    assert cache.search(DS, query, finder.PAGE_EXHAUSTIVE) is first


# --------------------------------------------------------------------------- URL state


def test_canonical_params_read_back_unchanged():
    state = FinderState(
        3, 5, ("JPN", "USA"), ("CHN",), ("Europe", "Oceania"), True, "economic", 2020, 7, "beam"
    )
    params = finder_params(state)
    assert params == {
        "size": "3-5",
        "require": "JPN,USA",
        "exclude": "CHN",
        "regions": "Europe,Oceania",
        "orgs": "1",
        "framing": "economic",
        "year": "2020",
        "top": "7",
        "method": "beam",
    }
    assert parse_finder(DS, params) == (state, [])


codes = st.lists(st.sampled_from(DS.codes), max_size=3, unique=True)


@settings(max_examples=150, deadline=None)
@given(
    lo=st.integers(2, 8),
    extra=st.integers(0, 3),
    require=codes,
    exclude=codes,
    regions=st.lists(st.sampled_from(["Europe", "Oceania", "South Asia"]), unique=True),
    orgs=st.booleans(),
    framing=st.sampled_from(["alliance", "dialogue", "economic"]),
    year=st.integers(DS.earliest_year, LATEST),
    top=st.integers(1, 100),
    method=st.sampled_from(["auto", "exhaustive", "beam"]),
)
def test_any_state_round_trips_through_the_url(
    lo, extra, require, exclude, regions, orgs, framing, year, top, method
):
    exclude = [c for c in exclude if c not in require]
    hi = max(lo + extra, len(require))  # the required members always fit
    state = FinderState(
        lo,
        hi,
        tuple(sorted(require)),
        tuple(sorted(exclude)),
        tuple(sorted(regions)),
        orgs,
        framing,
        year,
        top,
        method,
    )
    assert parse_finder(DS, finder_params(state)) == (state, [])


def test_default_state_and_query():
    state = default_state(DS)
    assert state.require == ("USA",) and state.sizes == (4,)
    q = to_query(state)
    assert q.sizes == (4,) and q.require == ("USA",) and q.top == 10


def test_shared_members_counts_each_result_once():
    assert finder.shared_members([("AUS", "USA"), ("JPN", "USA")]) == [
        ("USA", 2),
        ("AUS", 1),
        ("JPN", 1),
    ]


def test_components_figure_adds_up_to_each_cohesion():
    result = find_groupings(DS, SearchQuery((4,), year=LATEST, require=("USA",), top=3))
    fig = components_by_result(result)
    totals = [sum(bar.x[i] for bar in fig.data) for i in range(3)]
    assert totals == pytest.approx([f.cohesion for f in result.results], abs=1e-9)
