"""The charts drawn in place (ui/livechart.py): what the browser gets, the click it sends
back, the element identity that lets a click update a chart instead of drawing it anew,
and the files served for it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
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


#: plotly.js's finance bundle from npm (plotly.js-finance-dist-min 4.1.0): scatter, bar,
#: waterfall and the other finance traces, 1.3 MB against the full bundle's 4.8 MB.
BUNDLE = "plotly-finance.min.js"
BUNDLE_SHA256 = "9993f6d57ffd52d7417a9e89b666679ff69078e7c2816b43ab9ecdea9fa4709d"
BUNDLE_TRACES = {"scatter", "bar", "histogram", "funnel", "waterfall", "pie", "funnelarea"}
BUNDLE_TRACES |= {"indicator", "ohlc", "candlestick"}


def test_static_serves_the_charts_script_and_plotly_js_only():
    """/app/static is on for these two files: nothing else is served from the folder."""
    assert sorted(p.name for p in STATIC.iterdir()) == ["charts.js", BUNDLE]
    bundle = (STATIC / BUNDLE).read_bytes()
    assert hashlib.sha256(bundle).hexdigest() == BUNDLE_SHA256  # the npm file, unchanged
    version = re.search(rb"plotly\.js \(finance - minified\) v(\d+\.\d+)", bundle[:200])
    # the same major and minor version as the plotly.js of the pinned plotly package: a new
    # pin of plotly brings its bundle here too
    shipped = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    assert version and f"plotly.js v{version[1].decode()}.".encode() in shipped[:200]


def test_the_charts_script_loads_plotly_js_from_beside_it():
    script = (STATIC / "charts.js").read_text(encoding="utf-8")
    assert f'const PLOTLY = "{BUNDLE}";' in script
    assert "Plotly.react(" in script and "Plotly.newPlot(" not in script


@pytest.mark.parametrize(
    ("page", "params"),
    [
        (
            None,
            {
                "members": "asian_nato",
                "year": "2024",
                "what_if": "+tie:JPN-KOR:treaty_alliance:0.6",
            },
        ),
        ("views/compare.py", {"s1": "quad", "s2": "squad", "year": "2024"}),
        ("views/finder.py", {"size": "3", "require": "USA", "year": "2024", "top": "5"}),
        ("views/timeline.py", {"s1": "camp_david", "w1": "-sens:KOR", "start": "2010"}),
        ("views/method.py", {}),
        ("views/data.py", {}),
    ],
    ids=["build", "compare", "finder", "timeline", "method", "data"],
)
def test_every_chart_uses_only_traces_the_served_bundle_draws(page, params):
    """plotly.js skips a trace of a kind its bundle lacks (a warning in the console): every
    page's charts must stay within the finance bundle's kinds."""
    from apptest import open_page

    drawn = charts(open_page(page, params))
    assert drawn or page == "views/data.py"
    kinds = {t.get("type", "scatter") for c in drawn for t in c.figure["data"]}
    assert kinds <= BUNDLE_TRACES, kinds - BUNDLE_TRACES


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
