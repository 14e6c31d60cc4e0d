"""What-if links in a real browser: a Build link with edits shows the number the CLI prints
for the same scenario, and "Compare with the record" opens the record beside the what-if."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from browsing import TIMEOUT, cohesion_metric, settled, wait_for_query
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
MEMBERS, FRAMING, YEAR = "JPN,KOR,USA", "alliance", "2024"
EDITS = "-friction:JPN-KOR;+tie:JPN-KOR:security_agreement:0.6"


def cli_cohesion(edits: str) -> float:
    """``python -m model score --members … --what-if=… --json``, as a user runs it."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "model",
            "score",
            "--members",
            MEMBERS,
            "--framing",
            FRAMING,
            "--year",
            YEAR,
            f"--what-if={edits}",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)["cohesion"]


def build_link(server: str, edits: str) -> str:
    return (
        f"{server}/?members={MEMBERS}&framing={FRAMING}&year={YEAR}"
        f"&what_if={quote(edits, safe=':-')}"
    )


def test_a_what_if_link_shows_the_clis_number(page: Page, server: str):
    expected = cli_cohesion(EDITS)
    page.goto(build_link(server, EDITS))
    assert cohesion_metric(page) == f"{expected:.1f}"
    q = wait_for_query(page, "what_if", lambda v: v == EDITS)
    assert (q["members"], q["year"]) == (MEMBERS, YEAR)
    expect(page.get_by_text("Japan–South Korea: every friction removed")).to_be_visible(
        timeout=TIMEOUT
    )


def test_a_plus_typed_into_the_address_still_adds_a_tie(page: Page, server: str):
    """A raw '+' in a query string reads as a space; the page restores it."""
    page.goto(f"{server}/?members={MEMBERS}&framing={FRAMING}&year={YEAR}&what_if={EDITS}")
    assert cohesion_metric(page) == f"{cli_cohesion(EDITS):.1f}"
    wait_for_query(page, "what_if", lambda v: v == EDITS)


def test_compare_with_the_record(page: Page, server: str):
    page.goto(build_link(server, EDITS))
    settled(page)
    page.get_by_role("button", name="Compare with the record").click()
    page.wait_for_url(re.compile(r"/compare\?"), timeout=TIMEOUT)
    q = wait_for_query(page, "w2", lambda v: v == EDITS)
    assert (q["s1"], q["s2"], q["year"]) == (MEMBERS, MEMBERS, YEAR)
    assert "w1" not in q
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.nth(0)).to_contain_text(f"{cli_cohesion(''):.1f}", timeout=TIMEOUT)
    expect(metrics.nth(1)).to_contain_text(f"{cli_cohesion(EDITS):.1f}", timeout=TIMEOUT)
    odds = re.compile(r"(above|below) slot 1 in (all|[\d,]+ of) 1,000 draws")
    expect(page.get_by_text(odds)).to_be_visible(timeout=TIMEOUT)
