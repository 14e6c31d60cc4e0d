"""The `python -m model` contract (docs/architecture.md §5): JSON keys, exit codes, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli import run, run_json

import model
from model import load_dataset

_ACTORS = load_dataset().actors
_STATES = [a.code for a in _ACTORS if a.kind == "state"]
_ORGS = [a.code for a in _ACTORS if a.kind != "state"]

ROOT = Path(model.__file__).resolve().parent.parent  # the repository, wherever the test is
DATA = ROOT / "data"
COMPONENT_KEYS = {"ties", "connectivity", "lattice", "threat", "friction", "sensitivity"}


class TestScore:
    def test_contract_keys_and_ranges(self, capsys):
        result = run_json(
            capsys,
            "score",
            "--members",
            "USA,JPN,KOR",
            "--framing",
            "alliance",
            "--year",
            "2024",
            "--draws",
            "200",
        )
        assert result["members"] == ["JPN", "KOR", "USA"]
        assert (result["framing"], result["year"]) == ("alliance", 2024)
        assert 0 <= result["cohesion"] <= 100
        assert set(result["components"]) == COMPONENT_KEYS
        assert all(0 <= v <= 1 for v in result["components"].values())
        assert result["hub"] in result["members"]
        assert result["veto_risk"]["actor"] in result["members"]
        assert set(result["contributions"]) == set(result["members"])
        for c in result["contributions"].values():
            assert set(c) == {"leave_one_out", "shapley", "change_if_left"}
            assert c["change_if_left"] == -c["leave_one_out"]
        shapley = sum(c["shapley"] for c in result["contributions"].values())
        assert shapley == pytest.approx(result["cohesion"])
        deltas = [b["delta"] for b in result["best_additions"]]
        assert deltas == sorted(deltas, reverse=True)
        assert {b["actor"] for b in result["best_additions"]}.isdisjoint(result["members"])
        assert len(result["explanation"]) == 6
        i = result["interval"]
        assert i["p5"] <= i["p50"] <= i["p95"]

    def test_no_interval_without_draws(self, capsys):
        assert "interval" not in run_json(capsys, "score", "--members", "USA,JPN")

    def test_preset_takes_its_framing_and_latest_year(self, capsys):
        result = run_json(capsys, "score", "--members", "quad")
        assert result["members"] == ["AUS", "IND", "JPN", "USA"]
        assert result["framing"] == "dialogue"
        assert result["year"] == max(
            int(r["since"])
            for name in ("ties", "frictions", "sensitivities", "threats")
            for r in _rows(DATA / f"{name}.csv")
        )

    def test_explicit_framing_overrides_the_preset(self, capsys):
        assert (
            run_json(capsys, "score", "--members", "quad", "--framing", "economic")["framing"]
            == "economic"
        )

    def test_member_order_and_case_do_not_matter(self, capsys):
        a = run_json(capsys, "score", "--members", "usa,jpn,kor", "--year", "2020")
        b = run_json(capsys, "score", "--members", "KOR,USA,JPN", "--year", "2020")
        assert a["cohesion"] == b["cohesion"]

    def test_one_member_has_no_score_and_a_message(self, capsys):
        result = run_json(capsys, "score", "--members", "USA")
        assert result["cohesion"] is None and result["components"] is None
        assert "at least two" in result["message"]

    def test_weights_change_the_score(self, capsys):
        base = run_json(capsys, "score", "--members", "camp_david", "--year", "2019")
        heavy = run_json(
            capsys, "score", "--members", "camp_david", "--year", "2019", "--weights", "friction=2"
        )
        assert heavy["weights"]["friction"] == 2
        assert heavy["cohesion"] < base["cohesion"]

    def test_text_output_names_the_score(self, capsys):
        code, out, _ = run(capsys, "score", "--members", "squad", "--year", "2024")
        assert code == 0 and "cohesion" in out and "Shared threat" in out


class TestCompare:
    def test_contract(self, capsys):
        result = run_json(
            capsys,
            "compare",
            "--a",
            "quad",
            "--b",
            "USA,JPN,AUS,PHL",
            "--framing",
            "alliance",
            "--year",
            "2024",
            "--draws",
            "300",
        )
        assert result["a"]["members"] == ["AUS", "IND", "JPN", "USA"]
        assert result["b"]["members"] == ["AUS", "JPN", "PHL", "USA"]
        assert 0 <= result["a_beats_b"] <= 1

    def test_a_never_beats_itself(self, capsys):
        result = run_json(capsys, "compare", "--a", "squad", "--b", "squad", "--draws", "100")
        assert result["a_beats_b"] == 0


class TestPresets:
    def test_required_presets(self, capsys):
        ids = {p["id"] for p in run_json(capsys, "presets")}
        assert {
            "quad",
            "squad",
            "camp_david",
            "aukus",
            "asian_nato",
            "nato_ip4",
            "economic_nato",
        } <= ids

    def test_each_preset_has_the_contract_fields(self, capsys):
        for p in run_json(capsys, "presets"):
            assert {"id", "name", "members", "framing", "note"} <= set(p)
            assert p["framing"] in {"alliance", "dialogue", "economic"} and p["note"]


class TestBest:
    def test_results_are_ranked_and_respect_constraints(self, capsys):
        result = run_json(
            capsys,
            "best",
            "--size",
            "3",
            "--require",
            "USA",
            "--exclude",
            "CHN,RUS",
            "--framing",
            "alliance",
            "--year",
            "2024",
            "--top",
            "5",
        )
        scores = [r["cohesion"] for r in result["results"]]
        assert len(scores) == 5 and scores == sorted(scores, reverse=True)
        for r in result["results"]:
            assert "USA" in r["members"] and not {"CHN", "RUS"} & set(r["members"])
            assert {"EU", "NATO"}.isdisjoint(r["members"])
        assert result["exhaustive"] is True and result["method"] == "exhaustive"
        # the states less USA, CHN, RUS: C(n, 2), each scored in full or ruled out by the bound
        n = len(_STATES) - 3
        assert result["candidates"] == n * (n - 1) // 2
        assert result["evaluated"] + result["bounded"] == result["candidates"]

    def test_with_orgs_adds_organisations(self, capsys):
        result = run_json(
            capsys, "best", "--size", "2", "--require", "USA", "--with-orgs", "--top", "100"
        )
        assert result["candidates"] == len(_STATES) - 1 + len(_ORGS)  # less USA, plus orgs
        assert {"EU", "NATO"} <= {m for r in result["results"] for m in r["members"]}

    def test_a_size_range_and_regions(self, capsys):
        result = run_json(
            capsys,
            "best",
            "--size",
            "3-4",
            "--require",
            "USA",
            "--regions",
            "Europe",
            "--top",
            "100",
        )
        sizes = {len(r["members"]) for r in result["results"]}
        assert sizes == {3, 4}
        europe = {a.code for a in _ACTORS if a.region == "Europe" and a.kind == "state"}
        for r in result["results"]:
            assert set(r["members"]) - {"USA"} <= europe

    def test_the_beam_method_says_it_is_not_proven(self, capsys):
        result = run_json(
            capsys, "best", "--size", "4", "--require", "USA", "--method", "beam", "--top", "3"
        )
        assert result["method"] == "beam" and result["exhaustive"] is False
        exact = run_json(capsys, "best", "--size", "4", "--require", "USA", "--top", "3")
        assert result["results"][0]["cohesion"] <= exact["results"][0]["cohesion"]

    def test_auto_says_when_it_falls_back_to_the_beam(self, capsys):
        # size 9 around the United States: C(37, 8) = 38.6 million groupings, over the limit
        code, out, _ = run(capsys, "best", "--size", "9", "--require", "USA", "--top", "1")
        assert code == 0 and "(beam: " in out
        assert "heuristic, not proven best; over the exhaustive limit of 20,000,000" in out
        code, out, _ = run(capsys, "best", "--size", "5", "--require", "USA", "--top", "1")
        assert code == 0 and out.rstrip().endswith("proven best)") and "limit" not in out

    def test_best_matches_score(self, capsys):
        top = run_json(
            capsys, "best", "--size", "3", "--require", "JPN", "--year", "2024", "--top", "1"
        )["results"][0]
        scored = run_json(
            capsys,
            "score",
            "--members",
            ",".join(top["members"]),
            "--framing",
            "alliance",
            "--year",
            "2024",
        )
        assert scored["cohesion"] == top["cohesion"]  # exactly: the same path


BAD_INPUT = [
    (["score", "--members", "USA,XYZ"], "'XYZ'"),
    (["score", "--members", "nonsense_preset"], "'NONSENSE_PRESET'"),
    (["score", "--members", "USA,JPN", "--framing", "military"], "'military'"),
    (["score", "--members", "USA,JPN", "--year", "20x4"], "'20x4'"),
    (["score", "--members", "USA,JPN", "--year", "1800"], "1800"),
    (["score", "--members", "USA,JPN", "--weights", "ties=abc"], "'abc'"),
    (["score", "--members", "USA,JPN", "--weights", "trust=1"], "trust=1"),
    (
        ["score", "--members", "USA,JPN", "--weights", "ties=0,connectivity=0,lattice=0,threat=0"],
        "at least one",
    ),
    (["score", "--members", "USA,JPN", "--weights", "friction=-1"], "friction=-1"),
    (["score", "--members", "USA,JPN", "--draws", "-5"], "'-5'"),
    (["score"], "--members"),
    (["compare", "--a", "quad", "--b", "USA,QQQ"], "'QQQ'"),
    (["best", "--size", "3", "--require", "ZZZ"], "'ZZZ'"),
    (["best", "--size", "3", "--exclude", "ZZZ"], "'ZZZ'"),
    (["best", "--size", "1"], "size 1"),
    (["best", "--size", "2", "--require", "USA,JPN,KOR"], "do not fit"),
    (["best", "--size", "3", "--require", "USA", "--exclude", "USA"], "both required"),
    (
        ["best", "--size", "5", "--require", "USA", "--regions", "North America"],
        "larger than the pool",
    ),
    (["best", "--size", "5-3"], "'5-3' runs backwards"),
    (["best", "--size", "3", "--regions", "Atlantis"], "'Atlantis'"),
    (["best", "--size", "3", "--method", "genetic"], "'genetic'"),
    (["best", "--size", "3", "--top", "0"], "top 0"),
    (["score", "--members", "USA,JPN", "--data", "/nonexistent/dir"], "/nonexistent/dir"),
    (["frobnicate"], "frobnicate"),
]


@pytest.mark.parametrize(("argv", "named"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_exits_2_with_one_line_naming_the_value(capsys, argv, named):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert named in err
    assert "Traceback" not in err


class TestValidate:
    def test_builtin_dataset_is_valid(self, capsys):
        code, out, _ = run(capsys, "validate")
        assert code == 0 and out.startswith("ok:")

    def test_damaged_copy_is_refused_with_every_problem(self, capsys, tmp_path):
        damaged = tmp_path / "data"
        shutil.copytree(DATA, damaged)
        ties = (damaged / "ties.csv").read_text(encoding="utf-8").splitlines()
        fields = ties[1].split(",")
        fields[0] = "XYZ"
        ties[1] = ",".join(fields)
        (damaged / "ties.csv").write_text("\n".join(ties) + "\n", encoding="utf-8")
        (damaged / "sources.csv").write_bytes(b"\xff\xfe not utf-8")
        code, out, _ = run(capsys, "validate", "--data", str(damaged))
        assert code == 1
        assert "ties.csv:2: a: unknown actor code 'XYZ'" in out
        assert "sources.csv:0: file: not UTF-8 text (byte 0xff at offset 0)" in out

    def test_a_bad_dataset_stops_score_with_its_problems(self, capsys, tmp_path):
        damaged = tmp_path / "data"
        shutil.copytree(DATA, damaged)
        (damaged / "threats.csv").write_text("", encoding="utf-8")
        code, _, err = run(capsys, "score", "--members", "quad", "--data", str(damaged))
        assert code == 1 and "threats.csv:0: file: the file is empty" in err


def _rows(path: Path) -> list[dict]:
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class TestAsAProgram:
    """A few runs of the real `python -m model`, the way outside scripts call it."""

    def test_module_entry_point_and_env_dataset(self, tmp_path):
        copy = tmp_path / "data"
        shutil.copytree(DATA, copy)
        env = {"COHESION_DATA_DIR": str(copy), "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-m", "model", "score", "--members", "squad", "--json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["members"] == ["AUS", "JPN", "PHL", "USA"]
        (copy / "actors.csv").write_text("code,name\n", encoding="utf-8")
        bad = subprocess.run(
            [sys.executable, "-m", "model", "validate"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert bad.returncode == 1 and "actors.csv:1: kind: missing column 'kind'" in bad.stdout

    def test_bad_code_exits_2_without_traceback(self):
        done = subprocess.run(
            [sys.executable, "-m", "model", "score", "--members", "USA,ATLANTIS"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2
        assert "'ATLANTIS'" in done.stderr and "Traceback" not in done.stderr
