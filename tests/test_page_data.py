"""The data and method pages through the app (AppTest): every table browsable and
filterable; an edit or upload replaces the session's dataset only when it validates, and
otherwise lists its problems and keeps the old data; reset returns to the built-in data.
"""

from __future__ import annotations

import io
import random
import re
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from apptest import DATA, METHOD, download, open_page, open_tables
from streamlit.testing.v1 import AppTest

from model import load_dataset, parse_tables
from model.export import dataset_zip, read_dataset_files, read_zip, safe_csv, unsafe_csv
from model.scale import POINTS, RAW, REPORTED
from model.schema import FILES, FRAMINGS
from tests.charts import charts
from ui.datastore import CUSTOM, MAX_CSV_BYTES, MAX_UPLOAD_BYTES, MAX_ZIP_BYTES
from ui.datatable import ACTOR_COLUMNS

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


def named(cell: str) -> set[str]:
    """The codes a cell names, read as a reader would: a comma list or a member: trigger."""
    return {c for c in cell.replace("member:", "").replace(" ", "").split(",") if c} - {
        c for c in cell.split(",") if c.startswith("framing:")
    }


def naming(table: pd.DataFrame, name: str, codes: set[str]) -> pd.DataFrame:
    """Rows naming any of ``codes`` in the table's actor columns."""
    cols = list(ACTOR_COLUMNS[name])
    return table[table[cols].apply(lambda r: any(named(v) & codes for v in r), axis=1)]


def between(table: pd.DataFrame, name: str, codes: set[str]) -> pd.DataFrame:
    """Rows all of whose named actors are among ``codes`` (and that name one)."""
    cols = list(ACTOR_COLUMNS[name])

    def inside(r) -> bool:
        names = set().union(*(named(v) for v in r))
        return bool(names) and names <= codes

    return table[table[cols].apply(inside, axis=1)]


def mentions(table: pd.DataFrame, columns: tuple[str, ...], code: str) -> int:
    """Rows naming ``code`` in any of ``columns`` (a comma list or a member: trigger)."""
    return int(table[list(columns)].apply(lambda r: any(code in named(v) for v in r), axis=1).sum())


def containing(table: pd.DataFrame, text: str) -> int:
    return int(table.apply(lambda r: any(text.lower() in v.lower() for v in r), axis=1).sum())


# Each table's own filters, set in a single run: (table, set the widget, the rows expected).
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
        "threats.csv",
        lambda at: at.text_input(key="data_q_threats.csv").input("missile"),
        containing(frame("threats.csv"), "missile"),
    ),
    (
        "sources.csv",
        lambda at: at.text_input(key="data_q_sources.csv").input("  MOFA "),
        containing(frame("sources.csv"), "mofa"),
    ),
]
#: The tables the one actor filter applies to: every table with actor columns.
BY_ACTOR = [name for name in FILES if ACTOR_COLUMNS[name]]


def pick(at: AppTest, *codes: str, only_between: bool = False) -> AppTest:
    """Pick ``codes`` in the actor filter above the tables (and its 'between' switch)."""
    actors = at.multiselect(key="data_actors")
    for code in codes:
        actors.select(code)
    if only_between:
        at.toggle(key="data_between").set_value(True)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def actor_note(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Every table but sources")]


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
        assert actor_note(at) == []  # no actor picked, nothing said about it

    def test_each_tables_own_filters_change_its_row_count(self):
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


class TestActorFilter:
    def test_one_pick_filters_every_table_that_names_actors(self):
        at = pick(open_page(DATA), "KOR")
        assert [m.key for m in at.multiselect] == ["data_actors"]  # one filter, not one a tab
        assert actor_note(at) == ["Every table but sources shows only the rows naming South Korea."]
        for name in BY_ACTOR:
            table = frame(name)
            expected = naming(table, name, {"KOR"})
            assert 0 < len(expected) < len(table), name
            assert row_count(at, name) == f"{len(expected)} of {len(table)} rows", name
            shown = tab(at, name).dataframe[0].value
            assert (
                shown[list(table.columns)]
                .reset_index(drop=True)
                .equals(expected.reset_index(drop=True))
            ), name
        # sources name no actor: all of them, and the tab says the filter does not apply
        n = len(frame("sources.csv"))
        assert row_count(at, "sources.csv") == f"{n} of {n} rows"
        assert "The actor filter above does not apply to this table." in [
            c.value for c in tab(at, "sources.csv").caption
        ]

    def test_a_row_is_kept_when_any_of_its_actors_is_picked(self):
        at = pick(open_page(DATA), "USA", "PHL")
        assert actor_note(at) == [
            "Every table but sources shows only the rows naming United States or Philippines."
        ]
        for name in ("ties.csv", "frictions.csv", "sensitivities.csv", "threats.csv"):
            table = frame(name)
            expected = len(naming(table, name, {"USA", "PHL"}))
            assert row_count(at, name) == f"{expected} of {len(table)} rows", name
        # more ties than either actor alone has: one of them is enough
        alone = max(mentions(TIES, ACTOR_COLUMNS["ties.csv"], c) for c in ("USA", "PHL"))
        assert len(shown_ties(at)) > alone

    def test_between_keeps_the_rows_among_the_picked_actors_in_every_table(self):
        at = pick(open_page(DATA), "USA", "JPN", "KOR", only_between=True)
        assert actor_note(at) == [
            "Every table but sources shows only the rows between United States, Japan and "
            "South Korea."
        ]
        ties = between(TIES, "ties.csv", {"USA", "JPN", "KOR"})
        assert len(ties) > 0 and set(ties["a"]) | set(ties["b"]) == {"USA", "JPN", "KOR"}
        for name in BY_ACTOR:
            table = frame(name)
            expected = len(between(table, name, {"USA", "JPN", "KOR"}))
            assert row_count(at, name) == f"{expected} of {len(table)} rows", name

    def test_the_actor_filter_combines_with_a_tables_own_filters(self):
        at = open_page(DATA)
        at.selectbox(key="data_d_ties.csv").select("security")
        at.text_input(key="data_q_frictions.csv").input("nuclear")
        pick(at, "PRK")
        prk_ties = naming(TIES, "ties.csv", {"PRK"})
        expected = int((prk_ties["domain"] == "security").sum())
        assert 0 < expected < len(prk_ties)
        assert row_count(at, "ties.csv") == f"{expected} of {len(TIES)} rows"
        frictions = naming(frame("frictions.csv"), "frictions.csv", {"PRK"})
        expected = containing(frictions, "nuclear")
        assert 0 < expected < len(frictions)
        assert row_count(at, "frictions.csv") == f"{expected} of {len(frame('frictions.csv'))} rows"
        # the per-table filters stay when the actor pick is cleared
        at.multiselect(key="data_actors").set_value([]).run()
        assert row_count(at, "ties.csv") == (
            f"{int((TIES['domain'] == 'security').sum())} of {len(TIES)} rows"
        )

    def test_enter_can_never_select_every_match(self):
        """Typing USA matched Australia and Russia as well, and Enter picked the 'Select 3
        matches' row on top of the list; without it Enter picks the best match
        (tests/e2e/test_data_browser.py types it in a browser)."""
        at = open_page(DATA)
        (actors,) = at.multiselect
        assert actors.proto.HasField("select_all") and actors.proto.select_all == 0

    def test_a_pick_the_new_data_lacks_is_dropped_and_the_rest_kept(self):
        at = pick(open_page(DATA), "PHL", "JPN")
        files = without_actor("PHL")
        at.session_state[CUSTOM] = (files, parse_tables(files))
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.multiselect(key="data_actors").value == ["JPN"]
        ties = pd.read_csv(io.BytesIO(files["ties.csv"]), dtype=str, keep_default_na=False)
        assert row_count(at, "ties.csv") == (
            f"{len(naming(ties, 'ties.csv', {'JPN'}))} of {len(ties)} rows"
        )


def without_actor(code: str) -> dict[str, bytes]:
    """The built-in files with ``code`` and every row naming it taken out (a valid dataset)."""
    out = {}
    for name in FILES:
        table = frame(name)
        if ACTOR_COLUMNS[name]:
            table = table.drop(naming(table, name, {code}).index)
        out[name] = csv_bytes(table)
    return out


# --------------------------------------------------------------------------- downloads


def shown_rows(raw: bytes) -> pd.DataFrame:
    """A downloaded CSV as the page's table of text cells (formula guards removed)."""
    return pd.read_csv(io.BytesIO(unsafe_csv(raw)), dtype=str, keep_default_na=False)


def download_button(at: AppTest, name: str):
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(f"-data_dl_{name}")]
    return button


class TestDownload:
    def test_without_a_filter_each_table_downloads_its_whole_file(self):
        at = open_page(DATA)
        for name in FILES:
            n = len(frame(name))
            assert download_button(at, name).label == f"Download all {n} rows"
            assert download(at, f"data_dl_{name}") == (name, safe_csv(BUILTIN[name]))

    def test_a_filtered_table_downloads_exactly_the_rows_shown(self):
        at = open_page(DATA)
        at.selectbox(key="data_d_ties.csv").select("security")
        pick(at, "USA", "PHL")
        for name in BY_ACTOR:
            table = frame(name)
            kept = naming(table, name, {"USA", "PHL"})
            if name == "ties.csv":
                kept = kept[kept["domain"] == "security"]
            n, total = len(kept), len(table)
            file_name, raw = download(at, f"data_dl_{name}")
            stem = name.removesuffix(".csv")
            assert file_name == f"{stem}-PHL-USA-{n}-of-{total}-rows.csv", name
            assert download_button(at, name).label == f"Download the {n} rows shown", name
            assert f"{n} of {total} rows" in download_button(at, name).help
            downloaded = shown_rows(raw)
            assert list(downloaded.columns) == list(table.columns), name  # the file's columns
            assert downloaded.equals(kept.reset_index(drop=True)), name
            assert n == len(tab(at, name).dataframe[0].value)  # what the table shows
        assert download(at, "data_dl_sources.csv") == (
            "sources.csv",
            safe_csv(BUILTIN["sources.csv"]),
        )

    def test_the_between_switch_is_in_the_file_name(self):
        at = pick(open_page(DATA), "USA", "PHL", only_between=True)
        kept = between(TIES, "ties.csv", {"USA", "PHL"})
        file_name, raw = download(at, "data_dl_ties.csv")
        assert file_name == f"ties-between-PHL-USA-{len(kept)}-of-{len(TIES)}-rows.csv"
        assert shown_rows(raw).equals(kept.reset_index(drop=True))

    def test_a_filtered_download_is_safe_in_a_spreadsheet(self):
        note = "=HYPERLINK(1) is how a spreadsheet would read this"
        edited = TIES.copy()
        row = naming(TIES, "ties.csv", {"PRK"}).index[0]
        edited.loc[row, "note"] = note
        files = {**BUILTIN, "ties.csv": csv_bytes(edited)}
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state[CUSTOM] = (files, parse_tables(files))
        at.switch_page("views/data.py")
        at.run()
        pick(at, "PRK")
        _, raw = download(at, "data_dl_ties.csv")
        assert f",'{note}" in raw.decode("utf-8")  # shown as text, never run
        assert note in shown_rows(raw)["note"].tolist()  # and uploads back as typed

    def test_no_rows_no_download(self):
        at = open_page(DATA)
        at.text_input(key="data_q_ties.csv").input("no tie says this").run()
        button = download_button(at, "ties.csv")
        assert button.label == "No rows to download" and button.disabled
        assert row_count(at, "ties.csv") == f"0 of {len(TIES)} rows"

    def test_the_dataset_zip_stays_whole_whatever_the_filters(self):
        at = open_page(DATA)
        at.text_input(key="data_q_sources.csv").input("MOFA")
        pick(at, "PRK")
        (zip_button,) = [b for b in at.get("download_button") if b.proto.id.endswith("-data_zip")]
        assert zip_button.label == "Download the whole dataset (zip)"
        assert "whatever the filters" in zip_button.help
        file_name, raw = download(at, "data_zip")
        assert file_name == "cohesion-dataset.zip"
        files = read_zip(raw)
        assert sorted(files) == sorted(FILES)
        for name in FILES:
            whole = pd.read_csv(io.BytesIO(files[name]), dtype=str, keep_default_na=False)
            assert whole.equals(frame(name)), name


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
                b"a" * (MAX_CSV_BYTES + 1),
                [
                    f"ties.csv: {MAX_CSV_BYTES + 1:,} bytes is over the "
                    f"{MAX_CSV_BYTES:,}-byte limit for a CSV"
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


def padded_zip(size: int) -> bytes:
    """A valid dataset zip of ``size`` bytes: the built-in tables with the first tie at 0.85
    and an incompressible file beside them (say, scans of the sources), which is ignored."""
    files = {**BUILTIN, "ties.csv": csv_bytes(with_first_strength("0.85"))}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name in FILES:
            z.writestr(name, files[name])
    fill = size - len(buf.getvalue()) - 200  # a member's own headers take about 100 bytes
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_STORED) as z:
        z.writestr("source-scans.pdf", random.Random(3).randbytes(fill))
    raw = buf.getvalue()
    return raw + b"\0" * (size - len(raw))  # a zip may carry bytes after its end


def stated_limits(text: str) -> set[tuple[int, int]]:
    """Each (CSV, zip) limit in MB that ``text`` states as 'a CSV up to N MB ... a zip up
    to M MB'."""
    prose = " ".join(re.sub(r"\n\s*#", " ", text).split())  # a TOML comment's lines join up
    found = re.findall(r"CSV up to (\d+) MB.{0,80}?zip up to (\d+) MB", prose)
    return {(int(a), int(b)) for a, b in found}


class TestUploadLimits:
    def test_a_zip_bigger_than_a_csv_may_be_is_accepted_up_to_its_own_limit(self):
        raw = padded_zip(MAX_ZIP_BYTES)
        assert len(raw) == MAX_ZIP_BYTES > MAX_CSV_BYTES
        at = upload("dataset.zip", raw)
        assert not at.exception, [e.value for e in at.exception]
        assert [s.value for s in at.success] == ["in use"]
        assert custom_strength(at) == 0.85

    @pytest.mark.parametrize(
        ("filename", "raw", "limit"),
        [
            (
                "dataset.zip",
                padded_zip(MAX_ZIP_BYTES + 1),
                f"{MAX_ZIP_BYTES:,}-byte limit for a zip",
            ),
            ("ties.csv", b"a" * (MAX_CSV_BYTES + 1), f"{MAX_CSV_BYTES:,}-byte limit for a CSV"),
        ],
        ids=["zip", "csv"],
    )
    def test_one_byte_over_the_limit_is_refused_and_says_which(self, filename, raw, limit):
        at = upload(filename, raw)
        assert problems(at) == [f"{filename}: {len(raw):,} bytes is over the {limit}"]
        assert CUSTOM not in at.session_state

    def test_the_readme_the_config_and_the_page_state_the_same_limits(self):
        rule = (MAX_CSV_BYTES // 1_000_000, MAX_ZIP_BYTES // 1_000_000)
        assert rule == (5, 10)
        assert stated_limits((ROOT / "README.md").read_text(encoding="utf-8")) == {rule}
        config_text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
        assert stated_limits(config_text) == {rule}
        server_cap = tomllib.loads(config_text)["server"]["maxUploadSize"] * 1024 * 1024
        assert server_cap >= MAX_ZIP_BYTES  # the server lets the largest upload through
        at = open_page(DATA)
        assert stated_limits(" ".join(c.value for c in at.caption)) == {rule}
        (widget,) = at.get("file_uploader")
        assert widget.proto.max_upload_size_mb * 1_000_000 == MAX_UPLOAD_BYTES == MAX_ZIP_BYTES


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

    def test_shows_the_calibrated_scale_with_its_knots(self):
        """The chart of the calibrated scale sits in its section, and its table holds the
        knots the model reads scores through."""
        at = open_tables(open_page(METHOD))
        assert len(charts(at)) == 1
        knots = at.dataframe[0].value
        assert list(knots["raw cohesion"]) == list(RAW)
        for framing in FRAMINGS:  # one map per framing, each its own column
            assert list(knots[f"reported, {framing}"]) == list(REPORTED[framing])
        sentence = at.caption[0].value
        assert f"that framing's share of {len(pd.read_csv(POINTS))} blind ratings" in sentence

    def test_says_the_calibration_is_on_the_builtin_data_when_a_custom_one_is_used(self):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state[CUSTOM] = (dict(BUILTIN), DS)
        at.switch_page("views/method.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.caption[0].value == (
            "The calibration table and the calibrated scale below were computed on the "
            "built-in dataset; your dataset's scores are read on the same scales (one per framing)."
        )
        assert "A custom dataset is active" in at.info[0].value
