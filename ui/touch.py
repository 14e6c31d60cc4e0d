"""A tap on a chart point selects it, as a click does.

Plotly selects the point under the pointer on a click, and it knows that point from the
last hover. A mouse hovers before it clicks; a finger does not, so on a phone a tap
selected nothing (or the point tapped before). This script, installed once per page,
lets a touch hover where it lands first: on ``touchstart`` inside a plotly chart it sends
the chart a mouse move at the same spot. On a phone, once the page has run again after a
tap (a node toggled), it closes the sidebar if it is open and scrolls the score back into
view. No data reaches it; it renders nothing.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["TOUCH_HOVER_JS", "taps_select_points"]

#: Up to this many CSS pixels wide a screen is a phone's (Streamlit's own breakpoint for the
#: sidebar overlaying the page).
PHONE_WIDTH = 640

TOUCH_HOVER_JS = """
const PHONE_WIDTH = __PHONE_WIDTH__;
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
    // On a phone, a tap that selects a node reruns the page: once it has run, close the
    // sidebar if it is open (it covers the page) and bring the score back into view.
    document.addEventListener("touchend", (event) => {
        const on = event.target && event.target.closest;
        const plot = on && event.target.closest(".js-plotly-plot");
        const app = document.querySelector('[data-testid="stApp"]');
        if (!plot || !app || window.innerWidth > PHONE_WIDTH) return;
        let ran = false;
        const watch = new MutationObserver(() => {
            const state = app.dataset.testScriptState;
            if (state === "running") ran = true;
            if (ran && state === "notRunning") { watch.disconnect(); showScore(); }
        });
        watch.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
        setTimeout(() => watch.disconnect(), 20000);  // a tap that selected nothing
    }, { capture: true, passive: true });
}

function showScore() {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (sidebar && sidebar.dataset.collapsed === "false") {
        const close = sidebar.querySelector('[data-testid="stSidebarCollapseButton"] button')
            || sidebar.querySelector('[data-testid="stSidebarHeader"] button');
        if (close) close.click();
    }
    const metric = document.querySelector('[data-testid="stMetric"]');
    if (metric) metric.scrollIntoView({ block: "start" });
}
"""

TOUCH_HOVER_JS = TOUCH_HOVER_JS.replace("__PHONE_WIDTH__", str(PHONE_WIDTH))
_component = st.components.v2.component("cohesion_touch_hover", js=TOUCH_HOVER_JS)


def taps_select_points() -> None:
    """Install the touch-hover script on this page (it draws nothing)."""
    _component(key="cohesion_touch_hover")
