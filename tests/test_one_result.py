"""One scenario, one result (docs/architecture.md §9): for many random scenarios, with and
without what-if edits, every number the Build page shows, the brief prints, the CSV holds
and ``score --json`` gives is the same number, with the same sign, at each view's rounding.

The scenarios are drawn from a seeded generator over the built-in dataset: two to five
states, any framing, a year from 2000, and for half of them one to three edits that
change the record among the members. Expected values come from ``score --json`` alone.
"""

from __future__ import annotations

import html
import io
import random
import re

import pandas as pd
import pytest
from apptest import download, open_page, unescaped
from cli import run_json

from model import load_dataset, scenario
from model.schema import FRAMINGS
from model.words import CHANGE_IF_LEFT, edit_sentence, file_stem, title
from tests.charts import charts
from ui.cache import DRAWS

DS = load_dataset()
STATES = [a.code for a in DS.actors if a.kind == "state"]
N_SCENARIOS = 12


def _edits(rng: random.Random, members: list[str], year: int) -> list[str]:
    """One to three edits among the members that each change the record."""
    a, b = rng.sample(members, 2)
    menu = [
        f"+tie:{a}-{b}:security_agreement:{rng.choice(['0.4', '0.6', '0.8'])}",
        f"+friction:{a}-{b}:political_rift:{rng.choice(['0.3', '0.5'])}",
        f"+sens:{a}:framing:alliance:0.4",
        f"=threat:{a}:CHN:{rng.choice(['0.2', '0.9'])}",
    ]
    active = [
        f"-friction:{f.a}-{f.b}"
        for f in DS.frictions
        if f.active(year) and f.a in members and f.b in members
    ]
    return rng.sample(menu, rng.randint(1, 2)) + active[:1]


def _scenarios() -> list[tuple[str, str, int, str]]:
    rng = random.Random(20261207)
    out = []
    for i in range(N_SCENARIOS):
        members = sorted(rng.sample(STATES, rng.randint(2, 5)))
        framing, year = rng.choice(FRAMINGS), rng.randint(2000, DS.latest_year)
        edits = ";".join(_edits(rng, members, year)) if i % 2 else ""
        out.append((",".join(members), framing, year, edits))
    return out


SCENARIOS = _scenarios()


def _cli(capsys, members: str, framing: str, year: int, edits: str) -> dict:
    argv = ["score", "--members", members, "--framing", framing, "--year", str(year)]
    argv += ["--draws", str(DRAWS)]
    if edits:
        argv.append(f"--what-if={edits}")
    return run_json(capsys, *argv)


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda p: f"{p[0]}-{p[1]}-{p[2]}")
def views(request):
    """The Build page of one scenario, its brief and its CSV."""
    members, framing, year, edits = request.param
    params = {"members": members, "framing": framing, "year": str(year)}
    if edits:
        params["what_if"] = edits
    at = open_page(**params)
    brief_name, brief = download(at, "build_brief")
    csv_name, csv = download(at, "build_csv")
    frame = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    return request.param, at, (brief_name, brief.decode("utf-8")), (csv_name, frame)


def _metric(at, label: str):
    (m,) = [m for m in at.metric if unescaped(m.label) == label]
    return m


def _csv_value(frame: pd.DataFrame, section: str, item: str, measure: str) -> float:
    (value,) = frame[
        (frame.section == section) & (frame["item"] == item) & (frame.measure == measure)
    ]["value"]
    return float(value)


def _brief_rows(text: str, heading: str) -> list[list[str]]:
    """The cells of the first table after ``heading`` in the brief, as text."""
    part = text.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", part, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in row] for row in cells if row]


def test_every_view_gives_the_same_cohesion(views, capsys):
    (members, framing, year, edits), at, (_, brief), (_, frame) = views
    got = _cli(capsys, members, framing, year, edits)
    cohesion = got["cohesion"]
    assert _metric(at, "Cohesion").value == f"{cohesion:.1f}"
    assert f"<span class='score'>{cohesion:.1f}</span>" in brief
    assert _csv_value(frame, "score", "cohesion", "points (0-100)") == pytest.approx(cohesion)
    iv = got["interval"]
    assert _metric(at, "90% interval").value == f"{iv['p5']:.1f} – {iv['p95']:.1f}"
    assert f"90% interval {iv['p5']:.1f}–{iv['p95']:.1f}" in brief
    for q in ("p5", "p95"):
        assert _csv_value(frame, "score", f"interval {q}", "points (0-100)") == pytest.approx(iv[q])


def test_every_view_signs_the_change_if_it_left_alike(views, capsys):
    """Without the member minus with it, everywhere: the page's chart, the brief's column,
    the CSV, and the JSON's change_if_left (the opposite of leave_one_out)."""
    (members, framing, year, edits), at, (_, brief), (_, frame) = views
    contributions = _cli(capsys, members, framing, year, edits)["contributions"]
    (bars,) = [
        t
        for chart in charts(at)
        for t in chart.figure["data"]
        if t.get("type") == "bar" and "Shapley value" in t.get("hovertemplate", "")
    ]
    page = dict(zip(bars["y"], bars["customdata"], strict=True))
    rows = {r[0].rsplit("(", 1)[1].rstrip(")"): r for r in _brief_rows(brief, _who_heading())}
    for code, c in contributions.items():
        if_left = c["change_if_left"]
        assert if_left == pytest.approx(-c["leave_one_out"])
        assert page[code] == pytest.approx(if_left)
        assert rows[code][2] == f"{if_left:+.1f}"
        assert rows[code][1] == f"{c['shapley']:+.1f}"
        measure = f"{CHANGE_IF_LEFT} (points)"
        assert _csv_value(frame, "member", code, measure) == pytest.approx(if_left)


def _who_heading() -> str:
    return "Who holds it together, who pulls it apart"


def test_a_what_if_says_so_in_every_view(views, capsys):
    (members, framing, year, edits), at, (brief_name, brief), (csv_name, frame) = views
    got = _cli(capsys, members, framing, year, edits)
    s = scenario(DS, members, framing, year, what_if=edits)
    assert brief_name == f"{file_stem(DS, s)}-brief.html"
    assert csv_name == f"{file_stem(DS, s)}-numbers.csv"
    assert f"<h1>{html.escape(title(DS, s))}</h1>" in brief
    # a cell starting = + - @ is written after a quote, so a spreadsheet shows it as text
    listed = frame[frame.section == "what if"]["value"].str.replace(
        r"^'(?=[=+\-@])", "", regex=True
    )
    assert listed.tolist() == got["what_if"]
    if not edits:
        assert "-what-if-" not in brief_name and "What if" not in brief
        assert "record_cohesion" not in got
        assert _metric(at, "Cohesion").delta in (None, "")
        return
    record = got["record_cohesion"]
    change = got["cohesion"] - record
    assert "-what-if-" in brief_name and title(DS, s).startswith("What if: ")
    for edit in s.what_if:
        assert html.escape(edit_sentence(DS, edit)) in brief
    assert f"scores {record:.1f}; the changes move it by {change:+.1f} points" in brief
    measure = ("score", "cohesion on the record", "points (0-100)")
    assert _csv_value(frame, *measure) == pytest.approx(record)
    delta = _metric(at, "Cohesion").delta
    shown = f"{change:+.1f}" if abs(change) >= 0.05 else f"{change:+.2f}"
    assert delta == f"{shown} vs the record"


def test_the_scenarios_cover_both_kinds():
    assert sum(1 for *_, e in SCENARIOS if e) >= N_SCENARIOS // 2
    assert sum(1 for *_, e in SCENARIOS if not e) >= N_SCENARIOS // 2 - 1
