"""Hostile uploads: each is refused with a sentence naming the file, in bounded memory, and
the dataset in use before it stays in use. Zips are accepted, so zip bombs are tried too.

Memory is measured with tracemalloc (Python allocations, which is where a bomb would land);
time is not asserted (tests never time anything), but every refusal here happens before the
file is parsed row by row, so none depends on the file's size.
"""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from builders import tables, tie, zip_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from model import Dataset, DatasetError, parse_tables
from model.data import MAX_FILE_BYTES, MAX_PROBLEMS, MAX_ROWS
from model.export import MAX_ZIP_MEMBERS, dataset_zip, read_dataset_files, read_zip
from model.schema import FILES
from ui.datastore import CUSTOM, MAX_CSV_BYTES, MAX_ZIP_BYTES

MB = 1_000_000
BUILTIN = read_dataset_files()
TIES_HEADER = BUILTIN["ties.csv"].splitlines()[0] + b"\n"
#: A valid edit uploaded first: the first tie row (the USA-AUS treaty, 0.9) at 0.85.
_HEAD, _FIRST, _REST = BUILTIN["ties.csv"].split(b"\n", 2)
assert _FIRST.startswith(b"USA,AUS,security,treaty_alliance,0.9,"), _FIRST
EDIT = (
    "ties.csv",
    b"\n".join([_HEAD, _FIRST.replace(b",0.9,", b",0.85,", 1), _REST]),
)


# --------------------------------------------------------------------------- builders


def one_member_zip(
    name: str,
    payload: bytes,
    size: int,
    crc: int = 0,
    method: int = zipfile.ZIP_DEFLATED,
    flags: int = 0,
) -> bytes:
    """A zip of one member written by hand, so that its header can claim any size and CRC."""
    fname = name.encode()
    head = (flags, method, 0, 0, crc)
    sizes = (len(payload), size, len(fname))
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *head, *sizes, 0) + fname
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *head, *sizes, *[0] * 6) + fname
    cd_at, cd_size = len(local) + len(payload), len(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, cd_size, cd_at, 0)
    return local + payload + central + end


def deflated_zeros(size: int) -> bytes:
    """A raw deflate stream of ``size`` zero bytes (about 1,000 times smaller)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(bytes(MB))
    c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(bytes(MB)) + c.flush(zlib.Z_FULL_FLUSH)  # a full flush forgets history
    return block * (size // MB) + c.flush()


BOMB_SIZE = 100 * MB  # twenty times the per-file cap, from a 100 kB stream
BOMB = deflated_zeros(BOMB_SIZE)


def test_the_bomb_really_inflates_to_its_size():
    inflate, total, rest = zlib.decompressobj(-15), 0, BOMB
    while rest:
        total += len(inflate.decompress(rest, MB))
        rest = inflate.unconsumed_tail
    assert total == BOMB_SIZE and len(BOMB) < BOMB_SIZE // 500


def many_members(n: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(n):
            z.writestr(f"junk/{i}.txt", b"")
    return buf.getvalue()


def rows(n: int, row: bytes) -> bytes:
    return TIES_HEADER + row * n


def garbage(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


# --------------------------------------------------------------------------- the page


def upload_twice(first: tuple[str, bytes], second: tuple[str, bytes]) -> None:
    """Upload a valid edit, then the hostile file; keep both outcomes in the session, and
    the peak of Python allocations during the second."""
    import tracemalloc

    import streamlit as st

    from ui import datastore

    st.session_state["first"] = datastore.upload(*first)
    tracemalloc.start()
    try:
        st.session_state["second"] = datastore.upload(*second)
        st.session_state["peak"] = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


LATIN1 = BUILTIN["actors.csv"].replace(b"Canada", "Canadé".encode("latin-1"))
E_ACUTE_AT = LATIN1.index("é".encode("latin-1"))
HOSTILE = [
    # (id, filename, bytes, a problem shown)
    (
        "oversized-csv",
        "ties.csv",
        b"a" * (MAX_CSV_BYTES + 1),
        f"ties.csv: {MAX_CSV_BYTES + 1:,} bytes is over the {MAX_CSV_BYTES:,}-byte limit for a CSV",
    ),
    (
        "oversized-zip",
        "big.zip",
        garbage(MAX_ZIP_BYTES + 1),
        f"big.zip: {MAX_ZIP_BYTES + 1:,} bytes is over the {MAX_ZIP_BYTES:,}-byte limit for a zip",
    ),
    (
        "binary",
        "ties.csv",
        garbage(100_000),
        "ties.csv:0: file: binary data (a NUL byte) where CSV text was expected",
    ),
    (
        "utf-16",
        "ties.csv",
        BUILTIN["ties.csv"].decode().encode("utf-16"),
        "ties.csv:0: file: UTF-16 text; save it as UTF-8 CSV",
    ),
    (
        "utf-16-without-bom",
        "ties.csv",
        BUILTIN["ties.csv"].decode().encode("utf-16-le"),
        "ties.csv:0: file: binary data (a NUL byte) where CSV text was expected",
    ),
    (
        "latin-1",
        "actors.csv",
        LATIN1,
        f"actors.csv:0: file: not UTF-8 text (byte 0xe9 at offset {E_ACUTE_AT})",
    ),
    (
        "a-zip-named-csv",
        "ties.csv",
        dataset_zip(BUILTIN),
        "ties.csv:0: file: binary data (a NUL byte) where CSV text was expected",
    ),
    (
        "a-csv-named-zip",
        "dataset.zip",
        BUILTIN["ties.csv"],
        "dataset.zip: the file is not a zip archive",
    ),
    ("empty", "ties.csv", b"", "ties.csv:0: file: the file is empty"),
    (
        "200k-rows",
        "ties.csv",
        rows(200_000, b"A,B,c,d,1,2,,h,s,\n"),
        f"ties.csv:0: file: more than {MAX_ROWS} rows; the cap is {MAX_ROWS}",
    ),
    (
        "200k-blank-lines",
        "ties.csv",
        rows(200_000, b"\r\n"),
        f"ties.csv:0: file: more than {MAX_ROWS} rows; the cap is {MAX_ROWS}",
    ),
    (
        "one-huge-cell",
        "ties.csv",
        TIES_HEADER + b"x" * (MAX_FILE_BYTES - 100),
        "ties.csv:2: row: unreadable CSV (field larger than field limit (131072))",
    ),
    (
        "a-million-columns",
        "ties.csv",
        b"," * 1_000_000 + b"\n",
        "ties.csv:1: header: an empty column name",
    ),
    (
        "a-problem-in-every-cell",
        "ties.csv",
        rows(5_000, b"X,Y,z,k,9,1,,q,s,\n"),
        "ties.csv:2: a: unknown actor code 'X'",
    ),
    (
        "zip-bomb-with-an-honest-header",
        "bomb.zip",
        one_member_zip("ties.csv", BOMB, BOMB_SIZE),
        f"bomb.zip: ties.csv unpacks to {BOMB_SIZE:,} bytes; the limit is {MAX_FILE_BYTES:,}",
    ),
    (
        "zip-bomb-whose-header-lies",
        "bomb.zip",
        one_member_zip("ties.csv", BOMB, 1_000),
        "bomb.zip: ties.csv in the zip is damaged (Bad CRC-32 for file 'ties.csv')",
    ),
    (  # the header's size and CRC fit the first 1,000 bytes: the rest is never inflated
        "zip-bomb-whose-header-lies-consistently",
        "bomb.zip",
        one_member_zip("ties.csv", BOMB, 1_000, crc=zlib.crc32(bytes(1_000))),
        "ties.csv:0: file: binary data (a NUL byte) where CSV text was expected",
    ),
    (
        "zip-bomb-in-a-folder",
        "bomb.zip",
        one_member_zip("dataset/ties.csv", BOMB, MAX_FILE_BYTES),
        "bomb.zip: ties.csv in the zip is damaged (Bad CRC-32 for file 'dataset/ties.csv')",
    ),
    (
        "thousands-of-members",
        "many.zip",
        many_members(2_000),
        f"many.zip: the zip holds 2,000 entries; a dataset zip holds at most {MAX_ZIP_MEMBERS:,}",
    ),
    (
        "nested-zip",
        "nested.zip",
        zip_of({"dataset.zip": dataset_zip(BUILTIN)}),
        "nested.zip: the zip holds none of " + ", ".join(FILES),
    ),
    (
        "encrypted-member",
        "locked.zip",
        one_member_zip(
            "ties.csv",
            BUILTIN["ties.csv"],
            len(BUILTIN["ties.csv"]),
            zlib.crc32(BUILTIN["ties.csv"]),
            method=zipfile.ZIP_STORED,
            flags=0x1,
        ),
        "locked.zip: ties.csv in the zip cannot be unpacked: it is encrypted or packed with an "
        "unsupported method",
    ),
    (
        "unknown-compression",
        "odd.zip",
        one_member_zip("ties.csv", BUILTIN["ties.csv"], len(BUILTIN["ties.csv"]), method=97),
        "odd.zip: ties.csv in the zip cannot be unpacked: it is encrypted or packed with an "
        "unsupported method",
    ),
]


@pytest.mark.parametrize(
    ("filename", "raw", "expected"),
    [case[1:] for case in HOSTILE],
    ids=[case[0] for case in HOSTILE],
)
def test_a_hostile_upload_is_refused_and_the_previous_data_stays(filename, raw, expected):
    at = AppTest.from_function(upload_twice, args=(EDIT, (filename, raw)), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["first"] == []
    problems = at.session_state["second"]
    assert expected in problems
    # each problem names the upload, or the table in it that is wrong
    assert all(p.startswith((f"{filename}:", *(f"{t}:" for t in FILES))) for p in problems)
    assert len(problems) <= MAX_PROBLEMS + 1
    # the edit uploaded before is still the dataset in use
    in_use = at.session_state[CUSTOM][1]
    assert isinstance(in_use, Dataset) and in_use.ties[0].strength == 0.85
    peak = at.session_state["peak"]
    assert peak < 100 * MB, f"{peak / MB:.0f} MB"


# --------------------------------------------------------------------------- limits


class TestLimits:
    def test_a_bomb_is_refused_without_inflating_it(self):
        """The lying header: a whole-member read would hold all 100 MB at once."""
        raw = one_member_zip("ties.csv", BOMB, 1_000)
        tracemalloc.start()
        try:
            with pytest.raises(ValueError, match="damaged"):
                read_zip(raw)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 3 * MAX_FILE_BYTES, f"{peak / MB:.0f} MB"

    def test_a_bomb_just_under_the_cap_is_read_and_then_refused_by_validation(self):
        size = MAX_FILE_BYTES - MAX_FILE_BYTES % MB
        raw = one_member_zip("ties.csv", deflated_zeros(size), size, crc=zlib.crc32(bytes(size)))
        files = read_zip(raw)
        assert files == {"ties.csv": bytes(size)}
        with pytest.raises(DatasetError) as err:
            parse_tables({**BUILTIN, **files})
        assert err.value.problems == [
            "ties.csv:0: file: binary data (a NUL byte) where CSV text was expected"
        ]

    def test_a_file_of_exactly_the_row_cap_is_read(self, monkeypatch):
        monkeypatch.setattr("model.data.MAX_ROWS", 3)
        at_cap = tables(ties=[tie("AAA", "BBB", 0.5, since=2000 + i) for i in range(3)])
        assert len(parse_tables(at_cap).ties) == 3
        over = tables(ties=[tie("AAA", "BBB", 0.5, since=2000 + i) for i in range(4)])
        with pytest.raises(DatasetError) as err:
            parse_tables(over)
        assert err.value.problems == ["ties.csv:0: file: more than 3 rows; the cap is 3"]

    def test_a_quoted_line_break_counts_as_a_row(self, monkeypatch):
        """Rows count lines, as a spreadsheet numbers them."""
        monkeypatch.setattr("model.data.MAX_ROWS", 3)
        two_lines = {**tie("AAA", "BBB", 0.5, since=2001), "note": "two\nlines"}
        at_cap = tables(ties=[tie("AAA", "BBB", 0.5), two_lines])
        assert len(parse_tables(at_cap).ties) == 2
        over = tables(ties=[tie("AAA", "BBB", 0.5), two_lines, tie("AAA", "BBB", 0.5, since=2002)])
        with pytest.raises(DatasetError) as err:
            parse_tables(over)
        assert err.value.problems == ["ties.csv:0: file: more than 3 rows; the cap is 3"]

    def test_validation_stops_after_the_problem_cap_and_says_so(self):
        raw = rows(5_000, b"X,Y,z,k,9,1,,q,s,\n")
        with pytest.raises(DatasetError) as err:
            parse_tables({**BUILTIN, "ties.csv": raw})
        problems = err.value.problems
        assert len(problems) == MAX_PROBLEMS + 1
        assert problems[-1] == (
            f"ties.csv:0: file: validation stopped after {MAX_PROBLEMS} problems"
        )
        assert all(p.startswith("ties.csv:") for p in problems[:-1])

    def test_a_zip_at_the_member_cap_is_read(self):
        members = {f"junk/{i}.txt": b"" for i in range(MAX_ZIP_MEMBERS - len(FILES))}
        raw = zip_of({**members, **{f"dataset/{n}": BUILTIN[n] for n in FILES}})
        assert sorted(read_zip(raw)) == sorted(FILES)


class TestZipNames:
    """A member's name is only a name: nothing is ever written to disk, so a path in it
    cannot escape anywhere; a table is taken from the root or from one folder."""

    @pytest.mark.parametrize(
        ("member", "read_as"),
        [
            ("../../ties.csv", None),
            ("../../../../tmp/ties.csv", None),
            ("../../x.csv", None),
            ("..\\..\\ties.csv", None),
            ("C:\\data\\ties.csv", None),
            ("a/b/ties.csv", None),
            ("/ties.csv", "ties.csv"),
            ("../ties.csv", "ties.csv"),
            ("dataset/ties.csv", "ties.csv"),
        ],
    )
    def test_a_member_name_gives_at_most_a_table_name(self, member, read_as, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        raw = zip_of({member: BUILTIN["ties.csv"], "actors.csv": BUILTIN["actors.csv"]})
        files = read_zip(raw)
        assert sorted(files) == sorted({"actors.csv", *([read_as] if read_as else [])})
        assert list(tmp_path.rglob("*")) == []


# --------------------------------------------------------------------------- fuzzing

SMALL = tables()
SMALL_ZIP = dataset_zip(SMALL)


def test_a_zip_asking_for_a_newer_zip_version_is_refused_with_a_sentence():
    raw = bytearray(SMALL_ZIP)
    at = raw.index(b"PK\x01\x02")  # the first central directory entry
    raw[at + 6 : at + 8] = struct.pack("<H", 64)  # "version needed to extract": 6.4
    with pytest.raises(ValueError, match=r"^the zip cannot be unpacked: it needs a newer zip"):
        read_zip(bytes(raw))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(SMALL_ZIP) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )
)
def test_a_damaged_zip_is_refused_with_a_sentence_or_validated(flips):
    raw = bytearray(SMALL_ZIP)
    for at, value in flips:
        raw[at] = value
    try:
        files = read_zip(bytes(raw))
    except ValueError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert set(files) <= set(FILES)
    try:
        parse_tables({**SMALL, **files})
    except DatasetError as err:
        assert err.problems


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(FILES),
    st.one_of(
        st.binary(max_size=400),
        st.text(alphabet=st.sampled_from(list(",\"\r\n\t ;=-'x1é\x00\ufeff")), max_size=400).map(
            lambda t: t.encode("utf-8")
        ),
    ),
)
def test_any_bytes_as_a_table_give_problems_not_an_exception(name, raw):
    try:
        parse_tables({**SMALL, name: raw})
    except DatasetError as err:
        assert err.problems
        assert all(p.split(":", 1)[0] in FILES for p in err.problems)
