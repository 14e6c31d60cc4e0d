"""The build page's scenario in the URL (docs/architecture.md §6): its parameters, read leniently
and written canonically, and the pure steps its widgets take (no Streamlit).

``/?members=USA,JPN,KOR&framing=alliance&year=2024`` with optional weights ``w_ties`` ...
``w_sensitivity`` (written only where they differ from the default), the network's
``layout`` (``map``, the default, or ``force``) and what-if edits ``what_if``
(ui/whatif_state.py). With no ``members`` at all the page opens on the Quad.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from model import COMPONENTS, Dataset, Scenario, Weights
from model.whatif import Edit
from ui.params import FRAMING, YEAR, LinkSpec, Param, Params, Reading, clip, read_members
from ui.whatif_state import MAX_WHAT_IF_LENGTH, for_year, read_edits, write_edits

__all__ = [
    "BUILD",
    "DEFAULT_PRESET",
    "LAYOUT_NAMES",
    "BuildState",
    "build_link",
    "build_params",
    "parse_build",
    "selected_code",
    "toggle_member",
]

DEFAULT_PRESET = "quad"
#: The network's layouts (ui/network.py draws them); the first is the default.
LAYOUT_NAMES = ("map", "force")


@dataclass(frozen=True)
class BuildState:
    """A scenario: members, framing, year, weights, and its what-if edits (in order).

    The edits are kept canonical for the year (an edit starting in the scenario's own year
    has no ``@YEAR``), however the state is made.
    """

    members: tuple[str, ...]
    framing: str
    year: int
    weights: Weights = field(default_factory=Weights)
    layout: str = LAYOUT_NAMES[0]
    what_if: tuple[Edit, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "what_if", for_year(tuple(self.what_if), self.year))

    def scenario(self) -> Scenario:
        """The scenario the page shows, what-if edits and all."""
        return Scenario(self.members, self.framing, self.year, self.weights, self.what_if)


def _default_members(r: Reading) -> tuple[str, ...]:
    if DEFAULT_PRESET not in r.ds.presets:
        return ()
    r.presets["members"] = DEFAULT_PRESET
    return r.ds.presets[DEFAULT_PRESET].members


def _read_weight(r: Reading, raw: str, p: Param) -> float | None:
    try:
        x = float(raw)
    except ValueError:
        x = math.nan
    if not math.isfinite(x) or not 0 <= x <= 10:
        r.warn(f"weight {p.name}='{clip(raw)}' is not a number from 0 to 10")
        return None
    return x + 0.0  # -0 reads as 0


def _weight_param(component: str) -> Param:
    default = getattr(Weights(), component)
    return Param(
        f"w_{component}",
        _read_weight,
        write=lambda value: None if value == default else format(value, ".12g"),
        get=lambda state: getattr(state.weights, component),
    )


def _weights(r: Reading) -> dict[str, Weights]:
    given = {c: r[f"w_{c}"] for c in COMPONENTS if r[f"w_{c}"] is not None}
    try:
        return {"weights": Weights(**given)}
    except ValueError:
        r.warn("weights for ties, connectivity, lattice and threat were all 0; used their defaults")
        negatives = {k: v for k, v in given.items() if k in ("friction", "sensitivity")}
        return {"weights": Weights(**negatives)}


def _read_layout(r: Reading, raw: str, p: Param) -> str:
    if raw.strip().lower() in LAYOUT_NAMES:
        return raw.strip().lower()
    r.warn(f"layout '{clip(raw)}' is not one of {', '.join(LAYOUT_NAMES)}; used {LAYOUT_NAMES[0]}")
    return LAYOUT_NAMES[0]


BUILD: LinkSpec[BuildState] = LinkSpec(
    BuildState,
    (
        Param("members", read_members, ",".join, _default_members),
        FRAMING,
        YEAR,
        *(_weight_param(c) for c in COMPONENTS),
        Param(
            "layout",
            _read_layout,
            write=lambda name: None if name == LAYOUT_NAMES[0] else name,
            default=lambda r: LAYOUT_NAMES[0],
        ),
        Param(
            "what_if",
            lambda r, raw, p: read_edits(r, raw, r["year"]),
            write_edits,
            default=lambda r: (),
            limit=MAX_WHAT_IF_LENGTH,
        ),
    ),
    derive=_weights,
)


def parse_build(ds: Dataset, params: Params) -> tuple[BuildState, list[str]]:
    """The build page's scenario from query parameters, and what was ignored."""
    return BUILD.parse(ds, params)


def build_params(state: BuildState) -> dict[str, str]:
    """The canonical query string of a scenario: weights only where not default."""
    return BUILD.canonical(state)


def build_link(
    members: tuple[str, ...], framing: str, year: int, what_if: tuple[Edit, ...] = ()
) -> dict[str, str]:
    """Query parameters that open a grouping on the build page (default weights), with
    any what-if edits."""
    return build_params(BuildState(members, framing, year, what_if=what_if))


def toggle_member(state: BuildState, code: str) -> BuildState:
    """Add ``code`` to the grouping, or remove it if it is a member."""
    members = set(state.members)
    members.symmetric_difference_update({code})
    return replace(state, members=tuple(sorted(members)))


def selected_code(selection, codes: Sequence[str]) -> str | None:
    """The actor code of the clicked node in a plotly selection payload, if any.

    ``selection`` is what a chart reports for a click (``ui.livechart.clicked``, in the
    shape ``st.plotly_chart(..., on_select=...)`` stored): a mapping with
    ``selection.points``, each point carrying the node's ``customdata`` (its code).
    """
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not isinstance(points, Sequence) or isinstance(points, str):
        return None
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data in codes:
            return data
    return None
