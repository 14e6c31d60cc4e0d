"""Shared fixtures: one way to reset the caches, and settings for the page tests.

Nothing here imports Streamlit or plotly up front: the model's tests (tests/model, with
their own conftest.py) run where neither is installed. The page tests import Streamlit
themselves, so by the time a session fixture runs, ``sys.modules`` says whether this run
has any.
"""

from __future__ import annotations

import functools
import os
import secrets
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest

from model.memo import clear_caches


def page_tests() -> bool:
    """Whether this run collected tests that drive Streamlit (they import it)."""
    return sys.modules.get("streamlit") is not None


@pytest.fixture(autouse=True, scope="session")
def scan_components_once():
    """Each new AppTest rescans every installed package for v2 component manifests
    (about 0.3 s); the installed packages do not change during the tests, so scan once."""
    if not page_tests():
        yield
        return
    import streamlit.components.v2.manifest_scanner as manifest_scanner

    original = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(original)
    yield
    manifest_scanner.scan_component_manifests = original


@pytest.fixture(autouse=True, scope="session")
def full_error_details():
    """.streamlit/config.toml hides error details from viewers (showErrorDetails "none"), and
    AppTest reads it: an exception would still fail ``assert not at.exception`` but only with
    the generic "This app has encountered an error". The tests show the real message."""
    if not page_tests():
        yield
        return
    from streamlit import config

    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", before)


@pytest.fixture
def fresh_caches():
    """Every model cache (model/memo.py) and the finder's searches (ui/cache.py) empty
    before the test and after it. (Streamlit's own caches live in each AppTest run.)"""
    from ui.cache import clear_searches

    clear_caches()
    clear_searches()
    yield
    clear_caches()
    clear_searches()


# --------------------------------------------------------------------------- the store


@pytest.fixture(autouse=True, scope="session")
def private_store(tmp_path_factory):
    """Every test that publishes without naming a store writes to a throwaway SQLite file,
    never to the user's state directory (model/store.py's default)."""
    path = tmp_path_factory.mktemp("store") / "store.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COHESION_STORE", f"sqlite://{path}")
        yield


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server the store's tests use: COHESION_TEST_POSTGRES, which .ci/run
    sets after starting one (.ci/postgres.sh). In CI its absence fails the tests; on a
    developer's machine they skip and say how to start one."""
    url = os.environ.get("COHESION_TEST_POSTGRES", "").strip()
    if not url:
        message = (
            "COHESION_TEST_POSTGRES is not set: start a server with "
            "`.ci/postgres.sh start DIR` and export the URL it prints"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """An empty store of each backend: a new SQLite file, or a new database on the test
    server (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'store.db'}"
        return
    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = f"cohesion_test_{secrets.token_hex(6)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
