"""How sure is a score? Monte Carlo over the judgements behind it.

Each strength, severity and threat level is redrawn uniformly within a half-width set by
its confidence (high 0.05, medium 0.10, low 0.20; clipped to [0, 1]). The noise belongs to
the data row, not to the scenario, so two scenarios scored with the same seed see the
same draws: "A beats B in x% of draws" compares like with like.
"""

from __future__ import annotations

import numpy as np

from model import components as comp
from model.aggregate import KINDS, depth_over_count, tie_links
from model.cohesion import (
    DOMAIN_WEIGHTS,
    Weights,
    context,
    framed_friction,
    group_scores,
)
from model.data import Dataset
from model.memo import memoise
from model.schema import CONFIDENCE_SPREAD, DOMAINS, FRICTION_DOMAINS

__all__ = ["beats_share", "interval", "simulate"]

WEIGHT_JITTER = 0.2  # each weight times U(0.8, 1.2) when weights vary too


@memoise(16)
def _noise(ds: Dataset, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Uniform [-1, 1] noise per (row, draw) for each table, and for the weights.

    Each table has its own stream and row ``r``'s draws come first-in-order, so rows
    appended to a table (what-if edits) leave every other row's draws unchanged.
    """
    streams = np.random.SeedSequence(seed).spawn(5)
    tables = ("ties", "frictions", "sensitivities", "threats")
    out = {
        name: np.random.default_rng(stream).uniform(-1, 1, (len(getattr(ds, name)), draws))
        for name, stream in zip(tables, streams, strict=False)
    }
    jitter = np.random.default_rng(streams[4])
    out["weights"] = jitter.uniform(1 - WEIGHT_JITTER, 1 + WEIGHT_JITTER, (draws, 6))
    return out


def _drawn(value: float, confidence: str, noise: np.ndarray) -> np.ndarray:
    return np.clip(value + CONFIDENCE_SPREAD[confidence] * noise, 0.0, 1.0)


@memoise(64)
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

    The same rules as :func:`model.cohesion.build_context`, on member-by-member arrays
    with a leading draw axis. Memoised; the returned array is read-only.
    """
    k = len(members)
    if k < 2:
        raise ValueError("a grouping needs at least two members to be scored")
    noise = _noise(ds, draws, seed)
    local = {c: i for i, c in enumerate(members)}
    drawn_ties: dict[int, np.ndarray] = {}
    # each pair's strongest tie of each kind, per draw (a link through an organisation
    # counts at the weaker of its rows)
    per_kind = np.zeros((len(KINDS), draws, k, k))
    for link in tie_links(ds, year):
        if link.a not in local or link.b not in local:
            continue
        for r in link.rows:
            if r not in drawn_ties:
                t = ds.ties[r]
                drawn_ties[r] = _drawn(t.strength, t.confidence, noise["ties"][r])
        value = np.min([drawn_ties[r] for r in link.rows], axis=0)
        i, j, kind = local[link.a], local[link.b], KINDS.index(link.kind)
        per_kind[kind, :, i, j] = per_kind[kind, :, j, i] = np.maximum(
            per_kind[kind, :, i, j], value
        )
    ties = np.tensordot(np.asarray(DOMAIN_WEIGHTS[framing]), depth_over_count(per_kind), axes=1)
    ties[:, np.arange(k), np.arange(k)] = 0.0
    keep = np.ones((len(DOMAINS), draws, k, k))
    for r, f in enumerate(ds.frictions):
        if f.active(year) and f.a in local and f.b in local:
            i, j = local[f.a], local[f.b]
            sev = _drawn(f.severity, f.confidence, noise["frictions"][r])
            keep[:, :, i, j] *= 1 - np.asarray(FRICTION_DOMAINS[f.kind])[:, None] * sev
            keep[:, :, j, i] = keep[:, :, i, j]
    targets = sorted({t.target for t in ds.threats if t.active(year)} - set(members))
    threat = np.zeros((draws, k, max(len(targets), 1)))
    seen = np.zeros((draws, k, k))  # members' views of one another
    for r, t in enumerate(ds.threats):
        if t.active(year) and t.actor in local:
            if t.target in targets:
                threat[:, local[t.actor], targets.index(t.target)] = _drawn(
                    t.level, t.confidence, noise["threats"][r]
                )
            elif t.target in local:
                seen[:, local[t.actor], local[t.target]] = _drawn(
                    t.level, t.confidence, noise["threats"][r]
                )
    keep[0] *= 1 - np.maximum(seen, seen.transpose(0, 2, 1))
    friction = framed_friction(1 - keep, framing)
    friction[:, np.arange(k), np.arange(k)] = 0.0
    outside = np.full((draws, threat.shape[2]), bool(targets))
    skeep = np.ones((draws, k))
    for r, s in enumerate(ds.sensitivities):
        if not (s.active(year) and s.actor in local):
            continue
        if s.trigger == f"framing:{framing}" or (
            s.trigger.startswith("member:") and s.trigger[7:] in local
        ):
            skeep[:, local[s.actor]] *= 1 - _drawn(
                s.severity, s.confidence, noise["sensitivities"][r]
            )
    sens = 1 - skeep
    pillar = np.broadcast_to(
        context(ds, year, framing).pillar[[ds.index(m) for m in members]], (draws, k)
    )
    w = weights.vector()
    if vary_weights:
        w = w * noise["weights"]
        w[:, :4] /= w[:, :4].sum(axis=1, keepdims=True)
    p = comp.pairs(k)
    gaps = comp.level_gaps(threat[:, p.i], threat[:, p.j])
    arrays = {
        "pair_ties": ties[:, p.i, p.j],
        "pair_friction": friction[:, p.i, p.j],
        "pair_gaps": comp.threat_gaps(gaps, outside[:, None, :]),
        "n_out": outside.sum(axis=1),
        "unease": sens,
    }
    out = group_scores(**arrays, pillar=pillar, w=w).cohesion
    out.setflags(write=False)
    return out


def interval(samples: np.ndarray) -> dict[str, float]:
    """The 5th, 50th and 95th percentiles of simulated cohesion."""
    p5, p50, p95 = np.percentile(samples, [5, 50, 95])
    return {"p5": float(p5), "p50": float(p50), "p95": float(p95)}


def beats_share(a: np.ndarray, b: np.ndarray) -> float:
    """The share of paired draws in which ``a`` scores strictly higher than ``b``."""
    return float(np.mean(a > b))
