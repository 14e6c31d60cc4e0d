"""The build page's widgets over one canonical scenario (see ui/urlsync.py for the cycle).

Widgets never own the scenario. Each widget's callback updates the canonical
:class:`BuildState`; before the widgets are drawn their keys are set from it. So a preset,
a click on the network, a pick in the search by name, a best-addition button and a pasted
link all go through the same path.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from model import COMPONENTS, Dataset, Weights
from model.schema import FRAMINGS, REGIONS
from model.words import framing_help, preset_of
from ui import cache
from ui.build_state import BUILD, LAYOUT_NAMES, BuildState, selected_code, toggle_member
from ui.livechart import clicked
from ui.network import LAYOUTS
from ui.slots import hand_to_compare
from ui.slots_state import Slot, compare_link
from ui.style import COMPONENT_LABELS, SUBTRACTED
from ui.text import plain
from ui.urlsync import LinkedState

__all__ = ["SHARE", "BuildPage", "share_link"]

PRESET, FRAMING, YEAR, LAYOUT = "build_preset", "build_framing", "build_year", "build_layout"
REGION, WEIGHT, WEIGHT_ERROR = "build_region_", "build_w_", "build_weight_error"
FIND, CHOSEN = "build_find", "build_members"
#: Session key prefix of each region's open state, and the weights' key: a folded section's
#: widgets are not built.
OPEN = "build_open_"
WEIGHTS_OPEN = OPEN + "weights"
#: The share box's key: the page writes the link into it on every run.
SHARE = "build_share"
WEIGHT_LABELS = {
    c: f"{label} (subtracted)" if c in SUBTRACTED else label
    for c, label in COMPONENT_LABELS.items()
}


class BuildPage(LinkedState[BuildState]):
    """The scenario under ``build_state``, its sidebar widgets and the network's clicks."""

    def __init__(self, ds: Dataset):
        super().__init__("build", BUILD, ds)
        # the compare page opened from the sidebar (no link) starts from this scenario
        state = self.state
        hand_to_compare(Slot(state.members, state.framing, state.what_if), state.year)

    # ------------------------------------------------------------------ callbacks
    def _on_preset(self) -> None:
        pid = st.session_state.get(PRESET)
        if pid in self.ds.presets:
            p = self.ds.presets[pid]
            self.change(members=p.members, framing=p.framing)

    def _on_framing(self) -> None:
        if st.session_state.get(FRAMING) in FRAMINGS:
            self.change(framing=st.session_state[FRAMING])

    def _on_year(self) -> None:
        self.change(year=int(st.session_state[YEAR]))

    def _on_region(self) -> None:
        picked = {
            code
            for key, value in st.session_state.items()
            if isinstance(key, str) and key.startswith(REGION)
            for code in (value or ())
        }
        self.change(members=tuple(sorted(picked)))

    def _on_find(self) -> None:
        """The search picked one actor: add it, or remove it if it is a member."""
        code = st.session_state.get(FIND)
        if code in self.ds.codes:
            self.set(toggle_member(self.state, code))

    def _on_chosen(self) -> None:
        """A member was unselected in the list of members: it leaves the grouping."""
        kept = set(st.session_state.get(CHOSEN) or ())
        self.change(members=tuple(c for c in self.state.members if c in kept))

    def _on_weight(self) -> None:
        values = {c: float(st.session_state[WEIGHT + c]) for c in COMPONENTS}
        try:
            weights = Weights(**values)
        except ValueError:
            st.session_state[WEIGHT_ERROR] = (
                "At least one of ties, connectivity, lattice and shared threat must be above 0; "
                "the previous weights are kept."
            )
            return
        st.session_state.pop(WEIGHT_ERROR, None)
        self.change(weights=weights)

    def _on_layout(self) -> None:
        if st.session_state.get(LAYOUT) in LAYOUT_NAMES:
            self.change(layout=st.session_state[LAYOUT])

    def _reset_weights(self) -> None:
        st.session_state.pop(WEIGHT_ERROR, None)
        self.change(weights=Weights())

    def add_member(self, code: str) -> None:
        """Callback for a best-addition button."""
        if code not in self.state.members:
            self.set(toggle_member(self.state, code))

    #: The network chart's key: one for the session, so that the chart keeps its node and
    #: a click updates it in place (ui/livechart.py); a click is a one-run trigger, so an
    #: old one never fires again.
    NETWORK_KEY = "build_network"

    def on_network_select(self) -> None:
        """Toggle the clicked node's actor in or out of the grouping."""
        code = selected_code(clicked(self.NETWORK_KEY), self.ds.codes)
        if code is not None:
            self.set(toggle_member(self.state, code))

    # ------------------------------------------------------------------ widgets
    def _matching_preset(self) -> str | None:
        preset = preset_of(self.ds, self.state.members)
        return preset.id if preset is not None else None

    def _sync_widgets(self) -> None:
        ss, state = st.session_state, self.state
        ss[PRESET] = self._matching_preset()
        ss[FRAMING] = state.framing
        ss[YEAR] = state.year
        ss[FIND] = None  # the search is for one pick at a time
        ss[CHOSEN] = list(self._members_by_name())
        for region in REGIONS:
            ss[REGION + region] = [
                a.code for a in self.ds.actors if a.region == region and a.code in state.members
            ]
        for c in COMPONENTS:
            ss[WEIGHT + c] = float(getattr(state.weights, c))
        ss[LAYOUT] = state.layout

    def _members_by_name(self) -> list[str]:
        return sorted(self.state.members, key=lambda c: self.ds.actor(c).name)

    def _find_label(self, code: str) -> str:
        """How an actor reads in the search: its name and code, and what picking it does."""
        name = f"{cache.names(self.ds)[code]} ({code})"
        return f"{name} · a member: pick to remove" if code in self.state.members else name

    def members_picker(self) -> None:
        """The members (the sidebar's): a search by name, the members first, then each
        region folded, with a count of its members in the grouping."""
        ds, sb = self.ds, st.sidebar
        names = cache.names(ds).__getitem__  # each name escaped once per dataset
        sb.markdown("**Members** · or click a node in the network")
        sb.selectbox(
            "Find a country or organisation",
            sorted(ds.codes, key=lambda c: ds.actor(c).name),
            index=None,
            key=FIND,
            on_change=self._on_find,
            format_func=self._find_label,
            placeholder="Type a name, e.g. Swe",
            help="Picking one adds it to the grouping, or removes it if it is a member.",
        )
        if self.state.members:
            sb.pills(
                "In the grouping (click one to remove it)",
                self._members_by_name(),
                selection_mode="multi",
                key=CHOSEN,
                on_change=self._on_chosen,
                format_func=names,
            )
        else:
            sb.caption("No members yet: find one above, or open a region.")
        for region in REGIONS:
            actors = sorted((a for a in ds.actors if a.region == region), key=lambda a: a.name)
            if not actors:
                continue
            # the label stays the same whatever is picked, so a region stays open while
            # its members are clicked; the count is inside. A region's pills are built only
            # while it is open: all of them cost every click something otherwise.
            box = sb.expander(region, key=OPEN + region, on_change="rerun")
            if box.open:
                picked = sum(a.code in self.state.members for a in actors)
                box.pills(
                    f"{picked} of {len(actors)} in the grouping",
                    [a.code for a in actors],
                    selection_mode="multi",
                    key=REGION + region,
                    on_change=self._on_region,
                    format_func=names,
                )

    def controls(self) -> None:
        """Presets, framing, year, members by region and weights (in the sidebar)."""
        ds = self.ds
        self._sync_widgets()
        sb = st.sidebar
        sb.pills(
            "Presets",
            list(ds.presets),
            key=PRESET,
            on_change=self._on_preset,
            format_func=lambda pid: plain(ds.presets[pid].name),
            help="One click loads the members and the framing.",
        )
        sb.segmented_control(
            "Framing",
            list(FRAMINGS),
            key=FRAMING,
            on_change=self._on_framing,
            format_func=str.capitalize,
            help=framing_help(),
        )
        sb.slider(
            "Year",
            ds.earliest_year,
            ds.latest_year,
            key=YEAR,
            on_change=self._on_year,
            help="Only ties, frictions and views in force in this year count.",
        )
        self.members_picker()
        box = sb.expander("Weights", key=WEIGHTS_OPEN, on_change="rerun")
        if not box.open:  # the six inputs are built only while open, as the regions
            return
        with box:
            st.caption("Ties, connectivity, lattice and shared threat are rescaled to sum to 1.")
            for c in COMPONENTS:
                st.number_input(
                    WEIGHT_LABELS[c],
                    min_value=0.0,
                    max_value=10.0,
                    step=0.05,
                    key=WEIGHT + c,
                    on_change=self._on_weight,
                    format="%.2f",
                )
            if WEIGHT_ERROR in st.session_state:
                st.warning(st.session_state[WEIGHT_ERROR])
            st.button(
                "Reset weights",
                on_click=self._reset_weights,
                disabled=self.state.weights == Weights(),
            )

    def layout_control(self) -> str:
        """The network's layout choice (kept in the link); returns the layout in use."""
        st.segmented_control(
            "Layout",
            list(LAYOUTS),
            format_func=LAYOUTS.get,
            key=LAYOUT,
            on_change=self._on_layout,
            label_visibility="collapsed",
        )
        return self.state.layout

    def compare_link(self) -> dict[str, str]:
        """The compare page's link with this scenario (and its what-if) as slot 1."""
        state = self.state
        return compare_link([Slot(state.members, state.framing, state.what_if)], state.year)

    def record_link(self) -> dict[str, str]:
        """The compare page's link with the record as slot 1 and the what-if as slot 2."""
        state = self.state
        record = Slot(state.members, state.framing)
        return compare_link([record, Slot(state.members, state.framing, state.what_if)], state.year)


def share_link(params: dict[str, str]) -> str:
    base = (st.context.url or "").split("?")[0] or "http://localhost:8501/"
    if base.count("/") < 3:  # scheme://host with no path
        base += "/"
    return f"{base}?{urlencode(params, safe=',')}"
