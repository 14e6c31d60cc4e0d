"""The build page's what-if: an editor for hypothetical changes to the record, the list of
changes in plain sentences (each removable), and the levers, one click each to apply.

The edits live in the page's :class:`~ui.build_state.BuildState` (and so in its link);
every change goes through :func:`ui.whatif_state.add_edit`, which checks it as a link's
edit is checked. A bad change shows a message and changes nothing.
"""

from __future__ import annotations

import streamlit as st

from model import Dataset, Edit, Score, WhatIfError
from model.schema import FRAMINGS, FRICTION_KINDS, TIE_KINDS
from model.whatif import MAX_EDITS
from model.words import edit_sentence, kind_words, name
from ui import cache
from ui.build_state import BuildState
from ui.style import actor_label
from ui.text import plain
from ui.urlsync import LinkedState
from ui.whatif_state import add_edit

__all__ = ["CHANGES", "FORM_OPEN", "LEVERS_OPEN", "WhatIfEditor", "edit_text", "points"]

#: Each kind of change, as the editor offers it.
CHANGES: dict[str, str] = {
    "+tie": "Add a tie",
    "-tie": "Remove ties",
    "+friction": "Add a friction",
    "-friction": "End frictions",
    "+sens": "Add a sensitivity",
    "-sens": "Remove sensitivities",
    "=threat": "Set a threat view",
}
VALUE_LABEL = {"tie": "Strength", "friction": "Severity", "sens": "Severity", "threat": "Level"}
OP, A, B, KIND, VALUE, START = (f"wi_{k}" for k in ("op", "a", "b", "kind", "value", "start"))
ERROR = "wi_error"
#: Session keys of the open state of the levers section and of the editor's form.
LEVERS_OPEN, FORM_OPEN = "build_levers_open", "build_whatif_open"
#: The choices that mean "all of them" (kinds, triggers) and "the scenario's year": a
#: selectbox shows None as no choice at all.
EVERY, SCENARIO_YEAR = "", 0


def edit_text(
    op: str,
    a: str,
    b: str | None = None,
    kind: str | None = None,
    value: float | None = None,
    start: int | None = None,
) -> str:
    """An edit in the grammar of model/whatif.py from the editor's fields.

    >>> edit_text("+tie", "KOR", "JPN", "fta", 0.55), edit_text("-sens", "IND", start=2026)
    ('+tie:KOR-JPN:fta:0.55', '-sens:IND@2026')
    """
    subject = op[1:]
    parts = [op, a if subject in ("sens", "threat") else f"{a}-{b}"]
    if subject == "threat":
        parts.append(b)
    if kind:
        parts.append(kind)
    if op[0] in "+=":
        parts.append(format(round(float(value), 2), "g"))
    return ":".join(parts) + (f"@{start}" if start is not None else "")


def points(delta: float) -> str:
    """A change in cohesion as shown: one decimal, or two when it would read as zero.

    >>> points(1.26), points(-0.03)
    ('+1.3', '-0.03')
    """
    return f"{delta:+.1f}" if abs(delta) >= 0.05 else f"{delta:+.2f}"


def _trigger_label(ds: Dataset, trigger: str) -> str:
    if trigger == EVERY:
        return "every trigger"
    if trigger.startswith("framing:"):
        return f"a grouping framed as {trigger[8:]}"
    return f"{name(ds, trigger[7:])} as a member"


def _kind_label(kind: str) -> str:
    if kind == EVERY:
        return "every kind"
    domain = f" ({TIE_KINDS[kind]})" if kind in TIE_KINDS else ""
    return kind_words(kind) + domain


class WhatIfEditor:
    """The what-if widgets of a build page (``page`` owns the state and its link)."""

    def __init__(self, page: LinkedState[BuildState]):
        self.page, self.ds = page, page.ds

    @property
    def edits(self) -> tuple[Edit, ...]:
        return self.page.state.what_if

    def banner(self) -> None:
        """Say at the top that the page shows a what-if, not the record."""
        n = len(self.edits)
        if n:
            changes = "one hypothetical change" if n == 1 else f"{n} hypothetical changes"
            st.info(
                f"What if: this scenario makes {changes} to the record (listed under "
                "“What if…” below). The score, the network and every table include them.",
                icon=":material/science:",
            )

    @staticmethod
    def delta(result: Score) -> str | None:
        """The what-if's score against the record's, for the Cohesion metric."""
        if result.versus_record is None:
            return None
        return f"{points(result.versus_record)} vs the record"

    # ------------------------------------------------------------------ callbacks
    def _add(self, text: str) -> None:
        state = self.page.state
        try:
            edits = add_edit(self.ds, state.scenario(), text)
        except WhatIfError as err:
            st.session_state[ERROR] = f"This change was not added: {err.what}."
            return
        st.session_state.pop(ERROR, None)
        self.page.change(what_if=edits)

    def _add_from_fields(self) -> None:
        ss = st.session_state
        op, a, b = ss.get(OP), ss.get(A), ss.get(B)
        if op not in CHANGES or a is None:
            return
        if op[1:] in ("tie", "friction", "threat") and (b is None or a == b):
            other = (
                "a threat view of itself" if op == "=threat" else "a tie or friction with itself"
            )
            ss[ERROR] = f"This change was not added: pick two different actors; none has {other}."
            return
        b = b if op[1:] in ("tie", "friction", "threat") else None
        value = ss.get(VALUE) if op[0] in "+=" else None
        start = ss.get(self._start_key) or None  # SCENARIO_YEAR: no @YEAR
        self._add(edit_text(op, a, b, ss.get(KIND) or None, value, start))

    def _remove(self, i: int) -> None:
        st.session_state.pop(ERROR, None)
        edits = list(self.edits)
        if 0 <= i < len(edits):
            del edits[i]
            self.page.change(what_if=tuple(edits))

    def _clear(self) -> None:
        st.session_state.pop(ERROR, None)
        self.page.change(what_if=())

    # ------------------------------------------------------------------ widgets
    @property
    def _start_key(self) -> str:
        """The start picker's key names the scenario's year, so that a new year gives a
        fresh picker whose first choice reads that year."""
        return f"{START}_{self.page.state.year}"

    def _others(self) -> list[str]:
        """Every actor that is not a member, by name (a threat view's possible targets)."""
        members = set(self.page.state.members)
        rest = (c for c in self.ds.codes if c not in members)
        return sorted(rest, key=lambda c: self.ds.actor(c).name)

    def _select(self, label: str, key: str, options: list, default, **kw) -> None:
        """A selectbox whose value lives in session state (reset when no longer offered)."""
        if st.session_state.get(key, default) not in options:
            st.session_state[key] = default if default in options else options[0]
        st.session_state.setdefault(key, default)
        st.selectbox(label, options, key=key, **kw)

    def listing(self) -> None:
        """The current changes as sentences, each with a button that removes it."""
        ds = self.ds
        if not self.edits:
            st.caption("No changes yet: the score is the record's.")
            return
        for i, edit in enumerate(self.edits):
            text, remove = st.columns([4, 1], vertical_alignment="center")
            text.markdown(f"{i + 1}. {plain(edit_sentence(ds, edit))}", help=plain(edit.text()))
            remove.button(
                "Remove",
                key=f"wi_rm_{i}",
                icon=":material/close:",
                on_click=self._remove,
                args=(i,),
                help="Remove this change",
                type="tertiary",
            )
        if len(self.edits) > 1:
            st.button("Remove every change", key="wi_clear", on_click=self._clear)

    def form(self) -> None:
        """The editor's form in a section of its own, built only while it is open (its
        pickers cost every click something otherwise); a refused change is said under it,
        open or not (a lever's click can be refused too)."""
        if len(self.page.state.members) < 2:
            st.caption("Pick at least two members to change the record between them.")
            return
        box = st.expander(
            "Write a change", key=FORM_OPEN, on_change="rerun", icon=":material/edit_note:"
        )
        with box:
            if box.open:
                self._fields()
        if ERROR in st.session_state:
            st.error(plain(st.session_state[ERROR]))

    def _fields(self) -> None:
        """Pick the kind of change, the members it concerns, and its kind, trigger and
        strength. Only changes among the current members are offered: no other row can
        move this grouping's score."""
        ds, year = self.ds, self.page.state.year
        members = list(self.page.state.members)
        self._select("Change", OP, list(CHANGES), "-friction", format_func=CHANGES.get)
        op = st.session_state[OP]
        subject = op[1:]
        left, right = st.columns(2)
        label = lambda c: actor_label(c, ds.actor(c).name)  # noqa: E731
        with left:
            self._select(
                "Member" if subject in ("sens", "threat") else "Between",
                A,
                members,
                members[0],
                format_func=label,
            )
        a = st.session_state[A]
        if subject in ("tie", "friction"):
            with right:
                partners = [c for c in members if c != a]
                self._select("and", B, partners, partners[0], format_func=label)
        elif subject == "threat":
            with right:
                targets = [c for c in ("CHN", "RUS", "PRK") if c in ds.codes and c != a]
                targets += [c for c in [*members, *self._others()] if c not in (*targets, a)]
                self._select("sees as a threat", B, targets, targets[0], format_func=label)
        if subject in ("tie", "friction"):
            kinds: list = list(TIE_KINDS if subject == "tie" else FRICTION_KINDS)
            if op[0] == "-":
                kinds = [EVERY, *kinds]
            self._select("Kind", KIND, kinds, kinds[0], format_func=_kind_label)
        elif subject == "sens":
            triggers: list = [f"framing:{f}" for f in FRAMINGS]
            triggers += [f"member:{c}" for c in members if c != a]
            if op[0] == "-":
                triggers = [EVERY, *triggers]
            self._select(
                "Uneasy at",
                KIND,
                triggers,
                triggers[0],
                format_func=lambda t: _trigger_label(ds, t),
            )
        else:
            st.session_state[KIND] = EVERY
        if op[0] in "+=":
            st.session_state.setdefault(VALUE, 0.5)
            st.slider(VALUE_LABEL[subject], 0.0, 1.0, step=0.05, key=VALUE)
        years = [SCENARIO_YEAR, *range(ds.earliest_year, ds.latest_year + 11)]
        self._select(
            "From",
            self._start_key,
            years,
            SCENARIO_YEAR,
            format_func=lambda y: f"the scenario's year ({year})" if not y else str(y),
            help="The change holds from this year on.",
        )
        st.button(
            "Add this change",
            key="wi_add",
            on_click=self._add_from_fields,
            icon=":material/add:",
            type="primary",
            disabled=len(self.edits) >= MAX_EDITS,
        )

    def levers(self, cohesion: float | None) -> None:
        """The five single changes that would raise cohesion most, one click each; worked
        out only while its section is open (it rescores the grouping once per change)."""
        box = st.expander(
            "What would move it most",
            key=LEVERS_OPEN,
            on_change="rerun",
            icon=":material/trending_up:",
        )
        with box:
            if box.open:
                self._levers(cohesion)

    def _levers(self, cohesion: float | None) -> None:
        if cohesion is None:
            st.caption("Pick at least two members to see what would raise the score.")
            return
        found = cache.levers(self.ds, self.page.state.scenario())
        st.caption(
            "The single changes that would raise the score most, from a fixed menu: end one "
            "friction among the members, remove one of their sensitivities, or tie a pair one "
            "step more deeply in the framing's main domain. One click adds it to the what-if."
        )
        if not found:
            st.caption("None of them would raise it.")
        for i, lever in enumerate(found):
            st.button(
                f"{plain(edit_sentence(self.ds, lever.edit))} ({points(lever.delta)})",
                key=f"wi_lever_{i}",
                on_click=self._add,
                args=(lever.edit.text(),),
                help=plain(lever.edit.text()),
                width="stretch",
                wrap=True,
                disabled=len(self.edits) >= MAX_EDITS,
            )
