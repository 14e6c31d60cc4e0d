"""One plain sentence per component, for a reader who has not seen the method page.

Each sentence starts with the component's name and its value out of 1, then says what it
means for these members in everyday words, naming the pairs or members that drive it.
The exact terms (framed tie, algebraic connectivity, degree centralisation, triggers) are
in :data:`TERMS`, which the pages show as help next to the sentences.
"""

from __future__ import annotations

import numpy as np

from model.cohesion import Context, GroupScores
from model.rows import triggered
from model.words import framing_weighs, kind_words, trigger_words

__all__ = ["TERMS", "explain"]

#: The exact terms behind each sentence (the method page has the formulas).
TERMS = {
    "ties": (
        "Mean framed tie over member pairs. A pair's tie in a domain is its deepest "
        "commitment plus diminishing returns for further kinds (depth over count); the "
        "framing weighs the domains (alliance: security 0.7; dialogue: security 0.5; "
        "economic: economic 0.6); pairs are weighted by their members' pillar weights."
    ),
    "connectivity": (
        "Algebraic connectivity (λ₂, the second-smallest eigenvalue of the member graph's "
        "Laplacian) divided by the number of members. The two camps are the sign split of "
        "the Fiedler vector: the weakest cut."
    ),
    "lattice": (
        "Mean framed tie over the pairs that leave out the hub (the member holding the "
        "largest pillar-weighted share of ties). Degree centralisation (0 to 1) is how far "
        "ties concentrate on one member."
    ),
    "threat": (
        "1 minus the mean gap between members' threat levels towards each outside target "
        "(an S-score-style similarity of threat views), counted in full as the pair shares "
        "a threat and not at all as one of the two fears the other; pairs weighted by "
        "pillar weights."
    ),
    "friction": (
        "Framed friction, subtracted: half the pillar-weighted mean over pairs, half the "
        "worst member's friction with the others (one spoiler costs much at any size)."
    ),
    "sensitivity": (
        "Sensitivity, subtracted: the pillar-weighted mean of each member's unease, 1 minus "
        "the product of (1 - severity) over its triggered rows (a framing:alliance, "
        "framing:dialogue or framing:economic trigger, or member:CODE when CODE is in). "
        "The largest member's unease is the veto risk."
    ),
}


def _name(ctx: Context, code: str) -> str:
    return ctx.dataset.actor(code).name


def _names(ctx: Context, codes) -> str:
    names = [_name(ctx, c) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _pair(ctx: Context, a: str, b: str) -> str:
    return f"{_name(ctx, a)} and {_name(ctx, b)}"


def _kinds(rows, value: float, limit: int = 3) -> str:
    """The kinds of tie behind a pair, strongest first: 'treaty alliance, free trade
    agreement and 2 more kinds of tie'."""
    best: dict[str, float] = {}
    for r in rows:
        best[r.kind] = max(best.get(r.kind, 0.0), r.strength)
    if not best:
        return "only through an organisation both belong to" if value > 0 else "no tie"
    ranked = [kind_words(k) for k, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(ranked) > limit:
        return ", ".join(ranked[:limit]) + f" and {len(ranked) - limit} more kinds of tie"
    return ranked[0] if len(ranked) == 1 else ", ".join(ranked[:-1]) + " and " + ranked[-1]


#: How near a threshold a value must be to be read as "close to" it rather than on one
#: side: words at a cut must not flip on a rounding difference.
NEAR = 0.03


#: A threat level from which the explanation names a threat the members share.
REAL_THREAT = 0.3


def _near(value: float, cut: float, band: float = NEAR) -> bool:
    return abs(value - cut) < band


def _degree(value: float) -> str:
    """How closely tied, in words, with a band at each cut.

    >>> [_degree(v) for v in (0.8, 0.61, 0.45, 0.36, 0.2)]
    ['closely', 'fairly closely', 'moderately', 'moderately to loosely', 'loosely']
    """
    if _near(value, 0.6):
        return "fairly closely"
    if _near(value, 0.35):
        return "moderately to loosely"
    return "closely" if value >= 0.6 else "moderately" if value >= 0.35 else "loosely"


def _pairs(members: tuple[str, ...]):
    k = len(members)
    return [(i, j) for i in range(k) for j in range(i + 1, k)]


def _ties_sentence(ctx: Context, members, idx, g: GroupScores) -> str:
    w = {(i, j): ctx.ties[idx[i], idx[j]] for i, j in _pairs(members)}
    (si, sj), (wi, wj) = max(w, key=w.get), min(w, key=w.get)

    def rows(i, j):
        return ctx.ties_between(members[i], members[j])

    value = g.ties[0]
    if len(w) == 1:
        return (
            f"Ties {value:.2f} of 1: the two are {_degree(value)} tied "
            f"({_kinds(rows(si, sj), w[si, sj])}); "
            f"under this framing {framing_weighs(ctx.framing)}."
        )
    return (
        f"Ties {value:.2f} of 1: on average the members are {_degree(value)} tied; "
        f"under this framing {framing_weighs(ctx.framing)}. The closest pair is "
        f"{_pair(ctx, members[si], members[sj])} ({w[si, sj]:.2f}: "
        f"{_kinds(rows(si, sj), w[si, sj])}), the loosest "
        f"{_pair(ctx, members[wi], members[wj])} ({w[wi, wj]:.2f}: "
        f"{_kinds(rows(wi, wj), w[wi, wj])})."
    )


def _connectivity_sentence(ctx: Context, members, g: GroupScores) -> str:
    value = g.connectivity[0]
    if len(members) == 2:
        return f"Connectivity {value:.2f} of 1: with two members it is simply their tie."
    fiedler = g.fiedler[0]
    side_a = sorted(m for m, v in zip(members, fiedler, strict=True) if v < 0)
    side_b = sorted(m for m, v in zip(members, fiedler, strict=True) if v >= 0)
    small, large = sorted((side_a, side_b), key=len)
    if not small:
        return f"Connectivity {value:.2f} of 1: the members form one network with no weak seam."
    if value >= 0.5 + NEAR:
        return (
            f"Connectivity {value:.2f} of 1: the members form one well-knit network; its "
            f"weakest seam runs between {_names(ctx, small)} and {_names(ctx, large)}."
        )
    if value >= 0.5 - NEAR:
        return (
            f"Connectivity {value:.2f} of 1: the members come close to one well-knit "
            f"network; its weakest seam runs between {_names(ctx, small)} and "
            f"{_names(ctx, large)}."
        )
    if value >= 0.2:
        return (
            f"Connectivity {value:.2f} of 1: the members form one network with a weak seam, "
            f"between {_names(ctx, small)} on one side and {_names(ctx, large)} on the "
            "other, which are tied to each other less than each side is within itself."
        )
    return (
        f"Connectivity {value:.2f} of 1: the members fall into two camps that are barely "
        f"tied to each other: {_names(ctx, small)} on one side, "
        f"{_names(ctx, large)} on the other."
    )


def _lattice_sentence(ctx: Context, members, g: GroupScores) -> str:
    if len(members) == 2:
        return (
            f"Lattice {g.lattice[0]:.2f} of 1: with two members there is no hub, so it "
            "equals their tie."
        )
    hub = _name(ctx, members[int(g.hub[0])])
    ratio = g.lattice[0] / g.ties[0] if g.ties[0] > 0 else 0.0
    if _near(ratio, 0.6, 0.05):
        shape = "between a web and hub-and-spoke: the others are tied to one another, but "
        shape += "less than to the hub"
    elif ratio >= 0.6:
        shape = "a web: the others are well tied to one another too"
    else:
        shape = "hub-and-spoke: the others are tied mainly through the hub"
    return (
        f"Lattice {g.lattice[0]:.2f} of 1: {hub} is the hub, the member the others are most "
        f"tied through. Without it the others' ties average {g.lattice[0]:.2f}, against "
        f"{g.ties[0]:.2f} for the whole grouping, so it is {shape}."
    )


def _rivals(ctx: Context, members, idx) -> str:
    """A sentence on the members who see one another as threats (from REAL_THREAT), the
    most feared pair first: such a pair counts for nothing in the shared threat; '' when
    there is none."""
    where = {ctx.codes[t]: k for k, t in enumerate(ctx.targets)}
    pairs = sorted(
        (
            (-float(ctx.threat[i, where[b]]), a, b)
            for a, i in zip(members, idx, strict=True)
            for b in members
            if b != a and b in where and ctx.threat[i, where[b]] >= REAL_THREAT
        ),
    )
    if not pairs:
        return ""
    level, a, b = pairs[0]
    more = len({frozenset((x, y)) for _, x, y in pairs}) - 1
    tail = f", and {more} more pair{'s' if more > 1 else ''} of members likewise" if more else ""
    return (
        f" {_name(ctx, a)} sees {_name(ctx, b)} as a threat ({-level:.2f} of 1), so the two "
        f"share no threat outlook{tail}."
    )


def _threat_sentence(ctx: Context, members, idx, g: GroupScores) -> str:
    return _threat_head(ctx, members, idx, g) + _rivals(ctx, members, idx)


def _threat_head(ctx: Context, members, idx, g: GroupScores) -> str:
    value = g.threat[0]
    cols = [
        k
        for k, t in enumerate(ctx.targets)
        if ctx.codes[t] not in members and (ctx.threat[idx, k] > 0).any()
    ]
    if not cols:
        return (
            f"Shared threat {value:.2f} of 1: no member is recorded as seeing a country "
            "outside the grouping as a threat, so nothing binds them against one."
        )
    # the threat the members share most: the target whose lowest level among the members
    # who hold a view of it is highest, with at least two of them holding one
    common, shared = None, 0.0
    for k in cols:
        levels = [v for v in ctx.threat[idx, k] if v > 0]
        if len(levels) >= 2 and min(levels) > shared:
            common, shared = k, min(levels)
    alike = (
        "largely share"
        if value >= 0.6 + NEAR
        else "come close to sharing"
        if value >= 0.6 - NEAR
        else "partly share"
        if value >= 0.4
        else "share little of"
    )
    head = f"Shared threat {value:.2f} of 1: the members {alike} their view of outside threats"
    if common is None or shared < REAL_THREAT:
        # some of them may still share one: the target the most members see as real
        some = max(cols, key=lambda k: ((ctx.threat[idx, k] >= REAL_THREAT).sum(), -k))
        levels = zip(members, ctx.threat[idx, some], strict=True)
        holders = [m for m, v in levels if v >= REAL_THREAT]
        if len(holders) >= 2:
            target = ctx.codes[ctx.targets[some]]
            return (
                f"{head}; only some of them share a real threat: {_names(ctx, holders)} "
                f"see {_name(ctx, target)} as one."
            )
        return head + "; no two of them are recorded as seeing the same country as a real threat."
    target = ctx.codes[ctx.targets[common]]
    holders = [m for m, v in zip(members, ctx.threat[idx, common], strict=True) if v > 0]
    return (
        f"{head}; the threat they share most is {_name(ctx, target)} "
        f"({_names(ctx, holders)}: each at least {shared:.2f} of 1)."
    )


def _friction_sentence(ctx: Context, members, g: GroupScores) -> str:
    rows = [
        f for f in ctx.dataset.frictions if f.active(ctx.year) and f.a in members and f.b in members
    ]
    if not rows:
        return "Friction 0 (subtracted): no dispute or grievance between members is active."
    top = max(rows, key=lambda f: f.severity)
    count = "one is" if len(rows) == 1 else f"{len(rows)} are"
    return (
        f"Friction {g.friction[0]:.2f} of 1 (subtracted): of the disputes and grievances "
        f"between members, {count} active; the largest is the {kind_words(top.kind)} "
        f"between {_pair(ctx, top.a, top.b)} ({top.severity:.2f} of 1)."
    )


def _sensitivity_sentence(ctx: Context, members, g: GroupScores) -> str:
    sens = g.member_sensitivity[0]
    if float(sens.max()) <= 0:
        return "Sensitivity 0 (subtracted): no member is uneasy with this grouping or its framing."
    who = members[int(np.argmax(sens))]
    triggers = [
        s
        for s in ctx.dataset.sensitivities
        if s.actor == who and triggered(s, ctx.framing, members, ctx.year)
    ]
    top = max(triggers, key=lambda s: s.severity)
    return (
        f"Sensitivity {g.sensitivity[0]:.2f} of 1 (subtracted): {_name(ctx, who)} is the most "
        f"uneasy member ({float(sens.max()):.2f} of 1, the veto risk), mainly about "
        f"{trigger_words(ctx.dataset, top.trigger)} ({top.severity:.2f})."
    )


def explain(ctx: Context, members: tuple[str, ...], g: GroupScores) -> list[str]:
    """Sentences for ties, connectivity, lattice, threat, friction and sensitivity, in that
    order (after one naming any member tied to nobody, which sets cohesion to 0).

    ``g`` holds the scores of the single group ``members`` (sorted codes).
    """
    idx = [ctx.dataset.index(m) for m in members]
    lonely = [m for m, i in zip(members, g.isolated[0], strict=True) if i]
    head = []
    if lonely:
        verb = "has" if len(lonely) == 1 else "have"
        head.append(
            f"Cohesion is 0 because {_names(ctx, lonely)} ({', '.join(lonely)}) {verb} no "
            "active tie with any other member in this year: a member tied to nobody is not "
            "part of the grouping."
        )
    return [
        *head,
        _ties_sentence(ctx, members, idx, g),
        _connectivity_sentence(ctx, members, g),
        _lattice_sentence(ctx, members, g),
        _threat_sentence(ctx, members, idx, g),
        _friction_sentence(ctx, members, g),
        _sensitivity_sentence(ctx, members, g),
    ]
