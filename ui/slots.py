"""Slot editors of the compare and timeline pages (see ui/urlsync.py for the URL cycle).

As on the build page, the canonical slots live in session state, widgets are synced from
them before they are drawn, and callbacks change them. The prefix keeps the two pages'
keys apart.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from model import Dataset
from model.schema import FRAMINGS
from model.words import edit_sentence, grouping_name
from ui.params import LinkSpec
from ui.slots_state import COMPARE, DEFAULT_SLOTS, MAX_SLOTS, TIMELINE, Slot, at_year
from ui.style import actor_label
from ui.text import plain
from ui.urlsync import LinkedState, url_params

__all__ = ["HANDOFF", "ComparePage", "SlotsPage", "TimelinePage", "hand_to_compare", "slot_label"]

#: Where the build page leaves its scenario for the compare page (session state).
HANDOFF = "compare_handoff"
DEFAULT_PAIR = DEFAULT_SLOTS


def hand_to_compare(slot: Slot, year: int) -> None:
    """Leave the build page's scenario for the compare page: opened next from the sidebar
    (an address without parameters), it shows the scenario in slot 1."""
    st.session_state[HANDOFF] = (slot, year)


def slot_label(ds: Dataset, slot: Slot) -> str:
    """A slot's name: its preset's name or its codes (model/words.py's one rule)."""
    return grouping_name(ds, slot.members, limit=36)


class SlotsPage(LinkedState):
    """Up to four scenario slots: one column each, with a preset, members and framing."""

    prefix: str
    spec: LinkSpec

    def __init__(self, ds: Dataset):
        super().__init__(self.prefix, self.spec, ds)

    @property
    def slots(self) -> list[Slot]:
        return list(self.state.slots)

    def _widget(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def _set_slots(self, slots: list[Slot]) -> None:
        self.change(slots=tuple(slots))

    def _on_year_field(self, name: str) -> None:
        """The page's year (compare) or first year (timeline): a slot's edits hold from it."""
        year = int(st.session_state[self._widget(name)])
        self.change(**{name: year, "slots": at_year(self.slots, year)})

    def _year_slider(self, name: str, label: str, last: int, **options) -> int:
        """A slider over the data's years bound to the state's field ``name``; its value."""
        st.session_state[self._widget(name)] = getattr(self.state, name)
        st.slider(
            label,
            self.ds.earliest_year,
            last,
            key=self._widget(name),
            on_change=self._on_year_field,
            args=(name,),
            **options,
        )
        return getattr(self.state, name)

    # ------------------------------------------------------------------ callbacks
    def _on_members(self, i: int) -> None:
        slots = self.slots
        slots[i] = replace(slots[i], members=tuple(sorted(st.session_state[self._widget(f"m{i}")])))
        self._set_slots(slots)

    def _on_framing(self, i: int) -> None:
        value = st.session_state.get(self._widget(f"f{i}"))
        if value in FRAMINGS:
            slots = self.slots
            slots[i] = replace(slots[i], framing=value)
            self._set_slots(slots)

    def _on_preset(self, i: int) -> None:
        pid = st.session_state.get(self._widget(f"p{i}"))
        if pid in self.ds.presets:
            slots = self.slots
            slots[i] = Slot(self.ds.presets[pid].members, self.ds.presets[pid].framing)
            self._set_slots(slots)

    def _drop_what_if(self, i: int) -> None:
        slots = self.slots
        slots[i] = replace(slots[i], what_if=())
        self._set_slots(slots)

    def _remove(self, i: int) -> None:
        slots = self.slots
        del slots[i]
        self._set_slots(slots)

    def _add(self) -> None:
        slots = self.slots
        slots.append(slots[-1] if slots else Slot((), "alliance"))
        self._set_slots(slots)

    # ------------------------------------------------------------------ widgets
    @staticmethod
    def _cells(n: int) -> list:
        """``n`` cells for the slot editors: one row up to three, two per row beyond, so
        that four slots' member chips are not cut short."""
        per_row = n if n <= 3 else 2
        return [cell for _ in range(0, n, per_row) for cell in st.columns(per_row)]

    def editors(self, min_slots: int = 1) -> None:
        """One column per slot: a preset, the members, the framing; add and remove."""
        ds, ss, key = self.ds, st.session_state, self._widget
        slots = self.slots
        cols = self._cells(len(slots) + (len(slots) < MAX_SLOTS))
        for i, slot in enumerate(slots):
            ss[key(f"m{i}")] = list(slot.members)
            ss[key(f"f{i}")] = slot.framing
            ss[key(f"p{i}")] = None
            with cols[i].container(border=True):
                st.markdown(f"**Slot {i + 1}**")
                st.selectbox(
                    "Load a preset",
                    list(ds.presets),
                    key=key(f"p{i}"),
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
                    key=key(f"m{i}"),
                    format_func=lambda c: actor_label(c, ds.actor(c).name),
                    on_change=self._on_members,
                    args=(i,),
                )
                st.segmented_control(
                    "Framing",
                    list(FRAMINGS),
                    key=key(f"f{i}"),
                    format_func=str.capitalize,
                    on_change=self._on_framing,
                    args=(i,),
                )
                self._what_if_lines(i, slot)
                st.button(
                    "Remove",
                    key=key(f"rm{i}"),
                    on_click=self._remove,
                    args=(i,),
                    disabled=len(slots) <= min_slots,
                    icon=":material/close:",
                )
        if len(slots) < MAX_SLOTS:
            with cols[len(slots)]:
                st.button(
                    "Add a slot",
                    key=key("add"),
                    on_click=self._add,
                    icon=":material/add:",
                    help="Starts as a copy of the last slot.",
                )

    def _what_if_lines(self, i: int, slot: Slot) -> None:
        """A slot's what-if changes in plain sentences, and a button that drops them."""
        if not slot.what_if:
            return
        lines = "\n".join(f"- {plain(edit_sentence(self.ds, e))}" for e in slot.what_if)
        st.markdown(f"**What if**\n{lines}", help=plain("; ".join(e.text() for e in slot.what_if)))
        st.button(
            "Back to the record",
            key=self._widget(f"nowi{i}"),
            on_click=self._drop_what_if,
            args=(i,),
            icon=":material/undo:",
            help="Drop this slot's what-if changes.",
        )


class ComparePage(SlotsPage):
    """The compare page: slots under ``cmp_state`` with one shared year.

    Opened from the sidebar's navigation (an empty address) after the build page, it puts
    the build page's scenario in slot 1 (:func:`hand_to_compare`); a link always wins.
    """

    prefix, spec = "cmp", COMPARE

    def __init__(self, ds: Dataset):
        handed = st.session_state.pop(HANDOFF, None)
        fresh = f"{self.prefix}_state" not in st.session_state
        super().__init__(ds)
        if handed is not None and not url_params():
            slot, year = handed
            known = [ds.presets[p] for p in DEFAULT_PAIR if p in ds.presets]
            other = [Slot(p.members, p.framing) for p in known if p.members != slot.members]
            # the slots compared before stay; a first visit compares with the Quad
            rest = other[:1] if fresh else self.slots[1:]
            self.set(replace(self.state, slots=(slot, *rest), year=year))

    def pair_picker(self) -> tuple[int, int]:
        """Which two slots the page explains: two pickers, slot 1 against slot 2 unless the
        reader picks others; returns their indices (from 0)."""
        n, ss = len(self.slots), st.session_state
        base_key, other_key = self._widget("why_base"), self._widget("why_other")
        if ss.get(base_key) not in range(n):
            ss[base_key] = 0
        others = [i for i in range(n) if i != ss[base_key]]
        if ss.get(other_key) not in others:
            ss[other_key] = others[0]
        left, right, _ = st.columns([1, 1, 2])
        left.selectbox(
            "From slot",
            range(n),
            key=base_key,
            format_func=lambda i: f"{i + 1}",
            help="The slot the gap is measured from.",
        )
        right.selectbox(
            "To slot",
            others,
            key=other_key,
            format_func=lambda i: f"{i + 1}",
            help="The slot whose score is explained against the first.",
        )
        return ss[base_key], ss[other_key]

    def editors(self, min_slots: int = 1) -> None:
        """The shared year, then the slots."""
        self._year_slider("year", "Year", self.ds.latest_year, help="One year for every slot.")
        super().editors(min_slots)


class TimelinePage(SlotsPage):
    """The timeline: slots under ``tl_state``, and the first year shown."""

    prefix, spec = "tl", TIMELINE

    def start_control(self) -> int:
        """The slider of the first year; returns it."""
        return self._year_slider("start", "From", self.ds.latest_year - 1)
