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

#: One colour per component (the finder's stacked bars): blues add, red and orange subtract.
COMPONENT_COLOURS: dict[str, str] = {
    "ties": "#1f5fa8",
    "connectivity": "#4c8ed9",
    "lattice": "#8fb8e8",
    "threat": "#2a9d8f",
    "friction": "#c0392b",
    "sensitivity": "#e67e22",
}
#: What adds to a score and what takes away (the waterfall, the Shapley bars).
POSITIVE, NEGATIVE = "#1f5fa8", "#d62728"
TOTAL_COLOUR = "#f2a900"
#: Slot 1 to 4 on the compare and timeline pages.
SLOT_COLOURS: tuple[str, ...] = ("#1f5fa8", "#f2a900", "#2e8b57", "#8e44ad")
#: The network: ties by domain, frictions, members and the rest.
DOMAIN_COLOURS: dict[str, str] = {
    "security": "#1f5fa8",
    "economic": "#2e8b57",
    "political": "#8e44ad",
}
FRICTION_COLOUR = "#d62728"
#: What-if marks on the network: hypothetical rows, and record rows the edits removed.
HYPOTHETICAL_COLOUR, REMOVED_COLOUR = "#c026d3", "#6b7280"
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
