"""Provenance: each row's effect is cohesion with it minus cohesion without it, exactly."""

from __future__ import annotations

import dataclasses
import sys

import pytest
from builders import dataset, friction, sensitivity, threat, tie

from model import load_dataset, scenario, score
from model.provenance import FILES, cohesion_of, focus, provenance
from model.whatif import applied, parse

DS = load_dataset()
YEAR = 2024
SCENARIOS = [
    ("USA,JPN,KOR,AUS,PHL,IND", "alliance", 2024, "+tie:JPN-KOR:treaty_alliance:0.7;-sens:IND"),
    ("quad", "dialogue", 2024, "=threat:IND:CHN:0.9;+friction:AUS-IND:trade_dispute:0.4"),
    ("camp_david", "alliance", 2019, "-friction:JPN-KOR:trade_dispute"),
    ("DEU,FRA,JPN,KOR", "economic", 2020, ""),
    ("nato_ip4", "alliance", 2024, "+sens:KOR:member:JPN:0.3@2020"),
]


def _without(ds, table: str, position: int):
    """``ds`` with one row ended before it started: it never counts (rows stay in place)."""
    rows = list(getattr(ds, table))
    rows[position] = dataclasses.replace(rows[position], until=rows[position].since - 1)
    # its own fingerprint: the context cache keys on it
    fingerprint = f"{ds.fingerprint}-without-{table}-{position}"
    return dataclasses.replace(ds, **{table: tuple(rows)}, fingerprint=fingerprint)


class TestFocus:
    """The cut-down dataset scores exactly like the full one."""

    @pytest.mark.parametrize("framing", ["alliance", "dialogue", "economic"])
    @pytest.mark.parametrize("year", [1995, 2012, 2019, 2024, 2025])
    def test_every_preset_scores_exactly_as_on_the_full_dataset(self, framing, year):
        for preset in DS.presets:
            s = scenario(DS, preset, framing, year)
            f = focus(DS, s)
            assert f.measured is not None, "the collapsed cut scored differently"
            assert cohesion_of(f.dataset, s) == score(DS, s).cohesion == f.cohesion

    @pytest.mark.parametrize("members, framing, year, edits", SCENARIOS)
    def test_with_edits(self, members, framing, year, edits):
        s = scenario(DS, members, framing, year)
        full, _ = applied(DS, parse(edits, DS, year), year)
        assert cohesion_of(focus(full, s).dataset, s) == score(full, s).cohesion

    def test_organisations_a_member_belongs_to_are_kept(self):
        s = scenario(DS, "DEU,JPN", "economic", 2020)
        kept = focus(DS, s).dataset
        pairs = {frozenset((t.a, t.b)) for t in kept.ties}
        assert frozenset(("DEU", "EU")) in pairs
        assert any("EU" in p and "JPN" in p for p in pairs)

    def test_falls_back_to_the_full_dataset_when_the_cut_scores_differently(self, monkeypatch):
        s = scenario(DS, "USA,JPN,KOR", "alliance", YEAR)
        module = sys.modules["model.provenance"]  # the package exports a function of that name
        monkeypatch.setattr(module, "_reach", lambda ds, s: set())  # a cut that goes too far
        f = focus(DS, s)
        assert f.dataset is DS and f.cohesion == score(DS, s).cohesion
        for r in provenance(DS, s, limit=None):
            position = DS.ties.index(r.record) if r.table == "ties" else None
            if position is not None:
                assert r.effect == f.cohesion - score(_without(DS, "ties", position), s).cohesion

    def test_cohesion_of_is_the_score(self):
        for preset in DS.presets:
            s = scenario(DS, preset, None, YEAR)
            assert cohesion_of(DS, s) == score(DS, s).cohesion


class TestEffects:
    @pytest.mark.parametrize("members, framing, year, edits", SCENARIOS)
    def test_each_effect_equals_recomputation(self, members, framing, year, edits):
        s = scenario(DS, members, framing, year)
        edit_list = parse(edits, DS, year)
        full = applied(DS, edit_list, year)[0]
        base = score(full, s).cohesion
        rows = provenance(DS, s.with_edits(edit_list), limit=None)
        assert rows
        for r in rows:
            position = getattr(full, r.table).index(r.record)
            assert r.effect == base - score(_without(full, r.table, position), s).cohesion

    @pytest.mark.parametrize("members, framing, year, edits", SCENARIOS[:3])
    def test_every_row_left_out_has_no_effect(self, members, framing, year, edits):
        """Rows are skipped by rule (a tie weaker than another of its kind for its pair);
        recomputation confirms each one."""
        s = scenario(DS, members, framing, year)
        edit_list = parse(edits, DS, year)
        full = applied(DS, edit_list, year)[0]
        base = score(full, s).cohesion
        listed = {(r.table, r.record) for r in provenance(DS, s.with_edits(edit_list), limit=None)}
        inside = set(s.members)
        for table in ("ties", "frictions", "sensitivities", "threats"):
            for position, row in enumerate(getattr(full, table)):
                among = (
                    {row.a, row.b} & inside
                    if table in ("ties", "frictions")
                    else ({row.actor} & inside)
                )
                if not row.active(year) or not among or (table, row) in listed:
                    continue
                assert score(_without(full, table, position), s).cohesion == base, row

    @pytest.mark.parametrize("members, framing, year, edits", SCENARIOS)
    def test_largest_first_and_ten_at_most(self, members, framing, year, edits):
        s = scenario(DS, members, framing, year)
        rows = provenance(DS, s.with_edits(parse(edits, DS, year)))
        assert 0 < len(rows) <= 10
        sizes = [abs(r.effect) for r in rows]
        assert sizes == sorted(sizes, reverse=True)
        assert all(r.effect != 0 for r in rows)
        everything = provenance(DS, s.with_edits(parse(edits, DS, year)), limit=None)
        assert rows == everything[: len(rows)]

    def test_rows_are_named_as_validation_names_them(self):
        s = scenario(DS, "USA,JPN,KOR", "alliance", YEAR)
        for r in provenance(DS, s, limit=None):
            assert r.file == FILES[r.table]
            (match,) = [x for x in getattr(DS, r.table) if x.row == r.row]
            assert match == r.record
            assert r.source == ";".join(match.sources)
            assert r.record.active(YEAR)

    def test_a_what_if_row_is_named_by_its_edit(self):
        s = scenario(DS, "USA,JPN,KOR", "alliance", YEAR)
        friction = "+friction:JPN-KOR:military_confrontation:0.9"
        edits = parse(f"-sens:KOR;{friction};+tie:JPN-KOR:fta:0.5", DS, YEAR)
        rows = [r for r in provenance(DS, s.with_edits(edits), limit=None) if r.file == "what-if"]
        assert friction in {r.source for r in rows}
        for r in rows:
            assert r.source == edits[r.row - 1].text()
            assert r.source.startswith("+")
            assert r.to_json() == {
                "file": "what-if",
                "row": r.row,
                "effect": r.effect,
                "source": r.source,
            }
        (confrontation,) = [r for r in rows if r.source == friction]
        assert confrontation.row == 2 and confrontation.effect < 0

    def test_an_ended_row_has_no_effect(self):
        s = scenario(DS, "USA,JPN,KOR", "alliance", YEAR)
        rows = provenance(DS, s.with_edits(parse("-tie:JPN-USA", DS, YEAR)), limit=None)
        assert not any(
            r.file == "ties.csv" and {r.record.a, r.record.b} == {"JPN", "USA"} for r in rows
        )

    def test_fewer_than_two_members(self):
        assert provenance(DS, scenario(DS, "USA", "alliance", YEAR)) == ()


class TestHandBuilt:
    """A dataset small enough to check by hand which rows count."""

    DS = dataset(
        codes=("AAA", "BBB", "CCC", "DDD"),
        ties=[
            tie("AAA", "BBB", 0.8),
            tie("BBB", "CCC", 0.5, domain="economic", kind="fta"),
            tie("AAA", "CCC", 0.4, since=2030),  # not yet in force
            tie("AAA", "DDD", 0.9),  # DDD is not a member
        ],
        frictions=[friction("AAA", "CCC", 0.3)],
        sensitivities=[sensitivity("CCC", "framing:alliance", 0.2)],
        threats=[
            threat("AAA", "DDD", 0.6),
            threat("DDD", "AAA", 0.5),  # DDD's view: no member
            # BBB's view of DDD: a view only one member holds neither agrees nor differs,
            # so without it AAA's row would count nothing (see the next test)
            threat("BBB", "DDD", 0.2),
        ],
    )

    def test_the_active_rows_among_the_members_and_nothing_else(self):
        s = scenario(self.DS, "AAA,BBB,CCC", "alliance", 2024)
        rows = provenance(self.DS, s, limit=None)
        assert sorted((r.file, r.row) for r in rows) == [
            ("frictions.csv", 2),
            ("sensitivities.csv", 2),
            ("threats.csv", 2),
            ("threats.csv", 4),
            ("ties.csv", 2),
            ("ties.csv", 3),
        ]
        signs = {(r.file, r.row): r.effect > 0 for r in rows}
        assert signs[("ties.csv", 2)] and signs[("ties.csv", 3)]
        assert not signs[("frictions.csv", 2)] and not signs[("sensitivities.csv", 2)]
        # AAA and BBB see DDD apart: a gap. AB's agreement 1 - |0.6 - 0.2| = 0.6, common
        # 0.2: H of the pair 0.6 * 0.6 = 0.36 against 0.5 with either view gone
        assert not signs[("threats.csv", 2)] and not signs[("threats.csv", 4)]

    def test_a_view_no_other_member_holds_counts_nothing(self):
        # AAA alone sees DDD: no pair holds a view of DDD in common, so H is 0.5 with the
        # row or without it and the row is left out (it used to count as a gap with BBB's 0)
        ds = dataclasses.replace(
            self.DS, threats=self.DS.threats[:2], fingerprint=f"{self.DS.fingerprint}-alone"
        )
        s = scenario(ds, "AAA,BBB,CCC", "alliance", 2024)
        assert not [r for r in provenance(ds, s, limit=None) if r.file == "threats.csv"]
