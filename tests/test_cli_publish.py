"""`python -m model publish` and `open` (docs/architecture.md §10): a scenario published
from the command line opens as `score --json` gives it on the same data, with its title,
note, data fingerprint and time; bad input exits 2 with one line, an unusable store 3."""

from __future__ import annotations

import csv
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cli import run, run_json

from model import load_dataset

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ABOUT = ("title", "note", "data_fingerprint", "published_at")
SCENARIO = ("--members", "camp_david", "--year", "2024", "--what-if=-friction:JPN-KOR")


@pytest.fixture
def store(monkeypatch, tmp_path):
    url = f"sqlite://{tmp_path / 'cli.db'}"
    monkeypatch.setenv("COHESION_STORE", url)
    monkeypatch.delenv("COHESION_BASE_URL", raising=False)
    return url


def own_data(tmp_path: Path) -> Path:
    """A copy of the built-in dataset with Japan and the United States' ties weaker: other
    data, other scores."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    with open(DATA / "ties.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        if {row[0], row[1]} == {"JPN", "USA"}:
            row[4] = "0.05"  # strength
    with open(copy / "ties.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return copy


def test_publish_then_open_equals_score_on_the_same_data(capsys, store_url, monkeypatch, tmp_path):
    monkeypatch.setenv("COHESION_STORE", store_url)
    data = own_data(tmp_path)
    note = "<script>alert(1)</script>\nsecond line"
    made = run_json(
        capsys, "publish", "--data", str(data), *SCENARIO, "--title", "On our data", "--note", note
    )
    assert made["link"] == f"http://localhost:8501/?s={made['id']}"
    opened = run_json(capsys, "open", made["id"], "--draws", "200")
    scored = run_json(capsys, "score", "--data", str(data), *SCENARIO, "--draws", "200")
    assert {k: v for k, v in opened.items() if k not in ABOUT} == scored
    assert (opened["title"], opened["note"]) == ("On our data", note)
    assert opened["data_fingerprint"] == load_dataset(data).fingerprint
    assert opened["data_fingerprint"] != load_dataset().fingerprint
    assert opened["published_at"].endswith("Z")
    builtin = run_json(capsys, "score", *SCENARIO, "--draws", "200")
    assert opened["cohesion"] != builtin["cohesion"]  # it ran on its own data


def test_the_data_is_kept_even_when_the_folder_changes(capsys, store, tmp_path):
    data = own_data(tmp_path)
    made = run_json(capsys, "publish", "--data", str(data), *SCENARIO)
    before = run_json(capsys, "open", made["id"])
    shutil.rmtree(data)
    assert run_json(capsys, "open", made["id"]) == before


def test_a_missing_title_is_the_scenarios_own(capsys, store):
    made = run_json(capsys, "publish", *SCENARIO)
    assert run_json(capsys, "open", made["id"])["title"].startswith("What if: ")


def test_the_links_base_comes_from_the_option_or_the_environment(capsys, store, monkeypatch):
    made = run_json(capsys, "publish", "--members", "quad", "--base-url", "https://a.example/")
    assert made["link"] == f"https://a.example/?s={made['id']}"
    monkeypatch.setenv("COHESION_BASE_URL", "https://b.example/cohesion/")
    made = run_json(capsys, "publish", "--members", "quad")
    assert made["link"] == f"https://b.example/cohesion/?s={made['id']}"


def test_publishing_twice_gives_two_ids(capsys, store):
    a = run_json(capsys, "publish", "--members", "quad")
    b = run_json(capsys, "publish", "--members", "quad")
    assert a["id"] != b["id"]


def test_text_output_names_the_title_and_its_own_data(capsys, store):
    made = run_json(capsys, "publish", "--members", "quad", "--title", "T", "--note", "N")
    code, out, err = run(capsys, "open", made["id"])
    assert code == 0 and err == ""
    assert out.startswith("T (published ") and "on its own data" in out and "\n  N\n" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("open", "../../etc"), "'../../etc' is not a published scenario's ID"),
        (("open", "' OR 1=1"), "is not a published scenario's ID"),
        (("open", "A" * 5000), "is not a published scenario's ID"),
        (("open", "ÜnïcödéÜnïcödé"), "is not a published scenario's ID"),
        (("open", "AAAAAAAAAAAAAAAA"), "'AAAAAAAAAAAAAAAA' is not a published"),
        (("publish", "--members", "quad", "--title", "t" * 121), "the limit is 120"),
        (("publish", "--members", "quad", "--note", "n" * 10_000_000), "the limit is 2,000"),
        (("publish", "--members", "quad", "--note", "a\x00b"), "NUL"),
        (("publish", "--members", "XXX"), "--members: unknown code(s) 'XXX'"),
        (("publish", "--members", "quad", "--what-if=+tie:AUS"), "--what-if:"),
        (("publish", "--members", "quad", "--data", "/nonexistent"), "is not a dataset directory"),
        (("publish",), "the following arguments are required: --members"),
        (("open",), "the following arguments are required: id"),
    ],
    ids=lambda v: v[:24].encode("unicode_escape").decode() if isinstance(v, str) else "",
)
def test_bad_input_exits_2_with_one_line(capsys, store, argv, message):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_a_dataset_that_fails_validation_exits_1_with_its_problems(capsys, store, tmp_path):
    data = own_data(tmp_path)
    (data / "ties.csv").write_text("a,b\n", encoding="utf-8")
    code, out, err = run(capsys, "publish", "--data", str(data), "--members", "quad", "--json")
    assert code == 1 and out == ""
    assert "ties.csv:1: domain: missing column 'domain'" in err


def test_a_store_that_cannot_be_reached_exits_3_with_one_line(capsys, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("COHESION_STORE", f"postgresql://u:secret@127.0.0.1:{port}/x")
    for argv in (("publish", "--members", "quad"), ("open", "AAAAAAAAAAAAAAAA")):
        code, out, err = run(capsys, *argv, "--json")
        assert code == 3 and out == ""
        assert err.count("\n") == 1 and "cannot be used" in err and "secret" not in err


def test_the_real_command_prints_json(store, tmp_path):
    """As a shell runs it: a new process, the store from the environment."""
    env = {"COHESION_STORE": store, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "model", "publish", "--members", "quad", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    pid = json.loads(done.stdout)["id"]
    done = subprocess.run(
        [sys.executable, "-m", "model", "open", pid, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["members"] == ["AUS", "IND", "JPN", "USA"]
