"""Validation at load: one damaged copy of a good dataset per problem.

Every problem reads ``file:row: column: what is wrong`` and quotes the bad value; row 1 is
the header, row 2 the first record, row 0 the whole file. All problems come at once.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from builders import friction, sensitivity, tables, threat, tie

import model
from model import DatasetError, load_dataset, parse_tables
from model.data import RECORDS, Friction
from model.schema import DATED_COLUMNS, DATED_TABLES, REQUIRED_COLUMNS

ROOT = Path(model.__file__).resolve().parent.parent  # the repository, wherever the test is


def good() -> dict[str, bytes]:
    """A small valid dataset. Its record rows, by file:

    ties.csv           2: AAA,BBB,security,treaty_alliance,0.5,2000,,high,s1,test
                       3: AAA,CCC,economic,fta,0.4,2000,,high,s1,test
    frictions.csv      2: BBB,CCC,political_rift,0.3,2000,,high,s1,test
    sensitivities.csv  2: CCC,framing:alliance,0.2,2000,,high,s1,test
    threats.csv        2: AAA,CCC,0.5,2000,,high,s1,test
    """
    return tables(
        codes=("AAA", "BBB", "CCC"),
        ties=[tie("AAA", "BBB", 0.5), tie("AAA", "CCC", 0.4, "economic", "fta")],
        frictions=[friction("BBB", "CCC", 0.3)],
        sensitivities=[sensitivity("CCC", "framing:alliance", 0.2)],
        threats=[threat("AAA", "CCC", 0.5)],
    )


def damaged(*edits: tuple[str, bytes | None, bytes | None]) -> dict[str, bytes]:
    """The good tables with each (file, old, new) edit: replace every ``old`` by ``new``;
    ``old`` None replaces the whole file; ``new`` None deletes the file."""
    files = good()
    for name, old, new in edits:
        if new is None:
            del files[name]
        elif old is None:
            files[name] = new
        else:
            assert old in files[name], f"{old!r} is not in {name}"
            files[name] = files[name].replace(old, new)
    return files


def problems(files: dict[str, bytes]) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        parse_tables(files)
    return caught.value.problems


ROW2 = b"AAA,BBB,security,treaty_alliance,0.5,2000,,high,s1,test"

# (edits, the exact "file:row: column:" prefix, the quoted bad value or other fragment)
CASES = {
    "missing column": (
        [("ties.csv", b"source,note\n", b"source,remark\n")],
        "ties.csv:1: note:",
        "missing column 'note'",
    ),
    "duplicate header": (
        [
            ("ties.csv", b"source,note\n", b"source,note,strength\n"),
            ("ties.csv", b",test\n", b",test,0.5\n"),
        ],
        "ties.csv:1: strength:",
        "duplicate column 'strength'",
    ),
    "unknown code": (
        [("ties.csv", b"AAA,BBB,security", b"ZZZ,BBB,security")],
        "ties.csv:2: a:",
        "unknown actor code 'ZZZ'",
    ),
    "unknown code in a threat target": (
        [("threats.csv", b"AAA,CCC", b"AAA,CHN")],
        "threats.csv:2: target:",
        "'CHN'",
    ),
    "unresolved source key": (
        [("frictions.csv", b",s1,test", b",s1;s9,test")],
        "frictions.csv:2: source:",
        "source key 's9' does not resolve",
    ),
    "empty source": (
        [("threats.csv", b",s1,test", b",,test")],
        "threats.csv:2: source:",
        "'' is not a ';'-separated list",
    ),
    "strength out of range": (
        [("ties.csv", b"treaty_alliance,0.5,", b"treaty_alliance,1.5,")],
        "ties.csv:2: strength:",
        "'1.5' is out of range [0, 1]",
    ),
    "negative severity": (
        [("frictions.csv", b"political_rift,0.3,", b"political_rift,-0.1,")],
        "frictions.csv:2: severity:",
        "'-0.1' is out of range",
    ),
    "NA as a number": (
        [("threats.csv", b"CCC,0.5,", b"CCC,NA,")],
        "threats.csv:2: level:",
        "'NA' is not a number",
    ),
    "nan as a number": (
        [("ties.csv", b"fta,0.4,", b"fta,nan,")],
        "ties.csv:3: strength:",
        "'nan' is out of range",
    ),
    "self-tie": (
        [("ties.csv", b"AAA,CCC,economic", b"CCC,CCC,economic")],
        "ties.csv:3: b:",
        "'CCC' with itself",
    ),
    "self-friction": (
        [("frictions.csv", b"BBB,CCC,political_rift", b"CCC,CCC,political_rift")],
        "frictions.csv:2: b:",
        "a self-friction ('CCC' with itself)",
    ),
    "self-threat": (
        [("threats.csv", b"AAA,CCC", b"CCC,CCC")],
        "threats.csv:2: target:",
        "'CCC' rates itself as a threat",
    ),
    "membership between two states": (
        [("ties.csv", b"AAA,CCC,economic,fta", b"AAA,CCC,political,membership")],
        "ties.csv:3: kind:",
        "a membership ties a state to an organisation, not 'AAA' to 'CCC'",
    ),
    "duplicate friction (same pair, kind and since)": (
        [("frictions.csv", b"test\n", b"test\nCCC,BBB,political_rift,0.5,2000,,low,s1,x\n")],
        "frictions.csv:3: row:",
        "duplicate of row 2 (same pair, kind and since)",
    ),
    "duplicate threat (same actor, target and since)": (
        [("threats.csv", b"test\n", b"test\nAAA,CCC,0.9,2000,2001,high,s1,x\n")],
        "threats.csv:3: row:",
        "duplicate of row 2 (same actor, target and since)",
    ),
    "duplicate row (the pair reversed)": (
        [
            (
                "ties.csv",
                ROW2 + b"\n",
                ROW2 + b"\nBBB,AAA,security,treaty_alliance,0.9,2000,,high,s1,x\n",
            )
        ],
        "ties.csv:3: row:",
        "duplicate of row 2",
    ),
    "year with a letter": (
        [("frictions.csv", b"0.3,2000,", b"0.3,20x4,")],
        "frictions.csv:2: since:",
        "'20x4' is not a four-digit year",
    ),
    "year out of range": (
        [("sensitivities.csv", b"0.2,2000,", b"0.2,1800,")],
        "sensitivities.csv:2: since:",
        "'1800' is outside 1900-2100",
    ),
    "bad until year": (
        [("threats.csv", b"0.5,2000,,", b"0.5,2000,soon,")],
        "threats.csv:2: until:",
        "'soon' is not a four-digit year",
    ),
    "until before since": (
        [("ties.csv", b"0.5,2000,,", b"0.5,2010,2005,")],
        "ties.csv:2: until:",
        "'2005' is before since '2010'",
    ),
    "bad confidence": (
        [("threats.csv", b",high,s1", b",sure,s1")],
        "threats.csv:2: confidence:",
        "'sure' is not one of high, medium, low",
    ),
    "unknown tie kind": (
        [("ties.csv", b"treaty_alliance", b"friendship")],
        "ties.csv:2: kind:",
        "'friendship' is not one of",
    ),
    "kind/domain mismatch": (
        [("ties.csv", b"AAA,CCC,economic,fta", b"AAA,CCC,security,fta")],
        "ties.csv:3: domain:",
        "'security' does not match kind 'fta'",
    ),
    "bad framing trigger": (
        [("sensitivities.csv", b"framing:alliance", b"framing:war")],
        "sensitivities.csv:2: trigger:",
        "'framing:war' is not",
    ),
    "member trigger with an unknown code": (
        [("sensitivities.csv", b"framing:alliance", b"member:ZZZ")],
        "sensitivities.csv:2: trigger:",
        "unknown actor code 'ZZZ' in 'member:ZZZ'",
    ),
    "member trigger naming the actor itself": (
        [("sensitivities.csv", b"framing:alliance", b"member:CCC")],
        "sensitivities.csv:2: trigger:",
        "'member:CCC' names the actor itself",
    ),
    "overlapping threat periods": (
        [("threats.csv", b"test\n", b"test\nAAA,CCC,0.9,2010,2020,high,s1,later\n")],
        "threats.csv:3: since:",
        "overlaps row 2",
    ),
    "overlapping sensitivity periods": (
        [("sensitivities.csv", b"test\n", b"test\nCCC,framing:alliance,0.9,2010,,low,s1,x\n")],
        "sensitivities.csv:3: since:",
        "overlaps row 2",
    ),
    "empty file": (
        [("frictions.csv", None, b"")],
        "frictions.csv:0: file:",
        "the file is empty",
    ),
    "blank file": (
        [("frictions.csv", None, b"\n  \n")],
        "frictions.csv:0: file:",
        "the file is empty",
    ),
    "header only": (
        [("threats.csv", None, b"actor,target,level,since,until,confidence,source,note\n")],
        "threats.csv:0: file:",
        "no data rows",
    ),
    "non-UTF-8 bytes": (
        [("frictions.csv", b",test", b",t\xe9st")],
        "frictions.csv:0: file:",
        "not UTF-8 text (byte 0xe9",
    ),
    "binary file": (
        [("threats.csv", b"test\n", b"test\x00\n")],
        "threats.csv:0: file:",
        "binary data (a NUL byte)",
    ),
    "missing file": (
        [("frictions.csv", None, None)],
        "frictions.csv:0: file:",
        "the file is missing",
    ),
    "wrong field count": (
        [("ties.csv", ROW2, ROW2.removesuffix(b",test"))],
        "ties.csv:2: row:",
        "9 fields where the header has 10",
    ),
    "bad source url": (
        [("sources.csv", b"https://example.org/s1", b"example.org/s1")],
        "sources.csv:2: url:",
        "'example.org/s1' is not an http(s) address",
    ),
    "preset with an unknown member": (
        [("presets.csv", b'"AAA,BBB"', b'"AAA,ZZZ"')],
        "presets.csv:2: members:",
        "unknown actor code 'ZZZ'",
    ),
    "preset id that is an actor code": (
        [("presets.csv", b"pair,", b"aaa,")],
        "presets.csv:2: id:",
        "'aaa' is also an actor code; a link could not tell them apart",
    ),
}


class TestParseTables:
    def test_the_undamaged_tables_are_valid(self):
        ds = parse_tables(good())
        assert ds.codes == ("AAA", "BBB", "CCC")
        assert (len(ds.ties), len(ds.frictions), len(ds.sensitivities), len(ds.threats)) == (
            2,
            1,
            1,
            1,
        )
        assert ds.ties[0].row == 2

    @pytest.mark.parametrize(("edits", "prefix", "quoted"), CASES.values(), ids=CASES.keys())
    def test_one_problem_one_message(self, edits, prefix, quoted):
        found = problems(damaged(*edits))
        assert len(found) == 1, found
        assert found[0].startswith(prefix + " "), found
        assert quoted in found[0]

    def test_every_problem_is_listed_at_once(self):
        found = problems(
            damaged(
                ("ties.csv", b"AAA,BBB,security", b"ZZZ,BBB,security"),
                ("threats.csv", b",high,s1", b",sure,s1"),
            )
        )
        assert found == [
            "ties.csv:2: a: unknown actor code 'ZZZ'",
            "threats.csv:2: confidence: 'sure' is not one of high, medium, low",
        ]

    def test_every_bad_cell_of_one_row_is_listed(self):
        found = problems(damaged(("ties.csv", b"0.5,2000,,high", b"2,20x4,,maybe")))
        assert found == [
            "ties.csv:2: strength: '2' is out of range [0, 1]",
            "ties.csv:2: since: '20x4' is not a four-digit year",
            "ties.csv:2: confidence: 'maybe' is not one of high, medium, low",
        ]

    def test_the_error_message_counts_and_lists_the_problems(self):
        with pytest.raises(DatasetError) as caught:
            parse_tables(damaged(("frictions.csv", None, None), ("threats.csv", None, b"")))
        text = str(caught.value)
        assert text.splitlines() == [
            "2 problem(s) in the dataset:",
            "frictions.csv:0: file: the file is missing",
            "threats.csv:0: file: the file is empty",
        ]

    def test_consecutive_periods_do_not_overlap(self):
        files = damaged(
            ("threats.csv", b"0.5,2000,,", b"0.5,2000,2009,"),
            ("threats.csv", b"test\n", b"test\nAAA,CCC,0.9,2010,,high,s1,later\n"),
        )
        ds = parse_tables(files)
        assert [(t.since, t.until, t.level) for t in ds.threats] == [
            (2000, 2009, 0.5),
            (2010, None, 0.9),
        ]

    def test_na_is_text_where_text_is_expected(self):
        ds = parse_tables(damaged(("ties.csv", b",s1,test\nAAA,CCC", b",s1,NA\nAAA,CCC")))
        assert ds.ties[0].note == "NA"

    def test_a_byte_order_mark_is_accepted(self):
        ds = parse_tables(damaged(("actors.csv", b"code,", b"\xef\xbb\xbfcode,")))
        assert ds.codes == ("AAA", "BBB", "CCC")

    def test_a_mismatch_is_listed_beside_another_problem_on_its_row(self):
        found = problems(damaged(("ties.csv", b"AAA,CCC,economic,fta", b"AAA,ZZZ,security,fta")))
        assert found == [
            "ties.csv:3: b: unknown actor code 'ZZZ'",
            "ties.csv:3: domain: 'security' does not match kind 'fta' (economic)",
        ]

    def test_a_header_problem_in_actors_does_not_cascade(self):
        found = problems(damaged(("actors.csv", b"code,name,", b"code,title,")))
        assert found == ["actors.csv:1: name: missing column 'name'"]

    def test_a_record_with_a_line_break_in_a_note_keeps_its_row(self):
        found = problems(
            damaged(
                ("ties.csv", b"0.5,2000,,high,s1,test", b'1.5,2000,,high,s1,"two\nlines"'),
            )
        )
        assert found == ["ties.csv:2: strength: '1.5' is out of range [0, 1]"]

    def test_a_membership_ties_a_state_to_an_organisation(self):
        files = damaged(
            (
                "actors.csv",
                b"CCC,Actor CCC,state,Europe,0,0\n",
                b"CCC,Actor CCC,state,Europe,0,0\nORG,Org,organization,Europe,0,0\n",
            ),
            ("ties.csv", b"AAA,CCC,economic,fta", b"AAA,ORG,political,membership"),
        )
        assert [(t.a, t.b, t.kind) for t in parse_tables(files).ties][1] == (
            "AAA",
            "ORG",
            "membership",
        )


class TestRecords:
    @pytest.mark.parametrize("name", list(DATED_TABLES))
    def test_a_records_own_fields_are_its_tables_columns_before_since(self, name):
        own = [f.name for f in fields(RECORDS[name]) if f.name not in ("sources", "row")]
        shared = [c for c in DATED_COLUMNS if c != "source"]
        assert [f for f in own if f not in shared] == list(
            REQUIRED_COLUMNS[name][: -len(DATED_COLUMNS)]
        )

    def test_every_dated_record_is_read_from_its_row(self):
        ds = parse_tables(good())
        assert ds.frictions[0] == Friction(
            "BBB",
            "CCC",
            "political_rift",
            0.3,
            since=2000,
            until=None,
            confidence="high",
            sources=("s1",),
            note="test",
            row=2,
        )
        assert ds.sensitivities[0].trigger == "framing:alliance"
        assert (ds.threats[0].actor, ds.threats[0].target, ds.threats[0].level) == (
            "AAA",
            "CCC",
            0.5,
        )
        assert ds.ties[1].active(2000) and not ds.ties[1].active(1999)


class TestLoadDataset:
    def write(self, directory: Path, files: dict[str, bytes]) -> Path:
        for name, data in files.items():
            (directory / name).write_bytes(data)
        return directory

    def test_reads_a_directory(self, tmp_path):
        ds = load_dataset(self.write(tmp_path, good()))
        assert ds.codes == ("AAA", "BBB", "CCC")
        assert ds.origin == str(tmp_path)

    def test_a_missing_file_is_a_problem(self, tmp_path):
        files = good()
        del files["ties.csv"]
        with pytest.raises(DatasetError) as caught:
            load_dataset(self.write(tmp_path, files))
        assert caught.value.problems == ["ties.csv:0: file: the file is missing"]

    def test_a_missing_directory_is_a_problem(self, tmp_path):
        with pytest.raises(DatasetError, match="no such dataset directory"):
            load_dataset(tmp_path / "nowhere")

    def test_the_environment_variable_picks_the_dataset(self, tmp_path, monkeypatch):
        monkeypatch.setenv("COHESION_DATA_DIR", str(self.write(tmp_path, good())))
        assert load_dataset().origin == str(tmp_path)
