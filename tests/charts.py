"""The charts a page drew, as an AppTest sees them (ui/livechart.py).

A chart is a custom component named ``cohesion_chart``; AppTest holds it as an element it
does not know, with the component's message: its data is JSON (as bytes) holding the
figure (``figure``), plotly's settings (``config``), the screen reader's text (``label``)
and whether a click on a point is sent back (``select``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ui.livechart import CHART_COMPONENT


@dataclass(frozen=True)
class Chart:
    """One chart on the page."""

    spec: str  # the figure's JSON, as the browser gets it
    config: dict[str, Any]
    label: str
    select: bool

    @property
    def figure(self) -> dict[str, Any]:
        return json.loads(self.spec)


def charts(at) -> list[Chart]:
    """The charts of the page ``at`` ran, in the page's order."""
    out = []
    for element in at.get("bidi_component"):
        if element.proto.component_name != CHART_COMPONENT:
            continue
        data = json.loads(element.proto.bytes)
        spec = json.dumps(data["figure"])
        out.append(Chart(spec, data["config"], data["label"], data["select"]))
    return out
