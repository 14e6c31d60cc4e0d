"""Hostile text without a browser: source addresses are http(s) or nothing, chart labels
escape data text, and markdown text cannot turn a bare address into a link. The browser
tests (tests/e2e/test_hostile_browser.py) show the same on screen.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from hostile import HOSTILE, PAYLOADS, hostile_files

from model import DatasetError, Scenario, context, parse_tables, score
from model.data import BUILTIN_DATA_DIR
from model.export import read_dataset_files
from model.timeline import events_in
from ui.charts import components_by_slot
from ui.datatable import with_sources
from ui.network import network_figure, positions
from ui.text import WORD_JOINER, chart_text, plain
from ui.timeline import timeline_figure

BUILTIN = read_dataset_files(BUILTIN_DATA_DIR)
DS = parse_tables(hostile_files(BUILTIN))
#: The markup plotly reads in labels that the app writes itself; data text adds none.
OWN_TAGS = re.compile(r"</?b>|<br>|<span style='color:#[0-9a-f]{6}'>|</span>")
SCRIPT_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "\u200bjavascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "https:/evil.example",
    "ftp://example.org/x",
]


def sources_with_url(url: str) -> bytes:
    """The built-in sources.csv with ``url`` as the first source's address."""
    rows = list(csv.reader(io.StringIO(BUILTIN["sources.csv"].decode(), newline="")))
    rows[1][rows[0].index("url")] = url
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


class TestSourceAddresses:
    @pytest.mark.parametrize("url", SCRIPT_LINKS)
    def test_validation_refuses_anything_but_http(self, url):
        with pytest.raises(DatasetError) as err:
            parse_tables({**BUILTIN, "sources.csv": sources_with_url(url)})
        assert len(err.value.problems) == 1
        assert re.fullmatch(
            r"sources\.csv:2: url: '.*' is not an http\(s\) address", err.value.problems[0], re.S
        )

    def test_an_http_address_with_markup_in_it_is_a_valid_address(self):
        url = 'https://example.org/?q="><script>alert(1)</script>'
        ds = parse_tables({**BUILTIN, "sources.csv": sources_with_url(url)})
        assert url in {s.url for s in ds.sources.values()}

    @pytest.mark.parametrize("url", [*SCRIPT_LINKS, "", "   "])
    def test_a_link_column_gets_no_address_but_http_even_unvalidated(self, url):
        sources = pd.DataFrame(
            [["k", "T", "P", "2020", url]], columns=["key", "title", "publisher", "year", "url"]
        )
        frame = pd.DataFrame({"note": ["n"], "source": ["k"]})
        assert with_sources(frame, sources)["link"].tolist() == [None]

    @pytest.mark.parametrize(
        "url", ["https://example.org/a", "http://example.org", "HTTPS://EXAMPLE.ORG/B"]
    )
    def test_a_link_column_keeps_http_addresses(self, url):
        sources = pd.DataFrame(
            [["k", "T", "P", "2020", f" {url} "]],
            columns=["key", "title", "publisher", "year", "url"],
        )
        frame = pd.DataFrame({"note": ["n"], "source": ["k"]})
        assert with_sources(frame, sources)["link"].tolist() == [url]


class TestChartLabels:
    def test_data_text_is_escaped_and_quotes_stay(self):
        assert chart_text('<a href="https://x">"y" & z</a>') == (
            '&lt;a href="https://x"&gt;"y" &amp; z&lt;/a&gt;'
        )

    def labels(self, fig) -> list[str]:
        out = []
        for trace in fig.data:
            for attr in ("hovertext", "name"):
                value = getattr(trace, attr, None)
                out += [value] if isinstance(value, str) else list(value or [])
        return out

    def assert_only_own_markup(self, labels: list[str]) -> None:
        assert labels
        for label in labels:
            assert "<" not in OWN_TAGS.sub("", label), label

    def test_network_hovers_hold_no_markup_from_the_data(self):
        members = ("AUS", "IND", "JPN", "USA")
        fig = network_figure(context(DS, 2024, "dialogue"), members, positions(DS))
        labels = self.labels(fig)
        self.assert_only_own_markup(labels)
        assert any(chart_text(HOSTILE) in label for label in labels)  # names and publishers

    def test_timeline_and_compare_labels_hold_no_markup_from_the_data(self):
        label = DS.presets["quad"].name
        years = list(range(2015, 2025))
        series = [
            {
                "year": pd.Series(years).to_numpy(),
                "cohesion": pd.Series([50.0] * 10).to_numpy(),
                "p5": pd.Series([45.0] * 10).to_numpy(),
                "p95": pd.Series([55.0] * 10).to_numpy(),
                "events": {
                    y: e
                    for y in years[1:]
                    if (e := events_in(DS, ("AUS", "IND", "JPN", "USA"), "dialogue", y))
                },
            }
        ]
        assert series[0]["events"]
        labels = self.labels(timeline_figure(DS, [label], series))
        self.assert_only_own_markup(labels)
        assert any(chart_text(HOSTILE) in x for x in labels)
        result = score(DS, Scenario(("AUS", "JPN"), "dialogue", 2024))
        bars = self.labels(components_by_slot([result], [label]))
        self.assert_only_own_markup(bars)


class TestMarkdownText:
    @pytest.mark.parametrize(
        ("text", "joined"),
        [
            ("see https://example.org/x", "see https\u2060://example.org/x"),
            ("HTTP://EXAMPLE.ORG", "HTTP\u2060://EXAMPLE.ORG"),
            ("www.example.org", "www\u2060.example.org"),
            ("write to me@example.org", "write to me@\u2060example.org"),
            ("javascript:alert(1)", "javascript:alert(1)"),
        ],
    )
    def test_a_bare_address_gets_an_invisible_joiner(self, text, joined):
        escaped = plain(text)
        assert re.sub(r"\\(.)", r"\1", escaped) == joined
        assert joined.replace(WORD_JOINER, "") == text

    @pytest.mark.parametrize("payload", PAYLOADS)
    def test_every_payload_is_escaped_to_one_line_of_text(self, payload):
        escaped = plain(payload)
        assert "\n" not in escaped and "\t" not in escaped
        assert not re.search(r"(?<!\\)[<>\[\]()$:&]", escaped)
