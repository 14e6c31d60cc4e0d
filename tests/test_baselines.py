"""tools/import_baselines.py on a tiny hand-made trade table: strengths, periods, the file.

Three states (USA 2, CAN 20, MEX 70) and the rest of the world as one partner (999), over
2005-2014 in two five-year blocks. Every expected number is worked out by hand in a comment.
"""

from __future__ import annotations

import math

import pytest

from tools.import_baselines import (
    SOURCE_KEY,
    Block,
    Flow,
    Period,
    avoid_collisions,
    blocks,
    bucket,
    code_for,
    generate,
    periods,
    read_flows,
    records,
    rewrite_ties,
    strength,
    taken_starts,
    yearly_shares,
)

HEADER = "a,b,domain,kind,strength,since,until,confidence,source,note\n"
HAND = (
    # a note csv.writer would not quote, quoted anyway: kept byte for byte
    'CAN,USA,economic,trade_intensity,0.4,1957,,high,wb-wits,"US is Canada\'s largest"\n'
    # a note with a line break inside quotes: one record
    'USA,MEX,economic,fta,0.7,1994,,high,wiki-nafta,"NAFTA;\nline two"\n'
)


def world() -> list[Flow]:
    """USA-CAN: 10 of each one's 100 a year in 2005-09, 25 of 100 in 2010-14.
    USA-MEX: 1 a year; MEX trades 99 with the rest of the world, so 1 % of MEX's 100."""
    flows = []
    for year in range(2005, 2015):
        both = 10.0 if year < 2010 else 25.0
        flows += [
            Flow(2, 20, year, both),
            Flow(2, 999, year, 100.0 - both),
            Flow(20, 999, year, 100.0 - both),
            Flow(2, 70, year, 1.0),
            Flow(70, 999, year, 99.0),
        ]
    return flows


def generated(flows=None, isos=("USA", "CAN", "MEX")) -> list[Period]:
    """The rows, with blocks from 2005 (the real run starts in 1950)."""
    flows = world() if flows is None else flows
    shares = yearly_shares(flows, list(isos))
    out = []
    for pair, years in sorted(shares.items()):
        out += periods(pair, blocks(years, 2014, first_year=2005), 2014)
    return out


class TestScale:
    @pytest.mark.parametrize(
        ("share", "expected"),
        [
            (0.004, 0.0),  # under the 0.5 % floor
            (0.005, 0.05),  # 0.1 + 0.3 * log10(0.5) / log10(50) = 0.0469 -> 0.05
            (0.01, 0.10),
            (0.05, 0.20),  # 0.1 + 0.3 * 0.699 / 1.699 = 0.2234 -> 0.20
            (0.10, 0.30),  # 0.1 + 0.3 / 1.699 = 0.2766 -> 0.30
            (0.25, 0.35),  # 0.1 + 0.3 * 1.398 / 1.699 = 0.3468 -> 0.35
            (0.50, 0.40),
            (0.95, 0.40),  # capped at the top of the hand-made rows
        ],
    )
    def test_share_to_strength(self, share, expected):
        assert bucket(strength(share)) == expected

    def test_monotone(self):
        shares = [i / 1000 for i in range(1, 1001)]
        values = [strength(s) for s in shares]
        assert values == sorted(values)

    def test_codes_follow_the_years(self):
        assert code_for("DEU", 1985) == 260 and code_for("DEU", 1995) == 255
        assert code_for("VNM", 1970) is None and code_for("VNM", 1980) == 816
        assert code_for("XXX", 2000) is None


class TestShares:
    def test_share_of_the_smaller_trader(self):
        shares = yearly_shares(world(), ["USA", "CAN", "MEX"])
        # USA trades 101 a year (with MEX too), CAN 100: CAN is the smaller trader
        assert shares["CAN", "USA"][2007] == (0.10, "CAN")
        assert shares["CAN", "USA"][2012] == (0.25, "CAN")
        assert shares["MEX", "USA"][2012] == (0.01, "MEX")
        assert ("CAN", "MEX") not in shares  # no flow at all

    def test_states_outside_the_list_are_ignored(self):
        assert set(yearly_shares(world(), ["USA", "CAN"])) == {("CAN", "USA")}

    def test_block_means(self):
        years = {2005: (0.1, "CAN"), 2006: (0.3, "USA"), 2011: (0.2, "CAN")}
        assert blocks(years, 2014, first_year=2005) == [
            Block(2005, 2009, pytest.approx(0.2), ("CAN", "USA")),
            Block(2010, 2014, 0.2, ("CAN",)),
        ]


class TestPeriods:
    def test_rows_by_hand(self):
        rows = generated()
        got = [(p.a, p.b, p.strength, p.since, p.until) for p in rows]
        assert got == [
            ("CAN", "USA", 0.3, 2005, 2009),  # 10 % -> 0.30
            ("CAN", "USA", 0.35, 2010, None),  # 25 % -> 0.35, carried forward
            ("MEX", "USA", 0.1, 2005, None),  # 1 % in both blocks: one row
        ]

    def test_equal_blocks_merge_and_a_gap_or_the_floor_ends_a_row(self):
        pair = ("CAN", "USA")
        b = [
            Block(1950, 1954, 0.10, ("CAN",)),
            Block(1955, 1959, 0.11, ("CAN",)),  # same 0.30: merged
            Block(1965, 1969, 0.10, ("CAN",)),  # after a gap: a new row
            Block(1970, 1974, 0.001, ("CAN",)),  # under the floor: ends it
            Block(1975, 1979, 0.10, ("CAN",)),
        ]
        got = [(p.since, p.until, p.strength) for p in periods(pair, b, 1979)]
        assert got == [(1950, 1959, 0.3), (1965, 1969, 0.3), (1975, None, 0.3)]

    def test_a_row_starting_with_a_hand_made_one_starts_a_year_later(self):
        rows = generated()
        moved = avoid_collisions(rows, {(("CAN", "USA"), 2010)})
        assert [(p.since, p.until) for p in moved if p.a == "CAN"] == [(2005, 2009), (2011, None)]
        one_year = [Period("CAN", "USA", 0.3, 2005, 2005, 0.1, 0.1, ("CAN",), 2005, 2005)]
        assert avoid_collisions(one_year, {(("CAN", "USA"), 2005)}) == []


class TestFile:
    def test_hand_rows_are_kept_and_a_rerun_changes_nothing(self):
        rows = generated()
        text = HEADER + HAND
        once = rewrite_ties(text, avoid_collisions(rows, taken_starts(text)))
        assert once.startswith(HEADER + HAND)
        assert once.count(SOURCE_KEY) == 3
        assert "the dataset ends in 2014: carried forward" in once
        twice = rewrite_ties(once, avoid_collisions(rows, taken_starts(once)))
        assert twice == once
        # fewer states: the old generated rows go, the hand-made ones stay
        fewer = rewrite_ties(once, [])
        assert fewer == HEADER + HAND

    def test_records_keep_a_line_break_inside_quotes(self):
        assert len(records(HEADER + HAND)) == 3

    def test_generate_uses_the_tables_last_year(self):
        rows = generate(world(), ["USA", "CAN", "MEX"])
        # the real blocks start in 1950: 2005-09 and 2010-14 are two of them
        assert [(p.a, p.b, p.strength, p.since, p.until) for p in rows] == [
            ("CAN", "USA", 0.3, 2005, 2009),
            ("CAN", "USA", 0.35, 2010, None),
            ("MEX", "USA", 0.1, 2005, None),
        ]

    def test_read_flows_from_the_cow_csv(self, tmp_path):
        path = tmp_path / "Dyadic_COW_4.0.csv"
        path.write_text(
            "ccode1,ccode2,year,flow1,flow2,smoothflow1,smoothflow2\n"
            "2,20,2014,300,250,300,250\n"
            "2,70,2014,-9,4.5,-9,4.5\n"  # COW's missing code: the known side counts
            "20,70,2014,-9,-9,-9,-9\n"  # nothing known: no flow
        )
        flows = read_flows(path)
        assert flows == [Flow(2, 20, 2014, 550.0), Flow(2, 70, 2014, 4.5)]
        assert not any(math.isnan(f.trade) for f in flows)
