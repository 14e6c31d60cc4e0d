"""Who holds a grouping together: Shapley values, leave-one-out and the best additions.

The hand case is the path B-A-C under the alliance framing (alpha = 0.7/0.1/0.2, default
weights T 0.3, C 0.1, L 0.3, H 0.3, F 0.5, S 0.5; no active threat or sensitivity, so
H = 0.5 (no common threat) and S = 0 in every subset): A-B economic 1 + political 1
(framed 0.1 + 0.2 = 0.3), A-C security 1 + economic 1 (0.7 + 0.1 = 0.8), NO B-C tie, and
a B-C military confrontation of 0.4 (wholly security, so it weighs 0.4 under the alliance
framing). Pillars are equal.

Cohesion is reported on the calibrated scale: reported(raw), raw = 100 * bounded(weighted
sum) (model/scale.py). The knots are refitted on the rating panels, so the values below
are worked out on the raw scale and every expectation goes through ``reported``.

A pair with framed tie w has T = L = w and C = lambda2 / 2 = 2w / 2 = w, so its raw
cohesion is 100 * (0.7 * w + 0.3 * 0.5 - 0.5 * F). Every subset (v = 0 below two):

    v(AB)  = reported(100 * (0.7 * 0.3 + 0.15))  = reported(36)
    v(AC)  = reported(100 * (0.7 * 0.8 + 0.15))  = reported(71)
    v(BC)  = 0 by the isolated-member rule: B and C have no tie (framed 0), so both are
             isolated. Without the rule its weighted sum would be 0 + 0.15 - 0.5 * 0.4 =
             -0.05, on the raw scale 100 * bounded(-0.05) = 5 * exp(-2) = 0.68 > 0 (the
             bounded scale never reaches 0), so the 0 comes from the rule.
    v(ABC): no one isolated (weighted degrees A 1.1, B 0.3, C 0.8).
             T = (0.3 + 0.8 + 0) / 3 = 1.1 / 3; hub A, L = (1.1 - 1.1) / 1 = 0;
             the path Laplacian [[1.1, -.3, -.8], [-.3, .3, 0], [-.8, 0, .8]] has eigenvalues
             0 and 1.1 -+ sqrt(0.3^2 - 0.3 * 0.8 + 0.8^2) = 1.1 -+ sqrt(0.49) = 0.4, 1.8,
             so C = 0.4 / 3; F = half the pair mean 0.4 / 3 and half the worst member's
             mean (B and C: 0.4 / 2 = 0.2), = 1 / 6;
             100 * (0.3 * 1.1/3 + 0.1 * 0.4/3 + 0.3 * 0 + 0.3 * 0.5 - 0.5 / 6)
             = 100 * (0.33 + 0.04 + 0.45 - 0.25) / 3 = 100 * 0.19, so V = reported(19)

With three players and v({i}) = 0: phi_i = (v(ij) + v(ik)) / 6 + (v(N) - v(jk)) / 3:

    phi_A = (v(AB) + v(AC)) / 6 + (V - 0) / 3
    phi_B = (v(AB) + 0) / 6 + (V - v(AC)) / 3
    phi_C = (v(AC) + 0) / 6 + (V - v(AB)) / 3
    sum = V = v(ABC)

Leave-one-out v(ABC) - v(ABC without i): A V - v(BC) = V, B V - v(AC), C V - v(AB).
"""

from __future__ import annotations

import numpy as np
import pytest
from builders import dataset, friction, tie

from model import Scenario, Weights, score
from model.attribution import (
    EXACT_SHAPLEY_MAX,
    gains_from_adding,
    shapley_values,
    subset_values,
)
from model.cohesion import build_context, score_groups
from model.components import scaled
from model.scale import reported

A, B, C, D, E = "AAA", "BBB", "CCC", "DDD", "EEE"
YEAR = 2024
# the subsets' cohesion, worked on the raw scale in the module docstring
V_AB = float(reported(36.0, "alliance"))
V_AC = float(reported(71.0, "alliance"))
V = float(reported(19.0, "alliance"))  # v(ABC)

PATH_TIES = [
    tie(A, B, 1.0, "economic", "fta"),
    tie(A, B, 1.0, "political", "dialogue"),
    tie(A, C, 1.0),
    tie(A, C, 1.0, "economic", "fta"),
]


@pytest.fixture(scope="module")
def path():
    ds = dataset(
        codes=(A, B, C, D),
        ties=PATH_TIES,
        frictions=[friction(B, C, 0.4, kind="military_confrontation")],
    )
    ctx = build_context(ds, YEAR, "alliance")
    members = np.array([ds.index(m) for m in (A, B, C)])
    return ds, ctx, members


class TestSubsetValues:
    @pytest.mark.parametrize(
        ("mask", "expected"),
        [
            (0b000, 0.0),
            (0b001, 0.0),
            (0b010, 0.0),
            (0b100, 0.0),  # fewer than two
            (0b011, V_AB),  # A, B
            (0b101, V_AC),  # A, C
            (0b110, 0.0),  # B, C: no tie, both isolated (above 0 without the rule)
            (0b111, V),  # A, B, C
        ],
    )
    def test_cohesion_of_each_subset_by_bitmask(self, path, mask, expected):
        _, ctx, members = path
        assert subset_values(ctx, members, Weights())[mask] == pytest.approx(expected)


class TestIsolatedSubset:
    def test_the_untied_pair_is_zero_because_its_members_are_isolated(self, path):
        _, ctx, members = path
        g = score_groups(ctx, members[None, [1, 2]], Weights())  # B, C
        assert g.isolated.tolist() == [[True, True]]
        # its components sum to 0.3 * 0 + 0.1 * 0 + 0.3 * 0 + 0.3 * 0.5 - 0.5 * 0.4
        # - 0.5 * 0 = -0.05, which the bounded scale maps above 0 (100 * bounded(-0.05)
        # = 5 * exp(-2)): the 0 is the isolated-member rule, not the scale
        assert [float(g.ties[0]), float(g.connectivity[0]), float(g.lattice[0])] == (
            pytest.approx([0.0, 0.0, 0.0], abs=1e-12)
        )
        assert float(g.threat[0]) == pytest.approx(0.5)  # no threat: no common one
        assert float(g.friction[0]) == pytest.approx(0.4)
        assert float(g.sensitivity[0]) == pytest.approx(0.0)
        assert float(g.cohesion[0]) == 0.0
        unruled = float(scaled(0.15 - 0.2, "alliance"))
        assert unruled == pytest.approx(float(reported(5 * np.exp(-2), "alliance")))
        assert unruled > 0.0

    def test_no_one_is_isolated_in_the_tied_subsets(self, path):
        _, ctx, members = path
        for pos in ([0, 1], [0, 2], [0, 1, 2]):  # AB, AC, ABC
            g = score_groups(ctx, members[None, pos], Weights())
            assert not g.isolated.any()
            assert float(g.cohesion[0]) > 0.0


class TestShapleyValues:
    def test_exact_values_on_the_hand_case(self, path):
        _, ctx, members = path
        phi, values = shapley_values(ctx, members, Weights())
        assert values is not None
        assert values[0b110] == 0.0  # v(BC): the isolated pair
        assert phi == pytest.approx(
            [
                (V_AB + V_AC) / 6 + (V - 0) / 3,  # A
                (V_AB + 0) / 6 + (V - V_AC) / 3,  # B: with it, AC falls (raw 71 to 19)
                (V_AC + 0) / 6 + (V - V_AB) / 3,  # C
            ]
        )
        assert phi.sum() == pytest.approx(V)

    def test_score_reports_shapley_and_leave_one_out(self, path):
        ds, _, _ = path
        result = score(ds, Scenario((A, B, C), "alliance", YEAR))
        assert result.cohesion == pytest.approx(V)
        assert result.isolated == ()
        assert result.message == ""
        got = {m: (c["leave_one_out"], c["shapley"]) for m, c in result.contributions.items()}
        assert got == {
            A: (pytest.approx(V - 0), pytest.approx((V_AB + V_AC) / 6 + V / 3)),
            B: (pytest.approx(V - V_AC), pytest.approx(V_AB / 6 + (V - V_AC) / 3)),
            C: (pytest.approx(V - V_AB), pytest.approx(V_AC / 6 + (V - V_AB) / 3)),
        }

    def test_two_members_split_the_score_evenly(self, path):
        ds, _, _ = path
        result = score(ds, Scenario((A, C), "alliance", YEAR))
        # v(AC) = reported(71) and v({A}) = v({C}) = 0: each gets half; leaving either
        # leaves nothing
        assert result.cohesion == pytest.approx(V_AC)
        assert result.contributions == {
            A: {
                "leave_one_out": pytest.approx(V_AC),
                "shapley": pytest.approx(V_AC / 2),
                "change_if_left": pytest.approx(-V_AC),
            },
            C: {
                "leave_one_out": pytest.approx(V_AC),
                "shapley": pytest.approx(V_AC / 2),
                "change_if_left": pytest.approx(-V_AC),
            },
        }

    @pytest.mark.parametrize(
        ("n", "exact"),
        [(EXACT_SHAPLEY_MAX, True), (EXACT_SHAPLEY_MAX + 1, False), (15, False)],
    )
    def test_sampled_beyond_the_exact_limit_still_sums_to_cohesion(self, n, exact):
        codes = tuple(f"X{chr(ord('A') + i)}" for i in range(n))
        # a ring of ties plus a few chords and frictions, so members differ
        ties = [tie(codes[i], codes[(i + 1) % n], 0.3 + 0.05 * (i % 7)) for i in range(n)]
        ties += [tie(codes[0], codes[i], 0.9, "economic", "fta") for i in range(2, n, 3)]
        frictions = [friction(codes[1], codes[i], 0.3) for i in range(3, n, 4)]
        ds = dataset(codes=codes, ties=ties, frictions=frictions)
        ctx = build_context(ds, YEAR, "alliance")
        members = np.arange(n)
        phi, values = shapley_values(ctx, members, Weights(), seed=3)
        assert (values is not None) == exact
        result = score(ds, Scenario(codes, "alliance", YEAR))
        assert phi.sum() == pytest.approx(result.cohesion)
        assert sum(c["shapley"] for c in result.contributions.values()) == pytest.approx(
            result.cohesion
        )

    def test_sampled_values_are_reproducible_under_a_seed(self):
        n = EXACT_SHAPLEY_MAX + 1
        codes = tuple(f"X{chr(ord('A') + i)}" for i in range(n))
        ties = [tie(codes[i], codes[(i + 1) % n], 0.1 * (1 + i % 9)) for i in range(n)]
        ctx = build_context(dataset(codes=codes, ties=ties), YEAR, "alliance")
        first, _ = shapley_values(ctx, np.arange(n), Weights(), seed=7)
        again, _ = shapley_values(ctx, np.arange(n), Weights(), seed=7)
        assert np.array_equal(first, again)


class TestLeaveOneOut:
    def test_beyond_the_exact_limit_it_is_still_exact(self):
        n = EXACT_SHAPLEY_MAX + 1
        codes = tuple(f"X{chr(ord('A') + i)}" for i in range(n))
        ties = [tie(codes[i], codes[(i + 1) % n], 0.1 * (1 + i % 9)) for i in range(n)]
        ds = dataset(codes=codes, ties=ties)
        result = score(ds, Scenario(codes, "alliance", YEAR))
        for m in (codes[0], codes[5]):
            rest = tuple(c for c in codes if c != m)
            without = score(ds, Scenario(rest, "alliance", YEAR)).cohesion
            assert result.contributions[m]["leave_one_out"] == pytest.approx(
                result.cohesion - without
            )


@pytest.fixture(scope="module")
def additions():
    """A-B at 0.7; C ties fully to both, D ties to A only, E to nobody; ORG is no state."""
    ties = [
        tie(A, B, 1.0),
        tie(A, C, 1.0),
        tie(A, C, 1.0, "economic", "fta"),
        tie(A, C, 1.0, "political", "dialogue"),
        tie(B, C, 1.0),
        tie(B, C, 1.0, "economic", "fta"),
        tie(B, C, 1.0, "political", "dialogue"),
        tie(A, D, 1.0),
        tie(A, "ORG", 1.0),
        tie(B, "ORG", 1.0),
    ]
    return dataset(codes=(A, B, C, D, E), orgs=("ORG",), ties=ties)


class TestBestAdditions:
    # On the raw scale (H = 0.5 throughout: no threat), passed through reported():
    # base v(AB) = 100 * (0.7 * 0.7 + 0.3 * 0.5) = 64 (T = C = L = 0.7)
    # +C: ties 0.7, 1, 1: T 2.7 / 3 = 0.9; degrees A 1.7, B 1.7, C 2 so hub C,
    #     L = 2.7 - 2 = 0.7; Laplacian eigenvalues 0, 2.4 (vector (1, -1, 0)), 3: C = 2.4 / 3
    #     = 0.8; 100 * (0.3 * 0.9 + 0.1 * 0.8 + 0.3 * 0.7 + 0.3 * 0.5)
    #     = 100 * (0.27 + 0.08 + 0.21 + 0.15) = 71
    # +D: star at A with two 0.7 spokes (D is tied to A, so not isolated): T 1.4 / 3,
    #     lambda2 of the star = 0.7 so C 0.7 / 3, L = (1.4 - 1.4) / 1 = 0;
    #     100 * ((0.42 + 0.07) / 3 + 0.15) = 31.3333
    # +E: E is tied to no one, so isolated: cohesion 0 (before the rule its components
    #     gave 100 * (0.3 * 0.7 / 3 + 0.3 * 0 + 0.15) = 22 on the raw scale)
    # Deltas are reported(grown) - reported(64): C gains, D and E lose, E the whole score
    # (so the order C, D, E holds on any increasing map with reported(0) = 0).
    BASE = float(reported(64.0, "alliance"))
    EXPECTED = (
        (C, float(reported(71.0, "alliance")) - BASE),
        (D, float(reported(49 / 3 + 15, "alliance")) - BASE),
        (E, -BASE),
    )

    def test_ranked_best_first_states_only(self, additions):
        result = score(additions, Scenario((A, B), "alliance", YEAR))
        assert result.cohesion == pytest.approx(self.BASE)
        assert [a for a, _ in result.best_additions] == [C, D, E]
        assert [d for _, d in result.best_additions] == pytest.approx([d for _, d in self.EXPECTED])

    def test_gain_is_the_change_in_cohesion(self, additions):
        for code, delta in self.EXPECTED:
            grown = score(additions, Scenario(tuple(sorted((A, B, code))), "alliance", YEAR))
            assert grown.cohesion - self.BASE == pytest.approx(delta)

    def test_gains_from_adding_in_candidate_order(self, additions):
        ctx = build_context(additions, YEAR, "alliance")
        ix = additions.index
        gains = gains_from_adding(
            ctx, np.array([ix(A), ix(B)]), np.array([ix(E), ix(C), ix(D)]), Weights(), self.BASE
        )
        assert gains == pytest.approx(
            [self.EXPECTED[2][1], self.EXPECTED[0][1], self.EXPECTED[1][1]]
        )

    def test_no_candidates_or_no_members_gives_no_gains(self, additions):
        ctx = build_context(additions, YEAR, "alliance")
        assert gains_from_adding(
            ctx, np.array([0, 1]), np.array([], dtype=int), Weights(), 0.0
        ).shape == (0,)
        assert gains_from_adding(
            ctx, np.array([], dtype=int), np.array([2, 3]), Weights(), 0.0
        ) == pytest.approx([0.0, 0.0])

    def test_equal_gains_rank_by_code(self, additions):
        # with one member the gain is the pair's cohesion. D is tied to A only (security 1,
        # framed 0.7): v(AD) = reported(100 * (0.7 * 0.7 + 0.3 * 0.5)) = reported(64); D has
        # no tie with B, C or E, so each of those pairs has two isolated members and
        # scores 0: the tie at 0 is broken by code
        result = score(additions, Scenario((D,), "alliance", YEAR))
        assert result.cohesion is None
        assert result.best_additions == (
            (A, pytest.approx(float(reported(64.0, "alliance")))),
            (B, 0.0),
            (C, 0.0),
            (E, 0.0),
        )
        # E is tied to no one: every pair with it is 0, all ranked by code
        result = score(additions, Scenario((E,), "alliance", YEAR))
        assert result.best_additions == ((A, 0.0), (B, 0.0), (C, 0.0), (D, 0.0))
