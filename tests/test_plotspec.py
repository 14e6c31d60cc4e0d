"""The plain-data figures (ui/plotspec.py) are what plotly itself would send.

Each builder of the build and compare pages is checked against plotly's own validation:
plotly accepts every property, and its figure serialises to the same JSON as ours.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import streamlit  # noqa: F401  (its plotly theme is the default template, as in the app)

from model import load_dataset, scenario, score
from model.calibration import yardstick
from ui.charts import components_by_slot, components_waterfall, contributions_figure
from ui.compare_explain import difference_figure, differences
from ui.network import positions
from ui.plainwords import yardstick_figure
from ui.plotspec import Figure, trace
from ui.whatif_marks import what_if_network

DS = load_dataset()
CASES = [
    ("USA,JPN,KOR", "alliance", ""),
    ("quad", "economic", ""),
    ("USA,CAN,GBR,FRA,DEU,ITA,POL,JPN,KOR", "alliance", ""),
    ("camp_david", "alliance", "-friction:JPN-KOR;+tie:JPN-KOR:security_agreement:0.6"),
    ("USA,JPN,AUS,PHL", "dialogue", "-tie:USA-JPN;+friction:AUS-PHL:territorial_dispute:0.4"),
]


def as_plotly(fig: Figure) -> dict:
    """The figure after plotly's validation (raises on an unknown property)."""
    return json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=True))


def as_ours(fig: Figure) -> dict:
    return json.loads(pio.to_json(fig.to_dict(), validate=False))


def figures(members: str, framing: str, what_if: str):
    s = scenario(DS, members, framing, 2024, what_if=what_if)
    result = score(DS, s)
    other = score(DS, scenario(DS, "squad", "alliance", 2024))
    yield what_if_network(DS, s, positions(DS, "map"))
    yield what_if_network(DS, s, positions(DS, "force", 0.7), height=392)
    yield components_waterfall(result)
    yield contributions_figure(result)
    yield yardstick_figure(DS, result, yardstick(DS, s))
    yield components_by_slot([other, result], ["slot <b>1</b>", "slot 2"])
    for _, d in differences(DS, [other, result]):
        yield difference_figure(d, other, result, "slot 1", "slot 2")


@pytest.mark.parametrize(("members", "framing", "what_if"), CASES)
def test_every_figure_is_what_plotly_would_send(members, framing, what_if):
    for fig in figures(members, framing, what_if):
        assert isinstance(fig, go.Figure)  # st.plotly_chart takes it as a plotly figure
        assert as_ours(fig) == as_plotly(fig)


def test_traces_read_as_attributes_and_layout_updates_merge():
    fig = Figure([trace("bar", x=[1], name="a")])
    fig.add_trace(trace("scatter", y=[2]))
    fig.update_layout(xaxis={"range": [0, 1]}, height=100)
    fig.update_layout(xaxis={"visible": False})
    fig.add_annotation(text="note", x=0, y=0)
    assert [t.type for t in fig.data] == ["bar", "scatter"]
    assert fig.data[0].name == "a" and fig.data[1].name is None
    assert fig.layout["xaxis"] == {"range": [0, 1], "visible": False}
    assert fig.to_dict()["layout"]["annotations"] == [{"text": "note", "x": 0, "y": 0}]
    assert "template" in fig.to_dict()["layout"]
