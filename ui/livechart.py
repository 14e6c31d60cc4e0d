"""A plotly chart that a click updates in place instead of drawing anew (issue 19).

Streamlit 1.67 gives every ``st.plotly_chart`` an element id made from its figure (a
``key=`` does not change that), and its frontend uses the id as the element's identity: a
chart whose figure changed is thrown away and plotted from scratch (``Plotly.newPlot``,
every SVG layer, the hover layer and the mode bar rebuilt). Every click on the build page
changes all four of its figures, so every click paid for four new plots: the click took
2.1–2.4 times a bare page's, which plots one (docs/performance.md, third and eighth
passes).

Here a chart is a Streamlit custom component (``st.components.v2``) with a key, which keeps
its identity while its data changes, and ``static/charts.js`` hands each new figure to
``Plotly.react``, which changes only what changed. plotly.js itself is served once per
browser from ``static/``: its finance bundle from npm (plotly.js-finance-dist-min 4.1.0,
the scatter, bar and waterfall traces the pages draw and the other finance ones; 1.3 MB
against the full bundle's 4.8 MB, the same version as the pinned plotly package's:
``tests/test_livechart.py``), in place of the full copy inside Streamlit's own bundle,
which a page with no ``st.plotly_chart`` never loads.

What a chart sends is the figure's JSON (its template comes from ``static/charts.js``:
Streamlit's light theme as plotly settings), plotly's settings (the mode bar's one button,
the PNG's name) and the chart's title for a screen reader. A click on a point of a chart
drawn with ``on_select`` comes back as the trigger ``select``, in the shape
``st.plotly_chart`` gave (``selection.points``, each with its ``customdata``):
:func:`clicked` reads it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from plotly.io.json import to_json_plotly

__all__ = [
    "CHART_COMPONENT",
    "chart_figure",
    "chart_message",
    "click_of",
    "clicked",
    "live_chart",
    "static_base",
]

#: The component's name (the AppTest tests find the charts by it).
CHART_COMPONENT = "cohesion_chart"

#: The component's own script: it loads static/charts.js once and has it draw each figure.
#: __BASE__ is the address of the app's static files.
_LOADER = """
const BASE = "__BASE__";
let charts = null;
export default function (args) {
    if (!charts) charts = import(new URL(BASE + "charts.js", window.location.href).href);
    let drawn = null;
    charts
        .then((m) => m.render(args, BASE))
        .then((gd) => { drawn = gd; })
        .catch(() => {
            charts = null;
            args.parentElement.textContent =
                "This chart could not be drawn: its script did not load. " +
                "The table under it holds the same numbers.";
        });
    return () => setTimeout(() => charts && charts.then((m) => m.release(drawn)), 0);
}
"""


def static_base() -> str:
    """Where the app's static files are served: ``/app/static/``, under the server's base
    path when it has one.

    >>> static_base()
    '/app/static/'
    """
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{prefix}/app/static/" if prefix else "/app/static/"


@functools.cache
def _component(base: str) -> Callable[..., Any]:
    """The chart component, its script loading charts.js from ``base``."""
    return st.components.v2.component(
        CHART_COMPONENT,
        html='<div class="cohesion-chart"></div>',
        js=_LOADER.replace("__BASE__", base),
        isolate_styles=False,
    )


def chart_figure(fig: Any) -> str:
    """``fig`` (a plotly figure, or one of ui/plotspec.py) as the JSON the browser draws:
    its traces and layout, without the template (the browser's is Streamlit's theme)."""
    spec = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
    layout = {k: v for k, v in (spec.get("layout") or {}).items() if k != "template"}
    return to_json_plotly({"data": spec.get("data") or [], "layout": layout})


def live_chart(
    fig: Any,
    *,
    key: str,
    config: Mapping[str, Any],
    label: str,
    on_select: Callable[[], None] | None = None,
) -> None:
    """Draw ``fig`` under ``key`` (it keeps its chart node while the figure changes) with
    plotly's ``config``; ``label`` is what a screen reader announces. With ``on_select``,
    a click on a point calls it (read the point with :func:`clicked`)."""
    callbacks = {"on_select_change": on_select} if on_select is not None else {}
    _component(static_base())(
        key=key, data=chart_message(fig, config, label, on_select is not None), **callbacks
    )


def chart_message(fig: Any, config: Mapping[str, Any], label: str, select: bool) -> bytes:
    """What a chart sends the browser: JSON of the figure (:func:`chart_figure`), plotly's
    ``config``, the ``label`` and whether a click is sent back, as UTF-8 bytes. Bytes go
    to the browser as they are: Streamlit checks any other value for a dataframe first,
    which loads pandas (0.4 s of a fresh server's first page), and a string of JSON
    inside JSON would be escaped twice.

    >>> json.loads(chart_message({"data": [], "layout": {}}, {"a": 1}, "Ties", True))
    {'figure': {'data': [], 'layout': {}}, 'config': {'a': 1}, 'label': 'Ties', 'select': True}
    """
    rest = json.dumps({"config": dict(config), "label": label, "select": select})
    return ('{"figure": ' + chart_figure(fig) + ", " + rest[1:]).encode("utf-8")


def clicked(key: str) -> Mapping[str, Any] | None:
    """The point clicked in the chart keyed ``key`` during this run (:func:`click_of` its
    state), or None."""
    return click_of(st.session_state.get(key))


def click_of(state: Any) -> Mapping[str, Any] | None:
    """The click a chart's component ``state`` holds, as ``st.plotly_chart`` reported a
    selection (``{"selection": {"points": [...]}, ...}``), or None.

    >>> click_of({"select": {"selection": {"points": [{"customdata": "JPN"}]}, "at": 1}})
    {'selection': {'points': [{'customdata': 'JPN'}]}, 'at': 1}
    >>> click_of({"select": None}), click_of(None), click_of("select")
    (None, None, None)
    """
    try:
        value = state["select"] if state is not None else None
    except (KeyError, TypeError, IndexError):
        return None
    if isinstance(value, str):  # a trigger's value may arrive as its JSON
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, Mapping) else None
