"""The build page's state: one canonical scenario in session state, mirrored in the URL.

Widgets never own the scenario. Each widget's callback updates the canonical
:class:`BuildState`; before the widgets are drawn their keys are set from it; after the
page is drawn the URL is rewritten to its canonical form. So a preset, a click on the
network, a best-addition button and a pasted link all go through the same path.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from model import Dataset, Scenario, Weights
from model.cohesion import COMPONENTS
from model.schema import FRAMINGS, REGIONS
from ui.state import BuildState, build_params, parse_build, selected_code, toggle_member
from ui.text import plain
from ui.urlsync import new_link, remember, url_params

__all__ = [
    "add_member",
    "compare_params",
    "controls",
    "current",
    "network_key",
    "on_network_select",
    "share_link",
    "start",
    "write_url",
]

STATE, WARNINGS, CHART_N = "build_state", "build_warnings", "build_chart_n"
SEEN = "build_url_seen"
PRESET, FRAMING, YEAR, LAYOUT = "build_preset", "build_framing", "build_year", "build_layout"
REGION, WEIGHT = "build_region_", "build_w_"
WEIGHT_LABELS = {
    "ties": "Ties",
    "connectivity": "Connectivity",
    "lattice": "Lattice",
    "threat": "Shared threat",
    "friction": "Friction (subtracted)",
    "sensitivity": "Sensitivity (subtracted)",
}
FRAMING_HELP = (
    "alliance: a mutual-defence alliance (security ties weigh 0.7); dialogue: a security "
    "partnership like the Quad today (0.5); economic: an economic-security bloc "
    "(economic ties weigh 0.6)."
)


def start(ds: Dataset) -> BuildState:
    """Read the URL on the first run and whenever a link brings new parameters."""
    ss = st.session_state
    if STATE not in ss or ss.get("build_fingerprint") != ds.fingerprint or new_link(SEEN):
        ss[STATE], ss[WARNINGS] = parse_build(ds, url_params())
        ss["build_fingerprint"] = ds.fingerprint
        remember(SEEN, url_params())
    return ss[STATE]


def current() -> BuildState:
    return st.session_state[STATE]


def _set(state: BuildState) -> None:
    st.session_state[STATE] = state
    st.session_state[WARNINGS] = []  # a change answers the warning about the old link


def scenario(state: BuildState) -> Scenario:
    return Scenario(state.members, state.framing, state.year, state.weights)


# --------------------------------------------------------------------------- callbacks


def _on_preset(ds: Dataset) -> None:
    pid = st.session_state.get(PRESET)
    if pid in ds.presets:
        p = ds.presets[pid]
        _set(replace(current(), members=p.members, framing=p.framing))


def _on_framing() -> None:
    if st.session_state.get(FRAMING) in FRAMINGS:
        _set(replace(current(), framing=st.session_state[FRAMING]))


def _on_year() -> None:
    _set(replace(current(), year=int(st.session_state[YEAR])))


def _on_region() -> None:
    picked = {
        code
        for key, value in st.session_state.items()
        if isinstance(key, str) and key.startswith(REGION)
        for code in (value or ())
    }
    _set(replace(current(), members=tuple(sorted(picked))))


def _on_weight() -> None:
    values = {c: float(st.session_state[WEIGHT + c]) for c in COMPONENTS}
    try:
        weights = Weights(**values)
    except ValueError:
        st.session_state["build_weight_error"] = (
            "At least one of ties, connectivity, lattice and shared threat must be above 0; "
            "the previous weights are kept."
        )
        return
    st.session_state.pop("build_weight_error", None)
    _set(replace(current(), weights=weights))


def _reset_weights() -> None:
    st.session_state.pop("build_weight_error", None)
    _set(replace(current(), weights=Weights()))


def add_member(code: str) -> None:
    """Callback for a best-addition button."""
    if code not in current().members:
        _set(toggle_member(current(), code))


def network_key() -> str:
    """The chart's key changes after each click so that an old selection never re-fires."""
    return f"build_network_{st.session_state.get(CHART_N, 0)}"


def on_network_select(ds: Dataset) -> None:
    """Toggle the clicked node's actor in or out of the grouping."""
    code = selected_code(st.session_state.get(network_key()), ds.codes)
    if code is not None:
        _set(toggle_member(current(), code))
        st.session_state[CHART_N] = st.session_state.get(CHART_N, 0) + 1


# --------------------------------------------------------------------------- widgets


def _matching_preset(ds: Dataset, state: BuildState) -> str | None:
    for p in ds.presets.values():
        if p.members == state.members and p.framing == state.framing:
            return p.id
    return None


def _sync_widgets(ds: Dataset, state: BuildState) -> None:
    ss = st.session_state
    ss[PRESET] = _matching_preset(ds, state)
    ss[FRAMING] = state.framing
    ss[YEAR] = state.year
    for region in REGIONS:
        ss[REGION + region] = [
            a.code for a in ds.actors if a.region == region and a.code in state.members
        ]
    for c in COMPONENTS:
        ss[WEIGHT + c] = float(getattr(state.weights, c))


def controls(ds: Dataset) -> None:
    """Presets, framing, year, members by region and weights (in the sidebar)."""
    state = current()
    _sync_widgets(ds, state)
    names = {a.code: a.name for a in ds.actors}
    sb = st.sidebar
    sb.pills(
        "Presets",
        list(ds.presets),
        key=PRESET,
        on_change=_on_preset,
        args=(ds,),
        format_func=lambda pid: plain(ds.presets[pid].name),
        help="One click loads the members and the framing.",
    )
    sb.segmented_control(
        "Framing",
        list(FRAMINGS),
        key=FRAMING,
        on_change=_on_framing,
        format_func=str.capitalize,
        help=FRAMING_HELP,
    )
    sb.slider(
        "Year",
        ds.earliest_year,
        ds.latest_year,
        key=YEAR,
        on_change=_on_year,
        help="Only ties, frictions and views in force in this year count.",
    )
    sb.markdown("**Members** · or click a node in the network")
    for region in REGIONS:
        codes = sorted((a.code for a in ds.actors if a.region == region), key=names.get)
        if codes:
            sb.pills(
                region,
                codes,
                selection_mode="multi",
                key=REGION + region,
                on_change=_on_region,
                format_func=lambda c: plain(names[c]),
            )
    with sb.expander("Weights"):
        st.caption("Ties, connectivity, lattice and shared threat are rescaled to sum to 1.")
        for c in COMPONENTS:
            st.number_input(
                WEIGHT_LABELS[c],
                min_value=0.0,
                max_value=10.0,
                step=0.05,
                key=WEIGHT + c,
                on_change=_on_weight,
                format="%.2f",
            )
        if "build_weight_error" in st.session_state:
            st.warning(st.session_state["build_weight_error"])
        st.button("Reset weights", on_click=_reset_weights, disabled=state.weights == Weights())


def warnings() -> list[str]:
    return list(st.session_state.get(WARNINGS, []))


def write_url(state: BuildState) -> dict[str, str]:
    """Rewrite the address bar to the scenario's canonical query string."""
    canonical = build_params(state)
    if url_params() != {k: [v] for k, v in canonical.items()}:
        st.query_params.from_dict(canonical)
    remember(SEEN, canonical)
    return canonical


def compare_params(state: BuildState) -> dict[str, str]:
    """The compare page's link with this scenario as slot 1 (and its year)."""
    return {"s1": ",".join(state.members), "f1": state.framing, "year": str(state.year)}


def share_link(params: dict[str, str]) -> str:
    base = (st.context.url or "").split("?")[0] or "http://localhost:8501/"
    if base.count("/") < 3:  # scheme://host with no path
        base += "/"
    return f"{base}?{urlencode(params, safe=',')}"
