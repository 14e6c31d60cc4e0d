"""The finder: exhaustive search checked against brute force, the bound, the beam heuristic."""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np
import pytest
from builders import dataset, friction, sensitivity, threat, tie
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from worlds import CODES, worlds

from model import Scenario, load_dataset, score
from model.bounds import BatchScorer
from model.cohesion import Weights, build_context, score_groups
from model.schema import FRAMINGS
from model.search import (
    SearchError,
    SearchQuery,
    best_groupings,
    candidate_pool,
    check,
    combination_chunks,
    count_groupings,
    find_groupings,
    parse_sizes,
)

STATES = ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")
YEAR = 2024
REGIONS = {
    "AAA": "Europe",
    "BBB": "Europe",
    "CCC": "Northeast Asia",
    "DDD": "Northeast Asia",
    "EEE": "Oceania",
    "FFF": "South Asia",
    "ORG": "Europe",
}
fast = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def ds():
    """Six states and an organisation, with ties of distinct strengths and some friction."""
    ties = [
        tie(a, b, round(0.05 + 0.9 * ((i * 7) % 15) / 15, 4))
        for i, (a, b) in enumerate(combinations(STATES, 2))
    ]
    ties += [tie("AAA", "ORG", 1.0), tie("BBB", "ORG", 1.0), tie("CCC", "ORG", 1.0)]
    return dataset(
        codes=STATES,
        orgs=("ORG",),
        ties=ties,
        regions=REGIONS,
        frictions=[friction("AAA", "DDD", 0.5), friction("CCC", "EEE", 0.3)],
        sensitivities=[
            sensitivity("FFF", "framing:alliance", 0.4),
            sensitivity("BBB", "member:EEE", 0.6),
        ],
        threats=[threat("AAA", "FFF", 0.7), threat("BBB", "FFF", 0.2), threat("CCC", "DDD", 0.9)],
    )


def brute_force(ds, sizes, pool, require=(), framing="alliance", weights=Weights()):
    """Every grouping of each size from ``pool`` that holds ``require``, scored one by one."""
    rest = [c for c in pool if c not in require]
    out = {}
    for size in sizes:
        for extra in combinations(rest, size - len(require)):
            members = tuple(sorted((*require, *extra)))
            out[members] = score(ds, Scenario(members, framing, YEAR, weights)).cohesion
    return out


def ranked(scores: dict, top: int) -> list[tuple[tuple[str, ...], float]]:
    """Best first; equal scores (to 9 decimals) in the order of their member codes."""
    return sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))[:top]


def found_pairs(result) -> list[tuple[tuple[str, ...], float]]:
    return [(f.members, f.cohesion) for f in result.results]


class TestExhaustive:
    @pytest.mark.parametrize("size", [2, 3, 4, 6])
    @pytest.mark.parametrize("framing", FRAMINGS)
    def test_results_equal_brute_force_exactly(self, ds, size, framing):
        expected = brute_force(ds, (size,), STATES, framing=framing)
        found = find_groupings(ds, SearchQuery((size,), framing, YEAR, top=len(expected)))
        assert found_pairs(found) == ranked(expected, len(expected))  # == : same floats
        assert found.exhaustive and found.method == "exhaustive"
        assert found.evaluated + found.bounded == found.candidates == comb(6, size)

    def test_top_keeps_the_best_and_prunes_the_rest(self, ds):
        expected = brute_force(ds, (3,), STATES)
        found = find_groupings(ds, SearchQuery((3,), top=4))
        assert found_pairs(found) == ranked(expected, 4)

    def test_a_size_range_ranks_all_sizes_together(self, ds):
        expected = brute_force(ds, (2, 3, 4), STATES, require=("AAA",))
        found = find_groupings(ds, SearchQuery((2, 3, 4), require=("AAA",), top=50))
        assert found_pairs(found) == ranked(expected, 50)
        assert found.candidates == comb(5, 1) + comb(5, 2) + comb(5, 3)

    def test_require_and_exclude_are_respected(self, ds):
        found = find_groupings(
            ds, SearchQuery((3,), require=("BBB",), exclude=("AAA", "EEE"), top=100)
        )
        expected = brute_force(
            ds, (3,), [c for c in STATES if c not in ("AAA", "EEE")], require=("BBB",)
        )
        assert found_pairs(found) == ranked(expected, 100)

    def test_regions_limit_the_candidates_not_the_required(self, ds):
        q = SearchQuery((3,), require=("FFF",), regions=("Europe", "Northeast Asia"), top=100)
        found = find_groupings(ds, q)
        assert found_pairs(found) == ranked(
            brute_force(ds, (3,), ["AAA", "BBB", "CCC", "DDD", "FFF"], require=("FFF",)), 100
        )

    def test_custom_weights_are_used(self, ds):
        weights = Weights(ties=0, connectivity=1, lattice=0, threat=0, friction=0, sensitivity=0)
        found = find_groupings(ds, SearchQuery((3,), weights=weights, top=100))
        assert found_pairs(found) == ranked(brute_force(ds, (3,), STATES, weights=weights), 100)

    def test_components_are_those_of_score(self, ds):
        top = find_groupings(ds, SearchQuery((4,), require=("AAA",), top=1)).results[0]
        scored = score(ds, Scenario(top.members, "alliance", YEAR))
        assert top.components == scored.components.as_dict()
        assert top.cohesion == scored.cohesion

    @pytest.mark.parametrize(
        ("size", "require", "exclude", "with_orgs", "pool", "free"),
        [
            (2, (), (), False, 6, 2),
            (3, ("AAA",), (), False, 5, 2),
            (4, ("AAA", "BBB"), ("CCC",), False, 3, 2),
            (3, (), (), True, 7, 3),
            (3, ("ORG",), (), False, 6, 2),  # a required organisation is not in the pool
        ],
    )
    def test_every_grouping_is_scored_or_bounded(
        self, ds, size, require, exclude, with_orgs, pool, free
    ):
        q = SearchQuery((size,), require=require, exclude=exclude, with_orgs=with_orgs, top=5)
        found = find_groupings(ds, q)
        assert len(candidate_pool(ds, check(ds, q))) == pool
        assert found.candidates == count_groupings(ds, check(ds, q)) == comb(pool, free)
        assert found.evaluated + found.bounded == found.candidates
        assert found.evaluated >= len(found.results)

    def test_organisations_only_with_orgs(self, ds):
        states_only = find_groupings(ds, SearchQuery((2,), top=100))
        with_orgs = find_groupings(ds, SearchQuery((2,), top=100, with_orgs=True))
        assert not any("ORG" in f.members for f in states_only.results)
        assert any("ORG" in f.members for f in with_orgs.results)

    def test_required_members_that_fill_the_grouping(self, ds):
        found = find_groupings(ds, SearchQuery((2,), require=("AAA", "BBB")))
        expected = score(ds, Scenario(("AAA", "BBB"), "alliance", YEAR)).cohesion
        assert found_pairs(found) == [(("AAA", "BBB"), expected)]
        assert found.candidates == 1

    def test_progress_counts_up_to_the_total(self, ds):
        seen = []
        find_groupings(
            ds, SearchQuery((3,)), progress=lambda done, total: seen.append((done, total))
        )
        assert seen[-1] == (comb(6, 3), comb(6, 3))
        assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    def test_a_progress_callback_can_stop_the_search(self, ds):
        class Stop(Exception):
            pass

        def stop(done, total):
            raise Stop

        with pytest.raises(Stop):
            find_groupings(ds, SearchQuery((3,)), progress=stop)

    def test_to_json_keeps_the_contract(self, ds):
        out = best_groupings(ds, 2, "alliance", YEAR, top=2).to_json()
        assert {"results", "evaluated", "exhaustive"} <= set(out)
        assert out["exhaustive"] is True and out["method"] == "exhaustive"
        assert out["evaluated"] + out["bounded"] == out["candidates"] == comb(6, 2)
        assert [{"members", "cohesion"} <= set(r) for r in out["results"]] == [True, True]
        assert all(isinstance(r["members"], list) for r in out["results"])

    def test_equal_scores_are_ordered_by_member_codes(self):
        # every pair tied equally: every grouping of a size scores the same
        codes = ("AAA", "BBB", "CCC", "DDD", "EEE")
        flat = dataset(codes=codes, ties=[tie(a, b, 0.5) for a, b in combinations(codes, 2)])
        found = find_groupings(flat, SearchQuery((3,), top=10))
        assert len({f.cohesion for f in found.results}) == 1
        assert [f.members for f in found.results] == list(combinations(codes, 3))
        again = find_groupings(flat, SearchQuery((3,), top=4))
        assert [f.members for f in again.results] == list(combinations(codes, 3))[:4]


BAD_QUERIES = [
    (SearchQuery((1,)), "size 1 is too small"),
    (SearchQuery((0, 1, 2)), "size 0 is too small"),
    (
        SearchQuery((2,), require=("AAA", "BBB", "CCC")),
        "3 required members do not fit in a grouping of 2",
    ),
    (SearchQuery((7,)), "size 7 is larger than the pool: only 6 candidates"),
    (
        SearchQuery((4,), require=("AAA",), exclude=("BBB", "CCC", "DDD")),
        "size 4 is larger than the pool: only 2 candidates are left for 3 open places",
    ),
    (SearchQuery((3,), require=("ZZZ",)), "require: unknown code\\(s\\) 'ZZZ'"),
    (SearchQuery((3,), exclude=("AAA", "QQQ")), "exclude: unknown code\\(s\\) 'QQQ'"),
    (
        SearchQuery((3,), require=("AAA",), exclude=("aaa",)),
        "AAA cannot be both required and excluded",
    ),
    (SearchQuery((3,), regions=("Atlantis",)), "unknown region\\(s\\) 'Atlantis'"),
    (SearchQuery((3,), framing="military"), "framing 'military'"),
    (SearchQuery((3,), method="genetic"), "method 'genetic'"),
    (SearchQuery((3,), top=0), "top 0 is not from 1 to 100"),
    (SearchQuery((3,), top=101), "top 101"),
    (SearchQuery(()), "no size given"),
    (SearchQuery((31,)), "size 31 is over the limit of 30"),
]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
def test_bad_queries_are_refused_with_the_bad_value(ds, query, message):
    with pytest.raises(SearchError, match=message):
        find_groupings(ds, query)


def test_an_exhaustive_search_beyond_the_hard_limit_is_refused(ds, monkeypatch):
    import model.search as search_module

    monkeypatch.setattr(search_module, "HARD_LIMIT", 10)
    with pytest.raises(SearchError, match="20 groupings is over the exhaustive limit of 10"):
        find_groupings(ds, SearchQuery((3,), method="exhaustive"))


def test_auto_switches_to_the_beam_beyond_the_limit(ds):
    found = find_groupings(ds, SearchQuery((3,)), max_exhaustive=10)
    assert found.method == "beam" and not found.exhaustive
    assert found.candidates == 20


@pytest.mark.parametrize(
    ("text", "sizes"), [("5", (5,)), ("4-6", (4, 5, 6)), (" 3 - 3 ", (3,)), ("2-4", (2, 3, 4))]
)
def test_parse_sizes(text, sizes):
    assert parse_sizes(text) == sizes


@pytest.mark.parametrize(
    ("text", "message"), [("x", "'x' is not a number"), ("6-4", "runs backwards"), ("4-", "'4-'")]
)
def test_parse_sizes_refuses(text, message):
    with pytest.raises(SearchError, match=message):
        parse_sizes(text)


@pytest.mark.parametrize(
    ("n", "r", "chunk"), [(5, 2, 3), (7, 3, 4), (10, 4, 7), (6, 0, 2), (6, 6, 1), (12, 5, 50)]
)
def test_combination_chunks_are_itertools_combinations(n, r, chunk):
    pieces = list(combination_chunks(n, r, chunk))
    rows = [tuple(row) for p in pieces for row in p.tolist()]
    assert rows == list(combinations(range(n), r))
    assert all(len(p) <= 2 * chunk + comb(n, r) * (r == 0) for p in pieces)


# --------------------------------------------------------------------------- properties

requires = st.lists(st.sampled_from(CODES), max_size=2, unique=True)
excludes = st.lists(st.sampled_from(CODES), max_size=2, unique=True)


@fast
@given(
    world=worlds(),
    sizes=st.sampled_from([(2,), (3,), (4,), (2, 3), (3, 5)]),
    require=requires,
    exclude=excludes,
    framing=st.sampled_from(FRAMINGS),
    top=st.integers(1, 12),
)
def test_exhaustive_equals_brute_force_on_random_worlds(
    world, sizes, require, exclude, framing, top
):
    ds = dataset(**world)
    q = SearchQuery(sizes, framing, YEAR, tuple(require), tuple(exclude), top=top)
    try:
        found = find_groupings(ds, q)
    except SearchError as err:
        assert (
            set(require) & set(exclude)
            or max(sizes) > len(CODES) - len(exclude)
            or len(require) > min(sizes)
        ), str(err)
        return
    pool = [c for c in CODES if c not in exclude]
    expected = brute_force(
        ds, [s for s in sizes if s >= len(require)], pool, tuple(sorted(require)), framing
    )
    assert found_pairs(found) == ranked(expected, top)
    for f in found.results:  # constraints are never broken
        assert set(require) <= set(f.members) and not set(exclude) & set(f.members)
        assert len(f.members) in sizes


@fast
@given(world=worlds(), size=st.integers(2, 5), require=requires, framing=st.sampled_from(FRAMINGS))
def test_beam_results_are_valid_and_never_beat_the_proof(world, size, require, framing):
    ds = dataset(**world)
    q = SearchQuery((size,), framing, YEAR, tuple(require), top=3)
    if len(require) > size:
        return
    exact = find_groupings(ds, q)
    beam = find_groupings(ds, SearchQuery(**{**q.__dict__, "method": "beam"}))
    assert beam.method == "beam" and not beam.exhaustive
    assert beam.results[0].cohesion <= exact.results[0].cohesion
    for f in beam.results:
        assert set(require) <= set(f.members) and len(f.members) == size
        assert f.cohesion == score(ds, Scenario(f.members, framing, YEAR)).cohesion


@fast
@given(
    world=worlds(),
    framing=st.sampled_from(FRAMINGS),
    k=st.integers(2, 5),
    always=st.lists(st.sampled_from(range(len(CODES))), max_size=1),
)
def test_fast_scores_match_score_groups_and_the_bound_holds(world, framing, k, always):
    ds = dataset(**world)
    ctx = build_context(ds, YEAR, framing)
    groups = np.array([g for g in combinations(range(len(CODES)), k) if set(always) <= set(g)])
    scorer = BatchScorer(ctx, Weights(), tuple(always))
    part = scorer.partial(groups)
    exact = score_groups(ctx, groups, Weights()).cohesion
    assert np.allclose(scorer.exact(part), exact, rtol=0, atol=1e-9)
    assert (part.upper >= exact - 1e-9).all()
    # the screen's bound is never below the full one, and without the exact threat looser
    assert (scorer.screen(groups) >= part.upper - 1e-9).all()
    assert (scorer.screen(groups, np.inf) >= scorer.screen(groups) - 1e-9).all()


# --------------------------------------------------------------------------- built-in data

BEAM_CASES = [
    (f, r, s) for f in ("alliance", "economic") for r in ((), ("USA",), ("IND",)) for s in (3, 5, 7)
]


@pytest.fixture(scope="module")
def builtin():
    return load_dataset()


@pytest.mark.parametrize(("framing", "require", "size"), BEAM_CASES)
def test_beam_finds_the_exhaustive_best_on_the_builtin_data(builtin, framing, require, size):
    q = SearchQuery((size,), framing, builtin.latest_year, require, top=5)
    exact = find_groupings(builtin, q)
    beam = find_groupings(builtin, SearchQuery(**{**q.__dict__, "method": "beam"}))
    assert beam.results[0] == exact.results[0]


def test_the_top_result_equals_its_score_on_the_builtin_data(builtin):
    q = SearchQuery((5,), "alliance", 2024, ("USA",), ("CHN",), top=3)
    found = find_groupings(builtin, q)
    for f in found.results:
        assert f.cohesion == score(builtin, Scenario(f.members, "alliance", 2024)).cohesion
    assert found.bounded > 0  # the bound does rule groupings out on real data
