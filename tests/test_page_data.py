"""The data and method pages through the app (AppTest): every table browsable and
filterable; an edit or upload replaces the session's dataset only when it validates, and
otherwise lists its problems and keeps the old data; reset returns to the built-in data.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from apptest import DATA, METHOD, open_page
from streamlit.testing.v1 import AppTest

from model import load_dataset, parse_tables
from model.export import dataset_zip, read_dataset_files, safe_csv
from model.schema import FILES
from ui.datastore import CUSTOM, MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parent.parent
DS = load_dataset()
BUILTIN = read_dataset_files()
METHOD_TEXT = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")


def frame(name: str) -> pd.DataFrame:
    """A table as the page reads it: text cells, blanks as ''."""
    return pd.read_csv(io.BytesIO(BUILTIN[name]), dtype=str, keep_default_na=False)


def csv_bytes(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


TIES = frame("ties.csv")
FIRST_STRENGTH = TIES.loc[0, "strength"]  # 0.9, the USA–AUS ANZUS row


def with_first_strength(value: str) -> pd.DataFrame:
    edited = TIES.copy()
    edited.loc[0, "strength"] = value
    return edited


def tab(at: AppTest, name: str):
    return at.tabs[FILES.index(name)]


def row_count(at: AppTest, name: str) -> str:
    """The table's 'n of m rows' caption."""
    (caption,) = [c.value for c in tab(at, name).caption if c.value.endswith(" rows")]
    return caption


def shown_ties(at: AppTest) -> pd.DataFrame:
    return tab(at, "ties.csv").dataframe[0].value


def dataset_caption(at: AppTest) -> str:
    (caption,) = [c.value for c in at.caption if " actors, " in c.value]
    return caption


def custom_strength(at: AppTest) -> float:
    return at.session_state[CUSTOM][1].ties[0].strength


def problems(at: AppTest) -> list[str]:
    return at.code[0].value.splitlines() if at.code else []


# --------------------------------------------------------------------------- browsing


def in_force(table: pd.DataFrame, year: int) -> int:
    since = table["since"].astype(int)
    until = table["until"].map(lambda u: int(u) if u else 9999)
    return int(((since <= year) & (year <= until)).sum())


def mentions(table: pd.DataFrame, columns: tuple[str, ...], code: str) -> int:
    """Rows naming ``code`` in any of ``columns`` (a comma list or a member: trigger)."""

    def names(cell: str) -> bool:
        return code in cell.replace("member:", "").replace(" ", "").split(",")

    return int(table[list(columns)].apply(lambda r: any(names(v) for v in r), axis=1).sum())


def containing(table: pd.DataFrame, text: str) -> int:
    return int(table.apply(lambda r: any(text.lower() in v.lower() for v in r), axis=1).sum())


# One filter per table, so that a single run applies them all: (table, set the widget,
# the rows expected). Each table's other filters are left alone.
FILTERS = [
    (
        "ties.csv",
        lambda at: at.selectbox(key="data_d_ties.csv").select("economic"),
        int((TIES["domain"] == "economic").sum()),
    ),
    (
        "frictions.csv",
        lambda at: at.checkbox(key="data_y_on_frictions.csv").check(),
        in_force(frame("frictions.csv"), DS.latest_year),
    ),
    (
        "sensitivities.csv",
        lambda at: at.multiselect(key="data_a_sensitivities.csv").select("JPN"),
        mentions(frame("sensitivities.csv"), ("actor", "trigger"), "JPN"),
    ),
    (
        "threats.csv",
        lambda at: at.multiselect(key="data_a_threats.csv").select("PRK"),
        mentions(frame("threats.csv"), ("actor", "target"), "PRK"),
    ),
    (
        "sources.csv",
        lambda at: at.text_input(key="data_q_sources.csv").input("  MOFA "),
        containing(frame("sources.csv"), "mofa"),
    ),
    (
        "presets.csv",
        lambda at: at.multiselect(key="data_a_presets.csv").select("KOR"),
        mentions(frame("presets.csv"), ("members",), "KOR"),
    ),
]


class TestBrowse:
    def test_every_table_has_a_tab_with_all_its_rows_and_their_sources(self):
        at = open_page(DATA)
        assert [t.label for t in at.tabs] == [f.removesuffix(".csv") for f in FILES]
        for name in FILES:
            n = len(frame(name))
            assert row_count(at, name) == f"{n} of {n} rows"
        assert dataset_caption(at).endswith("· built-in dataset")
        assert not at.info  # no custom-dataset notice
        reset = next(b for b in at.button if b.label == "Reset to the built-in dataset")
        assert reset.disabled  # nothing to reset
        source = DS.sources[TIES.loc[0, "source"].split(";")[0]]
        assert (
            shown_ties(at)["sources"]
            .iloc[0]
            .startswith(f"{source.title} ({source.publisher}, {source.year})")
        )
        assert shown_ties(at)["link"].iloc[0] == source.url

    def test_filters_change_the_row_counts(self):
        at = open_page(DATA)
        for _, act, _ in FILTERS:
            act(at)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        for name, _, expected in FILTERS:
            total = len(frame(name))
            assert 0 < expected < total, name  # the filter does filter
            assert row_count(at, name) == f"{expected} of {total} rows"
            assert len(tab(at, name).dataframe[0].value) == expected
        assert row_count(at, "actors.csv") == f"{len(DS.actors)} of {len(DS.actors)} rows"
        # The year slider of the in-force filter moves the count.
        at.slider(key="data_y_frictions.csv").set_value(2010).run()
        frictions = frame("frictions.csv")
        assert in_force(frictions, 2010) != in_force(frictions, DS.latest_year)
        assert row_count(at, "frictions.csv") == (
            f"{in_force(frictions, 2010)} of {len(frictions)} rows"
        )


# --------------------------------------------------------------------------- editing


def editing(custom_strength: str | None = None) -> AppTest:
    """The data page with the ties table's editor open (on a custom dataset whose first
    tie has ``custom_strength``, if given)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["data_editing_ties.csv"] = True  # the 'Edit this table' toggle
    if custom_strength is not None:
        files = {**BUILTIN, "ties.csv": csv_bytes(with_first_strength(custom_strength))}
        at.session_state[CUSTOM] = (files, parse_tables(files))
    at.switch_page("views/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def apply_edit(at: AppTest, edited: pd.DataFrame) -> AppTest:
    """Change the ties table to ``edited`` and press 'Apply edits'."""
    # AppTest cannot type into st.data_editor (it appears as a read-only Dataframe), so
    # the edited frame is put where the editor leaves it on every run, and the button's
    # callback reads it from there, as after a real edit.
    at.session_state["data_edit_frame_ties.csv"] = edited
    at.button(key="data_apply_ties.csv").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def editor_strength(at: AppTest) -> str:
    """The first tie's strength as the open editor shows it."""
    editor = tab(at, "ties.csv").dataframe[0]
    assert editor.key == "data_editor_ties.csv"
    return editor.value["strength"].iloc[0]


class TestEdit:
    def test_a_valid_edit_is_used_here_and_on_the_build_page(self):
        at = apply_edit(editing(), with_first_strength("0.85"))
        assert [s.value for s in at.success] == [
            r"The edit of ties\.csv passed validation and is now in use for this session. "
            "The scenarios on the other pages are kept and scored on it; members it lacks are "
            "left out, with a warning."
        ]
        assert not at.error
        assert custom_strength(at) == 0.85
        assert editor_strength(at) == "0.85"
        assert dataset_caption(at).endswith("· custom dataset")
        assert "A custom dataset is active" in at.info[0].value
        # The same session on the build page: the notice and its download, one line.
        at.switch_page("views/build.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [i.value for i in at.info] == [
            "A custom dataset is active in this session. A shared link opens the built-in "
            "dataset: publish the scenario, or download this dataset, to share it."
        ]
        assert [b.label for b in at.get("download_button")][:1] == ["Download dataset"]

    def test_a_bad_edit_is_refused_with_its_problems_and_the_data_kept(self):
        bad = with_first_strength("1.5")
        bad.loc[1, "a"] = "XXX"
        at = apply_edit(editing(), bad)
        assert [e.value for e in at.error] == [
            r"The edit of ties\.csv was refused, and the previous data is kept: 2 problem(s), "
            "listed as file:row: column: what is wrong."
        ]
        assert problems(at) == [
            "ties.csv:2: strength: '1.5' is out of range [0, 1]",
            "ties.csv:3: a: unknown actor code 'XXX'",
        ]
        assert not at.success
        assert CUSTOM not in at.session_state
        assert dataset_caption(at).endswith("· built-in dataset")
        assert editor_strength(at) == FIRST_STRENGTH
        assert not at.info

    def test_a_bad_edit_keeps_the_custom_dataset_it_would_replace(self):
        at = apply_edit(editing(custom_strength="0.85"), with_first_strength("high"))
        assert problems(at) == ["ties.csv:2: strength: 'high' is not a number"]
        assert custom_strength(at) == 0.85
        assert editor_strength(at) == "0.85"

    def test_reset_returns_to_the_builtin_dataset(self):
        at = editing(custom_strength="0.85")
        reset = next(b for b in at.button if b.label == "Reset to the built-in dataset")
        assert not reset.disabled
        reset.click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert CUSTOM not in at.session_state
        assert [s.value for s in at.success] == [
            "This session uses the built-in dataset again. The scenarios on the other pages "
            "are kept and scored on it; members it lacks are left out, with a warning."
        ]
        assert dataset_caption(at).endswith("· built-in dataset")
        assert not at.info
        assert editor_strength(at) == FIRST_STRENGTH


# --------------------------------------------------------------------------- uploading


def upload_page(filename: str, raw: bytes, table: str | None = None) -> None:
    """A page that uploads one file into the session's dataset and shows the outcome."""
    import streamlit as st

    from ui import datastore

    found = datastore.upload(filename, raw, table)
    if found:
        st.error(f"refused: {len(found)} problem(s)")
        st.code("\n".join(found), language=None)
    else:
        st.success("in use")


def upload(filename: str, raw: bytes, table: str | None = None) -> AppTest:
    at = AppTest.from_function(upload_page, args=(filename, raw, table), default_timeout=30)
    at.run()
    return at


def zipped(files: dict[str, bytes]) -> bytes:
    return dataset_zip({**BUILTIN, **files})


def damaged_zip() -> bytes:
    """A zip whose directory is intact but whose ties.csv data is corrupt."""
    raw = bytearray(dataset_zip(BUILTIN))
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("ties.csv")
    start = info.header_offset + 30 + len(info.filename) + 20
    for i in range(start, start + 8):
        raw[i] ^= 0xFF
    return bytes(raw)


class TestUpload:
    @pytest.mark.parametrize(
        ("filename", "raw", "table"),
        [
            ("ties.csv", csv_bytes(with_first_strength("0.85")), None),
            ("ties.csv", safe_csv(csv_bytes(with_first_strength("0.85"))), None),  # downloaded
            ("my edit.csv", csv_bytes(with_first_strength("0.85")), "ties.csv"),  # table picked
            (
                "cohesion-dataset.zip",
                zipped({"ties.csv": csv_bytes(with_first_strength("0.85"))}),
                None,
            ),
            ("DATASET.ZIP", zipped({"ties.csv": csv_bytes(with_first_strength("0.85"))}), None),
        ],
        ids=["csv", "safe-csv", "csv-for-a-picked-table", "zip", "zip-upper-case"],
    )
    def test_a_valid_upload_replaces_the_dataset(self, filename, raw, table):
        at = upload(filename, raw, table)
        assert not at.exception, [e.value for e in at.exception]
        assert [s.value for s in at.success] == ["in use"]
        assert custom_strength(at) == 0.85
        files = at.session_state[CUSTOM][0]
        assert sorted(files) == sorted(FILES)
        # a zip's files are rewritten as CSV (CRLF rows), so compare the records they hold
        assert files["actors.csv"].replace(b"\r\n", b"\n") == BUILTIN["actors.csv"]

    def test_a_formula_cell_comes_back_as_typed(self):
        note = "=1+1 is how a spreadsheet would read this"
        edited = TIES.copy()
        edited.loc[0, "note"] = note
        at = upload("ties.csv", safe_csv(csv_bytes(edited)))
        assert at.session_state[CUSTOM][1].ties[0].note == note

    @pytest.mark.parametrize(
        ("filename", "raw", "expected"),
        [
            pytest.param(
                "ties.csv",
                csv_bytes(TIES.drop(columns=["strength", "since"])),
                [
                    "ties.csv:1: strength: missing column 'strength'",
                    "ties.csv:1: since: missing column 'since'",
                ],
                id="missing-columns",
            ),
            pytest.param(
                "links.csv",
                BUILTIN["ties.csv"],
                [
                    "links.csv: name the file after one of its tables ("
                    + ", ".join(FILES)
                    + ") or pick the table it replaces"
                ],
                id="wrong-name",
            ),
            pytest.param(
                "ties.csv",
                b"a" * (MAX_UPLOAD_BYTES + 1),
                [
                    f"ties.csv: {MAX_UPLOAD_BYTES + 1:,} bytes is over the "
                    f"{MAX_UPLOAD_BYTES:,}-byte limit"
                ],
                id="oversized",
            ),
            pytest.param(
                "dataset.zip",
                dataset_zip(BUILTIN)[:1000],
                ["dataset.zip: the file is not a zip archive"],
                id="truncated-zip",
            ),
            pytest.param(
                "dataset.zip",
                BUILTIN["ties.csv"],
                ["dataset.zip: the file is not a zip archive"],
                id="not-a-zip",
            ),
            pytest.param(
                "dataset.zip",
                zipped({"ties.csv": csv_bytes(with_first_strength("2"))}),
                ["ties.csv:2: strength: '2' is out of range [0, 1]"],
                id="zip-that-fails-validation",
            ),
            pytest.param(
                "dataset.zip",
                dataset_zip({k: v for k, v in BUILTIN.items() if k != "presets.csv"}),
                ["presets.csv:0: file: the file is missing"],
                id="zip-without-a-table",
            ),
        ],
    )
    def test_a_bad_upload_is_refused_and_listed(self, filename, raw, expected):
        at = upload(filename, raw)
        assert not at.exception, [e.value for e in at.exception]
        assert [e.value for e in at.error] == [f"refused: {len(expected)} problem(s)"]
        assert problems(at) == expected
        assert CUSTOM not in at.session_state

    def test_a_zip_with_a_damaged_member_is_refused_and_listed(self):
        at = upload("dataset.zip", damaged_zip())
        assert not at.exception, [e.value for e in at.exception]
        assert len(problems(at)) == 1 and problems(at)[0].startswith("dataset.zip: ")
        assert CUSTOM not in at.session_state


# --------------------------------------------------------------------------- method


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


class TestMethodPage:
    def test_renders_the_method_with_its_calibration_table(self):
        at = open_page(METHOD)
        text = markdown(at)
        assert "<!--" not in text and "-->" not in text
        calibration = (
            METHOD_TEXT.split("<!-- calibration:start -->")[1]
            .split("<!-- calibration:end -->")[0]
            .strip()
        )
        assert calibration in text
        assert re.search(r"^\| quad \| AUS, IND, JPN, USA \| dialogue \|", text, re.M)
        assert "## Calibration" in text
        assert not at.caption  # the built-in dataset needs no remark

    def test_says_the_calibration_is_on_the_builtin_data_when_a_custom_one_is_used(self):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state[CUSTOM] = (dict(BUILTIN), DS)
        at.switch_page("views/method.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [c.value for c in at.caption] == [
            "The calibration table below was computed on the built-in dataset."
        ]
        assert "A custom dataset is active" in at.info[0].value
