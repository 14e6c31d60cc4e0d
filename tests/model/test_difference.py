"""Why two scores differ (model/difference.py): the splits add up to the gap they explain,
and the sentences say it in plain words."""

from __future__ import annotations

import re

import pytest

from model import (
    Scenario,
    Weights,
    context,
    load_dataset,
    parse_what_if,
    scenario,
    score,
)
from model.difference import component_points, difference, pair_points, stretch
from model.scale import raw_cohesion, reported

DS = load_dataset()
YEAR = 2024
PAIRS = [
    ("quad", "squad", None),
    ("quad", "asian_nato", "alliance"),
    ("aukus", "nato_ip4", None),
    ("camp_david", "USA,JPN,KOR,PHL", "dialogue"),
    ("g7", "economic_nato", "economic"),
]


def scored(text: str, framing: str | None, weights: Weights | None = None):
    return score(DS, scenario(DS, text, framing, YEAR, weights))


@pytest.fixture(params=PAIRS, ids=lambda p: f"{p[0]} vs {p[1]}")
def pair(request):
    a, b, framing = request.param
    return scored(a, framing), scored(b, framing)


class TestComponentPoints:
    def test_add_up_to_the_score_inside_the_scales_middle(self, pair):
        # the weighted components stretched onto the reported scale (the waterfall's
        # bars): they add up to the score, and the stretch is the map's ratio of the
        # reported to the raw cohesion
        for r in pair:
            assert 5 < raw_cohesion(r) < 95
            assert sum(component_points(r).values()) == pytest.approx(r.cohesion, abs=1e-9)
            assert float(reported(raw_cohesion(r), r.scenario.framing)) == pytest.approx(
                r.cohesion, abs=1e-9
            )
            assert stretch(r) == pytest.approx(r.cohesion / raw_cohesion(r), abs=1e-9)


class TestPairPoints:
    def test_add_up_to_the_ties_component(self, pair):
        for r in pair:
            s = r.scenario
            tie_w = s.weights.normalised().ties
            held = pair_points(context(DS, s.year, s.framing), s.members, tie_w, stretch(r))
            assert len(held) == len(s.members) * (len(s.members) - 1) // 2
            assert sum(held.values()) == pytest.approx(component_points(r)["ties"], abs=1e-9)

    def test_follow_the_weights(self):
        r = scored("quad", None, Weights(ties=1, connectivity=1, lattice=1, threat=1))
        s = r.scenario
        held = pair_points(context(DS, YEAR, s.framing), s.members, 0.25, stretch(r))
        assert sum(held.values()) == pytest.approx(component_points(r)["ties"], abs=1e-9)


class TestDifference:
    def test_the_gap_is_the_second_score_minus_the_first(self, pair):
        a, b = pair
        assert difference(DS, a, b).delta == pytest.approx(b.cohesion - a.cohesion)

    def test_components_and_limits_add_up_to_the_gap(self, pair):
        a, b = pair
        d = difference(DS, a, b)
        assert sum(d.components.values()) + d.limits == pytest.approx(d.delta, abs=1e-9)
        assert d.limits == pytest.approx(0, abs=1e-9)  # both scores are inside 5-95

    def test_members_add_up_to_the_gap(self, pair):
        a, b = pair
        d = difference(DS, a, b)
        assert {c for c, _ in d.members} == set(a.scenario.members) | set(b.scenario.members)
        assert sum(v for _, v in d.members) == pytest.approx(d.delta, abs=1e-6)

    def test_pairs_add_up_to_the_ties_gap_largest_first(self, pair):
        a, b = pair
        d = difference(DS, a, b)
        assert sum(g.gap for g in d.pairs) == pytest.approx(d.components["ties"], abs=1e-9)
        sizes = [abs(g.gap) for g in d.pairs]
        assert sizes == sorted(sizes, reverse=True)

    def test_a_pair_outside_a_grouping_has_no_tie_there(self):
        a, b = scored("quad", "alliance"), scored("squad", "alliance")
        gaps = {(g.a, g.b): g for g in difference(DS, a, b).pairs}
        assert gaps["IND", "USA"].tie_other is None and gaps["IND", "USA"].points_other == 0
        assert gaps["PHL", "USA"].tie_base is None and gaps["PHL", "USA"].points_base == 0
        assert gaps["JPN", "USA"].tie_base == gaps["JPN", "USA"].tie_other  # same framing

    def test_a_what_if_is_read_with_its_own_edits(self):
        """The record against the same members with a hypothetical tie: the result carries
        its scenario's edits, so the pairs add up to the ties gap."""
        s = scenario(DS, "camp_david", "alliance", YEAR)
        edits = parse_what_if("+tie:JPN-KOR:treaty_alliance:0.9")
        a, b = score(DS, s), score(DS, s.with_edits(edits))
        d = difference(DS, a, b)
        assert sum(g.gap for g in d.pairs) == pytest.approx(d.components["ties"], abs=1e-9)
        (jpn_kor,) = [g for g in d.pairs if (g.a, g.b) == ("JPN", "KOR")]
        assert jpn_kor.tie_other > jpn_kor.tie_base

    def test_a_member_tied_to_nobody_shows_as_the_limit(self):
        a = score(DS, Scenario(("JPN", "USA"), "alliance", YEAR))
        b = score(DS, Scenario(("PRK", "USA"), "alliance", YEAR))
        assert b.cohesion == 0
        d = difference(DS, a, b, "the first", "the second")
        assert d.limits == pytest.approx(d.delta - sum(d.components.values()))
        assert abs(d.limits) > 1
        assert any("no tie with any other member" in s for s in d.sentences)


class TestSentences:
    def test_two_or_three_plain_sentences(self, pair):
        a, b = pair
        d = difference(DS, a, b, "slot 1", "slot 2")
        unlike = a.scenario.framing != b.scenario.framing  # one more: not like for like
        assert 2 <= len(d.sentences) <= 3 + unlike
        assert any(s.startswith("Not like for like: ") for s in d.sentences) == unlike
        way = "higher" if b.cohesion > a.cohesion else "lower"
        assert d.sentences[0] == (
            f"Slot 2 scores {abs(d.delta):.1f} points {way} than slot 1 "
            f"({b.cohesion:.1f} against {a.cohesion:.1f})."
        )
        for line in d.sentences:
            assert not re.search(r"_|framing:|member:|\bpair\(s\)", line), line

    def test_members_are_named_by_their_names(self):
        d = difference(DS, scored("quad", "alliance"), scored("squad", "alliance"))
        members = next(s for s in d.sentences if s.startswith("By member"))
        assert "Philippines, only in the second, adds" in members
        assert "PHL" not in members

    def test_fewer_than_two_members_is_said(self):
        one = score(DS, Scenario(("USA",), "alliance", YEAR))
        d = difference(DS, scored("quad", None), one)
        assert d.delta == 0 and d.sentences == (
            "One of the two groupings has fewer than two members, so there is no gap.",
        )
