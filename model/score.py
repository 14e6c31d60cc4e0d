"""Score a scenario in full: cohesion, components, who matters, what to add, why, how sure.

:func:`score` gives a scenario's one result (docs/architecture.md §9): every view renders
it. A member's contribution has one sign convention per name: ``leave_one_out`` is the
cohesion with the member minus the cohesion without it (positive for a pillar), and
``change_if_left`` its opposite, the change a reader sees "if it left".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.attribution import gains_from_adding, shapley_values
from model.cohesion import Components, context, score_groups
from model.data import Dataset
from model.explain import explain
from model.provenance import cohesion_of
from model.scale import raw_cohesion
from model.scenario import Scenario, dataset_for
from model.uncertainty import beats_share, interval, simulate

__all__ = ["Comparison", "Score", "beats", "compare", "score"]

TOO_FEW = "Pick at least two members to score a grouping."


@dataclass(frozen=True)
class Score:
    """The full reading of one scenario. ``cohesion`` is None below two members.

    ``record_cohesion`` is the same scenario's cohesion on the record when the scenario
    has what-if edits (None otherwise); ``data`` is the fingerprint of the dataset the
    scenario was scored on, before its edits.
    """

    scenario: Scenario
    cohesion: float | None
    components: Components | None
    hub: str | None = None
    centralisation: float | None = None
    veto_risk: tuple[str, float] | None = None
    member_sensitivity: dict[str, float] = field(default_factory=dict)
    contributions: dict[str, dict[str, float]] = field(default_factory=dict)
    best_additions: tuple[tuple[str, float], ...] = ()
    explanation: tuple[str, ...] = ()
    interval: dict[str, float] | None = None
    isolated: tuple[str, ...] = ()
    message: str = ""
    record_cohesion: float | None = None
    data: str = ""

    @property
    def versus_record(self) -> float | None:
        """How far the edits move the score from the record (None: no edits, or no score)."""
        if self.record_cohesion is None or self.cohesion is None:
            return None
        return self.cohesion - self.record_cohesion

    def to_json(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "members": list(s.members),
            "framing": s.framing,
            "year": s.year,
            "weights": s.weights.as_dict(),
            "cohesion": self.cohesion,
            "raw_cohesion": raw_cohesion(self),
            "components": self.components.as_dict() if self.components else None,
            "hub": self.hub,
            "centralisation": self.centralisation,
            "veto_risk": (
                {"actor": self.veto_risk[0], "value": self.veto_risk[1]} if self.veto_risk else None
            ),
            "contributions": self.contributions,
            "best_additions": [{"actor": a, "delta": d} for a, d in self.best_additions],
            "explanation": list(self.explanation),
            "isolated": list(self.isolated),
            "what_if": [e.text() for e in s.what_if],
            **({"record_cohesion": self.record_cohesion} if s.what_if else {}),
            **({"interval": self.interval} if self.interval is not None else {}),
            **({"message": self.message} if self.message else {}),
        }


def _candidates(ds: Dataset, members: tuple[str, ...]) -> np.ndarray:
    return np.array(
        [ds.index(a.code) for a in ds.actors if a.kind == "state" and a.code not in members],
        dtype=int,
    )


def _additions(ds, ctx, s: Scenario, idx, base: float) -> tuple[tuple[str, float], ...]:
    cands = _candidates(ds, s.members)
    gains = gains_from_adding(ctx, idx, cands, s.weights, base)
    ranked = sorted(zip(cands.tolist(), gains.tolist(), strict=True), key=lambda x: (-x[1], x[0]))
    return tuple((ds.codes[c], float(g)) for c, g in ranked)


def score(
    ds: Dataset, s: Scenario, draws: int = 0, seed: int = 0, vary_weights: bool = False
) -> Score:
    """Score ``s`` on ``ds`` with the scenario's edits applied; with ``draws`` > 0 add the
    Monte Carlo interval."""
    record = ds
    ds = dataset_for(record, s)
    ctx = context(ds, s.year, s.framing)
    idx = np.array([ds.index(m) for m in s.members], dtype=int)
    if len(idx) < 2:
        return Score(
            s,
            None,
            None,
            best_additions=_additions(ds, ctx, s, idx, 0.0),
            message=TOO_FEW,
            data=record.fingerprint,
        )
    g = score_groups(ctx, idx[None, :], s.weights, fiedler=True)
    cohesion = float(g.cohesion[0])
    phi, values = shapley_values(ctx, idx, s.weights)
    n = len(idx)
    if values is not None:
        full = (1 << n) - 1
        loo = [cohesion - values[full ^ (1 << i)] for i in range(n)]
    else:
        loo = [
            cohesion
            - (
                float(score_groups(ctx, np.delete(idx, i)[None, :], s.weights).cohesion[0])
                if n > 2
                else 0.0
            )
            for i in range(n)
        ]
    sens = g.member_sensitivity[0]
    veto = int(np.argmax(sens))
    isolated = tuple(m for m, i in zip(s.members, g.isolated[0], strict=True) if i)
    return Score(
        scenario=s,
        cohesion=cohesion,
        components=Components(
            ties=float(g.ties[0]),
            connectivity=float(g.connectivity[0]),
            lattice=float(g.lattice[0]),
            threat=float(g.threat[0]),
            friction=float(g.friction[0]),
            sensitivity=float(g.sensitivity[0]),
        ),
        hub=s.members[int(g.hub[0])] if g.hub[0] >= 0 else None,
        centralisation=float(g.centralisation[0]),
        veto_risk=(s.members[veto], float(sens[veto])),
        member_sensitivity={m: float(v) for m, v in zip(s.members, sens, strict=True)},
        contributions={
            m: {"leave_one_out": float(lo), "shapley": float(p), "change_if_left": -float(lo)}
            for m, lo, p in zip(s.members, loo, phi, strict=True)
        },
        best_additions=_additions(ds, ctx, s, idx, cohesion),
        explanation=tuple(explain(ctx, s.members, g)),
        isolated=isolated,
        message=(
            f"Cohesion is 0: {', '.join(isolated)} ha{'s' if len(isolated) == 1 else 've'} "
            "no active tie with any other member."
            if isolated
            else ""
        ),
        interval=(
            interval(
                simulate(ds, s.members, s.framing, s.year, s.weights, draws, seed, vary_weights)
            )
            if draws > 0
            else None
        ),
        record_cohesion=cohesion_of(record, s.record) if s.what_if else None,
        data=record.fingerprint,
    )


@dataclass(frozen=True)
class Comparison:
    a: Score
    b: Score
    a_beats_b: float | None

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a.to_json(), "b": self.b.to_json(), "a_beats_b": self.a_beats_b}


def beats(
    ds: Dataset,
    a: Scenario,
    b: Scenario,
    draws: int = 1000,
    seed: int = 0,
    vary_weights: bool = False,
) -> float | None:
    """The share of shared Monte Carlo draws in which ``a`` scores above ``b``, each on
    ``ds`` with its own edits (None when either has fewer than two members). The noise
    belongs to the data row, and edits never reorder rows, so the draws are shared."""
    if len(a.members) < 2 or len(b.members) < 2 or draws <= 0:
        return None
    vw = vary_weights
    sims = [
        simulate(dataset_for(ds, x), x.members, x.framing, x.year, x.weights, draws, seed, vw)
        for x in (a, b)
    ]
    return beats_share(*sims)


def compare(
    ds: Dataset,
    a: Scenario,
    b: Scenario,
    draws: int = 1000,
    seed: int = 0,
    vary_weights: bool = False,
) -> Comparison:
    """Score both scenarios (each with its own edits) and the share of shared draws in
    which ``a`` beats ``b``."""
    return Comparison(
        score(ds, a, draws, seed, vary_weights),
        score(ds, b, draws, seed, vary_weights),
        beats(ds, a, b, draws, seed, vary_weights),
    )
