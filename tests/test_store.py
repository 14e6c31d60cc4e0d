"""The store of published scenarios (model/store.py, docs/architecture.md §10), the same
tests on both backends: SQLite in a temporary file and PostgreSQL on a real server
(``store_url`` in conftest.py; .ci/run starts the server)."""

from __future__ import annotations

import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model import load_dataset, scenario
from model.export import read_dataset_files
from model.store import (
    ID_LENGTH,
    MAX_NOTE,
    MAX_PER_HOUR,
    MAX_TITLE,
    MIGRATIONS,
    PublishError,
    StoreError,
    UnknownScenario,
    link,
    open_store,
)

DS = load_dataset()
FILES = read_dataset_files()
QUAD = scenario(DS, "quad", year=2024, what_if="-sens:IND;+tie:AUS-IND:security_agreement:0.6")
HOSTILE_TEXT = '<script>window.__xss=1</script><img src=x onerror="alert(1)"> **bold** $x$'


def edited(files=FILES, title_suffix=" (edited)") -> dict[str, bytes]:
    """The built-in files with one preset renamed: another dataset, still valid."""
    presets = files["presets.csv"].decode().replace("Quad", "Quad" + title_suffix, 1)
    return {**files, "presets.csv": presets.encode()}


def count(store, table: str) -> int:
    store.migrate()
    with store._transaction() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        return cur.fetchone()[0]


def again(store):
    """The same store as another process opens it."""
    return open_store(store.url if store.dialect == "postgresql" else store.where)


@pytest.fixture
def store(store_url):
    return open_store(store_url)


class TestRoundTrip:
    def test_a_publication_opens_as_it_was_published(self, store):
        pid = store.publish(FILES, "build", [QUAD], "Quad without India's unease", "Line 1\nLine 2")
        got = store.open(pid)
        assert (got.id, got.kind, got.title, got.note) == (
            pid,
            "build",
            "Quad without India's unease",
            "Line 1\nLine 2",
        )
        assert got.scenarios == (QUAD,)
        assert got.scenarios[0].key == QUAD.key
        assert got.files == FILES
        assert got.fingerprint == got.dataset.fingerprint == DS.fingerprint
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", got.published_at)
        assert got.when.endswith(" UTC")

    def test_a_comparison_keeps_its_slots_and_year(self, store):
        slots = [scenario(DS, "quad", year=2019), scenario(DS, "USA,JPN,KOR", "alliance", 2019)]
        got = store.open(store.publish(FILES, "compare", slots, "Two options"))
        assert got.kind == "compare" and got.year == 2019
        assert got.scenarios == tuple(slots)

    def test_its_own_data_comes_back_and_is_used(self, store):
        files = edited()
        got = store.open(store.publish(files, "build", [QUAD]))
        assert got.files == files
        assert got.dataset.presets["quad"].name.endswith("Quad (edited)")
        assert got.fingerprint != DS.fingerprint

    def test_title_and_note_are_kept_verbatim_never_interpreted(self, store):
        note = HOSTILE_TEXT + "\n'; DROP TABLE scenarios; --\nnon-ASCII: 日本 — Ελλάδα 🇯🇵"
        got = store.open(store.publish(FILES, "build", [QUAD], HOSTILE_TEXT[:MAX_TITLE], note))
        assert got.title == HOSTILE_TEXT[:MAX_TITLE].strip()
        assert got.note == note
        assert count(store, "scenarios") == 1

    def test_a_title_is_one_line(self, store):
        got = store.open(store.publish(FILES, "build", [QUAD], "  two\nlines\t here "))
        assert got.title == "two lines here"

    def test_two_store_objects_share_one_store(self, store_url):
        """As two processes or pods do."""
        pid = open_store(store_url).publish(FILES, "build", [QUAD], "shared")
        assert open_store(store_url).open(pid).title == "shared"


class TestDatasetsOnce:
    def test_the_same_data_is_stored_once(self, store):
        ids = {store.publish(FILES, "build", [QUAD], f"take {i}") for i in range(3)}
        assert len(ids) == 3
        assert count(store, "datasets") == 1
        assert count(store, "scenarios") == 3

    def test_other_data_is_stored_beside_it(self, store):
        store.publish(FILES, "build", [QUAD])
        store.publish(edited(), "build", [QUAD])
        assert count(store, "datasets") == 2

    def test_a_parsed_dataset_that_does_not_match_the_files_is_not_trusted(self, store):
        other = load_dataset()  # same content: trusted
        pid = store.publish(edited(), "build", [QUAD], dataset=other)
        assert store.open(pid).dataset.presets["quad"].name.endswith("Quad (edited)")


class TestNeverChanges:
    def test_publishing_again_makes_a_new_one_and_leaves_the_first(self, store):
        first = store.publish(FILES, "build", [QUAD], "first", "one")
        second = store.publish(edited(), "build", [QUAD.record], "second", "two")
        assert first != second
        got = store.open(first)
        assert (got.title, got.note, got.scenarios) == ("first", "one", (QUAD,))

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE scenarios SET title = 'changed'",
            "DELETE FROM scenarios",
            "UPDATE datasets SET size = 0",
            "DELETE FROM datasets",
        ],
    )
    def test_the_schema_refuses_to_change_or_remove_one(self, store, statement):
        pid = store.publish(FILES, "build", [QUAD], "kept")
        refused = pytest.raises(StoreError, match="a publication never changes")
        with refused, store._transaction() as cur:
            cur.execute(statement)
        assert store.open(pid).title == "kept"


class TestIds:
    def test_no_id_starts_with_a_dash(self, monkeypatch):
        """`python -m model open -abc...` would read the ID as an option."""
        from model import store as store_module

        drawn = iter(["-dashFirst123456", "-dashAgain123456", "plainIdentifier1"])
        monkeypatch.setattr(store_module.secrets, "token_urlsafe", lambda n: next(drawn))
        assert store_module._new_id() == "plainIdentifier1"

    def test_ids_are_long_url_safe_random_and_unique(self, store):
        ids = [store.publish(FILES, "build", [QUAD]) for _ in range(MAX_PER_HOUR)]
        assert len(set(ids)) == len(ids)
        for pid in ids:
            assert len(pid) == ID_LENGTH >= 10
            assert re.fullmatch(r"[A-Za-z0-9_-]+", pid)
            assert not pid.startswith("-")  # a shell command's argument, not an option
        # Not sequential: no two share a prefix longer than chance gives.
        prefixes = {pid[:4] for pid in ids}
        assert len(prefixes) == len(ids)

    @pytest.mark.parametrize(
        "text",
        [
            "../../etc",
            "../../etc/passwd",
            "' OR 1=1 --",
            "'; DROP TABLE scenarios; --",
            "A" * 100_000,
            "ÜnïcödéÜnïcödé",
            "日本語のシナリオです日本語",
            "",
            "short",
            "%2e%2e%2fetc%2fpasswd",
            "abcdefghij\x00klm",
        ],
        ids=lambda t: t[:12].encode("unicode_escape").decode() or "empty",
    )
    def test_a_hostile_or_malformed_id_is_unknown(self, store, text):
        with pytest.raises(UnknownScenario) as err:
            store.open(text)
        assert len(str(err.value)) < 120  # quoted, clipped, on one line
        assert "\n" not in str(err.value)

    def test_a_well_formed_id_that_was_never_published_is_unknown(self, store):
        store.publish(FILES, "build", [QUAD])
        with pytest.raises(UnknownScenario, match="AAAAAAAAAAAAAAAA"):
            store.open("AAAAAAAAAAAAAAAA")

    def test_the_link_is_the_app_address_with_s(self):
        assert link("https://cohesion.example.org/", "x" * 16) == (
            "https://cohesion.example.org/?s=" + "x" * 16
        )


class TestLimits:
    def test_a_title_over_the_limit_is_refused(self, store):
        store.publish(FILES, "build", [QUAD], "t" * MAX_TITLE)
        with pytest.raises(PublishError, match=f"limit is {MAX_TITLE}"):
            store.publish(FILES, "build", [QUAD], "t" * (MAX_TITLE + 1))

    def test_a_note_over_the_limit_is_refused(self, store):
        store.publish(FILES, "build", [QUAD], "", "n" * MAX_NOTE)
        with pytest.raises(PublishError, match="limit is 2,000"):
            store.publish(FILES, "build", [QUAD], "", "n" * (MAX_NOTE + 1))

    def test_a_10_mb_note_is_refused_at_once(self, store):
        start = time.perf_counter()
        with pytest.raises(PublishError, match="10,000,000 characters"):
            store.publish(FILES, "build", [QUAD], "", "x" * 10_000_000)
        assert time.perf_counter() - start < 1
        assert count(store, "scenarios") == 0

    @pytest.mark.parametrize("bad", ["nul\x00here", "lone \udc80 surrogate"])
    def test_text_a_database_cannot_hold_is_refused(self, store, bad):
        with pytest.raises(PublishError):
            store.publish(FILES, "build", [QUAD], bad)
        with pytest.raises(PublishError):
            store.publish(FILES, "build", [QUAD], "", bad)

    def test_a_publisher_gets_twenty_an_hour(self, store):
        for _ in range(MAX_PER_HOUR):
            store.publish(FILES, "build", [QUAD], publisher="session-a")
        with pytest.raises(PublishError, match="20 an hour"):
            store.publish(FILES, "build", [QUAD], publisher="session-a")
        store.publish(FILES, "build", [QUAD], publisher="session-b")  # another is not held

    def test_a_dataset_that_fails_validation_is_refused(self, store):
        row = b"USA,JPN,security,alliance,9,2000,,high,x,\n"  # strength 9
        bad = {**FILES, "ties.csv": FILES["ties.csv"] + row}
        with pytest.raises(PublishError, match="fails validation"):
            store.publish(bad, "build", [QUAD])
        assert count(store, "datasets") == 0

    def test_a_file_over_the_upload_cap_is_refused(self, store):
        big = {**FILES, "sources.csv": FILES["sources.csv"] + b"#" * 5_000_001}
        with pytest.raises(PublishError, match="5000000-byte cap"):
            store.publish(big, "build", [QUAD])

    def test_a_scenario_its_dataset_cannot_hold_is_refused(self, store):
        stranger = QUAD.__class__(("USA", "XXX"), "alliance", 2024)
        with pytest.raises(PublishError, match="XXX"):
            store.publish(FILES, "build", [stranger])

    @pytest.mark.parametrize(
        ("kind", "count_", "message"),
        [("timeline", 1, "not one of"), ("build", 2, "one scenario"), ("compare", 5, "at most 4")],
    )
    def test_a_bad_kind_or_number_of_scenarios_is_refused(self, store, kind, count_, message):
        with pytest.raises(PublishError, match=message):
            store.publish(FILES, kind, [QUAD] * count_)


class TestSchema:
    def test_a_new_store_is_at_the_latest_version(self, store):
        store.publish(FILES, "build", [QUAD])
        assert store.schema_version() == MIGRATIONS[-1].version

    def test_a_version_1_store_upgrades_and_keeps_what_it_held(self, store):
        """A store made by the first version of the schema, with a publication in it."""
        assert store.migrate(to=1) == 1
        from model.store import _zip

        with store._transaction() as cur:
            cur.execute(
                store._sql(
                    "INSERT INTO datasets (fingerprint, files, size, stored_at) VALUES (?, ?, ?, ?)"
                ),
                (DS.fingerprint, _zip(FILES), 1, "2024-01-01T00:00:00.000000Z"),
            )
            cur.execute(
                store._sql(
                    "INSERT INTO scenarios (id, kind, title, note, scenario, fingerprint, "
                    "published_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                (
                    "OldOldOldOld1234",
                    "build",
                    "from v1",
                    "",
                    '{"kind":"build","scenario":{"members":["JPN","USA"],"framing":"alliance",'
                    '"year":2020,"weights":{},"what_if":""}}',
                    DS.fingerprint,
                    "2024-01-01T00:00:00.000000Z",
                ),
            )
        assert store.schema_version() == 1
        got = again(store).open("OldOldOldOld1234")
        assert (got.title, got.scenarios[0].members, got.year) == ("from v1", ("JPN", "USA"), 2020)
        assert store.schema_version() == MIGRATIONS[-1].version
        pid = store.publish(FILES, "build", [QUAD], publisher="s")
        assert store.open(pid).title == ""
        with pytest.raises(StoreError, match="never changes"), store._transaction() as cur:
            cur.execute("DELETE FROM scenarios")

    def test_the_migrations_are_numbered_in_order_from_1(self):
        assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))

    def test_a_store_from_a_newer_version_is_refused_with_a_message(self, store):
        store.migrate()
        with store._transaction() as cur:
            cur.execute(store._sql("UPDATE schema_version SET version = ?"), (99,))
        fresh = again(store)
        with pytest.raises(StoreError, match="schema version 99"):
            fresh.publish(FILES, "build", [QUAD])

    def test_damaged_data_in_the_store_is_reported_not_trusted(self, store):
        store.migrate()
        with store._transaction() as cur:
            cur.execute(
                store._sql(
                    "INSERT INTO datasets (fingerprint, files, size, stored_at) VALUES (?, ?, ?, ?)"
                ),
                ("f" * 64, b"not a zip", 9, "2024-01-01T00:00:00.000000Z"),
            )
            cur.execute(
                store._sql(
                    "INSERT INTO scenarios (id, kind, title, note, scenario, fingerprint, "
                    "published_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                ("Damaged000000000", "build", "", "", "{}", "f" * 64, "2024"),
            )
        with pytest.raises(StoreError, match="Damaged000000000 is damaged"):
            store.open("Damaged000000000")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestUnreachable:
    def test_postgresql_that_does_not_answer(self):
        store = open_store(f"postgresql://cohesion:s3cret@127.0.0.1:{closed_port()}/nowhere")
        start = time.perf_counter()
        with pytest.raises(StoreError) as err:
            store.publish(FILES, "build", [QUAD])
        assert time.perf_counter() - start < 10
        message = str(err.value)
        assert message.startswith("the store at postgresql://cohesion@127.0.0.1:")
        assert "s3cret" not in message and "\n" not in message
        with pytest.raises(StoreError):
            store.open("AAAAAAAAAAAAAAAA")

    def test_a_sqlite_file_that_cannot_be_made(self, tmp_path):
        blocker = tmp_path / "a-file"
        blocker.write_text("x")
        store = open_store(f"sqlite:///{blocker}/store.db")
        with pytest.raises(StoreError, match="cannot be used"):
            store.publish(FILES, "build", [QUAD])
        with pytest.raises(StoreError, match="cannot be used"):
            store.open("AAAAAAAAAAAAAAAA")

    def test_a_file_that_is_not_a_database(self, tmp_path):
        path = tmp_path / "store.db"
        path.write_bytes(b"this is not a database" * 100)
        with pytest.raises(StoreError, match="not a database"):
            open_store(f"sqlite:///{path}").open("AAAAAAAAAAAAAAAA")

    @pytest.mark.parametrize("url", ["mysql://x@y/z", "redis://h", "/just/a/path", "sqlite://"])
    def test_an_address_of_no_known_store(self, url):
        with pytest.raises(StoreError, match="COHESION_STORE"):
            open_store(url)

    def test_the_default_store_is_in_the_state_directory(self, monkeypatch, tmp_path):
        from model.store import default_store_url

        monkeypatch.delenv("COHESION_STORE")
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
        assert default_store_url() == f"sqlite://{tmp_path}/alliance-cohesion/store.db"
        monkeypatch.delenv("XDG_STATE_HOME")
        assert default_store_url().endswith("/.local/state/alliance-cohesion/store.db")


class TestSeveralProcesses:
    def test_processes_publishing_at_once_all_land(self, store_url):
        """As deploy/local's processes (one SQLite file, WAL) or a cluster's pods do."""
        code = (
            "import sys\n"
            "from model import load_dataset, scenario\n"
            "from model.export import read_dataset_files\n"
            "from model.store import open_store\n"
            "ds, files = load_dataset(), read_dataset_files()\n"
            "store = open_store(sys.argv[1])\n"
            "s = scenario(ds, 'quad')\n"
            "print(' '.join(store.publish(files, 'build', [s], publisher=sys.argv[2])"
            " for _ in range(5)))\n"
        )
        root = Path(__file__).resolve().parent.parent
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, store_url, f"process-{i}"],
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(3)
        ]
        ids = []
        for proc in procs:
            out, err = proc.communicate(timeout=180)
            assert proc.returncode == 0, err
            ids += out.split()
        assert len(set(ids)) == 15
        store = open_store(store_url)
        assert count(store, "scenarios") == 15 and count(store, "datasets") == 1
        assert all(
            store.open(pid).scenarios[0].members == ("AUS", "IND", "JPN", "USA") for pid in ids
        )

    def test_sqlite_runs_in_wal_mode(self, tmp_path):
        path = tmp_path / "wal.db"
        open_store(f"sqlite://{path}").publish(FILES, "build", [QUAD])
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
