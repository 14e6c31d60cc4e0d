"""Plotly figures as plain data, for the charts drawn on every click.

plotly's graph objects check every property as it is set: building the build page's
network that way took about 40 ms, and its three small charts 6–9 ms each, on every rerun
(issue 19's profile: a third of the server's CPU). A :class:`Figure` here holds the same
JSON as plain lists and dicts (the same keys and values plotly would send, and plotly's
default template), and it *is* a plotly figure to whatever takes one: ``ui/livechart.py``
asks it only for ``to_plotly_json()`` and serialises that dict without validating it
again (and leaves the template out: the browser's is the page's theme).

The figures built here only use properties the tests and the browser already exercised as
graph objects; a misspelt property would no longer raise in Python, plotly.js ignores it.
``tests/test_plotspec.py`` checks each builder against plotly's own validation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["Figure", "Trace", "template", "trace"]

_TEMPLATES: dict[str, dict[str, Any]] = {}


def template() -> dict[str, Any]:
    """The default template as a graph-object figure carries it to the browser (importing
    Streamlit makes its own theme the default, so it is read when a figure is sent)."""
    name = str(pio.templates.default)
    if name not in _TEMPLATES:
        _TEMPLATES[name] = go.Figure().to_dict()["layout"].get("template", {})
    return _TEMPLATES[name]


class Trace(dict):
    """One trace as plain data; its properties also read as attributes, as plotly's do
    (``fig.data[0].name``; None when unset)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.get(name)


def trace(kind: str, **props: Any) -> Trace:
    """A trace of type ``kind`` (``scatter``, ``bar``, ``waterfall``) with ``props``."""
    return Trace(props, type=kind)


def _merge(into: dict, update: Mapping) -> None:
    """plotly's update: nested dicts are merged key by key, anything else replaced."""
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = dict(value) if isinstance(value, Mapping) else value


class Figure(go.Figure):
    """A figure as plain data with the few methods the pages' builders use.

    Subclassing plotly's ``Figure`` only makes ``st.plotly_chart`` take it as one; none of
    plotly's machinery is set up (``__init__`` does not call plotly's), so only the methods
    defined here may be used.
    """

    def __init__(self, data: Iterable[Mapping] = (), layout: Mapping | None = None) -> None:
        object.__setattr__(self, "_traces", [Trace(t) for t in data])
        object.__setattr__(self, "_layout_dict", {})
        if layout:
            _merge(self._layout_dict, layout)

    @property
    def data(self) -> tuple[Trace, ...]:
        return tuple(self._traces)

    @property
    def layout(self) -> dict[str, Any]:
        return self._layout_dict

    def set_traces(self, traces: Iterable[Mapping]) -> Figure:
        """Replace the traces (to reorder them)."""
        object.__setattr__(self, "_traces", [Trace(t) for t in traces])
        return self

    def add_trace(self, t: Mapping) -> Figure:
        self._traces.append(Trace(t))
        return self

    def add_annotation(self, **props: Any) -> Figure:
        self._layout_dict.setdefault("annotations", []).append(props)
        return self

    def update_layout(self, **props: Any) -> Figure:
        _merge(self._layout_dict, props)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The figure as plotly sends it (with plotly's default template). Shallow: the
        traces and the layout are shared, and nothing that reads this changes them."""
        return {
            "data": [dict(t) for t in self._traces],
            "layout": {**self._layout_dict, "template": template()},
        }

    def to_plotly_json(self) -> dict[str, Any]:
        return self.to_dict()

    def __repr__(self) -> str:
        return f"Figure({len(self._traces)} traces)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Figure) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]
