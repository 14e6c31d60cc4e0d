"""The CLI's what-if options, provenance and the levers command (docs/architecture.md §5)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from cli import run, run_json

import model
from model import load_dataset, scenario, score
from model.levers import levers
from model.provenance import provenance
from model.search import SearchQuery, find_groupings
from model.whatif import OPS, apply, parse

ROOT = Path(model.__file__).resolve().parent.parent  # the repository, wherever the test is
DS = load_dataset()
EDITS = "+tie:KOR-JPN:security_agreement:0.60;-friction:JPN-KOR@2020;=threat:KOR:CHN:0.8"
CANONICAL = [
    "+tie:JPN-KOR:security_agreement:0.6",
    "-friction:JPN-KOR@2020",
    "=threat:KOR:CHN:0.8",
]
SCENARIO = ("--members", "USA,JPN,KOR", "--framing", "alliance", "--year", "2024")


def _what_if_score(members: str, edits: str, framing="alliance", year=2024) -> float:
    s = scenario(DS, members, framing, year)
    return score(apply(DS, parse(edits, DS, year), year), s).cohesion


class TestScore:
    def test_what_if_and_provenance_keys(self, capsys):
        result = run_json(capsys, "score", *SCENARIO, f"--what-if={EDITS}")
        assert result["what_if"] == CANONICAL
        assert result["cohesion"] == _what_if_score("USA,JPN,KOR", EDITS)
        rows = result["provenance"]
        assert 0 < len(rows) <= 10
        assert all(set(r) == {"file", "row", "effect", "source"} for r in rows)
        sizes = [abs(r["effect"]) for r in rows]
        assert sizes == sorted(sizes, reverse=True)

    def test_provenance_is_the_model_s(self, capsys):
        result = run_json(capsys, "score", *SCENARIO, f"--what-if={EDITS}")
        s = scenario(DS, "USA,JPN,KOR", "alliance", 2024)
        expected = [r.to_json() for r in provenance(DS, s.with_edits(parse(EDITS, DS, 2024)))]
        assert result["provenance"] == expected
        assert any(r["file"] == "what-if" for r in expected)

    def test_no_edits(self, capsys):
        result = run_json(capsys, "score", *SCENARIO)
        assert result["what_if"] == []
        assert (
            result["cohesion"] == score(DS, scenario(DS, "USA,JPN,KOR", "alliance", 2024)).cohesion
        )
        assert {r["file"] for r in result["provenance"]} <= {
            "ties.csv",
            "frictions.csv",
            "sensitivities.csv",
            "threats.csv",
        }

    def test_an_empty_what_if_is_no_edit(self, capsys):
        assert run_json(capsys, "score", *SCENARIO, "--what-if=")["what_if"] == []

    def test_the_scenario_year_is_the_default_start(self, capsys):
        a = run_json(capsys, "score", *SCENARIO, "--what-if=-tie:JPN-KOR@2024")
        b = run_json(capsys, "score", *SCENARIO, "--what-if=-tie:JPN-KOR")
        assert a["what_if"] == b["what_if"] == ["-tie:JPN-KOR"]
        assert a["cohesion"] == b["cohesion"]

    def test_text_output_lists_the_edits_and_the_rows(self, capsys):
        code, out, _ = run(capsys, "score", *SCENARIO, f"--what-if={EDITS}")
        assert code == 0
        assert "what if: Japan–South Korea: security agreement (tie, strength 0.6) added" in out
        assert "rests on:" in out

    def test_with_draws(self, capsys):
        result = run_json(capsys, "score", *SCENARIO, f"--what-if={EDITS}", "--draws", "50")
        i = result["interval"]
        assert i["p5"] <= i["p50"] <= i["p95"]


class TestCompare:
    def test_each_side_has_its_own_edits(self, capsys):
        result = run_json(
            capsys,
            "compare",
            "--a",
            "quad",
            "--b",
            "quad",
            "--what-if-b=+tie:IND-USA:treaty_alliance:0.8",
            "--year",
            "2024",
            "--draws",
            "50",
        )
        assert result["a"]["what_if"] == []
        assert result["b"]["what_if"] == ["+tie:IND-USA:treaty_alliance:0.8"]
        assert result["a"]["cohesion"] == score(DS, scenario(DS, "quad", None, 2024)).cohesion
        assert result["b"]["cohesion"] == _what_if_score(
            "quad", "+tie:IND-USA:treaty_alliance:0.8", "dialogue"
        )
        assert "provenance" in result["a"] and "provenance" in result["b"]
        assert 0 <= result["a_beats_b"] <= 1

    def test_without_edits_a_never_beats_itself(self, capsys):
        result = run_json(capsys, "compare", "--a", "quad", "--b", "quad", "--draws", "50")
        assert result["a_beats_b"] == 0.0


class TestBest:
    def test_best_searches_the_hypothetical_record(self, capsys):
        edits = "+tie:IND-PHL:treaty_alliance:0.9;-sens:IND"
        result = run_json(
            capsys,
            "best",
            "--size",
            "3",
            "--require",
            "IND",
            "--year",
            "2024",
            "--top",
            "3",
            f"--what-if={edits}",
        )
        assert result["what_if"] == ["+tie:IND-PHL:treaty_alliance:0.9", "-sens:IND"]
        expected = find_groupings(
            apply(DS, parse(edits, DS, 2024), 2024),
            SearchQuery((3,), "alliance", 2024, ("IND",), top=3),
        )
        assert [r["members"] for r in result["results"]] == [
            list(f.members) for f in expected.results
        ]
        assert [r["cohesion"] for r in result["results"]] == [f.cohesion for f in expected.results]


class TestLevers:
    def test_contract(self, capsys):
        result = run_json(
            capsys, "levers", "--members", "squad", "--framing", "alliance", "--year", "2024"
        )
        assert result["members"] == ["AUS", "JPN", "PHL", "USA"]
        assert (result["framing"], result["year"], result["what_if"]) == ("alliance", 2024, [])
        found = result["levers"]
        assert 0 < len(found) <= 5
        assert all(set(x) == {"edit", "delta"} for x in found)
        deltas = [x["delta"] for x in found]
        assert deltas == sorted(deltas, reverse=True)
        s = scenario(DS, "squad", "alliance", 2024)
        assert found == [x.to_json() for x in levers(DS, s)]

    @pytest.mark.parametrize("edits", ["", "-sens:JPN;+tie:AUS-PHL:treaty_alliance:0.5"])
    def test_applying_a_lever_through_score_moves_cohesion_by_its_delta(self, capsys, edits):
        args = ("--members", "squad", "--framing", "alliance", "--year", "2024")
        result = run_json(capsys, "levers", *args, f"--what-if={edits}")
        before = run_json(capsys, "score", *args, f"--what-if={edits}")["cohesion"]
        assert result["cohesion"] == before
        for lever in result["levers"]:
            joined = f"{edits};{lever['edit']}" if edits else lever["edit"]
            after = run_json(capsys, "score", *args, f"--what-if={joined}")["cohesion"]
            assert after - before == lever["delta"]

    def test_top(self, capsys):
        args = ("--members", "USA,JPN,KOR,AUS,PHL,IND", "--year", "2024")
        assert len(run_json(capsys, "levers", *args, "--top", "2")["levers"]) == 2

    def test_text_output(self, capsys):
        code, out, _ = run(capsys, "levers", "--members", "squad", "--year", "2024")
        assert code == 0
        assert "cohesion" in out.splitlines()[0]
        assert "added" in out or "removed" in out

    def test_one_member(self, capsys):
        result = run_json(capsys, "levers", "--members", "USA")
        assert result["levers"] == [] and result["cohesion"] is None


@pytest.mark.parametrize(
    "argv, named",
    [
        (("score", *SCENARIO, "--what-if=+tie:JPN-XXX:fta:0.5"), "'+tie:JPN-XXX:fta:0.5'"),
        (("score", *SCENARIO, "--what-if=-tie:JPN-KOR;+tie:JPN-KOR:fta:2"), "'+tie:JPN-KOR:fta:2'"),
        (("score", *SCENARIO, "--what-if=-tie:JPN-KOR@20"), "'-tie:JPN-KOR@20'"),
        (
            ("levers", *SCENARIO, "--what-if=+sens:JPN:framing:war:0.5"),
            "'+sens:JPN:framing:war:0.5'",
        ),
        (("best", "--size", "3", "--what-if==threat:JPN:JPN:0.5"), "'=threat:JPN:JPN:0.5'"),
        (("compare", "--a", "quad", "--b", "squad", "--what-if-a=+tie:JPN-KOR"), "'+tie:JPN-KOR'"),
        (("compare", "--a", "quad", "--b", "squad", "--what-if-b=-sens:X1"), "'-sens:X1'"),
        (("score", *SCENARIO, "--what-if", "-tie:JPN-KOR"), "--what-if=EDITS"),
        (
            ("compare", "--a", "quad", "--b", "squad", "--what-if-b", "-sens:IND"),
            "--what-if-b=EDITS",
        ),
        (("score", *SCENARIO, "--what-if=" + ";".join(["-sens:IND"] * 21)), "more than 20 edits"),
    ],
)
def test_a_bad_edit_exits_2_with_one_line_naming_it(capsys, argv, named):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert named in err


def test_the_module_entry_point(tmp_path):
    """``python -m model levers`` as a process: JSON on stdout; a bad edit, no traceback."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "model",
            "levers",
            "--members",
            "quad",
            "--what-if=-sens:IND",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["what_if"] == ["-sens:IND"]
    bad = subprocess.run(
        [sys.executable, "-m", "model", "score", "--members", "quad", "--what-if=+tie:IND-USA:x:1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "'+tie:IND-USA:x:1'" in bad.stderr


class TestReadme:
    """The README documents the grammar and the commands as the code has them."""

    README = (ROOT / "README.md").read_text(encoding="utf-8")

    @pytest.mark.parametrize("form", list(OPS.values()))
    def test_every_edit_form_is_documented(self, form):
        assert form in self.README

    def test_the_example_commands_run(self, capsys):
        block = self.README.split("## The command line", 1)[1].split("```", 2)[1]
        commands = [line for line in block.splitlines() if line.startswith("python -m model ")]
        assert any(" levers " in c for c in commands)
        assert any("--what-if=" in c for c in commands)
        for command in commands:
            if " validate " in command:
                continue
            argv = shlex.split(command)[3:]
            code, _, err = run(capsys, *argv)
            assert code == 0, (command, err)
