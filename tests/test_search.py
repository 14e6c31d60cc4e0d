"""The exhaustive search for the most cohesive groupings, checked against brute force."""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np
import pytest
from builders import dataset, friction, sensitivity, threat, tie

from model import Scenario, best_groupings, score
from model.cohesion import Weights

STATES = ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")
YEAR = 2024


@pytest.fixture(scope="module")
def ds():
    """Six states and an organisation, with ties of distinct strengths and some friction."""
    ties = [
        tie(a, b, round(0.05 + 0.9 * ((i * 7) % 15) / 15, 4))
        for i, (a, b) in enumerate(combinations(STATES, 2))
    ]
    ties += [tie("AAA", "ORG", 1.0), tie("BBB", "ORG", 1.0), tie("CCC", "ORG", 1.0)]
    return dataset(
        codes=STATES, orgs=("ORG",), ties=ties,
        frictions=[friction("AAA", "DDD", 0.5), friction("CCC", "EEE", 0.3)],
        sensitivities=[sensitivity("FFF", "framing:alliance", 0.4)],
        threats=[threat("AAA", "FFF", 0.7), threat("BBB", "FFF", 0.2)],
    )


def brute_force(ds, size, pool, require=(), framing="alliance", weights=Weights()):
    """Every grouping of ``size`` from ``pool`` that holds ``require``, scored one by one."""
    rest = [c for c in pool if c not in require]
    out = {}
    for extra in combinations(rest, size - len(require)):
        members = tuple(sorted((*require, *extra)))
        out[members] = score(ds, Scenario(members, framing, YEAR, weights)).cohesion
    return out


class TestBestGroupings:
    @pytest.mark.parametrize("size", [2, 3, 4, 6])
    @pytest.mark.parametrize("framing", ["alliance", "economic"])
    def test_results_equal_brute_force(self, ds, size, framing):
        expected = brute_force(ds, size, STATES, framing=framing)
        found = best_groupings(ds, size, framing, YEAR, top=len(expected))
        assert dict(found.results) == pytest.approx(expected)
        scores = [c for _, c in found.results]
        assert scores == sorted(scores, reverse=True)
        assert found.exhaustive

    def test_top_keeps_the_best(self, ds):
        expected = brute_force(ds, 3, STATES)
        best = sorted(expected.items(), key=lambda x: (-x[1], x[0]))[:4]
        found = best_groupings(ds, 3, "alliance", YEAR, top=4)
        assert [m for m, _ in found.results] == [m for m, _ in best]
        assert [c for _, c in found.results] == pytest.approx([c for _, c in best])

    def test_require_and_exclude_are_respected(self, ds):
        found = best_groupings(ds, 3, "alliance", YEAR, require=("BBB",), exclude=("AAA", "EEE"),
                               top=100)
        expected = brute_force(ds, 3, [c for c in STATES if c not in ("AAA", "EEE")],
                               require=("BBB",))
        assert dict(found.results) == pytest.approx(expected)
        assert all("BBB" in m and "AAA" not in m and "EEE" not in m for m, _ in found.results)

    def test_custom_weights_are_used(self, ds):
        weights = Weights(ties=0, connectivity=1, lattice=0, threat=0, friction=0, sensitivity=0)
        found = best_groupings(ds, 3, "alliance", YEAR, weights=weights, top=100)
        assert dict(found.results) == pytest.approx(
            brute_force(ds, 3, STATES, weights=weights)
        )

    @pytest.mark.parametrize(
        ("size", "require", "exclude", "with_orgs", "pool", "free"),
        [
            (2, (), (), False, 6, 2),
            (3, (), (), False, 6, 3),
            (3, ("AAA",), (), False, 5, 2),
            (4, ("AAA", "BBB"), ("CCC",), False, 3, 2),
            (3, (), (), True, 7, 3),
            (3, ("ORG",), (), False, 6, 2),  # a required organisation is not in the pool
        ],
    )
    def test_evaluated_counts_every_grouping(self, ds, size, require, exclude, with_orgs,
                                             pool, free):
        found = best_groupings(ds, size, "alliance", YEAR, require=require, exclude=exclude,
                               with_orgs=with_orgs, top=1000)
        assert found.evaluated == comb(pool, free)
        assert len(found.results) == comb(pool, free)

    def test_organisations_only_with_orgs(self, ds):
        states_only = best_groupings(ds, 2, "alliance", YEAR, top=1000)
        with_orgs = best_groupings(ds, 2, "alliance", YEAR, top=1000, with_orgs=True)
        assert not any("ORG" in m for m, _ in states_only.results)
        assert any("ORG" in m for m, _ in with_orgs.results)

    def test_progress_reaches_one(self, ds):
        seen = []
        best_groupings(ds, 3, "alliance", YEAR, progress=seen.append)
        assert seen and seen[-1] == pytest.approx(1.0)
        assert seen == sorted(seen)

    def test_to_json(self, ds):
        found = best_groupings(ds, 2, "alliance", YEAR, top=2)
        out = found.to_json()
        assert set(out) == {"results", "evaluated", "exhaustive"}
        assert out["evaluated"] == comb(6, 2)
        assert [set(r) for r in out["results"]] == [{"members", "cohesion"}] * 2
        assert all(isinstance(r["members"], list) for r in out["results"])

    @pytest.mark.parametrize(
        ("size", "require", "exclude", "message"),
        [
            (1, (), (), "size 1 is too small"),
            (0, (), (), "size 0 is too small"),
            (2, ("AAA", "BBB", "CCC"), (), "3 required members do not fit in a grouping of 2"),
            (7, (), (), "only 6 candidates are left for 7 open places"),
            (4, ("AAA",), ("BBB", "CCC", "DDD"), "only 2 candidates are left for 3 open places"),
        ],
    )
    def test_impossible_sizes_are_refused(self, ds, size, require, exclude, message):
        with pytest.raises(ValueError, match=message):
            best_groupings(ds, size, "alliance", YEAR, require=require, exclude=exclude)

    def test_over_the_limit_is_refused(self, ds, monkeypatch):
        import model.search

        monkeypatch.setattr(model.search, "MAX_EVALUATIONS", 10)
        with pytest.raises(ValueError, match="20 groupings is over the exhaustive limit of 10"):
            best_groupings(ds, 3, "alliance", YEAR)

    def test_required_members_that_fill_the_grouping(self, ds):
        found = best_groupings(ds, 2, "alliance", YEAR, require=("AAA", "BBB"))
        expected = score(ds, Scenario(("AAA", "BBB"), "alliance", YEAR)).cohesion
        assert found.results == ((("AAA", "BBB"), pytest.approx(expected)),)
        assert found.evaluated == 1


def test_the_fixture_tells_groupings_apart(ds):
    # brute-force equality above would prove little if every grouping scored the same
    values = brute_force(ds, 3, STATES)
    assert len(values) == comb(6, 3)
    assert len(set(np.round(list(values.values()), 9))) > 1
