"""Hypothesis strategies for the model's tests: small random worlds, drawn cheaply, and
groupings, framings and weights to score in them."""

from __future__ import annotations

from itertools import combinations

from builders import friction, sensitivity, threat, tie
from hypothesis import strategies as st

from model.cohesion import Weights
from model.schema import FRAMINGS

CODES = ("AAA", "BBB", "CCC", "DDD", "EEE")
KIND = {"security": "treaty_alliance", "economic": "fta", "political": "dialogue"}
LEVELS = 21  # a judgement is one of 0, 0.05, ..., 1

#: Every fact a world can hold, one row each: a tie per pair and domain, a friction per
#: pair, a threat view per actor and target, a sensitivity per actor and trigger.
FACTS = (
    [("tie", a, b, d) for a, b in combinations(CODES, 2) for d in KIND]
    + [("friction", a, b) for a, b in combinations(CODES, 2)]
    + [("threat", a, t) for a in CODES for t in CODES if a != t]
    + [("sensitivity", a, f"framing:{f}") for a in CODES for f in FRAMINGS]
    + [("sensitivity", a, f"member:{c}") for a in CODES for c in CODES if c != a]
)


def world(facts: list[int], kinds=("tie", "friction", "threat", "sensitivity")) -> dict:
    """Keyword arguments for builders.tables from encoded facts (fact * LEVELS + level)."""
    rows: dict[str, list[dict]] = {"ties": [], "frictions": [], "threats": [], "sensitivities": []}
    for n in facts:
        (what, *args), level = FACTS[n // LEVELS], (n % LEVELS) / (LEVELS - 1)
        if what not in kinds:
            continue
        if what == "tie":
            a, b, d = args
            rows["ties"].append(tie(a, b, level, d, KIND[d]))
        elif what == "friction":
            rows["frictions"].append(friction(*args, level))
        elif what == "threat":
            rows["threats"].append(threat(*args, level))
        else:
            rows["sensitivities"].append(sensitivity(*args, level))
    return {"codes": CODES, **rows}


def worlds(*kinds: str):
    """Random small worlds of up to 16 facts, drawn cheaply as integers."""
    encoded = st.lists(
        st.integers(0, len(FACTS) * LEVELS - 1), max_size=16, unique_by=lambda n: n // LEVELS
    )
    return encoded.map(
        lambda facts: world(facts, kinds or ("tie", "friction", "threat", "sensitivity"))
    )


members = st.lists(st.sampled_from(CODES), min_size=2, max_size=len(CODES), unique=True)
framings = st.sampled_from(FRAMINGS)
weight = st.integers(0, 20).map(lambda i: i / 2)
#: Component weights from 0 to 10 in halves (ties at least 0.5: a positive weight is needed)
weights = st.builds(
    Weights,
    ties=weight.map(lambda w: max(w, 0.5)),
    connectivity=weight,
    lattice=weight,
    threat=weight,
    friction=weight,
    sensitivity=weight,
)
