"""One plain sentence per component, naming the pairs or members that drive it."""

from __future__ import annotations

import numpy as np

from model.cohesion import Context, GroupScores

__all__ = ["explain"]


def _pair(a: str, b: str) -> str:
    return f"{a}–{b}"


def _kinds(rows, limit: int = 3) -> str:
    """The strongest kinds of tie behind a pair, e.g. 'treaty alliance 0.90, fta 0.50'."""
    best: dict[str, float] = {}
    for r in rows:
        best[r.kind] = max(best.get(r.kind, 0.0), r.strength)
    if not best:
        return "no active tie"
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    text = ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in ranked[:limit])
    return text + (f" and {len(ranked) - limit} more kind(s)" if len(ranked) > limit else "")


def _pairs(members: tuple[str, ...]):
    k = len(members)
    return [(i, j) for i in range(k) for j in range(i + 1, k)]


def _ties_sentence(ctx: Context, members, idx, g: GroupScores) -> str:
    w = {(i, j): ctx.ties[idx[i], idx[j]] for i, j in _pairs(members)}
    (si, sj), (wi, wj) = max(w, key=w.get), min(w, key=w.get)

    def rows(i, j):
        return ctx.ties_between(members[i], members[j])

    text = (
        f"Ties {g.ties[0]:.2f}: mean {ctx.framing}-weighted tie over {len(w)} pair(s); "
        f"strongest {_pair(members[si], members[sj])} ({w[si, sj]:.2f}: {_kinds(rows(si, sj))})"
    )
    if len(w) > 1:
        text += f", weakest {_pair(members[wi], members[wj])} ({w[wi, wj]:.2f}: "
        text += f"{_kinds(rows(wi, wj))})"
    return text + "."


def _connectivity_sentence(members, g: GroupScores) -> str:
    if len(members) == 2:
        return (
            f"Connectivity {g.connectivity[0]:.2f}: with two members it is the strength of "
            "their one tie."
        )
    fiedler = g.fiedler[0]
    side_a = sorted(m for m, v in zip(members, fiedler, strict=True) if v < 0)
    side_b = sorted(m for m, v in zip(members, fiedler, strict=True) if v >= 0)
    small, large = sorted((side_a, side_b), key=len)
    if not small:
        return f"Connectivity {g.connectivity[0]:.2f}: no weak cut splits the group."
    strength = "well knit" if g.connectivity[0] >= 0.5 else "split into camps"
    return (
        f"Connectivity {g.connectivity[0]:.2f} ({strength}): the weakest cut separates "
        f"{', '.join(small)} from {', '.join(large)}."
    )


def _lattice_sentence(members, g: GroupScores) -> str:
    if len(members) == 2:
        return f"Lattice {g.lattice[0]:.2f}: with two members there is no hub; it equals the tie."
    hub = members[int(g.hub[0])]
    shape = "a web of spoke-to-spoke ties" if g.lattice[0] >= 0.6 * g.ties[0] else "hub-and-spoke"
    return (
        f"Lattice {g.lattice[0]:.2f}: {hub} is the hub (degree centralisation "
        f"{g.centralisation[0]:.2f}); without it the mean tie is {g.lattice[0]:.2f} against "
        f"{g.ties[0]:.2f} with it: {shape}."
    )


def _threat_sentence(ctx: Context, members, idx, g: GroupScores) -> str:
    targets = [ctx.codes[t] for t in ctx.targets if ctx.codes[t] not in members]
    if not targets:
        return f"Shared threat {g.threat[0]:.2f}: every threat target is inside the grouping."
    cols = [list(ctx.codes[t] for t in ctx.targets).index(c) for c in targets]
    worst, gap = None, -1.0
    for i, j in _pairs(members):
        for c, col in zip(targets, cols, strict=True):
            d = abs(ctx.threat[idx[i], col] - ctx.threat[idx[j], col])
            if d > gap:
                worst, gap = (i, j, c, col), d
    i, j, c, col = worst
    return (
        f"Shared threat {g.threat[0]:.2f} over {', '.join(targets)}: the widest gap is "
        f"{_pair(members[i], members[j])} on {c} ({ctx.threat[idx[i], col]:.2f} vs "
        f"{ctx.threat[idx[j], col]:.2f})."
    )


def _friction_sentence(ctx: Context, members, g: GroupScores) -> str:
    rows = [
        f for f in ctx.dataset.frictions if f.active(ctx.year) and f.a in members and f.b in members
    ]
    if not rows:
        return "Friction 0.00: no active friction between members."
    top = max(rows, key=lambda f: f.severity)
    return (
        f"Friction {g.friction[0]:.2f}: {_pair(top.a, top.b)} {top.kind.replace('_', ' ')} "
        f"({top.severity:.2f}) is the largest of {len(rows)} active friction(s)."
    )


def _sensitivity_sentence(ctx: Context, members, g: GroupScores) -> str:
    sens = g.member_sensitivity[0]
    if float(sens.max()) <= 0:
        return "Sensitivity 0.00: no member's sensitivities are triggered."
    who = members[int(np.argmax(sens))]
    triggers = [
        s
        for s in ctx.dataset.sensitivities
        if s.active(ctx.year)
        and s.actor == who
        and (s.trigger == f"framing:{ctx.framing}" or s.trigger.removeprefix("member:") in members)
    ]
    top = max(triggers, key=lambda s: s.severity)
    return (
        f"Sensitivity {g.sensitivity[0]:.2f}: {who} is the most uneasy ({float(sens.max()):.2f}, "
        f"the veto risk), chiefly {top.trigger} ({top.severity:.2f})."
    )


def explain(ctx: Context, members: tuple[str, ...], g: GroupScores) -> list[str]:
    """Sentences for ties, connectivity, lattice, threat, friction and sensitivity.

    ``g`` holds the scores of the single group ``members`` (sorted codes).
    """
    idx = [ctx.dataset.index(m) for m in members]
    lonely = [m for m, i in zip(members, g.isolated[0], strict=True) if i]
    head = (
        [
            f"Cohesion is 0 because {', '.join(lonely)} has no active tie with any other member "
            "in this year: a member tied to nobody is not part of the grouping."
        ]
        if lonely
        else []
    )
    return [
        *head,
        _ties_sentence(ctx, members, idx, g),
        _connectivity_sentence(members, g),
        _lattice_sentence(members, g),
        _threat_sentence(ctx, members, idx, g),
        _friction_sentence(ctx, members, g),
        _sensitivity_sentence(ctx, members, g),
    ]
