"""Hosting: the server config, the Dockerfile, Community Cloud and the README's deploy section."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from model.export import MAX_ZIP_BYTES
from ui.datastore import MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def option(key: str):
    section, name = key.split(".")
    return CONFIG[section][name]


# --------------------------------------------------------------------------- config.toml


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("server.headless", True),
        ("server.runOnSave", False),
        ("server.fileWatcherType", "none"),
        ("server.enableCORS", True),
        ("server.enableXsrfProtection", True),
        ("server.enableStaticServing", True),  # static/ holds the charts' two scripts only
        ("server.enableAgentApi", False),
        ("client.showErrorDetails", "none"),
        ("client.toolbarMode", "viewer"),
        ("browser.gatherUsageStats", False),
    ],
)
def test_the_config_holds_the_hardening_values(key, value):
    assert option(key) == value


def test_every_option_in_the_config_is_one_streamlit_knows():
    """A misspelt option is only a warning in the server log, and the setting is lost."""
    known = config.get_config_options()
    names = [f"{section}.{name}" for section, table in CONFIG.items() for name in table]
    assert [n for n in names if n not in known] == []


def test_no_full_garbage_collection_after_each_run():
    """Half the server's CPU under load went to it (benchmarks/bench_load.py)."""
    assert option("runner.postScriptGC") is False


def test_messages_are_capped_below_the_default():
    assert 10 <= option("server.maxMessageSize") < 200


def test_the_upload_cap_lets_through_every_upload_the_app_accepts():
    """The server refuses a body over maxUploadSize MiB before the data page sees it."""
    cap = option("server.maxUploadSize") * 1024 * 1024
    assert cap >= MAX_UPLOAD_BYTES  # a CSV, and the data page widget's own limit
    assert cap >= MAX_ZIP_BYTES  # a whole dataset as a zip
    assert cap <= 4 * max(MAX_UPLOAD_BYTES, MAX_ZIP_BYTES)  # and not far above them


# --------------------------------------------------------------------------- AppTest


@pytest.fixture
def failing_app(tmp_path: Path) -> str:
    script = tmp_path / "failing_app.py"
    script.write_text("import streamlit as st\nst.write('before')\nraise ValueError('boom 42')\n")
    return str(script)


def test_with_the_served_error_setting_a_page_exception_still_fails_apptest(failing_app):
    """Viewers see a generic error; AppTest still reports it, so the page tests can fail."""
    with patch_config_options({"client.showErrorDetails": option("client.showErrorDetails")}):
        at = AppTest.from_file(failing_app, default_timeout=30).run()
    assert at.exception
    assert "boom 42" not in at.exception[0].value


def test_the_tests_see_the_exception_message(failing_app):
    """tests/conftest.py turns full error details back on for the tests."""
    at = AppTest.from_file(failing_app, default_timeout=30).run()
    assert [e.value for e in at.exception] == ["boom 42"]


# --------------------------------------------------------------------------- Community Cloud


def test_community_cloud_installs_requirements_txt():
    """Community Cloud takes the first of uv.lock, Pipfile, environment.yml,
    requirements.txt, pyproject.toml; any of the first three would replace ours."""
    assert [f for f in ("uv.lock", "Pipfile", "environment.yml") if (ROOT / f).exists()] == []
    runtime = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    assert "streamlit==" in runtime
    assert not re.search(r"^(pytest|hypothesis|playwright|ruff)", runtime, re.M)


# --------------------------------------------------------------------------- Dockerfile


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_image_runs_python_3_11_as_a_user_who_is_not_root():
    steps = instructions()
    args = dict(a.split("=", 1) for k, a in steps if k == "ARG")
    base = next(a for k, a in steps if k == "FROM").replace(
        "${PYTHON_IMAGE}", args.get("PYTHON_IMAGE", "?")
    )
    assert base == "python:3.11-slim"
    users = [a for k, a in steps if k == "USER"]
    assert users and users[-1] not in ("root", "0")
    last_user = max(i for i, (k, _) in enumerate(steps) if k == "USER")
    assert last_user < next(i for i, (k, _) in enumerate(steps) if k == "CMD")


def test_the_image_installs_the_runtime_requirements_only():
    runs = " ".join(a for k, a in instructions() if k == "RUN")
    assert "pip install -r requirements.txt" in runs
    assert "requirements-dev" not in runs


def test_the_image_serves_port_8501_and_checks_its_health():
    steps = dict(instructions())
    assert steps["EXPOSE"] == "8501"
    assert "http://localhost:8501/_stcore/health" in steps["HEALTHCHECK"]
    assert "curl" not in steps["HEALTHCHECK"]  # python:3.11-slim has none
    cmd = steps["CMD"]
    assert '"streamlit", "run", "app.py"' in cmd and "--server.port=8501" in cmd
    assert "--server.address=0.0.0.0" in cmd


def test_dockerignore_keeps_what_the_app_reads():
    patterns = [
        p.strip().rstrip("/")
        for p in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if p.strip() and not p.startswith("#")
    ]
    needed = [
        "app.py",
        "requirements.txt",
        ".streamlit/config.toml",
        "model/score.py",
        "ui/build.py",
        "views/build.py",
        "data/ties.csv",
        "docs/method.md",
    ]
    for path in needed:
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        assert not [
            p
            for p in patterns
            for pre in prefixes
            if fnmatch.fnmatch(pre, p) or fnmatch.fnmatch(pre, p.removeprefix("**/"))
        ], path
    assert ".git" in patterns and "data/parts" in patterns


# --------------------------------------------------------------------------- README


def deploy_section() -> str:
    match = re.search(r"^## Deploy\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, "README.md has no '## Deploy' section"
    return match.group(1)


def test_the_deploy_section_gives_the_load_benchmark_and_its_figures():
    section = deploy_section()
    commands = re.findall(r"python (benchmarks/\S+\.py)", section)
    assert "benchmarks/bench_load.py" in commands
    assert all((ROOT / c).is_file() for c in commands)
    assert re.search(r"25 sessions", section) and re.search(r"p95", section)


def test_the_deploy_section_names_what_an_operator_must_set():
    section = deploy_section()
    for needle in (
        "Python 3.11",
        "app.py",
        "docker build",
        "docker run",
        "/_stcore/health",
        "STREAMLIT_SERVER_COOKIE_SECRET",
        "session affinity",
        "WebSocket",
    ):
        assert needle in section, needle
