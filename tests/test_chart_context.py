"""Charts that carry their context when taken away (issue #23): the network's wrapped
lines stop inside the frame, a what-if tie stays visible however close its members are
drawn, and hover labels are narrow enough to fit beside a node at the chart's edge."""

from __future__ import annotations

import re

import pytest

from model import load_dataset, scenario
from tests.charts import charts
from ui.network import SMALL, X_RANGE, positions
from ui.whatif_marks import what_if_network

DS = load_dataset()


@pytest.fixture(scope="module")
def quad():
    return what_if_network(DS, scenario(DS, "quad", None, 2024), positions(DS, "map"))


def test_a_line_that_wraps_around_the_map_stops_inside_the_frame(quad):
    wrapped = [t for t in quad.data if t.mode == "lines" and None in (t.x or ())]
    assert wrapped, "the US–India line crosses the Atlantic on this map"
    left, right = X_RANGE
    for t in quad.data:
        xs = [x for x in (t.x or ()) if x is not None]
        assert all(left < x < right for x in xs), t.name
    # each stop carries an arrowhead saying the line goes on
    (heads,) = [t for t in quad.data if t.name == "the line goes on from the other side of the map"]
    assert set(heads.marker["symbol"]) == {"triangle-left", "triangle-right"}
    assert len(heads.x) == 2 * len(wrapped)


def test_a_what_if_tie_between_members_drawn_close_is_marked():
    s = scenario(DS, "camp_david", None, 2024, what_if="+tie:JPN-KOR:security_agreement:0.6")
    pos = positions(DS, "map", SMALL)
    fig = what_if_network(DS, s, pos, height=round(560 * SMALL))
    (star,) = [
        t for t in fig.data if t.mode == "markers" and (t.marker or {}).get("symbol") == "star"
    ]
    mid = [(a + b) / 2 for a, b in zip(pos["JPN"], pos["KOR"], strict=True)]
    assert star.x[0] == pytest.approx(mid[0]) and star.y[0] == pytest.approx(mid[1])
    assert star.marker["size"] >= 12
    assert "(what if)" in star.hovertext[0]


def test_hover_labels_are_narrow(quad):
    texts = [x for t in quad.data if t.hovertext is not None for x in t.hovertext]
    assert texts
    for text in texts:
        for line in text.split("<br>"):
            shown = re.sub(r"<[^>]*>|&[a-z#0-9]+;", "x", line)
            assert len(shown) <= 64 or " " not in shown, line


@pytest.mark.parametrize(
    ("page", "params"),
    [
        (None, {"members": "asian_nato", "year": "2024"}),
        ("views/compare.py", {"s1": "quad", "s2": "squad", "s3": "asian_nato", "year": "2024"}),
        ("views/finder.py", {"size": "3", "require": "USA", "year": "2024", "top": "5"}),
        ("views/timeline.py", {"s1": "camp_david", "start": "2010"}),
    ],
    ids=["build", "compare", "finder", "timeline"],
)
def test_every_chart_has_its_numbers_as_a_table_under_it(page, params):
    from apptest import open_page, open_tables

    from ui.chartview import TABLE_LABEL

    at = open_page(page, params)
    drawn = charts(at)
    tables = [e for e in at.expander if e.label == TABLE_LABEL]
    assert len(drawn) >= 1 and len(tables) == len(drawn)
    assert not any(e.dataframe for e in tables)  # made only when the reader opens them
    tables = [e for e in open_tables(at).expander if e.label == TABLE_LABEL]
    assert len(tables) == len(drawn)
    for expander in tables:
        (frame,) = expander.dataframe
        assert len(frame.value) > 0  # the numbers
        (sentence,) = expander.caption
        assert sentence.value.endswith(".")  # and a sentence that reads them
