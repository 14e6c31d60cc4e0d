"""What leaves the dashboard (AppTest): every page's CSV parses back to the numbers it
shows, the briefs hold the score and every source they cite and no script, the network's
SVG is well-formed, and every chart offers a PNG named after its scenario at 2x.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from apptest import BUILD, COMPARE, FINDER, TIMELINE, download, open_page, unescaped
from hostile import PAYLOADS, hostile_files

from model import (
    Scenario,
    Weights,
    beats_share,
    load_dataset,
    parse_tables,
    provenance,
    simulate,
)
from model import score as model_score
from model.difference import component_points
from model.export import read_dataset_files
from model.timeline import cohesion_series
from model.words import slug
from tests.charts import charts
from ui.chartview import NETWORK_WHAT
from ui.datastore import CUSTOM
from ui.exports import csv_bytes

DS = load_dataset()
YEAR = DS.latest_year
ASIAN = DS.presets["asian_nato"]


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def chart_names(at) -> list[tuple[str, int, list]]:
    out = []
    for chart in charts(at):
        config = chart.config
        image = config["toImageButtonOptions"]
        assert image["format"] == "png"
        out.append((image["filename"], image["scale"], config["modeBarButtons"]))
    return out


@pytest.fixture(scope="module")
def build():
    at = open_page(BUILD, members="asian_nato", year=str(YEAR))
    expected = model_score(DS, Scenario(ASIAN.members, ASIAN.framing, YEAR), draws=1000)
    return at, expected


class TestBuild:
    def test_numbers_parse_back_to_what_the_page_shows(self, build):
        at, expected = build
        name, data = download(at, "build_csv")
        assert name == f"asian-nato-alliance-{YEAR}-numbers.csv"
        table = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows(data)}
        cohesion = float(table["score", "cohesion", "points (0-100)"])
        assert f"{cohesion:.1f}" == metric(at, "Cohesion")
        p5 = float(table["score", "interval p5", "points (0-100)"])
        p95 = float(table["score", "interval p95", "points (0-100)"])
        assert f"{p5:.1f} – {p95:.1f}" == metric(at, "90% interval")
        assert table["scenario", "members", "codes"] == " ".join(ASIAN.members)
        points = component_points(expected)
        for label, key in (("Ties", "ties"), ("Shared threat", "threat"), ("Friction", "friction")):
            assert float(table["component", label, "points"]) == pytest.approx(points[key])
        for code, c in expected.contributions.items():
            assert float(table["member", code, "Shapley (points)"]) == pytest.approx(c["shapley"])
            if_left = float(table["member", code, "change if it left (points)"])
            assert if_left == pytest.approx(c["change_if_left"]) == -c["leave_one_out"]
        additions = [
            (r["item"], float(r["value"])) for r in rows(data) if r["section"] == "adding one more"
        ]
        assert additions == [pytest.approx(a) for a in expected.best_additions]

    def test_the_brief_holds_the_score_and_every_source_it_cites(self, build):
        at, expected = build
        name, data = download(at, "build_brief")
        assert name == f"asian-nato-alliance-{YEAR}-brief.html"
        text = data.decode("utf-8")
        assert f"<span class='score'>{metric(at, 'Cohesion')}</span>" in text
        iv = expected.interval
        assert f"90% interval {iv['p5']:.1f}–{iv['p95']:.1f}" in text
        cited = {
            k for r in provenance(DS, expected.scenario, limit=None) for k in r.source.split(";")
        }
        assert cited
        for key in cited:
            assert f"<b>{key}</b>: {DS.sources[key].title}"[:60] in text.replace("&#x27;", "'")
        for line in expected.explanation:
            assert line.replace("'", "&#x27;").replace('"', "&quot;") in text
        assert "members=AUS,JPN,KOR,PHL,USA" in text  # its link
        assert "<script" not in text.lower()
        assert "Content-Security-Policy" in text and "default-src 'none'" in text
        assert "<svg" in text  # the network

    def test_the_network_svg_is_well_formed_and_labels_the_members(self, build):
        at, _ = build
        name, data = download(at, "build_svg")
        assert name == f"asian-nato-alliance-{YEAR}-network.svg"
        root = ET.fromstring(data)
        labels = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
        assert set(ASIAN.members) <= labels

    def test_every_chart_offers_a_png_at_twice_the_size(self, build):
        at, _ = build
        names = chart_names(at)
        assert [n for n, _, _ in names] == [
            f"asian-nato-alliance-{YEAR}-network",
            f"asian-nato-alliance-{YEAR}-breakdown",
            f"asian-nato-alliance-{YEAR}-contributions",
            f"asian-nato-alliance-{YEAR}-yardstick",
        ]
        assert all(scale == 2 and tools == [["toImage"]] for _, scale, tools in names)

    def test_every_chart_is_titled_with_the_scenario_and_its_score(self, build):
        at, expected = build
        heading = f'An "Asian NATO" · alliance · {YEAR} · cohesion {expected.cohesion:.1f}'
        titles = chart_titles(at)
        assert len(titles) == 4
        for head, what in titles:
            assert head == heading
            assert what  # and what the chart shows
        # each chart has its numbers as a table under it
        tables = [e for e in at.expander if e.label == "The chart as a table"]
        assert len(tables) == 4


def chart_titles(at) -> list[tuple[str, str]]:
    """Each chart's heading as one line and what it shows (the subtitle's last line; the
    lines before it carry on the heading where it was too long for one)."""
    out = []
    for chart in charts(at):
        title = chart.figure["layout"]["title"]
        *rest, what = title["subtitle"]["text"].split("<br>")
        out.append((" · ".join([title["text"], *rest]), what))
    return out


class TestCompare:
    @pytest.fixture(scope="class")
    def at(self):
        return open_page(COMPARE, s1="quad", s2="squad", s3="USA,KOR", f3="alliance", year="2024")

    def test_slots_side_by_side_parse_back(self, at):
        name, data = download(at, "cmp_csv")
        assert name == "compare-quad-vs-squad-vs-kor-usa-2024-slots.csv"
        table = {r["measure"]: r for r in rows(data)}
        columns = [c for c in rows(data)[0] if c.startswith("slot ")]
        assert len(columns) == 3
        shown = [m.value for m in at.metric]
        assert [f"{float(table['cohesion'][c]):.1f}" for c in columns] == shown
        first = at.session_state["cmp_state"].slots[0]
        a = simulate(DS, first.members, first.framing, 2024, Weights(), 1000, 0, True)
        for c, slot in zip(columns[1:], at.session_state["cmp_state"].slots[1:], strict=True):
            b = simulate(DS, slot.members, slot.framing, 2024, Weights(), 1000, 0, True)
            assert float(table["share of draws above slot 1"][c]) == beats_share(b, a)
        assert table["share of draws above slot 1"][columns[0]] == ""

    def test_the_brief_holds_every_score_why_and_source(self, at):
        name, data = download(at, "cmp_brief")
        assert name == "compare-quad-vs-squad-vs-kor-usa-2024-brief.html"
        text = data.decode("utf-8")
        for value in (m.value for m in at.metric):
            assert f"<span class='score'>{value}</span>" in text
        for slot in at.session_state["cmp_state"].slots:
            s = Scenario(slot.members, slot.framing, 2024)
            for r in provenance(DS, s, limit=None):
                for key in r.source.split(";"):
                    assert f"<b>{key}</b>" in text
        # every pair of slots, each with its sentences
        for later, earlier in ((2, 1), (3, 1), (3, 2)):
            assert f"<h3>Slot {later} against slot {earlier}</h3>" in text
            assert f"Slot {later} scores" in text and f"than slot {earlier}" in text
        assert "The slots are framed differently" in text  # the Quad and Squad against an alliance
        assert "<script" not in text.lower()

    def test_every_chart_names_its_slots_framings_and_scores(self, at):
        titles = chart_titles(at)
        shown = [m.value for m in at.metric]
        gap = next(h for h, w in titles if w.startswith("Slot 2 against slot 1"))
        assert gap == (
            f'The "Squad" · dialogue · 2024 · cohesion {shown[1]} · against · '
            f"The Quad · dialogue · 2024 · cohesion {shown[0]}"
        )
        networks = [h for h, w in titles if w == NETWORK_WHAT]
        assert sorted(networks) == sorted(
            [
                f"The Quad · dialogue · 2024 · cohesion {shown[0]}",
                f'The "Squad" · dialogue · 2024 · cohesion {shown[1]}',
                f"KOR, USA · alliance · 2024 · cohesion {shown[2]}",
            ]
        )

    def test_every_chart_is_named_after_the_comparison(self, at):
        stem = "compare-quad-vs-squad-vs-kor-usa-2024"
        assert sorted(n for n, _, _ in chart_names(at)) == sorted(
            [
                f"{stem}-slot-2-vs-slot-1",
                f"{stem}-components",
                *(f"{stem}-slot-{i}-network" for i in (1, 2, 3)),
            ]
        )


class TestFinder:
    def test_results_parse_back_to_the_list(self):
        at = open_page(FINDER, size="3", require="USA", year="2024", top="5")
        name, data = download(at, "finder_csv")
        assert name == "finder-size-3-alliance-2024-results.csv"
        table = rows(data)
        shown = [
            unescaped(m.value)
            for m in at.markdown
            if re.match(r"^\*\*\d+\.\d\*\* · ", unescaped(m.value))
        ]
        assert len(table) == len(shown) == 5
        for r, line in zip(table, shown, strict=True):
            assert line == f"**{float(r['cohesion']):.1f}** · " + ", ".join(r["members"].split())
        assert [n for n, _, _ in chart_names(at)] == ["finder-size-3-alliance-2024-components"]


class TestTimeline:
    def test_the_series_parse_back_to_the_model(self):
        at = open_page(TIMELINE, s1="camp_david", start="2015")
        name, data = download(at, "tl_csv")
        assert name == "timeline-camp-david-from-2015.csv"
        table = rows(data)
        preset = DS.presets["camp_david"]
        series = cohesion_series(DS, preset.members, preset.framing, range(2015, YEAR + 1))
        assert [int(r["year"]) for r in table] == list(range(2015, YEAR + 1))
        for r, value in zip(table, series["cohesion"], strict=True):
            assert float(r["cohesion"]) == pytest.approx(value)
            assert float(r["p5"]) <= float(r["p95"])
        assert any(r["events"] and r["sources"] for r in table)
        assert [n for n, _, _ in chart_names(at)] == ["timeline-camp-david-from-2015"]


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "p",
    "div",
    "section",
}
ALLOWED_TAGS |= {"span", "b", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_TAGS |= {"a", "svg", "circle", "line", "text", "tspan"}


class Tags(HTMLParser):
    """The tags of a page, and any attribute that could run or lead to a script."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()
        self.bad: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        for name, value in attrs:
            if name.startswith("on") or (
                name in ("href", "src") and not re.match(r"https?://", value or "")
            ):
                self.bad.append((tag, name, value))


class TestSafeFiles:
    def test_a_formula_in_a_csv_cell_stays_text(self):
        import pandas as pd

        data = csv_bytes(
            pd.DataFrame({"slot": ["=HYPERLINK(1)", "+cmd", "-2.5"], "x": [1.0, None, 2]})
        )
        assert rows(data) == [
            {"slot": "'=HYPERLINK(1)", "x": "1.0"},
            {"slot": "'+cmd", "x": ""},
            {"slot": "-2.5", "x": "2.0"},
        ]

    @pytest.mark.parametrize(
        "parts, name",
        [
            (("Asian NATO", "alliance", 2024), "asian-nato-alliance-2024"),
            (("<a>", ""), "a"),
            ((), "chart"),
        ],
    )
    def test_file_names_are_plain(self, parts, name):
        assert slug(*parts) == name

    def test_a_hostile_dataset_leaves_no_markup_in_the_brief(self):
        files = hostile_files(read_dataset_files())
        at = open_page(BUILD)
        at.session_state[CUSTOM] = (files, parse_tables(files))
        at.query_params["members"] = "quad"
        at.run()
        assert not at.exception
        _, data = download(at, "build_brief")
        text = data.decode("utf-8")
        tags = Tags()
        tags.feed(text)
        assert tags.seen <= ALLOWED_TAGS, tags.seen - ALLOWED_TAGS
        assert tags.bad == []
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in text  # shown as text
        _, svg = download(at, "build_svg")
        ET.fromstring(svg)  # still well-formed
        assert all(p not in svg.decode() for p in PAYLOADS if "<" in p)
