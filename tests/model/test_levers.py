"""Levers: the menu of single edits, and deltas that equal applying them."""

from __future__ import annotations

import pytest
from builders import dataset, friction, sensitivity, tie

from model import load_dataset, scenario, score
from model.cohesion import DOMAIN_WEIGHTS, context
from model.levers import TOP, lever_menu, levers, main_domain, new_tie_strength
from model.schema import COMMITMENT_LEVEL, DOMAINS, TIE_KINDS
from model.whatif import apply, parse

DS = load_dataset()
SCENARIOS = [
    ("squad", "alliance", 2024, ""),
    ("quad", "dialogue", 2024, "-sens:IND"),
    ("camp_david", "alliance", 2019, ""),
    ("USA,JPN,KOR,AUS,PHL,IND", "alliance", 2024, "+tie:JPN-KOR:treaty_alliance:0.7;-sens:IND"),
    ("economic_nato", "economic", 2022, "+friction:JPN-USA:trade_dispute:0.5@2020"),
    ("asian_nato", "alliance", 2015, ""),
    ("DEU,FRA,JPN,KOR,POL", "economic", 2024, ""),  # ties through the EU and NATO
]


class TestMainDomain:
    @pytest.mark.parametrize("framing", list(DOMAIN_WEIGHTS))
    def test_the_largest_domain_weight(self, framing):
        weights = dict(zip(DOMAINS, DOMAIN_WEIGHTS[framing], strict=True))
        assert weights[main_domain(framing)] == max(weights.values())

    def test_an_alliance_is_about_security(self):
        assert main_domain("alliance") == "security"
        assert main_domain("economic") == "economic"


class TestDeltas:
    @pytest.mark.parametrize("members, framing, year, edits", SCENARIOS)
    def test_applying_a_lever_changes_cohesion_by_its_delta(self, members, framing, year, edits):
        s = scenario(DS, members, framing, year)
        base_edits = parse(edits, DS, year)
        before = score(apply(DS, base_edits, year), s).cohesion
        found = levers(DS, s.with_edits(base_edits), top=None)
        assert found
        for lever in found:
            after = score(apply(DS, (*base_edits, lever.edit), year), s).cohesion
            assert after - before == lever.delta, lever.edit.text()

    @pytest.mark.parametrize("members, framing, year, edits", SCENARIOS)
    def test_best_first_positive_and_five_at_most(self, members, framing, year, edits):
        s = scenario(DS, members, framing, year)
        found = levers(DS, s.with_edits(parse(edits, DS, year)))
        assert 0 < len(found) <= TOP
        deltas = [x.delta for x in found]
        assert deltas == sorted(deltas, reverse=True)
        assert all(d > 0 for d in deltas)
        everything = levers(DS, s.with_edits(parse(edits, DS, year)), top=None)
        assert found == everything[:TOP]

    def test_the_edit_text_reads_back(self):
        s = scenario(DS, "squad", "alliance", 2024)
        for lever in levers(DS, s):
            assert parse(lever.to_json()["edit"], DS, 2024) == (lever.edit,)
            assert lever.to_json() == {"edit": lever.edit.text(), "delta": lever.delta}

    def test_fewer_than_two_members(self):
        assert levers(DS, scenario(DS, "USA", "alliance", 2024)) == ()


class TestMenu:
    """The menu on a hand-built dataset: which edits are offered, and why."""

    DS = dataset(
        codes=("AAA", "BBB", "CCC", "DDD"),
        ties=[
            tie("AAA", "BBB", 0.8, kind="treaty_alliance"),  # already the deepest
            tie("AAA", "CCC", 0.4, kind="exercise"),
            tie("AAA", "CCC", 0.6, kind="intelligence_sharing", until=2010),  # ended
            tie("BBB", "CCC", 0.5, domain="economic", kind="fta"),  # not security
            tie("AAA", "DDD", 0.3, kind="access_agreement"),
            tie("BBB", "DDD", 0.7, kind="access_agreement"),
            tie("CCC", "DDD", 0.2, kind="intelligence_sharing"),
        ],
        frictions=[
            friction("AAA", "CCC", 0.3, kind="trade_dispute"),
            friction("BBB", "CCC", 0.3, kind="political_rift", until=2010),  # ended
            friction("AAA", "DDD", 0.5),  # DDD is not a member
        ],
        sensitivities=[
            sensitivity("CCC", "framing:alliance", 0.4),
            sensitivity("BBB", "framing:economic", 0.4),  # not this framing
            sensitivity("AAA", "member:CCC", 0.2),
            sensitivity("AAA", "member:DDD", 0.2),  # DDD is not a member
        ],
    )

    def test_the_menu(self):
        s = scenario(self.DS, "AAA,BBB,CCC", "alliance", 2024)
        assert [e.text() for e in lever_menu(self.DS, s)] == [
            # exercise (1) is the deepest in force; of the level-2 kinds, access agreements
            # and intelligence sharing have two rows each: the first by name, median 0.5
            "+tie:AAA-CCC:access_agreement:0.5",
            # no security tie: level 1, of which the data has exercises only (0.4)
            "+tie:BBB-CCC:exercise:0.4",
            "-friction:AAA-CCC:trade_dispute",
            "-sens:AAA:member:CCC",
            "-sens:CCC:framing:alliance",
        ]

    def test_the_menu_under_an_economic_framing(self):
        s = scenario(self.DS, "AAA,BBB,CCC", "economic", 2024)
        assert [e.text() for e in lever_menu(self.DS, s)] == [
            # trade intensity is the only level-1 economic kind; none in the data: 0.5
            "+tie:AAA-BBB:trade_intensity:0.5",
            "+tie:AAA-CCC:trade_intensity:0.5",
            # BBB-CCC's FTA (level 3) is no longer the deepest economic kind: a single
            # market or customs union (level 4) is one step deeper; none in the data: 0.5
            "+tie:BBB-CCC:economic_union:0.5",
            "-friction:AAA-CCC:trade_dispute",
            "-sens:AAA:member:CCC",
            "-sens:BBB:framing:economic",
        ]

    def test_a_new_tie_is_one_step_deeper_in_the_main_domain(self):
        for members, framing, year, edits in SCENARIOS:
            s = scenario(DS, members, framing, year)
            full = apply(DS, parse(edits, DS, year), year)
            for e in lever_menu(full, s):
                if e.op != "+tie":
                    continue
                assert TIE_KINDS[e.kind] == main_domain(framing)
                links = context(full, year, framing).links_between(e.actor, e.other)
                deepest = max(
                    (
                        COMMITMENT_LEVEL[link.kind]
                        for link in links
                        if TIE_KINDS[link.kind] == main_domain(framing)
                    ),
                    default=0,
                )
                assert COMMITMENT_LEVEL[e.kind] == deepest + 1
                assert e.value == new_tie_strength(DS, e.kind)

    @pytest.mark.parametrize(
        "kind, strength", [("exercise", 0.4), ("access_agreement", 0.5), ("arms_transfer", 0.5)]
    )
    def test_new_tie_strength_is_the_median_of_the_kind(self, kind, strength):
        assert new_tie_strength(self.DS, kind) == strength
