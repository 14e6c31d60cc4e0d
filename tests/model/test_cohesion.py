"""The cohesion components, each on a tiny dataset whose numbers are checked by hand.

Framing domain weights (security, economic, political): alliance 0.7/0.1/0.2,
dialogue 0.5/0.2/0.3, economic 0.15/0.6/0.25. Default component weights: T 0.30, C 0.10,
L 0.30, H 0.30 (these four sum to 1), F 0.5, S 0.5. Every case below uses year 2024 unless
it says otherwise; builders' rows start in 2000 and never end.

Cohesion is reported on the calibrated scale: ``reported(100 * bounded(weighted sum))``
(model/scale.py). Its knots are refitted on the rating panels, so the hand-checked values
below are worked out on the raw scale (100 * bounded(weighted sum)) and passed through
:func:`model.scale.reported` here, never read off the knots.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from builders import dataset, friction, sensitivity, threat, tie

from model import COMPONENTS, DOMAIN_WEIGHTS, Scenario, score
from model.cohesion import Weights, bounded, build_context, score_groups
from model.scale import raw_cohesion, reported

A, B, C, D, E = "AAA", "BBB", "CCC", "DDD", "EEE"
CODES = (A, B, C, D, E)
YEAR = 2024


def full(a: str, b: str) -> list[dict]:
    """A full-strength tie in every domain: framed strength 1 under any framing."""
    return [
        tie(a, b, 1.0, "security", "treaty_alliance"),
        tie(a, b, 1.0, "economic", "fta"),
        tie(a, b, 1.0, "political", "summit_grouping"),
    ]


def components(members, framing="alliance", year=YEAR, weights=Weights(), **tables) -> dict:
    """The components, cohesion, hub and centralisation of one group, by name."""
    ds = dataset(codes=CODES, **tables)
    ctx = build_context(ds, year, framing)
    g = score_groups(ctx, np.array([[ds.index(m) for m in members]]), weights)
    out = {name: float(getattr(g, name)[0]) for name in (*COMPONENTS, "cohesion")}
    out["hub"] = members[int(g.hub[0])]
    out["centralisation"] = float(g.centralisation[0])
    return out


class TestTies:
    @pytest.mark.parametrize(
        ("ties", "framing", "members", "expected"),
        [
            # one security tie: 0.7 * 0.5
            ([tie(A, B, 0.5)], "alliance", (A, B), 0.35),
            # depth over count: the treaty anchors and the exercise lifts it by half of
            # its strength times the gap to 1: 0.7 * (0.5 + 0.5 * 0.5 * 0.5)
            ([tie(A, B, 0.5), tie(A, B, 0.5, kind="exercise")], "alliance", (A, B), 0.4375),
            # rows of one kind are one commitment at its strongest: 0.7 * 0.5
            ([tie(A, B, 0.5), tie(A, B, 0.3, since=2001)], "alliance", (A, B), 0.35),
            # domains are weighted, not noisy-or'd together: 0.5 * 0.5 + 0.3 * 0.5
            ([tie(A, B, 0.5), tie(A, B, 0.5, "political", "dialogue")], "dialogue", (A, B), 0.4),
            # an economic tie under each framing: alpha_economic * 0.5
            ([tie(A, B, 0.5, "economic", "fta")], "alliance", (A, B), 0.05),
            ([tie(A, B, 0.5, "economic", "fta")], "dialogue", (A, B), 0.10),
            ([tie(A, B, 0.5, "economic", "fta")], "economic", (A, B), 0.30),
            # a political tie under the economic framing: 0.25 * 0.8
            ([tie(A, B, 0.8, "political", "summit_grouping")], "economic", (A, B), 0.20),
            # full strength in every domain is 1 under any framing
            (full(A, B), "alliance", (A, B), 1.0),
            (full(A, B), "economic", (A, B), 1.0),
            # mean over the three pairs of a triple: (0.7 * 0.6 + 0 + 0) / 3
            ([tie(A, B, 0.6)], "alliance", (A, B, C), 0.14),
            # ties to non-members do not count
            ([tie(A, B, 0.6), tie(C, D, 1.0)], "alliance", (A, B), 0.42),
        ],
    )
    def test_mean_framed_tie_over_pairs(self, ties, framing, members, expected):
        assert components(members, framing, ties=ties)["ties"] == pytest.approx(expected)

    @pytest.mark.parametrize(
        ("ties", "expected"),
        [
            # a single market or customs union (level 4) anchors up to the ceiling 1: the
            # FTA lifts it by half its strength times the gap to 1; economic framing 0.6 *
            # (0.6 + 0.5 * 0.5 * (1 - 0.6)) = 0.6 * 0.7
            (
                [tie(A, B, 0.6, "economic", "economic_union"), tie(A, B, 0.5, "economic", "fta")],
                0.42,
            ),
            # the same strengths with a bare FTA (level 3) anchoring, ceiling 0.75: 0.6 *
            # (0.6 + 0.5 * 0.5 * (0.75 - 0.6)) = 0.6 * 0.6375
            (
                [
                    tie(A, B, 0.6, "economic", "fta"),
                    tie(A, B, 0.5, "economic", "economic_partnership"),
                ],
                0.6 * 0.6375,
            ),
        ],
        ids=["economic-union", "fta"],
    )
    def test_an_economic_union_reaches_above_a_free_trade_agreement(self, ties, expected):
        assert components((A, B), "economic", ties=ties)["ties"] == pytest.approx(expected)

    def test_an_organisations_economic_union_counts_for_its_members(self):
        # A and B are members of ORG, which has a customs union with C at 0.8: A-C and B-C
        # each get it (economic framing: 0.6 * 0.8), as they would an FTA of ORG's
        ds = dataset(
            codes=CODES,
            orgs=("ORG",),
            ties=[
                tie(A, "ORG", 1.0, "political", "membership"),
                tie(B, "ORG", 1.0, "political", "membership"),
                tie("ORG", C, 0.8, "economic", "economic_union"),
            ],
        )
        ctx = build_context(ds, YEAR, "economic")
        for member in (A, B):
            assert ctx.ties[ds.index(member), ds.index(C)] == pytest.approx(0.48)
            assert [lk.kind for lk in ctx.links_between(member, C)] == ["economic_union"]
            assert ctx.links_between(member, C)[0].via == "ORG"

    @pytest.mark.parametrize("framing", sorted(DOMAIN_WEIGHTS))
    def test_framing_weights_sum_to_one(self, framing):
        assert sum(DOMAIN_WEIGHTS[framing]) == pytest.approx(1.0)

    def test_domain_matrices_hold_the_depth_over_count_per_domain(self):
        ds = dataset(
            codes=CODES,
            ties=[
                tie(A, B, 0.5),
                tie(A, B, 0.2, kind="exercise"),
                tie(A, B, 0.4, "economic", "fta"),
            ],
        )
        ctx = build_context(ds, YEAR, "alliance")
        i, j = ds.index(A), ds.index(B)
        # security 0.5 + (1 - 0.5) * 0.5 * 0.2 = 0.55; economic 0.4; political 0; symmetric
        assert ctx.domain_ties[:, i, j] == pytest.approx([0.55, 0.4, 0.0])
        assert ctx.domain_ties[:, j, i] == pytest.approx([0.55, 0.4, 0.0])
        # framed: 0.7 * 0.55 + 0.1 * 0.4 = 0.425
        assert ctx.ties[i, j] == pytest.approx(0.425)
        assert np.diag(ctx.ties) == pytest.approx(np.zeros(len(CODES)))

    def test_unknown_framing_is_refused(self):
        with pytest.raises(ValueError, match="unknown framing 'war'"):
            build_context(dataset(codes=CODES), YEAR, "war")


class TestConnectivity:
    @pytest.mark.parametrize(
        ("ties", "members", "expected"),
        [
            # pair of strength w: Laplacian [[w, -w], [-w, w]] has eigenvalues 0, 2w; 2w / 2
            ([tie(A, B, 1.0)], (A, B), 0.7),
            # no tie at all: the graph is split
            ([tie(A, B, 0.0)], (A, B), 0.0),
            # A-B strong, C on its own: split, lambda2 = 0
            ([tie(A, B, 1.0)], (A, B, C), 0.0),
            # two camps A-B and C-D with no tie across: lambda2 = 0
            ([tie(A, B, 1.0), tie(C, D, 1.0)], (A, B, C, D), 0.0),
            # complete full-strength triangle: lambda2 of K3 is 3; 3 / 3
            (full(A, B) + full(A, C) + full(B, C), (A, B, C), 1.0),
            # complete full-strength K4: lambda2 = 4; 4 / 4
            (
                full(A, B) + full(A, C) + full(A, D) + full(B, C) + full(B, D) + full(C, D),
                (A, B, C, D),
                1.0,
            ),
            # triangle of 0.7 ties: lambda2 = 3 * 0.7; / 3
            ([tie(A, B, 1.0), tie(A, C, 1.0), tie(B, C, 1.0)], (A, B, C), 0.7),
            # path B-A-C with weights a = 0.3 (economic 1 + political 1) and b = 0.8
            # (security 1 + economic 1): lambda = (a + b) -+ sqrt(a^2 - ab + b^2)
            # = 1.1 - sqrt(0.09 - 0.24 + 0.64) = 1.1 - 0.7 = 0.4; / 3
            (
                [
                    tie(A, B, 1.0, "economic", "fta"),
                    tie(A, B, 1.0, "political", "dialogue"),
                    tie(A, C, 1.0),
                    tie(A, C, 1.0, "economic", "fta"),
                ],
                (A, B, C),
                0.4 / 3,
            ),
        ],
    )
    def test_algebraic_connectivity_over_member_count(self, ties, members, expected):
        assert components(members, ties=ties)["connectivity"] == pytest.approx(expected, abs=1e-12)


class TestLattice:
    @pytest.mark.parametrize(
        ("ties", "members", "expected"),
        [
            # two members: L = T = 0.7 * 0.5
            ([tie(A, B, 0.5)], (A, B), 0.35),
            # pure star around A: without the hub no tie is left
            ([tie(A, B, 1.0), tie(A, C, 1.0), tie(A, D, 1.0)], (A, B, C, D), 0.0),
            # triangle of 0.7: pair sum 2.1 minus hub degree 1.4, over C(2, 2) = 1 pair
            ([tie(A, B, 1.0), tie(A, C, 1.0), tie(B, C, 1.0)], (A, B, C), 0.7),
            # star around A plus one spoke-to-spoke tie B-C (all 0.7): degrees A 2.1,
            # B 1.4, C 1.4, D 0.7; pair sum 2.8; (2.8 - 2.1) / C(3, 2) = 0.7 / 3
            (
                [tie(A, B, 1.0), tie(A, C, 1.0), tie(A, D, 1.0), tie(B, C, 1.0)],
                (A, B, C, D),
                0.7 / 3,
            ),
        ],
    )
    def test_mean_tie_without_the_hub(self, ties, members, expected):
        assert components(members, ties=ties)["lattice"] == pytest.approx(expected, abs=1e-12)

    def test_two_members_lattice_equals_ties(self):
        got = components((A, B), ties=[tie(A, B, 0.3), tie(A, B, 0.9, "economic", "fta")])
        assert got["lattice"] == pytest.approx(got["ties"])

    def test_star_reports_hub_and_full_centralisation(self):
        # Freeman: sum(max degree - degree) = 3 * (2.1 - 0.7) = 4.2 over (k-1)(k-2) = 6
        got = components((B, A, D, C), ties=[tie(A, B, 1.0), tie(A, C, 1.0), tie(A, D, 1.0)])
        assert got["hub"] == A
        assert got["centralisation"] == pytest.approx(0.7)


class TestSharedThreat:
    """H is the mean over member pairs of agreement * (0.5 + 0.5 * common): agreement is
    1 minus the mean gap over the outside targets both members hold a view of (a level
    above 0; 1 when there is none), common the highest level both see in one outside
    target (the lower of the two). A member with no row on a target, or a row at 0, holds
    no view: it neither agrees nor differs, and shares no threat there. With no common
    threat at all H is 0.5, not 1: two states that agree only in fearing nothing share no
    purpose a grouping could serve. A pair's share is also times 1 minus the threat either
    member sees in the other: a rival inside shares no threat outlook."""

    @pytest.mark.parametrize(
        ("threats", "members", "expected"),
        [
            # no threat data at all: agreement 1, common 0: 1 * (0.5 + 0) (was 1)
            ([], (A, B), 0.5),
            # one target outside: agreement 1 - |0.8 - 0.2| = 0.4, common min(0.8, 0.2)
            # = 0.2: 0.4 * (0.5 + 0.1)
            ([threat(A, D, 0.8), threat(B, D, 0.2)], (A, B), 0.24),
            # one shared full threat: agreement 1, common 1: H reaches 1 only so
            ([threat(A, D, 1.0), threat(B, D, 1.0)], (A, B), 1.0),
            # agreeing on a mild threat counts little more than half: 1 * (0.5 + 0.05)
            ([threat(A, D, 0.1), threat(B, D, 0.1)], (A, B), 0.55),
            # a member with no row on a target holds no view (it used to count as 0, H 0.4):
            # no target both view, agreement 1; common min(0.6, 0) = 0: 0.5
            ([threat(A, D, 0.6)], (A, B), 0.5),
            # two targets: gaps 0.6 (D) and 0.4 (E) over 2 views, agreement 1 - 0.5 = 0.5;
            # common max(min(0.8, 0.2), min(0.5, 0.1)) = 0.2: 0.5 * 0.6
            (
                [threat(A, D, 0.8), threat(B, D, 0.2), threat(A, E, 0.5), threat(B, E, 0.1)],
                (A, B),
                0.3,
            ),
            # a target only one of the pair views leaves the other's agreement alone but
            # may give no common threat: D as in the case of 0.24, plus A alone on E at 0.9
            (
                [threat(A, D, 0.8), threat(B, D, 0.2), threat(A, E, 0.9)],
                (A, B),
                0.24,
            ),
            # three members on D (0.9, 0.5, 0.1): AB agreement 0.6, common 0.5 -> 0.45;
            # AC 0.2, common 0.1 -> 0.11; BC 0.6, common 0.1 -> 0.33; mean 0.89 / 3
            ([threat(A, D, 0.9), threat(B, D, 0.5), threat(C, D, 0.1)], (A, B, C), 0.89 / 3),
            # C is a target but a member: left out of the views (were it counted, AB
            # would differ by |1 - 0.2| on C); everyone agrees on D at 0.5: 1 * (0.5 +
            # 0.25) for each pair, times 1 minus the threat either sees in the other: AB
            # 0.75, AC 0 (A fears C at 1), BC 0.75 * 0.8; mean 1.35 / 3
            (
                [
                    threat(A, C, 1.0),
                    threat(B, C, 0.2),
                    threat(A, D, 0.5),
                    threat(B, D, 0.5),
                    threat(C, D, 0.5),
                ],
                (A, B, C),
                0.45,
            ),
            # ... while outside the grouping C does count: gaps 0.8 (C) and 0 (D) over
            # 2 views, agreement 0.6; common max(min(1, 0.2), 0.5) = 0.5: 0.6 * 0.75
            (
                [threat(A, C, 1.0), threat(B, C, 0.2), threat(A, D, 0.5), threat(B, D, 0.5)],
                (A, B),
                0.45,
            ),
            # ... but B's row at 0 on C is no view (it used to be a gap of 1, H 0.5): only D
            # is viewed by both, agreement 1, common 0.5: 0.75
            (
                [threat(A, C, 1.0), threat(B, C, 0.0), threat(A, D, 0.5), threat(B, D, 0.5)],
                (A, B),
                0.75,
            ),
            # every target inside the grouping: no outside view, no common threat, 0.5
            # (was 1), times 1 minus the threat A sees in B (1): a pair of which one fears
            # the other shares no threat outlook (B's row at 0 is no view)
            ([threat(A, B, 1.0), threat(B, A, 0.0)], (A, B), 0.0),
            # ... and as far as the fear goes: 0.5 * (1 - 0.4)
            ([threat(A, B, 0.4)], (A, B), 0.3),
        ],
    )
    def test_mean_pairwise_similarity_of_threat_views(self, threats, members, expected):
        assert components(members, threats=threats)["threat"] == pytest.approx(expected)

    @staticmethod
    def sentence(members, threats) -> str:
        ties = [tie(a, b, 0.8) for a, b in itertools.pairwise(members)]
        ds = dataset(codes=CODES, ties=ties, threats=threats)
        (line,) = [
            x
            for x in score(ds, Scenario(members, "alliance", YEAR)).explanation
            if x.startswith("Shared threat")
        ]
        return line

    def test_the_explanation_names_members_who_fear_one_another(self):
        ds = dataset(codes=CODES)
        a, c = ds.actor(A).name, ds.actor(C).name
        line = self.sentence((A, B, C), [threat(A, C, 0.8), threat(B, C, 0.4), threat(C, B, 0.2)])
        assert f"{a} sees {c} as a threat (0.80 of 1), so the two share no threat outlook" in line
        assert "and 1 more pair of members likewise" in line  # B fears C at 0.4; C-B is 0.2
        # a view under a real threat (0.3) is not named
        assert "as a threat (" not in self.sentence((A, B, C), [threat(A, C, 0.2)])

    def test_the_explanation_says_when_only_some_members_share_a_real_threat(self):
        ds = dataset(codes=CODES)
        a, b, d = (ds.actor(x).name for x in (A, B, D))
        line = self.sentence((A, B, C), [threat(A, D, 0.8), threat(B, D, 0.6), threat(C, D, 0.1)])
        assert f"only some of them share a real threat: {a} and {b} see {d} as one" in line
        line = self.sentence((A, B, C), [threat(A, D, 0.8), threat(C, D, 0.1)])
        assert "no two of them are recorded as seeing the same country as a real threat" in line


def quarrel(a: str, b: str, severity: float, **kw) -> dict:
    """A friction wholly in the security domain: under the alliance framing (security
    weight 1) its framed value is its severity."""
    return friction(a, b, severity, kind="military_confrontation", **kw)


class TestFriction:
    @pytest.mark.parametrize(
        ("frictions", "members", "expected"),
        [
            ([quarrel(A, B, 0.4)], (A, B), 0.4),
            # two frictions in one domain, noisy-or: 1 - 0.5 * 0.5
            ([quarrel(A, B, 0.5), quarrel(A, B, 0.5, since=2001)], (A, B), 0.75),
            # one pair of three: mean 0.6 / 3 = 0.2; A and B each quarrel 0.3 on average
            # with the others, the worst member; (0.2 + 0.3) / 2
            ([quarrel(A, B, 0.6)], (A, B, C), 0.25),
            # AB 1 - 0.8 * 0.5 = 0.6, BC 0.3: mean 0.3; B's average (0.6 + 0.3) / 2 = 0.45
            # is the worst; (0.3 + 0.45) / 2
            (
                [quarrel(A, B, 0.2), quarrel(A, B, 0.5, since=2001), quarrel(B, C, 0.3)],
                (A, B, C),
                0.375,
            ),
            # friction with a non-member does not count
            ([quarrel(A, C, 0.9)], (A, B), 0.0),
        ],
    )
    def test_mean_and_worst_member_friction(self, frictions, members, expected):
        assert components(members, frictions=frictions)["friction"] == pytest.approx(expected)

    @pytest.mark.parametrize(
        ("kind", "framing", "expected"),
        [
            # framing weights of friction domains (security, economic, political):
            # alliance 1 / 0.4 / 0.5, dialogue 1 / 0.58 / 0.72, economic 0.475 / 1 / 0.59
            ("military_confrontation", "alliance", 0.8),
            ("military_confrontation", "economic", 0.8 * 0.475),
            ("trade_dispute", "alliance", 0.8 * 0.4),
            ("trade_dispute", "economic", 0.8),
            # a political rift is 0.2 security, 0.8 political: the worst framed domain
            ("political_rift", "alliance", max(0.8 * 0.2, 0.8 * 0.8 * 0.5)),
            ("political_rift", "dialogue", max(0.8 * 0.2, 0.8 * 0.8 * (0.3 + 0.7 * 0.3 / 0.5))),
        ],
    )
    def test_frictions_are_framed_by_their_domain(self, kind, framing, expected):
        got = components((A, B), framing, frictions=[friction(A, B, 0.8, kind=kind)])
        assert got["friction"] == pytest.approx(expected)

    def test_a_member_the_other_sees_as_a_threat_is_a_security_friction(self):
        # B rates A a threat of 0.7: the pair's friction under an alliance is 0.7
        got = components((A, B), threats=[threat(B, A, 0.7)])
        assert got["friction"] == pytest.approx(0.7)


class TestSensitivity:
    """S is half the pillar-weighted mean of the members' unease (noisy-or of framing and
    member triggers) and half the largest unease with the framing alone: the most
    reluctant member can refuse what the framing asks. Unease about a fellow member
    counts in the mean only."""

    @pytest.mark.parametrize(
        ("sensitivities", "framing", "members", "expected"),
        [
            # A uneasy about an alliance: mean over members (0.6 + 0) / 2 = 0.3, largest
            # framing unease 0.6: (0.3 + 0.6) / 2
            ([sensitivity(A, "framing:alliance", 0.6)], "alliance", (A, B), 0.45),
            # ... but not about a dialogue
            ([sensitivity(A, "framing:alliance", 0.6)], "dialogue", (A, B), 0.0),
            ([sensitivity(A, "framing:dialogue", 0.6)], "dialogue", (A, B), 0.45),
            # A uneasy when C is in: not triggered without C
            ([sensitivity(A, "member:CCC", 0.5)], "alliance", (A, B), 0.0),
            # ... triggered with C: in the mean only, 0.5 / 3; no framing unease: / 2
            ([sensitivity(A, "member:CCC", 0.5)], "alliance", (A, B, C), 0.5 / 6),
            # framing and member triggers combine by noisy-or in the mean: 1 - 0.5 * 0.5
            # = 0.75, / 3 = 0.25; the largest framing unease is A's 0.5 alone (the member
            # trigger is left out of it): (0.25 + 0.5) / 2
            (
                [sensitivity(A, "framing:alliance", 0.5), sensitivity(A, "member:CCC", 0.5)],
                "alliance",
                (A, B, C),
                0.375,
            ),
            # two members uneasy: A 0.4 (framing), C 0.8 about B; mean (0.4 + 0 + 0.8) / 3
            # = 0.4; the largest framing unease is A's 0.4 (C's is about B): (0.4 + 0.4) / 2
            (
                [sensitivity(A, "framing:dialogue", 0.4), sensitivity(C, "member:BBB", 0.8)],
                "dialogue",
                (A, B, C),
                0.4,
            ),
            # the same under the economic framing, where A's unease is exposure: no member
            # fears anyone, so the bloc stands against no one and A's unease counts 0; C's
            # unease about B stays: mean 0.8 / 3, largest framing unease 0: 0.8 / 6
            (
                [sensitivity(A, "framing:economic", 0.4), sensitivity(C, "member:BBB", 0.8)],
                "economic",
                (A, B, C),
                0.8 / 6,
            ),
            # the most reluctant member is not diluted by more members: A's framing unease
            # 0.6 with four others at 0: mean 0.6 / 5 = 0.12, largest 0.6: (0.12 + 0.6) / 2
            ([sensitivity(A, "framing:alliance", 0.6)], "alliance", CODES, 0.36),
        ],
    )
    def test_mean_triggered_sensitivity(self, sensitivities, framing, members, expected):
        got = components(members, framing, sensitivities=sensitivities)
        assert got["sensitivity"] == pytest.approx(expected)

    @pytest.mark.parametrize(
        ("views", "e_inside", "expected"),
        [
            # A and B both fear E, at 0.5 and 0.8: the bloc faces E at 0.5 (the level both
            # reach), so A's 0.6 counts 0.3: mean 0.3 / 2, largest 0.3: (0.15 + 0.3) / 2
            ([(A, E, 0.5), (B, E, 0.8)], False, 0.225),
            # only A fears E: no common front, A's unease counts 0
            ([(A, E, 0.9)], False, 0.0),
            # both fear E fully: A's unease counts whole, (0.3 + 0.6) / 2
            ([(A, E, 1.0), (B, E, 1.0)], False, 0.45),
            # E inside the bloc: it is no front (A's fear of E is not the bloc's)
            ([(A, E, 1.0), (B, E, 1.0)], True, 0.0),
        ],
    )
    def test_economic_unease_counts_as_far_as_the_bloc_faces_a_common_threat(
        self, views, e_inside, expected
    ):
        """Under the economic framing a member's unease with it is exposure to a third
        country's pressure: it bites as far as the bloc stands against a threat every
        member sees (the highest level all of them reach in one outside country)."""
        ties = [tie(A, B, 0.8, "economic", "fta")]
        ties += [tie(A, E, 0.5, "economic", "fta"), tie(B, E, 0.5, "economic", "fta")]
        got = components(
            (A, B, E) if e_inside else (A, B),
            "economic",
            ties=ties,
            threats=[threat(a, t, level) for a, t, level in views],
            sensitivities=[sensitivity(A, "framing:economic", 0.6)],
        )
        assert got["sensitivity"] == pytest.approx(expected)

    def test_veto_risk_is_the_most_uneasy_member(self):
        ds = dataset(
            codes=CODES,
            sensitivities=[
                sensitivity(A, "framing:alliance", 0.5),
                sensitivity(A, "member:CCC", 0.5),
                sensitivity(B, "framing:alliance", 0.6),
            ],
        )
        result = score(ds, Scenario((A, B, C), "alliance", YEAR))
        # A: 1 - 0.5 * 0.5 = 0.75 beats B's 0.6
        assert result.veto_risk == (A, pytest.approx(0.75))
        assert result.member_sensitivity == pytest.approx({A: 0.75, B: 0.6, C: 0.0})
        # S: mean (0.75 + 0.6 + 0) / 3 = 0.45; the largest unease with the framing alone is
        # B's 0.6 (A's is 0.5: its unease about C counts in the mean only): (0.45 + 0.6) / 2
        assert result.components.sensitivity == pytest.approx(0.525)


class TestYearFilter:
    @pytest.mark.parametrize(
        ("year", "active"),
        [(2009, False), (2010, True), (2013, True), (2015, True), (2016, False)],
    )
    def test_rows_count_from_since_to_until_inclusive(self, year, active):
        # every table has one row valid 2010-2015 (threats two: a view only one member
        # holds would change nothing, since a silent member neither agrees nor differs)
        got = components(
            (A, B),
            year=year,
            ties=[tie(A, B, 1.0, since=2010, until=2015)],
            frictions=[quarrel(A, B, 0.4, since=2010, until=2015)],
            sensitivities=[sensitivity(A, "framing:alliance", 0.6, since=2010, until=2015)],
            threats=[
                threat(A, C, 1.0, since=2010, until=2015),
                threat(B, C, 0.2, since=2010, until=2015),
            ],
        )
        # in force: S = (mean 0.3 + largest 0.6) / 2 = 0.45; H = agreement 1 - 0.8 = 0.2
        # times (0.5 + 0.5 * min(1, 0.2)) = 0.12. Out of force: no threat at all, H = 0.5
        expected = (
            {"ties": 0.7, "friction": 0.4, "sensitivity": 0.45, "threat": 0.12}
            if active
            else {"ties": 0.0, "friction": 0.0, "sensitivity": 0.0, "threat": 0.5}
        )
        assert {k: got[k] for k in expected} == pytest.approx(expected)

    def test_blank_until_is_still_in_force(self):
        assert components((A, B), year=2100, ties=[tie(A, B, 1.0)])["ties"] == pytest.approx(0.7)

    def test_the_rows_between_two_actors_are_those_in_force_in_either_order(self):
        ds = dataset(
            codes=CODES,
            ties=[tie(A, B, 0.2, since=2000, until=2009), tie(B, A, 0.8, since=2010)],
            frictions=[
                quarrel(A, B, 0.4, until=2009),
                quarrel(B, A, 0.3, since=2010),
                quarrel(A, C, 0.5),
            ],
        )
        ctx = build_context(ds, 2010, "alliance")
        assert [t.strength for t in ctx.ties_between(A, B)] == [0.8]
        assert [f.severity for f in ctx.frictions_between(B, A)] == [0.3]
        assert ctx.frictions_between(A, C) == ctx.frictions_between(C, A) != ()
        assert ctx.ties_between(B, C) == ctx.frictions_between(B, C) == ()

    def test_later_row_replaces_an_ended_one(self):
        ties = [tie(A, B, 0.2, since=2000, until=2009), tie(A, B, 0.8, since=2010)]
        assert components((A, B), year=2009, ties=ties)["ties"] == pytest.approx(0.14)
        assert components((A, B), year=2010, ties=ties)["ties"] == pytest.approx(0.56)


# The path B-A-C (0.3 and 0.8) with a friction B-C 0.4: the hand-checked case of
# TestCohesion (raw cohesion 19).
PATH = {
    "ties": [
        tie(A, B, 1.0, "economic", "fta"),
        tie(A, B, 1.0, "political", "dialogue"),
        tie(A, C, 1.0),
        tie(A, C, 1.0, "economic", "fta"),
    ],
    "frictions": [quarrel(B, C, 0.4)],
}


class TestCohesion:
    # ``expected_raw`` is 100 * bounded(weighted sum), worked by hand; the reported
    # cohesion is its image on the calibrated scale, reported(expected_raw)
    @pytest.mark.parametrize(
        ("tables", "members", "weights", "expected_raw"),
        [
            # pair at 0.7: T = C = L = 0.7, no threat so H = 0.5;
            # 100 * (0.3 * 0.7 + 0.1 * 0.7 + 0.3 * 0.7 + 0.3 * 0.5) = 100 * (0.49 + 0.15) = 64
            ({"ties": [tie(A, B, 1.0)]}, (A, B), Weights(), 64.0),
            # ... with friction 0.4: 64 - 100 * 0.5 * 0.4 = 44
            (
                {"ties": [tie(A, B, 1.0)], "frictions": [quarrel(A, B, 0.4)]},
                (A, B),
                Weights(),
                44.0,
            ),
            # ... with A's alliance unease 0.6: S = (0.3 + 0.6) / 2 = 0.45;
            # 64 - 100 * 0.3 * 0.45 = 50.5
            (
                {
                    "ties": [tie(A, B, 1.0)],
                    "sensitivities": [sensitivity(A, "framing:alliance", 0.6)],
                },
                (A, B),
                Weights(),
                50.5,
            ),
            # path B-A-C (0.3, 0.8) with friction B-C 0.4: T = 1.1 / 3, C = 0.4 / 3, L = 0
            # (A is the hub), H = 0.5; F = (mean 0.4 / 3 + worst member 0.2) / 2 = 1 / 6;
            # 0.3 * 1.1 / 3 + 0.1 * 0.4 / 3 + 0.3 * 0.5 - 0.5 / 6
            # = (0.33 + 0.04 + 0.45 - 0.25) / 3 = 0.19
            (
                PATH,
                (A, B, C),
                Weights(),
                19.0,
            ),
            # complete full-strength triangle sharing a full threat (D at 1 for all, so
            # H = 1; with no threat H would be 0.5): every positive component is 1;
            # 100 is a limit, not a clip: 100 * (1 - 0.05 * exp(-1))
            (
                {
                    "ties": full(A, B) + full(A, C) + full(B, C),
                    "threats": [threat(A, D, 1.0), threat(B, D, 1.0), threat(C, D, 1.0)],
                },
                (A, B, C),
                Weights(),
                100 * (1 - 0.05 * np.exp(-1)),
            ),
            # ... and with no threat at all: 100 * (0.3 + 0.1 + 0.3 + 0.3 * 0.5) = 85
            ({"ties": full(A, B) + full(A, C) + full(B, C)}, (A, B, C), Weights(), 85.0),
            # no ties, total disagreement on D, friction 1: a member tied to nobody, 0
            (
                {
                    "ties": [tie(A, B, 0.0)],
                    "threats": [threat(A, D, 1.0)],
                    "frictions": [quarrel(A, B, 1.0)],
                },
                (A, B),
                Weights(),
                0.0,
            ),
            # custom weights: positive ties 2 and threat 2 become 0.5 / 0.5; F keeps 1:
            # 100 * (0.5 * 0.7 + 0.5 * 0.5 - 1 * 0.4) = 20
            (
                {"ties": [tie(A, B, 1.0)], "frictions": [quarrel(A, B, 0.4)]},
                (A, B),
                Weights(ties=2, connectivity=0, lattice=0, threat=2, friction=1, sensitivity=0),
                20.0,
            ),
            # only connectivity counts: 100 * 0.7
            (
                {"ties": [tie(A, B, 1.0)]},
                (A, B),
                Weights(ties=0, connectivity=3, lattice=0, threat=0, friction=0, sensitivity=0),
                70.0,
            ),
            # defaults times ten give the same positive shares: still 64
            (
                {"ties": [tie(A, B, 1.0)]},
                (A, B),
                Weights(ties=3, connectivity=1, lattice=3, threat=3),
                64.0,
            ),
        ],
    )
    def test_weighted_sum_on_a_bounded_scale(self, tables, members, weights, expected_raw):
        got = components(members, weights=weights, **tables)
        assert got["cohesion"] == pytest.approx(float(reported(expected_raw, "alliance")))

    def test_score_reports_the_raw_cohesion_behind_the_scale(self):
        # the path case above: raw 19, reported(19); raw_cohesion undoes the map
        result = score(dataset(codes=CODES, **PATH), Scenario((A, B, C), "alliance", YEAR))
        assert raw_cohesion(result) == pytest.approx(19.0)
        assert result.cohesion == pytest.approx(float(reported(19.0, "alliance")))

    def test_fewer_than_two_members_has_no_score(self):
        result = score(dataset(codes=CODES), Scenario((A,), "alliance", YEAR))
        assert result.cohesion is None
        assert result.components is None
        assert "two members" in result.message


class TestWeights:
    @pytest.mark.parametrize(
        ("weights", "expected"),
        [
            (Weights(), (0.30, 0.10, 0.30, 0.30, 0.5, 0.3)),
            # positive 1 + 1 + 1 + 1 = 4: each 0.25; negatives untouched
            (Weights(1, 1, 1, 1, 2, 0), (0.25, 0.25, 0.25, 0.25, 2.0, 0.0)),
            (Weights(ties=1, connectivity=0, lattice=0, threat=0), (1, 0, 0, 0, 0.5, 0.3)),
        ],
    )
    def test_positive_weights_are_renormalised(self, weights, expected):
        assert weights.vector() == pytest.approx(expected)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"ties": -0.1}, "weight ties=-0.1"),
            ({"friction": 11}, "weight friction=11"),
            ({"threat": float("nan")}, "weight threat=nan"),
            ({"ties": 0, "connectivity": 0, "lattice": 0, "threat": 0}, "at least one"),
        ],
    )
    def test_bad_weights_are_refused(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            Weights(**kwargs)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", Weights()),
            # ties named, friction named, the rest at their defaults
            ("ties=0.4,friction=0.6", Weights(ties=0.4, friction=0.6)),
            ("ties=0.3,friction=0.6", Weights(friction=0.6)),
            (" threat = 1 , sensitivity=0 ", Weights(threat=1.0, sensitivity=0.0)),
        ],
    )
    def test_parse(self, text, expected):
        assert Weights.parse(text) == expected

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("cohesion=1", "bad weight 'cohesion=1'"),
            ("ties", "bad weight 'ties'"),
            ("ties=x", "'x' is not a number"),
            ("ties=1,ties=2", "'ties' is given twice"),
        ],
    )
    def test_parse_refuses_bad_text(self, text, message):
        with pytest.raises(ValueError, match=message):
            Weights.parse(text)


class TestBoundedScale:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (0.5, 0.5),  # the identity in the middle
            (0.05, 0.05),
            (0.95, 0.95),
            (0.0, 0.05 * np.exp(-1)),  # below the edge: an exponential tail
            (-0.45, 0.05 * np.exp(-10)),
            (1.0, 1 - 0.05 * np.exp(-1)),
        ],
    )
    def test_hand_values(self, raw, expected):
        assert float(bounded(raw)) == pytest.approx(expected)

    def test_keeps_order_and_never_reaches_the_limits(self):
        raw = np.linspace(-1.0, 2.0, 3001)  # every weighted sum the defaults allow
        out = bounded(raw)
        assert np.all(np.diff(out) > 0)
        assert np.all((out > 0) & (out < 1))

    def test_strained_allies_stay_above_rivals(self):
        # both pairs tied at 0.7; B quarrels with A at 0.9, D with C at 0.5: both weighted
        # sums are below 0, yet the milder quarrel scores higher and neither is 0
        tables = {
            "ties": [tie(A, B, 1.0), tie(C, D, 1.0)],
            "frictions": [quarrel(A, B, 1.0), quarrel(C, D, 0.9)],
            "threats": [threat(A, E, 1.0), threat(C, E, 1.0)],
        }
        rivals = components((A, B), weights=Weights(friction=3), **tables)["cohesion"]
        strained = components((C, D), weights=Weights(friction=3), **tables)["cohesion"]
        assert 0 < rivals < strained < 5
