"""model/timeline.py: cohesion by year, the dated events of a year, the biggest moves.

Tiny hand-built datasets (tests/builders.py) give exact values; the real dataset checks
that known history shows up (Camp David in 2023, the Quad's revival in 2017).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from builders import dataset, friction, sensitivity, threat, tie

from model import Scenario, Weights, load_dataset, parse_what_if, score
from model.scale import reported
from model.timeline import biggest_changes, cohesion_series, event_effects, events_in
from model.whatif import apply as apply_what_if

TRIO = ("AAA", "BBB", "CCC")


def whats(events) -> list[str]:
    return [e.what for e in events]


# A pair whose one tie starts in 2000 and whose friction runs 2001-2002.
#   2000: T = C = L = 0.7 * 0.5 (alliance weighs security 0.7) = 0.35, no threat -> H = 0.5
#         raw cohesion = 100 * (0.3*0.35 + 0.1*0.35 + 0.3*0.35 + 0.3*0.5) = 39.5
#   2001-2002: minus w_F * F = 0.5 * 0.4 -> 19.5
# Cohesion is reported on the calibrated scale (model/scale.py, refitted on the rating
# panels): the expectations are reported(raw), never values read off its knots.
CALM, STRAINED = float(reported(39.5, "alliance")), float(reported(19.5, "alliance"))
PAIR = dataset(
    ties=[tie("AAA", "BBB", 0.5, since=2000, confidence="low")],
    frictions=[
        friction(
            "AAA", "BBB", 0.4, "military_confrontation", since=2001, until=2002, confidence="low"
        )
    ],
)

# Every kind of dated row, for events_in.
EVENTS = dataset(
    codes=("AAA", "BBB", "CCC", "DDD"),
    ties=[
        tie("AAA", "BBB", 0.5, since=2000),
        # One row ends in 2004 where the next of the same pair and kind starts in 2005.
        tie("AAA", "CCC", 0.3, domain="security", kind="exercise", since=2000, until=2004),
        tie("AAA", "CCC", 0.6, domain="security", kind="exercise", since=2005),
        tie("AAA", "DDD", 0.9, since=2000),  # DDD is never a member below
    ],
    frictions=[
        friction("AAA", "BBB", 0.4, since=2001, until=2002),
        friction("BBB", "DDD", 0.8, since=2002, until=2002),
    ],
    sensitivities=[
        sensitivity("AAA", "framing:alliance", 0.2, since=2006),
        sensitivity("AAA", "framing:economic", 0.3, since=2006),
        sensitivity("AAA", "member:DDD", 0.25, since=2006),
        sensitivity("BBB", "member:AAA", 0.35, since=2006),
    ],
    threats=[
        threat("AAA", "DDD", 0.6, since=2007),
        threat("AAA", "CCC", 0.5, since=2007),
    ],
)


class TestCohesionSeries:
    def test_hand_checked_values_by_year(self):
        s = cohesion_series(PAIR, ("AAA", "BBB"), "alliance", range(1999, 2005))
        assert s["year"].tolist() == [1999, 2000, 2001, 2002, 2003, 2004]
        # 1999: no active tie between the two: no grouping yet, so no score (not 0)
        assert np.isnan(s["cohesion"][0])
        assert s["cohesion"][1:] == pytest.approx([CALM, STRAINED, STRAINED, CALM, CALM])
        assert "p5" not in s and "p95" not in s

    @pytest.mark.parametrize("framing", ["alliance", "dialogue", "economic"])
    def test_each_year_equals_the_models_score_for_that_year(self, framing):
        years = range(2000, 2009)  # a tie among the members in each
        s = cohesion_series(EVENTS, TRIO, framing, years)
        expected = [score(EVENTS, Scenario(TRIO, framing, y)).cohesion for y in years]
        assert s["cohesion"] == pytest.approx(expected)

    def test_a_year_with_a_member_tied_to_nobody_has_no_score(self):
        # BBB and CCC are never tied to each other; AAA is tied to both
        s = cohesion_series(EVENTS, ("BBB", "CCC"), "alliance", range(2000, 2002))
        assert np.isnan(s["cohesion"]).all()
        # with DDD, whom only AAA ties: BBB-DDD-AAA is a grouping; BBB-CCC-DDD is not
        assert not np.isnan(
            cohesion_series(EVENTS, ("AAA", "BBB", "DDD"), "alliance", [2000])["cohesion"]
        ).any()
        assert np.isnan(
            cohesion_series(EVENTS, ("BBB", "CCC", "DDD"), "alliance", [2000])["cohesion"]
        ).all()
        # the build page scores such a year 0 (and names the member); the timeline shows none
        assert score(EVENTS, Scenario(("BBB", "CCC", "DDD"), "alliance", 2000)).cohesion == 0
        lone = cohesion_series(PAIR, ("AAA", "BBB"), "alliance", range(1999, 2001), draws=20)
        assert np.isnan([lone["cohesion"][0], lone["p5"][0], lone["p95"][0]]).all()

    @pytest.mark.parametrize("members", [(), ("AAA",)])
    def test_fewer_than_two_members_is_nan(self, members):
        s = cohesion_series(PAIR, members, "alliance", range(2000, 2003), draws=20)
        assert s["year"].tolist() == [2000, 2001, 2002]
        for key in ("cohesion", "p5", "p95"):
            assert np.isnan(s[key]).all()

    def test_band_with_draws_brackets_the_point_score(self):
        s = cohesion_series(PAIR, ("AAA", "BBB"), "alliance", range(2000, 2004), draws=200)
        assert s["cohesion"] == pytest.approx([CALM, STRAINED, STRAINED, CALM])
        # Low confidence: strengths vary by +-0.2, so the band is wide but holds the point.
        assert (s["p5"] < s["cohesion"]).all() and (s["cohesion"] < s["p95"]).all()
        assert (s["p95"] - s["p5"] > 1).all()
        assert ((s["p5"] >= 0) & (s["p95"] <= 100)).all()

    def test_band_is_reproducible_with_its_seed(self):
        a = cohesion_series(PAIR, ("AAA", "BBB"), "alliance", range(2000, 2002), draws=50)
        b = cohesion_series(PAIR, ("AAA", "BBB"), "alliance", range(2000, 2002), draws=50)
        assert a["p5"].tolist() == b["p5"].tolist()


class TestEventsIn:
    def test_a_tie_starting_in_the_year(self):
        assert whats(events_in(EVENTS, ("AAA", "BBB"), "alliance", 2000)) == [
            "tie Actor AAA–Actor BBB treaty alliance 0.50 starts"
        ]
        assert events_in(EVENTS, ("AAA", "BBB"), "alliance", 2000)[0].sources == ("s1",)

    def test_a_friction_counts_when_it_starts_and_the_year_after_it_ended(self):
        assert whats(events_in(EVENTS, ("AAA", "BBB"), "alliance", 2001)) == [
            "friction Actor AAA–Actor BBB political rift 0.40 starts"
        ]
        assert events_in(EVENTS, ("AAA", "BBB"), "alliance", 2002) == []  # still active
        ended = events_in(EVENTS, ("AAA", "BBB"), "alliance", 2003)
        assert whats(ended) == ["friction Actor AAA–Actor BBB political rift 0.40 ended in 2002"]
        assert ended[0].size == pytest.approx(0.4)

    def test_a_row_ending_where_the_next_starts_reads_as_one_change(self):
        events = events_in(EVENTS, ("AAA", "CCC"), "alliance", 2005)
        assert whats(events) == ["tie Actor AAA–Actor CCC exercise 0.30 → 0.60"]
        assert events[0].size == pytest.approx(0.3)

    def test_rows_touching_a_non_member_are_left_out(self):
        assert events_in(EVENTS, TRIO, "alliance", 2003) == [
            e for e in events_in(EVENTS, ("AAA", "BBB"), "alliance", 2003)
        ]
        assert "DDD" not in " ".join(whats(events_in(EVENTS, TRIO, "alliance", 2000)))
        assert "DDD" in " ".join(whats(events_in(EVENTS, ("AAA", "DDD"), "alliance", 2000)))

    @pytest.mark.parametrize(
        ("members", "framing", "expected"),
        [
            (
                TRIO,
                "alliance",
                [
                    "unease of Actor BBB about sitting with Actor AAA 0.35 starts",
                    "unease of Actor AAA about being part of an alliance 0.20 starts",
                ],
            ),
            (
                TRIO,
                "economic",
                [
                    "unease of Actor BBB about sitting with Actor AAA 0.35 starts",
                    "unease of Actor AAA about being part of an economic bloc 0.30 starts",
                ],
            ),
            (TRIO, "dialogue", ["unease of Actor BBB about sitting with Actor AAA 0.35 starts"]),
            (("AAA", "CCC"), "dialogue", []),  # BBB is not in: its sensitivity is not touched
            (
                ("AAA", "DDD"),
                "dialogue",
                ["unease of Actor AAA about sitting with Actor DDD 0.25 starts"],
            ),
        ],
        ids=["alliance", "economic", "dialogue", "member-trigger-absent", "member-trigger"],
    )
    def test_sensitivities_only_when_triggered(self, members, framing, expected):
        assert whats(events_in(EVENTS, members, framing, 2006)) == expected

    @pytest.mark.parametrize(
        ("members", "expected"),
        [
            (TRIO, ["threat Actor AAA sees in Actor DDD 0.60 starts"]),
            (
                ("AAA", "BBB"),
                [
                    "threat Actor AAA sees in Actor DDD 0.60 starts",
                    "threat Actor AAA sees in Actor CCC 0.50 starts",
                ],
            ),
            (("BBB", "CCC"), []),  # AAA holds the views
        ],
        ids=["target-inside-is-left-out", "both-outside", "holder-outside"],
    )
    def test_threat_views_only_for_targets_outside_the_group(self, members, expected):
        assert whats(events_in(EVENTS, members, "alliance", 2007)) == expected

    def test_ordered_by_size_largest_first(self):
        events = events_in(EVENTS, ("AAA", "BBB", "DDD"), "alliance", 2000)
        assert whats(events) == [
            "tie Actor AAA–Actor DDD treaty alliance 0.90 starts",
            "tie Actor AAA–Actor BBB treaty alliance 0.50 starts",
        ]
        sizes = [e.size for e in events_in(EVENTS, ("AAA", "BBB", "DDD"), "alliance", 2006)]
        assert sizes == sorted(sizes, reverse=True) and len(sizes) == 3

    def test_every_event_is_dated_in_its_year(self):
        for year in range(1999, 2009):
            assert all(e.year == year for e in events_in(EVENTS, TRIO, "alliance", year))

    def test_two_rows_of_one_subject_ending_together_are_both_reported(self):
        ds = dataset(
            ties=[
                tie("AAA", "BBB", 0.5, since=2000),
                tie("AAA", "BBB", 0.3, kind="exercise", since=2000, until=2009),
                tie("AAA", "BBB", 0.2, kind="exercise", since=2005, until=2009),
            ]
        )
        events = events_in(ds, ("AAA", "BBB"), "alliance", 2010)
        assert sorted(whats(events)) == [
            "tie Actor AAA–Actor BBB exercise 0.20 ended in 2009",
            "tie Actor AAA–Actor BBB exercise 0.30 ended in 2009",
        ]

    def test_a_row_never_in_force_is_no_event(self):
        """A what-if removal from before a row starts leaves it ``until`` < ``since``."""
        removed = apply_what_if(EVENTS, parse_what_if("-friction:AAA-BBB@1990"), 1990)
        (row,) = [f for f in removed.frictions if {f.a, f.b} == {"AAA", "BBB"}]
        assert row.until < row.since
        for year in (2001, 2003):  # it would start in 2001; the year after it "ended"
            assert events_in(removed, ("AAA", "BBB"), "alliance", year) == []
        assert whats(events_in(EVENTS, ("AAA", "BBB"), "alliance", 2001)) != []


class TestBiggestChanges:
    @pytest.fixture(scope="class")
    def series(self):
        return cohesion_series(EVENTS, TRIO, "alliance", range(1999, 2009))

    def test_sorted_by_size_of_the_move(self, series):
        changes = biggest_changes(EVENTS, TRIO, "alliance", series)
        sizes = [abs(c.delta) for c in changes]
        assert sizes == sorted(sizes, reverse=True) and sizes
        values = dict(zip(series["year"].tolist(), series["cohesion"].tolist(), strict=True))
        for c in changes:
            assert c.delta == pytest.approx(values[c.year] - values[c.year - 1])
            assert c.cohesion == pytest.approx(values[c.year])

    def test_each_change_carries_that_years_events_largest_effect_first(self, series):
        for c in biggest_changes(EVENTS, TRIO, "alliance", series):
            assert sorted(whats(c.events)) == sorted(
                whats(events_in(EVENTS, TRIO, "alliance", c.year))
            )
            sizes = [abs(e.effect) for e in c.events if e.effect is not None]
            assert sizes == sorted(sizes, reverse=True)

    def test_top_keeps_the_largest(self, series):
        every = biggest_changes(EVENTS, TRIO, "alliance", series, top=100)
        assert biggest_changes(EVENTS, TRIO, "alliance", series, top=2) == every[:2]

    def test_nan_years_and_tiny_moves_are_skipped(self):
        series = {
            "year": np.arange(2000, 2006),
            "cohesion": np.array([10.0, 30.0, math.nan, 50.0, 50.01, 45.0]),
        }
        changes = biggest_changes(EVENTS, TRIO, "alliance", series)
        assert [(c.year, round(c.delta, 6)) for c in changes] == [(2001, 20.0), (2005, -5.01)]

    def test_an_all_nan_series_has_no_changes(self):
        s = cohesion_series(EVENTS, ("AAA",), "alliance", range(2000, 2008))
        assert biggest_changes(EVENTS, ("AAA",), "alliance", s) == []


class TestEventEffects:
    def test_a_friction_starting_and_ending_moves_the_score_by_its_weighted_size(self):
        # PAIR: the friction takes w_F * F = 0.5 * 0.4 = 20 raw points in 2001 (39.5 to
        # 19.5), gives them back in 2003 (hand-checked values of TestCohesionSeries); on
        # the reported scale that is reported(19.5) - reported(39.5)
        (start,) = event_effects(
            PAIR, ("AAA", "BBB"), "alliance", events_in(PAIR, ("AAA", "BBB"), "alliance", 2001)
        )
        assert start.effect == pytest.approx(STRAINED - CALM)
        (end,) = event_effects(
            PAIR, ("AAA", "BBB"), "alliance", events_in(PAIR, ("AAA", "BBB"), "alliance", 2003)
        )
        assert end.effect == pytest.approx(CALM - STRAINED)

    def test_the_first_tie_has_no_measurable_effect(self):
        # undoing it leaves no grouping (no score) to compare with
        (first,) = event_effects(
            PAIR, ("AAA", "BBB"), "alliance", events_in(PAIR, ("AAA", "BBB"), "alliance", 2000)
        )
        assert first.effect is None

    def test_a_change_of_one_row_into_the_next_is_undone_as_one(self):
        events = events_in(EVENTS, ("AAA", "CCC"), "alliance", 2005)
        (change,) = event_effects(EVENTS, ("AAA", "CCC"), "alliance", events)
        before = score(EVENTS, Scenario(("AAA", "CCC"), "alliance", 2004)).cohesion
        now = score(EVENTS, Scenario(("AAA", "CCC"), "alliance", 2005)).cohesion
        assert change.effect == pytest.approx(now - before)  # the only change that year

    def test_effects_are_recomputed_not_estimated(self):
        events = events_in(EVENTS, TRIO, "alliance", 2006)
        for e in event_effects(EVENTS, TRIO, "alliance", events):
            assert e.table == "sensitivities" and len(e.started) == 1
            rows = tuple(r for r in EVENTS.sensitivities if r is not e.started[0])
            from dataclasses import replace

            without = replace(EVENTS, sensitivities=rows, fingerprint=f"without-{e.what}")
            expected = (
                score(EVENTS, Scenario(TRIO, "alliance", 2006)).cohesion
                - score(without, Scenario(TRIO, "alliance", 2006)).cohesion
            )
            assert e.effect == pytest.approx(expected)


class TestUndoneWithoutANewDataset:
    """An event's effect is worked out on the members' own arrays with its rows held out
    of force or kept in (model/rows.py ``Edit``); it must be what a dataset without the
    event gives, to the last bit, for every kind of row: ties (recorded, and with an
    organisation, which takes the slow road), frictions, threats and sensitivities."""

    @staticmethod
    def in_a_new_dataset(ds, members, framing, year, e):
        from model.cohesion import build_context, context, score_groups
        from model.timeline import _undone

        idx = np.array([[ds.index(m) for m in members]])

        def cohesion(ctx):
            g = score_groups(ctx, idx, Weights())
            return None if g.isolated[0].any() else float(g.cohesion[0])

        now = cohesion(context(ds, year, framing))
        before = cohesion(build_context(_undone(ds, e), year, framing))
        return None if now is None or before is None else now - before

    @pytest.mark.parametrize(
        "members",
        [("AUS", "IND", "JPN", "USA"), ("JPN", "KOR", "USA"), ("EU", "JPN", "USA")],
        ids=["quad", "camp-david", "with-an-organisation"],
    )
    @pytest.mark.parametrize("framing", ["alliance", "economic"])
    def test_every_events_effect_is_the_one_a_dataset_without_it_gives(
        self, builtin, members, framing
    ):
        tables = set()
        for year in range(2000, builtin.latest_year + 1, 2):
            events = events_in(builtin, members, framing, year)
            for e in event_effects(builtin, members, framing, events):
                if e.table:
                    tables.add(e.table)
                    expected = self.in_a_new_dataset(builtin, members, framing, year, e)
                    assert e.effect == expected, (year, e.what)
        assert {"ties", "frictions", "threats"} <= tables


class TestRealHistory:
    @pytest.fixture(scope="class")
    def ds(self):
        return load_dataset()

    def test_camp_david_rises_into_2023_as_the_jpn_kor_friction_eases(self, ds):
        members = ds.presets["camp_david"].members
        assert (members, ds.presets["camp_david"].framing) == (("JPN", "KOR", "USA"), "dialogue")
        s = cohesion_series(ds, members, "dialogue", range(2022, 2024))
        assert s["cohesion"][1] > s["cohesion"][0]
        events = whats(events_in(ds, members, "dialogue", 2023))
        assert any(w.startswith("friction Japan–South Korea") and "→" in w for w in events), events
        eased = next(w for w in events if w.startswith("friction Japan–South Korea") and "→" in w)
        before, after = (float(x) for x in eased.rsplit(" ", 3)[1::2])
        assert after < before

    def test_the_quads_revival_in_2017_is_among_its_biggest_rises(self, ds):
        members = ds.presets["quad"].members
        s = cohesion_series(ds, members, "dialogue", range(2010, ds.latest_year + 1))
        changes = {c.year: c for c in biggest_changes(ds, members, "dialogue", s)}
        assert 2017 in changes and changes[2017].delta > 0
        assert any(
            "summit grouping" in e.what and e.what.endswith("starts") for e in changes[2017].events
        )
