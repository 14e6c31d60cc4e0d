"""The dataset's vocabularies and column contracts (DESIGN section 3).

Everything the validator checks against lives here, so that the method page, the data
page and the tests read the same lists as the loader.
"""

from __future__ import annotations

__all__ = [
    "ACTOR_KINDS",
    "CONFIDENCE_SPREAD",
    "DOMAINS",
    "FILES",
    "FRAMINGS",
    "FRAMING_TRIGGERS",
    "FRICTION_KINDS",
    "REGIONS",
    "REQUIRED_COLUMNS",
    "TIE_KINDS",
]

DOMAINS: tuple[str, ...] = ("security", "economic", "political")

#: Each tie kind belongs to exactly one domain; the validator refuses a mismatch.
TIE_KINDS: dict[str, str] = {
    "treaty_alliance": "security",
    "access_agreement": "security",
    "exercise": "security",
    "intelligence_sharing": "security",
    "arms_transfer": "security",
    "defence_industry": "security",
    "security_agreement": "security",
    "fta": "economic",
    "economic_partnership": "economic",
    "trade_intensity": "economic",
    "summit_grouping": "political",
    "strategic_partnership": "political",
    "dialogue": "political",
}

FRICTION_KINDS: tuple[str, ...] = (
    "historical_grievance",
    "territorial_dispute",
    "trade_dispute",
    "political_rift",
    "military_confrontation",
    "economic_coercion",
)

FRAMINGS: tuple[str, ...] = ("alliance", "dialogue", "economic")
FRAMING_TRIGGERS: tuple[str, ...] = tuple(f"framing:{f}" for f in FRAMINGS)

ACTOR_KINDS: tuple[str, ...] = ("state", "organization")
REGIONS: tuple[str, ...] = (
    "North America",
    "Europe",
    "Northeast Asia",
    "Southeast Asia",
    "South Asia",
    "Oceania",
    "Middle East",
)

#: Half-width of the uniform perturbation applied to a judgement of each confidence.
CONFIDENCE_SPREAD: dict[str, float] = {"high": 0.05, "medium": 0.10, "low": 0.20}

#: File name -> the columns it must have (more are allowed), in contract order.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "actors.csv": ("code", "name", "kind", "region", "lat", "lon"),
    "ties.csv": (
        "a",
        "b",
        "domain",
        "kind",
        "strength",
        "since",
        "until",
        "confidence",
        "source",
        "note",
    ),
    "frictions.csv": (
        "a",
        "b",
        "kind",
        "severity",
        "since",
        "until",
        "confidence",
        "source",
        "note",
    ),
    "sensitivities.csv": (
        "actor",
        "trigger",
        "severity",
        "since",
        "until",
        "confidence",
        "source",
        "note",
    ),
    "threats.csv": (
        "actor",
        "target",
        "level",
        "since",
        "until",
        "confidence",
        "source",
        "note",
    ),
    "sources.csv": ("key", "title", "publisher", "year", "url"),
    "presets.csv": ("id", "name", "members", "framing", "source", "note"),
}

FILES: tuple[str, ...] = tuple(REQUIRED_COLUMNS)
