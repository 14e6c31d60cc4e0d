"""Keep docs/method.md and the README honest: their numbers and commands come from the code."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import model
from model import DOMAIN_WEIGHTS, Scenario, Weights, load_dataset, score
from model.calibration import END, START, calibration_markdown
from model.cli import main

ROOT = Path(model.__file__).resolve().parent.parent  # the repository, wherever the test is
METHOD = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    return METHOD.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]


def table_rows(text: str) -> list[list[str]]:
    lines = [ln for ln in text.strip().splitlines() if ln.startswith("|")][2:]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]


def test_calibration_table_matches_the_model():
    table = METHOD.split(START)[1].split(END)[0].strip()
    assert table == calibration_markdown(load_dataset()), (
        "docs/method.md is stale: run python -m model.calibration"
    )


def test_framing_table_matches_domain_weights():
    rows = {r[0]: tuple(float(x) for x in r[1:4]) for r in table_rows(section("framings"))}
    assert rows == DOMAIN_WEIGHTS


def test_weights_table_matches_the_defaults():
    rows = {r[0]: float(r[1]) for r in table_rows(section("weights"))}
    assert rows == Weights().as_dict()


@pytest.mark.parametrize(
    ("members", "framing", "year", "quoted"),
    [
        ("camp_david", "dialogue", 2019, "46.4"),
        ("camp_david", "dialogue", 2023, "67.9"),
        ("squad", "dialogue", 2024, "74.0"),
        ("quad", "dialogue", 2024, "65.5"),
        ("squad", "alliance", 2024, "67.3"),
        ("quad", "alliance", 2024, "39.4"),
        ("crink", "alliance", 2024, "29.9"),
        ("crink", "dialogue", 2024, "53.7"),
        ("g7", "alliance", 2024, "65.6"),
        ("nato_ip4", "alliance", 2024, "44.1"),
    ],
)
def test_numbers_quoted_in_the_prose_are_current(members, framing, year, quoted):
    ds = load_dataset()
    p = ds.presets[members]
    value = score(ds, Scenario(p.members, framing, year)).cohesion
    assert f"{value:.1f}" == quoted
    assert quoted in METHOD


def test_readme_cli_examples_run(capsys):
    commands = re.findall(r"^python -m model (.+)$", README, flags=re.MULTILINE)
    assert len(commands) >= 4
    for command in commands:
        argv = shlex.split(command)
        if "--data" in argv:  # the README's own placeholder path
            continue
        assert main(argv) == 0, command
        capsys.readouterr()


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in README and "test-command" in ci
    block = README.split("<!-- test-command -->")[1].split("```")[1].strip()
    assert block.startswith("pip install -r requirements-dev.txt") and "pytest" in block
