"""A tap on a chart point selects it, as a click does.

Plotly selects the point under the pointer on a click, and it knows that point from the
last hover. A mouse hovers before it clicks; a finger does not, so on a phone a tap
selected nothing (or the point tapped before). This script, installed once per page,
lets a touch hover where it lands first: on ``touchstart`` inside a plotly chart it sends
the chart a mouse move at the same spot. No data reaches it; it renders nothing.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["TOUCH_HOVER_JS", "taps_select_points"]

TOUCH_HOVER_JS = """
export default function () {
    if (window.__cohesionTouchHover) return;
    window.__cohesionTouchHover = true;
    document.addEventListener("touchstart", (event) => {
        const drag = event.target && event.target.closest && event.target.closest(".nsewdrag");
        if (!drag || !drag.closest(".js-plotly-plot") || event.touches.length !== 1) return;
        const t = event.touches[0];
        drag.dispatchEvent(new MouseEvent("mousemove", {
            clientX: t.clientX, clientY: t.clientY, bubbles: true, cancelable: true, view: window,
        }));
    }, { capture: true, passive: true });
}
"""

_component = st.components.v2.component("cohesion_touch_hover", js=TOUCH_HOVER_JS)


def taps_select_points() -> None:
    """Install the touch-hover script on this page (it draws nothing)."""
    _component(key="cohesion_touch_hover")
