"""Published scenarios, kept in a real store (docs/architecture.md §10).

A publication holds the dataset a scenario runs on, the scenario itself (or a compare
page's slots and year), a title and a note. It never changes: there is no call that
updates or removes one, and the schema refuses an UPDATE or DELETE on its tables.
Publishing again makes a new one, under a new unguessable ID (``secrets.token_urlsafe``).
A dataset is stored once, keyed by its content fingerprint, as a zip of its files' bytes;
reading it back goes through the same validated loader as an upload
(:func:`model.data.parse_tables`). The scenario is JSON; nothing stored is ever executed.

Two backends behind one small interface, :class:`Store`: SQLite (a file, WAL mode;
nothing to install) and PostgreSQL (``psycopg``, imported only when used), chosen by
``COHESION_STORE``:

* unset: SQLite at ``$XDG_STATE_HOME/alliance-cohesion/store.db`` (default
  ``~/.local/state/alliance-cohesion/store.db``);
* ``sqlite:///path/to/file.db``: SQLite at that path;
* ``postgresql://user:password@host:5432/db``: PostgreSQL.

The schema is versioned: ``schema_version`` holds the version, :data:`MIGRATIONS` the
ordered SQL steps from an empty database to the latest, and every store upgrades itself
on first use.

>>> s = parse_id("  AbCdEfGhIjKl_-  ")
>>> s
'AbCdEfGhIjKl_-'
>>> parse_id("../../etc")
Traceback (most recent call last):
...
model.store.UnknownScenario: '../../etc' is not a published scenario's ID
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from model.cohesion import Weights
from model.data import (
    MAX_FILE_BYTES,
    MAX_YEAR,
    MIN_YEAR,
    Dataset,
    DatasetError,
    fingerprint,
    parse_tables,
)
from model.scenario import MAX_MEMBERS, Scenario
from model.schema import FILES, FRAMINGS
from model.whatif import WhatIfError, parse

__all__ = [
    "DEFAULT_BASE_URL",
    "ID_LENGTH",
    "KINDS",
    "MAX_NOTE",
    "MAX_PER_HOUR",
    "MAX_TITLE",
    "MIGRATIONS",
    "STORE_ENV",
    "Migration",
    "PublishError",
    "Published",
    "Store",
    "StoreError",
    "UnknownScenario",
    "default_store_url",
    "link",
    "open_store",
    "parse_id",
    "scenario_json",
]

STORE_ENV = "COHESION_STORE"
DEFAULT_BASE_URL = "http://localhost:8501/"
#: Random bytes behind an ID: 12 bytes are 16 URL-safe characters (96 bits).
ID_BYTES = 12
ID_LENGTH = 16
_ID = re.compile(r"[A-Za-z0-9_-]{10,64}")
MAX_TITLE = 120
MAX_NOTE = 2_000
#: Publications one publisher (a dashboard session) may make in an hour.
MAX_PER_HOUR = 20
#: What a publication opens: the build page (one scenario) or the compare page (slots).
KINDS = ("build", "compare")
MAX_SLOTS = 4


class StoreError(Exception):
    """The store cannot be reached or used; the message says which store and why, in one
    sentence (never a password)."""


class PublishError(ValueError):
    """What was to be published cannot be: the message names what is wrong, on one line."""


class UnknownScenario(LookupError):
    """No published scenario has this ID (or it is not an ID at all)."""

    def __init__(self, text: str):
        self.text = text
        super().__init__(f"'{_clip(text)}' is not a published scenario's ID")


def _clip(text: str) -> str:
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))
    return text if len(text) <= 40 else text[:37] + "..."


def parse_id(text: str) -> str:
    """The ID in ``text`` (spaces around it ignored); :class:`UnknownScenario` when it
    cannot be one: 10 to 64 of ``A-Z a-z 0-9 _ -``."""
    value = str(text).strip()
    if not _ID.fullmatch(value):
        raise UnknownScenario(value)
    return value


def _new_id() -> str:
    """16 random URL-safe characters, never starting with '-' (a command line would read
    it as an option)."""
    while True:
        pid = secrets.token_urlsafe(ID_BYTES)
        if not pid.startswith("-"):
            return pid


def link(base: str, pid: str) -> str:
    """The short link of a publication: ``base`` (the app's address) with ``?s=ID``.

    >>> link("http://localhost:8501", "AbCdEfGhIjKl")
    'http://localhost:8501/?s=AbCdEfGhIjKl'
    >>> link("https://example.org/cohesion/compare?x=1", "AbCdEfGhIjKl")
    'https://example.org/cohesion/compare?s=AbCdEfGhIjKl'
    """
    base = base.split("?", 1)[0].split("#", 1)[0]
    if base.count("/") < 3:  # scheme://host with no path
        base += "/"
    return f"{base}?s={pid}"


# --------------------------------------------------------------------------- scenarios


def scenario_json(s: Scenario) -> dict[str, Any]:
    """A scenario as the store keeps it: members, framing, year, weights and the what-if
    edits in their canonical text."""
    return {
        "members": list(s.members),
        "framing": s.framing,
        "year": s.year,
        "weights": s.weights.as_dict(),
        "what_if": s.what_if_text,
    }


def _scenario_from(ds: Dataset, obj: Any, year: int | None = None) -> Scenario:
    """A stored scenario read back and checked against its dataset (ValueError if not)."""
    if not isinstance(obj, dict):
        raise ValueError("a scenario is not an object")
    members, framing = obj.get("members"), obj.get("framing")
    year = obj.get("year") if year is None else year
    weights, what_if = obj.get("weights", {}), obj.get("what_if", "")
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise ValueError("members is not a list of codes")
    if not members:
        raise ValueError("a scenario has no members")
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValueError("year is not a whole number")
    if not isinstance(framing, str) or not isinstance(what_if, str):
        raise ValueError("framing or what_if is not text")
    if not isinstance(weights, dict):
        raise ValueError("weights is not an object")
    unknown = [_clip(m) for m in members if m not in ds.codes]
    if unknown:
        raise ValueError(f"unknown code(s) {', '.join(unknown[:5])}")
    if len(set(members)) != len(members) or len(members) > MAX_MEMBERS:
        raise ValueError(f"members repeat a code or are more than {MAX_MEMBERS}")
    if framing not in FRAMINGS:
        raise ValueError(f"unknown framing '{_clip(framing)}'")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    try:
        w = Weights(**weights)
        edits = parse(what_if, ds, year)
    except (TypeError, WhatIfError) as err:
        raise ValueError(str(err)) from None
    return Scenario(tuple(sorted(members)), framing, year, w, edits)


def _payload(kind: str, scenarios: Sequence[Scenario]) -> dict[str, Any]:
    if kind not in KINDS:
        raise PublishError(f"kind '{_clip(kind)}' is not one of {', '.join(KINDS)}")
    if not scenarios:
        raise PublishError("there is no scenario to publish")
    if kind == "build":
        if len(scenarios) != 1:
            raise PublishError("the build page publishes one scenario")
        return {"kind": kind, "scenario": scenario_json(scenarios[0])}
    if len(scenarios) > MAX_SLOTS:
        raise PublishError(f"a comparison holds at most {MAX_SLOTS} slots")
    year = scenarios[0].year
    if any(s.year != year for s in scenarios):
        raise PublishError("the slots of a comparison share one year")
    return {"kind": kind, "year": year, "slots": [scenario_json(s) for s in scenarios]}


def _scenarios_from(ds: Dataset, payload: Any) -> tuple[str, tuple[Scenario, ...]]:
    """(kind, scenarios) from a stored payload, each checked against the dataset."""
    if not isinstance(payload, dict) or payload.get("kind") not in KINDS:
        raise ValueError("not a publication")
    if payload["kind"] == "build":
        return "build", (_scenario_from(ds, payload.get("scenario")),)
    slots, year = payload.get("slots"), payload.get("year")
    if not isinstance(slots, list) or not 1 <= len(slots) <= MAX_SLOTS:
        raise ValueError("slots is not a list of one to four scenarios")
    return "compare", tuple(_scenario_from(ds, slot, year) for slot in slots)


# --------------------------------------------------------------------------- texts


def _text(value: str, what: str, limit: int, one_line: bool) -> str:
    if not isinstance(value, str):
        raise PublishError(f"the {what} is not text")
    if len(value) > limit:
        raise PublishError(f"the {what} is {len(value):,} characters long; the limit is {limit:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PublishError(f"the {what} is not valid text (a lone surrogate)") from None
    if "\x00" in value:
        raise PublishError(f"the {what} holds a NUL character")
    if one_line:
        value = " ".join(value.split())
    return value.strip()


# --------------------------------------------------------------------------- dataset bytes


def _zip(files: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    # Level 1: 5 MB of CSV in ~0.1 s (level 6 takes ~0.45 s for a third less).
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name in FILES:
            if name in files:
                z.writestr(name, files[name])
    return buf.getvalue()


def _unzip(raw: bytes) -> dict[str, bytes]:
    """The files of a stored dataset, read with the upload's caps (ValueError if not)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ValueError("the stored dataset is not a zip") from None
    files: dict[str, bytes] = {}
    with z:
        infos = z.infolist()
        if len(infos) > len(FILES):
            raise ValueError("the stored dataset holds more files than a dataset has")
        for info in infos:
            if info.filename not in FILES or info.filename in files:
                raise ValueError(f"the stored dataset holds '{_clip(info.filename)}'")
            try:
                with z.open(info) as member:
                    content = member.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as err:
                raise ValueError(f"{info.filename} is damaged ({err})") from None
            files[info.filename] = content
    return files


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migration:
    """One step of the schema: the SQL that takes a store from ``version - 1`` to
    ``version``, for each backend, run in order inside one transaction."""

    version: int
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]


def _tables(blob: str) -> tuple[str, ...]:
    return (
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version (version) VALUES (0)",
        f"""CREATE TABLE datasets (
            fingerprint TEXT PRIMARY KEY,
            files {blob} NOT NULL,
            size INTEGER NOT NULL,
            stored_at TEXT NOT NULL
        )""",
        """CREATE TABLE scenarios (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            note TEXT NOT NULL,
            scenario TEXT NOT NULL,
            fingerprint TEXT NOT NULL REFERENCES datasets (fingerprint),
            published_at TEXT NOT NULL
        )""",
    )


_PUBLISHER = (
    "ALTER TABLE scenarios ADD COLUMN publisher TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX scenarios_by_publisher ON scenarios (publisher, published_at)",
)
_NEVER = "a publication never changes"

MIGRATIONS: tuple[Migration, ...] = (
    # 1: the datasets (zip of the files, by fingerprint) and the publications.
    Migration(1, _tables("BLOB"), _tables("BYTEA")),
    # 2: who published (for the hourly limit), and no UPDATE or DELETE on either table.
    Migration(
        2,
        (
            *_PUBLISHER,
            *(
                f"CREATE TRIGGER {table}_never_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{_NEVER}'); END"
                for table in ("scenarios", "datasets")
                for verb in ("UPDATE", "DELETE")
            ),
        ),
        (
            *_PUBLISHER,
            f"""CREATE FUNCTION cohesion_never_changes() RETURNS trigger LANGUAGE plpgsql AS
            $body$ BEGIN RAISE EXCEPTION '{_NEVER}'; END $body$""",
            *(
                f"CREATE TRIGGER {table}_never_changes BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION cohesion_never_changes()"
                for table in ("scenarios", "datasets")
            ),
        ),
    ),
)
LATEST = MIGRATIONS[-1].version


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class Published:
    """One publication, as stored: the dataset (validated again on reading), the kind of
    page and its scenarios, the title, the note and when it was published (UTC)."""

    id: str
    kind: str
    title: str
    note: str
    published_at: str
    fingerprint: str
    files: Mapping[str, bytes]
    dataset: Dataset
    scenarios: tuple[Scenario, ...]

    @property
    def year(self) -> int:
        return self.scenarios[0].year

    @property
    def when(self) -> str:
        """When it was published, as a reader sees it: ``2025-03-01 14:05 UTC``."""
        return self.published_at[:16].replace("T", " ") + " UTC"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "note": self.note,
            "data_fingerprint": self.fingerprint,
            "published_at": self.published_at,
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Store:
    """A store of publications. :meth:`publish` and :meth:`open` are all there is: a
    publication is never changed or removed. Each call opens its own connection, so one
    store serves every thread of a process; the schema is brought up to date on first use.
    """

    dialect = ""

    def __init__(self, where: str):
        #: The store as messages name it (a PostgreSQL address without its password).
        self.where = where
        self._ready = False

    # ------------------------------------------------------------------ backend
    @contextmanager
    def _transaction(self, lock: str = "") -> Iterator[Any]:
        """A cursor in one write transaction (``lock``: serialise with others holding it)."""
        raise NotImplementedError

    def _version_table_exists(self, cur) -> bool:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        return text

    def _unreachable(self, err: Exception) -> StoreError:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return StoreError(f"the store at {self.where} cannot be used: {first}")

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        """The schema's version (0: empty), without upgrading it."""
        with self._transaction() as cur:
            return self._version(cur)

    def _version(self, cur) -> int:
        if not self._version_table_exists(cur):
            return 0
        cur.execute("SELECT version FROM schema_version")
        row = cur.fetchone()
        return int(row[0]) if row else 0

    def migrate(self, to: int = LATEST) -> int:
        """Run the migrations the store lacks, up to ``to``; the version it is now at."""
        with self._transaction(lock="schema") as cur:
            version = self._version(cur)
            if version > LATEST:
                raise StoreError(
                    f"the store at {self.where} has schema version {version}; this code "
                    f"reads up to {LATEST}: upgrade the dashboard"
                )
            for m in MIGRATIONS:
                if version < m.version <= to:
                    for step in getattr(m, self.dialect):
                        cur.execute(step)
                    cur.execute(self._sql("UPDATE schema_version SET version = ?"), (m.version,))
                    version = m.version
        if version == LATEST:
            self._ready = True
        return version

    def _ensure(self) -> None:
        if not self._ready:
            self.migrate()

    # ------------------------------------------------------------------ publish
    def publish(
        self,
        files: Mapping[str, bytes],
        kind: str,
        scenarios: Sequence[Scenario],
        title: str = "",
        note: str = "",
        publisher: str = "",
        dataset: Dataset | None = None,
    ) -> str:
        """Store the dataset (once per fingerprint) and a new publication; its ID.

        ``files`` are the dataset's raw files, validated and capped as an upload is
        (``dataset``, if given, must be what they parse to: it saves parsing them again).
        ``publisher`` names who publishes (a dashboard session): at most
        :data:`MAX_PER_HOUR` publications an hour each. Raises :class:`PublishError` for
        bad input and :class:`StoreError` when the store cannot be used.
        """
        title = _text(title, "title", MAX_TITLE, one_line=True)
        note = _text(note, "note", MAX_NOTE, one_line=False)
        files = {name: bytes(files[name]) for name in FILES if name in files}
        fp = fingerprint(files)
        if dataset is None or dataset.fingerprint != fp:
            try:
                dataset = parse_tables(files)
            except DatasetError as err:
                first = err.problems[0] if err.problems else "unknown"
                raise PublishError(
                    f"the dataset fails validation ({len(err.problems)} problem(s); "
                    f"the first: {first})"
                ) from None
        payload = _payload(kind, scenarios)
        try:
            _scenarios_from(dataset, json.loads(json.dumps(payload)))
        except ValueError as err:
            raise PublishError(f"the scenario does not fit its dataset: {err}") from None
        text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
        try:
            self._ensure()
            stored = self._has_dataset(fp)
            blob = None if stored else _zip(files)
            return self._insert(fp, blob, kind, title, note, text, publisher)
        except (StoreError, PublishError):
            raise
        except Exception as err:  # the driver's own errors: sqlite3, psycopg, OS
            raise self._unreachable(err) from None

    def _has_dataset(self, fp: str) -> bool:
        with self._transaction() as cur:
            cur.execute(self._sql("SELECT 1 FROM datasets WHERE fingerprint = ?"), (fp,))
            return cur.fetchone() is not None

    def _insert(self, fp, blob, kind, title, note, text, publisher) -> str:
        now = _now()
        with self._transaction(lock=f"publisher:{publisher}" if publisher else "") as cur:
            if publisher:
                since = _stamp(now - timedelta(hours=1))
                cur.execute(
                    self._sql(
                        "SELECT COUNT(*) FROM scenarios WHERE publisher = ? AND published_at > ?"
                    ),
                    (publisher, since),
                )
                if cur.fetchone()[0] >= MAX_PER_HOUR:
                    raise PublishError(
                        f"this session has published {MAX_PER_HOUR} times in the last hour; "
                        "the limit is "
                        f"{MAX_PER_HOUR} an hour"
                    )
            if blob is not None:
                cur.execute(
                    self._sql(
                        "INSERT INTO datasets (fingerprint, files, size, stored_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING"
                    ),
                    (fp, blob, len(blob), _stamp(now)),
                )
            for _ in range(5):  # a clash of 96 random bits: practically never
                pid = _new_id()
                cur.execute(self._sql("SELECT 1 FROM scenarios WHERE id = ?"), (pid,))
                if cur.fetchone() is None:
                    break
            else:
                raise StoreError("no free ID could be drawn")
            cur.execute(
                self._sql(
                    "INSERT INTO scenarios (id, kind, title, note, scenario, fingerprint, "
                    "published_at, publisher) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                (pid, kind, title, note, text, fp, _stamp(now), publisher),
            )
        return pid

    # ------------------------------------------------------------------ open
    def open(self, text: str) -> Published:
        """The publication with this ID: its dataset validated again, its scenarios
        checked against it. :class:`UnknownScenario` when there is none (or ``text`` is
        no ID); :class:`StoreError` when the store cannot be used or what it holds is
        damaged."""
        pid = parse_id(text)
        try:
            self._ensure()
            with self._transaction() as cur:
                cur.execute(
                    self._sql(
                        "SELECT s.kind, s.title, s.note, s.scenario, s.fingerprint, "
                        "s.published_at, d.files FROM scenarios s JOIN datasets d "
                        "ON d.fingerprint = s.fingerprint WHERE s.id = ?"
                    ),
                    (pid,),
                )
                row = cur.fetchone()
        except StoreError:
            raise
        except Exception as err:
            raise self._unreachable(err) from None
        if row is None:
            raise UnknownScenario(pid)
        kind, title, note, text_json, fp, published_at, blob = row
        try:
            files = _unzip(bytes(blob))
            if fingerprint(files) != fp:
                raise ValueError("its files do not match their fingerprint")
            ds = parse_tables(files, origin=f"published scenario {pid}")
            stored_kind, scenarios = _scenarios_from(ds, json.loads(text_json))
            if stored_kind != kind:
                raise ValueError("its kind does not match")
        except (ValueError, DatasetError) as err:
            reason = str(err).splitlines()[0]
            raise StoreError(
                f"published scenario {pid} is damaged in the store: {reason}"
            ) from None
        return Published(pid, kind, title, note, published_at, fp, files, ds, scenarios)


class SQLiteStore(Store):
    """The store in one SQLite file (WAL mode: readers never wait for a writer, and every
    process on the machine may share the file)."""

    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).expanduser()
        super().__init__(f"sqlite://{self.path}" if self.path.is_absolute() else str(path))

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise self._unreachable(err) from None
        try:
            conn.execute("PRAGMA busy_timeout = 15000")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as err:
            conn.close()
            raise self._unreachable(err) from None
        return conn

    @contextmanager
    def _transaction(self, lock: str = "") -> Iterator[Any]:
        conn = self._connect()
        try:
            # IMMEDIATE takes the write lock at once: a count and the insert after it see
            # the same rows (the hourly limit), and two processes never migrate together.
            conn.execute("BEGIN IMMEDIATE" if lock else "BEGIN")
            cur = conn.cursor()
            try:
                yield cur
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            raise self._unreachable(err) from None
        finally:
            conn.close()

    def _version_table_exists(self, cur) -> bool:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
        return cur.fetchone() is not None


class PostgresStore(Store):
    """The store in a PostgreSQL database, shared by every process and pod."""

    dialect = "postgresql"

    def __init__(self, url: str):
        self.url = url
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        netloc = host + (f":{parts.port}" if parts.port else "")
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        super().__init__(urlunsplit((parts.scheme, netloc, parts.path, "", "")))

    def _sql(self, text: str) -> str:
        return text.replace("?", "%s")

    @contextmanager
    def _transaction(self, lock: str = "") -> Iterator[Any]:
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "COHESION_STORE names PostgreSQL, but psycopg is not installed "
                "(pip install -r requirements.txt)"
            ) from None
        try:
            conn = psycopg.connect(self.url, connect_timeout=5)
        except psycopg.Error as err:
            raise self._unreachable(err) from None
        except Exception as err:  # a malformed address
            raise StoreError(f"the store at {self.where} cannot be used: {err}") from None
        try:
            with conn, conn.cursor() as cur:  # commits at the end, rolls back on error
                if lock:
                    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock,))
                yield cur
        except psycopg.Error as err:
            raise self._unreachable(err) from None
        finally:
            conn.close()

    def _version_table_exists(self, cur) -> bool:
        cur.execute("SELECT to_regclass('schema_version') IS NOT NULL")
        return bool(cur.fetchone()[0])


def default_store_url() -> str:
    """The store in use: ``COHESION_STORE``, else SQLite in the user's state directory."""
    env = os.environ.get(STORE_ENV, "").strip()
    if env:
        return env
    state = os.environ.get("XDG_STATE_HOME", "").strip() or str(Path.home() / ".local" / "state")
    return f"sqlite://{Path(state) / 'alliance-cohesion' / 'store.db'}"


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default :func:`default_store_url`); nothing is connected
    until it is used. :class:`StoreError` for an address it cannot read."""
    url = default_store_url() if url is None else url.strip()
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        if path.startswith("//"):  # sqlite:////abs/path, as SQLAlchemy writes it
            path = path[1:]
        if not path:
            raise StoreError(f"{STORE_ENV}: '{_clip(url)}' names no file (sqlite:///PATH)")
        return SQLiteStore(path)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url)
    scheme = url.split(":", 1)[0] if ":" in url else url
    raise StoreError(
        f"{STORE_ENV}: '{_clip(scheme)}' is not a store address "
        "(sqlite:///PATH or postgresql://USER@HOST/DB)"
    )
