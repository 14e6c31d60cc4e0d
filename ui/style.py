"""How the pages name and colour things: every label and colour used in more than one
place, defined once."""

from __future__ import annotations

from model import COMPONENTS

__all__ = [
    "COMPONENT_COLOURS",
    "COMPONENT_LABELS",
    "DOMAIN_COLOURS",
    "FRICTION_COLOUR",
    "HYPOTHETICAL_COLOUR",
    "MEMBER_COLOUR",
    "MUTED",
    "NEGATIVE",
    "OKABE_ITO",
    "OTHER_COLOUR",
    "POSITIVE",
    "REMOVED_COLOUR",
    "SLOT_COLOURS",
    "SUBTRACTED",
    "TEXT",
    "TEXT_MUTED",
    "TOTAL_COLOUR",
    "actor_label",
]

COMPONENT_LABELS: dict[str, str] = {
    "ties": "Ties",
    "connectivity": "Connectivity",
    "lattice": "Lattice",
    "threat": "Shared threat",
    "friction": "Friction",
    "sensitivity": "Sensitivity",
}
assert tuple(COMPONENT_LABELS) == COMPONENTS
#: The components that take points away from cohesion.
SUBTRACTED: tuple[str, ...] = ("friction", "sensitivity")

#: The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008): eight colours told
#: apart with every common colour-vision deficiency. The charts draw from it.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
_OI = OKABE_ITO

#: One colour per component (the finder's stacked bars): blue, sky blue and bluish green
#: add, as does reddish purple for shared threat; vermillion and orange subtract.
COMPONENT_COLOURS: dict[str, str] = {
    "ties": _OI["blue"],
    "connectivity": _OI["sky blue"],
    "lattice": _OI["bluish green"],
    "threat": _OI["reddish purple"],
    "friction": _OI["vermillion"],
    "sensitivity": _OI["orange"],
}
#: What adds to a score and what takes away (the waterfall, the Shapley bars).
POSITIVE, NEGATIVE = _OI["blue"], _OI["vermillion"]
TOTAL_COLOUR = "#f2a900"
#: Slot 1 to 4 on the compare and timeline pages.
SLOT_COLOURS: tuple[str, ...] = (
    _OI["blue"],
    _OI["orange"],
    _OI["bluish green"],
    _OI["reddish purple"],
)
#: The network: ties by domain, frictions, members and the rest.
DOMAIN_COLOURS: dict[str, str] = {
    "security": _OI["blue"],
    "economic": _OI["bluish green"],
    "political": _OI["reddish purple"],
}
FRICTION_COLOUR = _OI["vermillion"]
#: What-if marks on the network: hypothetical rows (black, apart from every domain's
#: colour), and record rows the edits removed.
HYPOTHETICAL_COLOUR, REMOVED_COLOUR = _OI["black"], "#6b7280"
MEMBER_COLOUR, OTHER_COLOUR = "#f2a900", "#c7ccd4"
#: Grey for connectors, outlines and notes.
MUTED = "#9aa1ab"
#: Text on white (labels on charts).
TEXT = "#111827"
#: Grey for small text on white (a chart's second title line, notes): contrast 7.6:1.
TEXT_MUTED = "#4b5563"


def actor_label(code: str, name: str) -> str:
    """An actor as a picker lists it: ``JPN · Japan``."""
    return f"{code} · {name}"
