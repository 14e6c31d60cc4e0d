"""How sure is a score? Monte Carlo over the judgements behind it.

Each strength, severity and threat level is redrawn uniformly within a half-width set by
its confidence (high 0.05, medium 0.10, low 0.20; clipped to [0, 1]). The noise belongs to
the data row, not to the scenario, so two scenarios scored with the same seed see the
same draws: "A beats B in x% of draws" compares like with like.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from model.cohesion import DOMAIN_WEIGHTS, Weights, _components
from model.data import Dataset
from model.schema import CONFIDENCE_SPREAD, DOMAINS

__all__ = ["beats_share", "interval", "simulate"]

WEIGHT_JITTER = 0.2  # each weight times U(0.8, 1.2) when weights vary too


@lru_cache(maxsize=16)
def _noise(ds: Dataset, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Uniform [-1, 1] noise per (draw, row) for each table, and for the weights."""
    rng = np.random.default_rng(seed)
    return {
        "ties": rng.uniform(-1, 1, (draws, len(ds.ties))),
        "frictions": rng.uniform(-1, 1, (draws, len(ds.frictions))),
        "sensitivities": rng.uniform(-1, 1, (draws, len(ds.sensitivities))),
        "threats": rng.uniform(-1, 1, (draws, len(ds.threats))),
        "weights": rng.uniform(1 - WEIGHT_JITTER, 1 + WEIGHT_JITTER, (draws, 6)),
    }


def _drawn(value: float, confidence: str, noise: np.ndarray) -> np.ndarray:
    return np.clip(value + CONFIDENCE_SPREAD[confidence] * noise, 0.0, 1.0)


@lru_cache(maxsize=64)
def simulate(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    year: int,
    weights: Weights = Weights(),
    draws: int = 1000,
    seed: int = 0,
    vary_weights: bool = False,
) -> np.ndarray:
    """Cohesion (0-100) of the grouping in each of ``draws`` redraws of the data.

    Memoised; the returned array is read-only.
    """
    k = len(members)
    if k < 2:
        raise ValueError("a grouping needs at least two members to be scored")
    noise = _noise(ds, draws, seed)
    local = {c: i for i, c in enumerate(members)}
    keep = np.ones((draws, len(DOMAINS), k, k))
    for r, t in enumerate(ds.ties):
        if t.active(year) and t.a in local and t.b in local:
            i, j = sorted((local[t.a], local[t.b]))
            keep[:, DOMAINS.index(t.domain), i, j] *= 1 - _drawn(
                t.strength, t.confidence, noise["ties"][:, r]
            )
    upper = np.tensordot(1 - keep, np.asarray(DOMAIN_WEIGHTS[framing]), axes=([1], [0]))
    upper = np.triu(upper, 1)
    ties = upper + upper.transpose(0, 2, 1)
    fkeep = np.ones((draws, k, k))
    for r, f in enumerate(ds.frictions):
        if f.active(year) and f.a in local and f.b in local:
            i, j = sorted((local[f.a], local[f.b]))
            fkeep[:, i, j] *= 1 - _drawn(f.severity, f.confidence, noise["frictions"][:, r])
    friction = np.triu(1 - fkeep, 1)
    friction = friction + friction.transpose(0, 2, 1)
    targets = sorted({t.target for t in ds.threats if t.active(year)} - set(members))
    threat = np.zeros((draws, k, max(len(targets), 1)))
    for r, t in enumerate(ds.threats):
        if t.active(year) and t.actor in local and t.target in targets:
            threat[:, local[t.actor], targets.index(t.target)] = _drawn(
                t.level, t.confidence, noise["threats"][:, r]
            )
    outside = np.full((draws, threat.shape[2]), bool(targets))
    skeep = np.ones((draws, k))
    for r, s in enumerate(ds.sensitivities):
        if not (s.active(year) and s.actor in local):
            continue
        if s.trigger == f"framing:{framing}" or (
            s.trigger.startswith("member:") and s.trigger[7:] in local
        ):
            skeep[:, local[s.actor]] *= 1 - _drawn(
                s.severity, s.confidence, noise["sensitivities"][:, r]
            )
    sens = 1 - skeep
    w = weights.vector()
    if vary_weights:
        w = w * noise["weights"]
        w[:, :4] /= w[:, :4].sum(axis=1, keepdims=True)
    out = _components(ties, friction, threat, outside, sens, w).cohesion
    out.setflags(write=False)
    return out


def interval(samples: np.ndarray) -> dict[str, float]:
    """The 5th, 50th and 95th percentiles of simulated cohesion."""
    p5, p50, p95 = np.percentile(samples, [5, 50, 95])
    return {"p5": float(p5), "p50": float(p50), "p95": float(p95)}


def beats_share(a: np.ndarray, b: np.ndarray) -> float:
    """The share of paired draws in which ``a`` scores strictly higher than ``b``."""
    return float(np.mean(a > b))
