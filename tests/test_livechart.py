"""The charts drawn in place (ui/livechart.py): what the browser gets, the click it sends
back, the element identity that lets a click update a chart instead of drawing it anew,
and the files served for it."""

from __future__ import annotations

import base64
import filecmp
import json
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from tests.charts import charts
from ui.build_state import selected_code
from ui.livechart import CHART_COMPONENT, chart_figure, click_of
from ui.plotspec import Figure, trace

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"


def test_static_serves_the_charts_script_and_the_pinned_plotly_js_only():
    """/app/static is on for these two files: nothing else is served from the folder."""
    assert sorted(p.name for p in STATIC.iterdir()) == ["charts.js", "plotly.min.js"]
    shipped = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    # the plotly.js of the plotly package requirements.txt pins, byte for byte: a new pin
    # must bring its plotly.js here too
    assert filecmp.cmp(STATIC / "plotly.min.js", shipped, shallow=False)


def test_the_charts_script_loads_plotly_js_from_beside_it():
    script = (STATIC / "charts.js").read_text(encoding="utf-8")
    assert 'const PLOTLY = "plotly.min.js";' in script
    assert "Plotly.react(" in script and "Plotly.newPlot(" not in script


@pytest.mark.parametrize("make", [Figure, go.Figure], ids=["plotspec", "graph_objects"])
def test_a_figure_goes_to_the_browser_without_its_template(make):
    fig = make([trace("scatter", x=np.array([1, 2]), y=[3.5, 4], customdata=["AUS", "JPN"])])
    fig.update_layout(height=300, title={"text": "A <b>title</b>"})
    spec = json.loads(chart_figure(fig))
    assert "template" not in spec["layout"]  # static/charts.js holds the page's theme
    assert spec["layout"]["height"] == 300
    assert spec["layout"]["title"]["text"] == "A <b>title</b>"
    (t,) = spec["data"]
    if isinstance(t["x"], dict):  # plotly's typed array, which plotly.js reads as such
        t["x"] = np.frombuffer(base64.b64decode(t["x"]["bdata"]), t["x"]["dtype"]).tolist()
    assert (t["type"], t["x"], t["y"], t["customdata"]) == (
        "scatter",
        [1, 2],
        [3.5, 4],
        ["AUS", "JPN"],
    )


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ({"select": {"selection": {"points": [{"customdata": "PHL"}]}, "at": 5}}, "PHL"),
        ({"select": json.dumps({"selection": {"points": [{"customdata": ["IND"]}]}})}, "IND"),
        ({"select": {"selection": {"points": [{"customdata": "ZZZ"}]}}}, None),  # no such actor
        ({"select": {"selection": {"points": []}}}, None),
        ({"select": "{not json"}, None),
        ({"select": None}, None),
        ({}, None),
        (None, None),
    ],
)
def test_a_click_reads_as_the_node_it_hit(state, code):
    from model import load_dataset

    assert selected_code(click_of(state), load_dataset().codes) == code


@pytest.fixture
def build() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["members"] = "AUS,JPN,USA"
    at.query_params["framing"] = "alliance"
    at.query_params["year"] = "2024"
    return at.run()


def _chart_ids(at: AppTest) -> list[str]:
    return [
        e.proto.id for e in at.get("bidi_component") if e.proto.component_name == CHART_COMPONENT
    ]


def test_a_new_member_keeps_every_chart_of_the_build_page_its_identity(build):
    """Streamlit's frontend keeps a chart whose element id is unchanged and passes it the
    new figure: the ids must not depend on the figure."""
    ids, drawn = _chart_ids(build), charts(build)
    assert len(ids) == 4 and len(set(ids)) == 4
    assert [c.select for c in drawn] == [True, False, False, False]  # the network takes clicks
    build.query_params["members"] = "AUS,JPN,PHL,USA"
    build.run()
    after = charts(build)
    assert _chart_ids(build) == ids
    assert [c.spec for c in after] != [c.spec for c in drawn]  # new figures, same elements
    assert all(c.label.startswith('The "Squad"') for c in after)
