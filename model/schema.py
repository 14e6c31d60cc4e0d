"""The dataset's vocabularies and column contracts (docs/architecture.md §3).

Everything the validator checks against lives here, so that the method page, the data
page and the tests read the same lists as the loader.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

__all__ = [
    "ACTOR_KINDS",
    "COMMITMENT_LEVEL",
    "CONFIDENCE_SPREAD",
    "DATED_COLUMNS",
    "DATED_TABLES",
    "DOMAINS",
    "FILES",
    "FRAMINGS",
    "FRAMING_TRIGGERS",
    "FRICTION_DOMAINS",
    "FRICTION_KINDS",
    "REGIONS",
    "REQUIRED_COLUMNS",
    "TIE_KINDS",
    "DatedTable",
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
    "economic_union": "economic",
    "fta": "economic",
    "economic_partnership": "economic",
    "trade_intensity": "economic",
    "summit_grouping": "political",
    "strategic_partnership": "political",
    "dialogue": "political",
    "membership": "political",
}

#: Ordinal depth of commitment of each tie kind within its domain (higher = deeper), after
#: ATOP's obligation types: a defence pact binds more than consultation, access or joint
#: exercises; a binding trade agreement more than a framework; a declared partnership or
#: membership more than a summit seat or a dialogue. See docs/method.md, "Depth over count".
COMMITMENT_LEVEL: dict[str, int] = {
    "treaty_alliance": 4,  # mutual-defence obligation (ATOP: defence pact)
    "security_agreement": 3,  # signed security or defence cooperation (ATOP: consultation)
    "access_agreement": 2,  # basing, visiting forces, logistics (access, no obligation)
    "intelligence_sharing": 2,
    "exercise": 1,
    "arms_transfer": 1,
    "defence_industry": 1,
    "economic_union": 4,  # a single market or customs union: common rules, not only tariffs
    "fta": 3,  # binding trade agreement: tariffs and rules between separate markets
    "economic_partnership": 2,  # framework, supply-chain or economic-security agreement
    "trade_intensity": 1,  # observed dependence, not an agreement
    "membership": 3,  # a state's membership of an organisation (both must be in the data)
    "strategic_partnership": 3,
    "summit_grouping": 2,
    "dialogue": 1,
}
assert set(COMMITMENT_LEVEL) == set(TIE_KINDS)

#: Each friction kind's share in each domain (security, economic, political): a framing
#: weighs a friction by these shares as it weighs ties by their domain.
FRICTION_DOMAINS: dict[str, tuple[float, float, float]] = {
    "historical_grievance": (0.3, 0.0, 0.7),
    "territorial_dispute": (0.6, 0.0, 0.4),
    "trade_dispute": (0.0, 1.0, 0.0),
    "political_rift": (0.2, 0.0, 0.8),
    "military_confrontation": (1.0, 0.0, 0.0),
    "economic_coercion": (0.0, 0.7, 0.3),
}
FRICTION_KINDS: tuple[str, ...] = tuple(FRICTION_DOMAINS)

FRAMINGS: tuple[str, ...] = ("alliance", "dialogue", "economic")
FRAMING_TRIGGERS: tuple[str, ...] = tuple(f"framing:{f}" for f in FRAMINGS)

ACTOR_KINDS: tuple[str, ...] = ("state", "organization")
REGIONS: tuple[str, ...] = (
    "North America",
    "Latin America",
    "Europe",
    "Northeast Asia",
    "Southeast Asia",
    "South Asia",
    "Oceania",
    "Middle East",
    "Africa",
    "Global",  # an organisation spanning continents (BRICS)
)

#: Half-width of the uniform perturbation applied to a judgement of each confidence.
CONFIDENCE_SPREAD: dict[str, float] = {"high": 0.05, "medium": 0.10, "low": 0.20}

#: The columns every dated table (ties, frictions, sensitivities, threats) ends with.
DATED_COLUMNS: tuple[str, ...] = ("since", "until", "confidence", "source", "note")

#: File name -> the columns it must have (more are allowed), in contract order.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "actors.csv": ("code", "name", "kind", "region", "lat", "lon"),
    "ties.csv": ("a", "b", "domain", "kind", "strength", *DATED_COLUMNS),
    "frictions.csv": ("a", "b", "kind", "severity", *DATED_COLUMNS),
    "sensitivities.csv": ("actor", "trigger", "severity", *DATED_COLUMNS),
    "threats.csv": ("actor", "target", "level", *DATED_COLUMNS),
    "sources.csv": ("key", "title", "publisher", "year", "url"),
    "presets.csv": ("id", "name", "members", "framing", "source", "note"),
}

FILES: tuple[str, ...] = tuple(REQUIRED_COLUMNS)


@dataclass(frozen=True)
class DatedTable:
    """How a table of dated, sourced judgements is read: ties, frictions, sensitivities and
    threats. Each has its own columns up to ``since`` (actor codes, vocabularies, one
    judgement from 0 to 1), then the same five: since, until, confidence, source, note."""

    actors: tuple[str, ...]  #: columns that hold actor codes
    judgement: str  #: the column holding a number from 0 to 1
    vocabularies: Mapping[str, Collection[str]] = field(default_factory=dict)
    #: the problem when both actor columns name one actor ({} is the code), on the second
    self_pair: str = ""
    #: columns that, with ``since``, may appear in one row only
    key: tuple[str, ...] = ()
    #: the first two key columns are an unordered pair (A-B is B-A)
    pair: bool = False
    #: periods of rows with the same key must not overlap
    no_overlap: bool = False

    def key_words(self) -> tuple[str, ...]:
        """The key's columns as a problem names them: 'pair' for an unordered pair."""
        return ("pair", *self.key[2:]) if self.pair else self.key


#: The dated tables' own columns and checks (the shared ones are the same for all four).
DATED_TABLES: dict[str, DatedTable] = {
    "ties.csv": DatedTable(
        actors=("a", "b"),
        judgement="strength",
        vocabularies={"domain": DOMAINS, "kind": TIE_KINDS},
        self_pair="a self-tie ('{}' with itself)",
        key=("a", "b", "kind"),
        pair=True,
    ),
    "frictions.csv": DatedTable(
        actors=("a", "b"),
        judgement="severity",
        vocabularies={"kind": FRICTION_KINDS},
        self_pair="a self-friction ('{}' with itself)",
        key=("a", "b", "kind"),
        pair=True,
    ),
    "sensitivities.csv": DatedTable(
        actors=("actor",),
        judgement="severity",
        key=("actor", "trigger"),
        no_overlap=True,
    ),
    "threats.csv": DatedTable(
        actors=("actor", "target"),
        judgement="level",
        self_pair="'{}' rates itself as a threat",
        key=("actor", "target"),
        no_overlap=True,
    ),
}
