"""The data page's filters and source display, on small hand-built tables of text cells
(as ui.datastore.table_frame reads them: every cell a string, blank until = '').
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from model.export import read_dataset_files
from ui.datatable import filter_rows, names_actors, table_csv, table_download, with_sources

TIES = pd.DataFrame(
    [
        # a,    b,    domain,     kind,              since,  until,  source,   note
        ["USA", "JPN", "security", "treaty_alliance", "1960", "", "s1", "Mutual Cooperation"],
        ["USA", "IND", "security", "exercise", "1992", "2005", "s2;s1", "Malabar"],
        ["JPN", "AUS", "economic", "fta", "2015", "", "s2", "JAEPA"],
        ["AUS", "IND", "political", "dialogue", "2007", "2008", "zz", "Quad 1.0"],
        ["IND", "JPN", "political", "strategic_partnership", "2014", "2014", "zz;s2", "one year"],
    ],
    columns=["a", "b", "domain", "kind", "since", "until", "source", "note"],
    dtype=str,
)
SENSITIVITIES = pd.DataFrame(
    [
        ["KOR", "member:JPN", "2018", ""],
        ["IND", "framing:alliance", "1961", ""],
        ["CHN", "member:USA", "2000", ""],
    ],
    columns=["actor", "trigger", "since", "until"],
    dtype=str,
)
PRESETS = pd.DataFrame(
    [
        ["quad", "USA,JPN,AUS,IND"],
        ["camp_david", "USA,JPN,KOR"],
        ["crink", "CHN, RUS, IRN, PRK"],
    ],
    columns=["id", "members"],
    dtype=str,
)
SOURCES = pd.DataFrame(
    [
        ["s1", "Treaty of Mutual Cooperation", "MOFA", "1960", "https://example.org/s1"],
        ["s2", "Joint statement", "PMO", "2014", "https://example.org/s2"],
    ],
    columns=["key", "title", "publisher", "year", "url"],
    dtype=str,
)


def notes(frame: pd.DataFrame) -> list[str]:
    return frame["note"].tolist()


class TestFilterRows:
    def test_no_filter_keeps_every_row_in_order(self):
        pd.testing.assert_frame_equal(filter_rows(TIES, "ties.csv"), TIES)

    @pytest.mark.parametrize(
        ("search", "expected"),
        [
            ("malabar", ["Malabar"]),  # any case
            ("  QUAD ", ["Quad 1.0"]),  # surrounding spaces ignored
            ("IND", ["Malabar", "Quad 1.0", "one year"]),  # any column
            ("2014", ["one year"]),
            ("s2", ["Malabar", "JAEPA", "one year"]),
            ("nothing like it", []),
            ("", ["Mutual Cooperation", "Malabar", "JAEPA", "Quad 1.0", "one year"]),
        ],
    )
    def test_search_text_anywhere_in_the_row(self, search, expected):
        assert notes(filter_rows(TIES, "ties.csv", search=search)) == expected

    @pytest.mark.parametrize(
        ("actors", "expected"),
        [
            (("JPN",), ["Mutual Cooperation", "JAEPA", "one year"]),  # as a or as b
            (("AUS", "USA"), ["Mutual Cooperation", "Malabar", "JAEPA", "Quad 1.0"]),  # any
            (("IN",), []),  # whole codes only: IN is not IND
            (("KOR",), []),
        ],
    )
    def test_ties_by_actor(self, actors, expected):
        assert notes(filter_rows(TIES, "ties.csv", actors=actors)) == expected

    @pytest.mark.parametrize(
        ("actors", "expected"),
        [
            (("JPN",), ["quad", "camp_david"]),
            (("KOR",), ["camp_david"]),
            (("RUS",), ["crink"]),  # a space after the comma
            (("IRN", "AUS"), ["quad", "crink"]),
            (("GBR",), []),
        ],
    )
    def test_presets_by_a_member_in_their_comma_list(self, actors, expected):
        assert filter_rows(PRESETS, "presets.csv", actors=actors)["id"].tolist() == expected

    @pytest.mark.parametrize(
        ("actors", "expected"),
        [
            (("JPN",), ["KOR"]),  # named in a member: trigger
            (("KOR",), ["KOR"]),  # the uneasy actor itself
            (("USA",), ["CHN"]),
            (("IND",), ["IND"]),  # framing triggers name no actor
        ],
    )
    def test_sensitivities_by_actor_or_member_trigger(self, actors, expected):
        shown = filter_rows(SENSITIVITIES, "sensitivities.csv", actors=actors)
        assert shown["actor"].tolist() == expected

    @pytest.mark.parametrize(
        ("table", "frame", "actors", "column", "expected"),
        [
            # the rows between two actors, not every row naming one of them
            ("ties.csv", TIES, ("USA", "IND"), "note", ["Malabar"]),
            ("ties.csv", TIES, ("IND", "JPN", "AUS"), "note", ["JAEPA", "Quad 1.0", "one year"]),
            ("ties.csv", TIES, ("USA",), "note", []),  # no row is between USA and itself
            # an actor's unease with another actor; a framing trigger names only the actor
            ("sensitivities.csv", SENSITIVITIES, ("KOR", "JPN"), "actor", ["KOR"]),
            ("sensitivities.csv", SENSITIVITIES, ("IND", "USA"), "actor", ["IND"]),
            # a preset whose members are all among them
            ("presets.csv", PRESETS, ("USA", "JPN", "KOR", "AUS"), "id", ["camp_david"]),
        ],
    )
    def test_between_keeps_rows_whose_actors_are_all_chosen(
        self, table, frame, actors, column, expected
    ):
        shown = filter_rows(frame, table, actors=actors, between=True)
        assert shown[column].tolist() == expected

    def test_an_actor_filter_on_a_table_without_actors_keeps_nothing(self):
        assert filter_rows(SOURCES, "sources.csv", actors=("USA",)).empty

    @pytest.mark.parametrize(
        ("domain", "expected"),
        [
            ("security", ["Mutual Cooperation", "Malabar"]),
            ("economic", ["JAEPA"]),
            ("political", ["Quad 1.0", "one year"]),
        ],
    )
    def test_by_domain(self, domain, expected):
        assert notes(filter_rows(TIES, "ties.csv", domain=domain)) == expected

    def test_a_domain_filter_on_a_table_without_domains_is_ignored(self):
        assert len(filter_rows(PRESETS, "presets.csv", domain="security")) == len(PRESETS)

    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (1959, []),
            (1960, ["Mutual Cooperation"]),  # since is inclusive
            (1992, ["Mutual Cooperation", "Malabar"]),
            (2005, ["Mutual Cooperation", "Malabar"]),  # until is inclusive
            (2006, ["Mutual Cooperation"]),
            (2008, ["Mutual Cooperation", "Quad 1.0"]),
            (2014, ["Mutual Cooperation", "one year"]),  # since == until: that one year
            (2015, ["Mutual Cooperation", "JAEPA"]),  # blank until: still in force
            (2099, ["Mutual Cooperation", "JAEPA"]),
        ],
    )
    def test_in_force_in_a_year(self, year, expected):
        assert notes(filter_rows(TIES, "ties.csv", year=year)) == expected

    def test_filters_combine(self):
        shown = filter_rows(
            TIES, "ties.csv", search="s2", actors=("IND",), domain="security", year=2000
        )
        assert notes(shown) == ["Malabar"]


class TestWithSources:
    shown = with_sources(TIES, SOURCES)

    def test_titles_and_link_sit_right_after_the_source_column(self):
        assert list(self.shown.columns) == [
            "a",
            "b",
            "domain",
            "kind",
            "since",
            "until",
            "source",
            "sources",
            "link",
            "note",
        ]

    @pytest.mark.parametrize(
        ("row", "titles"),
        [
            (0, "Treaty of Mutual Cooperation (MOFA, 1960)"),
            (1, "Joint statement (PMO, 2014); Treaty of Mutual Cooperation (MOFA, 1960)"),
            (3, "zz (unresolved)"),
            (4, "zz (unresolved); Joint statement (PMO, 2014)"),
        ],
    )
    def test_each_key_becomes_title_publisher_and_year(self, row, titles):
        assert self.shown["sources"].iloc[row] == titles

    @pytest.mark.parametrize(
        ("row", "link"),
        [
            (0, "https://example.org/s1"),
            (1, "https://example.org/s2"),  # the first key's link, not the second's
            (3, None),  # nothing resolves: no link (pandas shows it as missing)
            (4, "https://example.org/s2"),  # the first key that resolves
        ],
    )
    def test_the_link_is_the_first_sources_address(self, row, link):
        shown = self.shown["link"].iloc[row]
        assert pd.isna(shown) if link is None else shown == link

    def test_the_table_itself_is_unchanged(self):
        pd.testing.assert_frame_equal(self.shown.drop(columns=["sources", "link"]), TIES)

    def test_another_source_column(self):
        actors = pd.DataFrame({"code": ["USA"], "capability_source": ["s2; s1"]}, dtype=str)
        shown = with_sources(actors, SOURCES, "capability_source")
        assert shown["sources"].iloc[0] == (
            "Joint statement (PMO, 2014); Treaty of Mutual Cooperation (MOFA, 1960)"
        )

    def test_a_table_without_sources_is_returned_as_is(self):
        assert with_sources(SOURCES, SOURCES) is SOURCES


def test_names_actors():
    assert [t for t in ("actors.csv", "ties.csv", "sources.csv") if names_actors(t)] == [
        "actors.csv",
        "ties.csv",
    ]


class TestTableCsv:
    def test_the_rows_kept_with_the_header_in_their_order(self):
        kept = filter_rows(TIES, "ties.csv", actors=("AUS",))
        rows = list(csv.reader(io.StringIO(table_csv(kept).decode("utf-8"), newline="")))
        assert rows[0] == list(TIES.columns)
        assert rows[1:] == kept.to_numpy().tolist()
        assert [r[-1] for r in rows[1:]] == ["JAEPA", "Quad 1.0"]

    def test_awkward_cells_come_back_as_written(self):
        odd = pd.DataFrame({"a": ["x, y", 'say "hi"', "two\nlines", "", " padded "]}, dtype=str)
        back = pd.read_csv(io.BytesIO(table_csv(odd)), dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(back, odd)

    @pytest.mark.parametrize("name", sorted(read_dataset_files()))
    def test_every_builtin_table_round_trips(self, name):
        raw = read_dataset_files()[name]
        whole = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
        back = pd.read_csv(io.BytesIO(table_csv(whole)), dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(back, whole)


class TestTableDownload:
    def test_every_row_kept_is_the_file_itself(self):
        d = table_download("ties.csv", 822, 822, ("USA",))
        assert (d.file_name, d.label, d.whole, d.empty) == (
            "ties.csv",
            "Download all 822 rows",
            True,
            False,
        )
        assert "The whole table, as ties.csv" in d.help
        assert table_download("presets.csv", 1, 1).label == "Download all 1 row"

    @pytest.mark.parametrize(
        ("actors", "between", "name"),
        [
            ((), False, "ties-11-of-822-rows.csv"),  # another filter: the counts say it
            (("USA",), False, "ties-USA-11-of-822-rows.csv"),
            (("USA", "PHL"), False, "ties-PHL-USA-11-of-822-rows.csv"),  # sorted
            (("PHL", "USA"), False, "ties-PHL-USA-11-of-822-rows.csv"),  # any pick order
            (("USA", "PHL"), True, "ties-between-PHL-USA-11-of-822-rows.csv"),
            ((), True, "ties-11-of-822-rows.csv"),  # between nobody is no filter
            (
                ("USA", "JPN", "KOR", "AUS", "IND", "PHL"),
                False,
                "ties-AUS-IND-JPN-KOR-and-2-more-11-of-822-rows.csv",
            ),
            (("U/S A", "../x"), False, "ties-USA-x-11-of-822-rows.csv"),  # name-safe only
        ],
    )
    def test_a_filtered_download_says_so_in_its_name(self, actors, between, name):
        d = table_download("ties.csv", 11, 822, actors, between)
        assert d.file_name == name
        assert (d.label, d.whole, d.empty) == ("Download the 11 rows shown", False, False)
        assert "Only the 11 of 822 rows the filters keep" in d.help and name in d.help

    def test_one_row_is_one_row(self):
        d = table_download("threats.csv", 1, 180, ("PRK",))
        assert d.file_name == "threats-PRK-1-of-180-rows.csv"
        assert d.label == "Download the 1 row shown"

    def test_no_row_kept_is_nothing_to_download(self):
        d = table_download("ties.csv", 0, 822, ("USA",))
        assert (d.label, d.empty, d.whole) == ("No rows to download", True, False)
