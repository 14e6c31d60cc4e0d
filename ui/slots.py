"""Slot editors shared by the compare and timeline pages (state in session + URL).

As on the build page, the canonical list of slots lives in session state, widgets are
synced from it before they are drawn, and callbacks change it. ``prefix`` keeps the two
pages' keys apart.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from model import Dataset
from model.schema import FRAMINGS
from ui.state import (
    MAX_SLOTS,
    BuildState,
    Slot,
    build_params,
    parse_slots,
    single_param,
    slots_params,
)
from ui.urlsync import new_link, remember, url_params

__all__ = ["SlotsPage", "slot_label"]


def slot_label(ds: Dataset, slot: Slot) -> str:
    """A preset's name when the slot is one, else its codes."""
    for p in ds.presets.values():
        if p.members == slot.members and p.framing == slot.framing:
            return p.name
    codes = ", ".join(slot.members)
    return codes if len(codes) <= 36 else codes[:33] + "..."


class SlotsPage:
    """State and widgets for up to four scenario slots sharing one year."""

    def __init__(self, ds: Dataset, prefix: str, extra: tuple[str, ...] = ()):
        self.ds, self.p, self.extra = ds, prefix, extra
        ss = st.session_state
        if (
            f"{prefix}_slots" not in ss
            or ss.get(f"{prefix}_fp") != ds.fingerprint
            or new_link(f"{prefix}_url_seen")
        ):
            params = url_params()
            remember(f"{prefix}_url_seen", params)
            slots, year, warnings = parse_slots(ds, params, extra=extra)
            values = {k: single_param(params, k, warnings) for k in extra}
            ss[f"{prefix}_slots"], ss[f"{prefix}_yr"] = slots, year
            ss[f"{prefix}_warnings"], ss[f"{prefix}_fp"] = warnings, ds.fingerprint
            ss[f"{prefix}_extra"] = {k: v for k, v in values.items() if v is not None}

    # ------------------------------------------------------------------ state
    @property
    def slots(self) -> list[Slot]:
        return list(st.session_state[f"{self.p}_slots"])

    @property
    def year(self) -> int:
        return int(st.session_state[f"{self.p}_yr"])

    @property
    def warnings(self) -> list[str]:
        return list(st.session_state.get(f"{self.p}_warnings", []))

    def extra_param(self, name: str) -> str | None:
        return st.session_state[f"{self.p}_extra"].get(name)

    def set_extra(self, name: str, value: str | None) -> None:
        extra = dict(st.session_state[f"{self.p}_extra"])
        if value is None:
            extra.pop(name, None)
        else:
            extra[name] = value
        st.session_state[f"{self.p}_extra"] = extra

    def _set(self, slots: list[Slot] | None = None, year: int | None = None) -> None:
        if slots is not None:
            st.session_state[f"{self.p}_slots"] = slots
        if year is not None:
            st.session_state[f"{self.p}_yr"] = year
        st.session_state[f"{self.p}_warnings"] = []

    # ------------------------------------------------------------------ callbacks
    def _on_members(self, i: int) -> None:
        slots = self.slots
        picked = tuple(sorted(st.session_state[f"{self.p}_m{i}"]))
        slots[i] = replace(slots[i], members=picked)
        self._set(slots)

    def _on_framing(self, i: int) -> None:
        value = st.session_state.get(f"{self.p}_f{i}")
        if value in FRAMINGS:
            slots = self.slots
            slots[i] = replace(slots[i], framing=value)
            self._set(slots)

    def _on_preset(self, i: int) -> None:
        pid = st.session_state.get(f"{self.p}_p{i}")
        if pid in self.ds.presets:
            slots = self.slots
            slots[i] = Slot(self.ds.presets[pid].members, self.ds.presets[pid].framing)
            self._set(slots)

    def _remove(self, i: int) -> None:
        slots = self.slots
        del slots[i]
        self._set(slots)

    def _add(self) -> None:
        slots = self.slots
        slots.append(slots[-1] if slots else Slot((), "alliance"))
        self._set(slots)

    def _on_year(self) -> None:
        self._set(year=int(st.session_state[f"{self.p}_year"]))

    # ------------------------------------------------------------------ widgets
    def editors(self, min_slots: int = 1, year: bool = True) -> None:
        """One column per slot: a preset, the members, the framing; add and remove."""
        ds, ss = self.ds, st.session_state
        names = {a.code: a.name for a in ds.actors}
        slots = self.slots
        if year:
            ss[f"{self.p}_year"] = self.year
            st.slider(
                "Year",
                ds.earliest_year,
                ds.latest_year,
                key=f"{self.p}_year",
                on_change=self._on_year,
                help="One year for every slot.",
            )
        cols = st.columns(min(MAX_SLOTS, len(slots) + 1))
        for i, slot in enumerate(slots):
            ss[f"{self.p}_m{i}"] = list(slot.members)
            ss[f"{self.p}_f{i}"] = slot.framing
            ss[f"{self.p}_p{i}"] = None
            with cols[i].container(border=True):
                st.markdown(f"**Slot {i + 1}**")
                st.selectbox(
                    "Load a preset",
                    list(ds.presets),
                    key=f"{self.p}_p{i}",
                    format_func=lambda pid: ds.presets[pid].name,
                    index=None,
                    placeholder="Load a preset…",
                    on_change=self._on_preset,
                    args=(i,),
                    label_visibility="collapsed",
                )
                st.multiselect(
                    "Members",
                    list(ds.codes),
                    key=f"{self.p}_m{i}",
                    format_func=lambda c: f"{c} · {names[c]}",
                    on_change=self._on_members,
                    args=(i,),
                )
                st.segmented_control(
                    "Framing",
                    list(FRAMINGS),
                    key=f"{self.p}_f{i}",
                    format_func=str.capitalize,
                    on_change=self._on_framing,
                    args=(i,),
                )
                st.button(
                    "Remove",
                    key=f"{self.p}_rm{i}",
                    on_click=self._remove,
                    args=(i,),
                    disabled=len(slots) <= min_slots,
                    icon=":material/close:",
                )
        if len(slots) < MAX_SLOTS:
            with cols[len(slots)]:
                st.button(
                    "Add a slot",
                    key=f"{self.p}_add",
                    on_click=self._add,
                    icon=":material/add:",
                    help="Starts as a copy of the last slot.",
                )

    def write_url(self, year: bool = True) -> dict[str, str]:
        params = slots_params(self.slots, self.year)
        if not year:
            params.pop("year")
        params.update(st.session_state[f"{self.p}_extra"])
        if url_params() != {k: [v] for k, v in params.items()}:
            st.query_params.from_dict(params)
        remember(f"{self.p}_url_seen", params)
        return params

    def build_link(self, slot: Slot) -> dict[str, str]:
        """Query parameters that open ``slot`` on the build page."""
        return build_params(BuildState(slot.members, slot.framing, self.year))
