"""Cohesion over the years, and the dated events that moved it.

A year in which a member is tied to no other member has no score (NaN), not 0: the
grouping does not exist yet (on the build page the same year scores 0 by the rule that a
member tied to nobody is not part of the grouping, and says who). An event's ``effect``
is the cohesion of its year minus the cohesion of that year with the event undone (the
row that starts left out, the row that ends kept on), each recomputed in full; the
effects of one year's events need not add up to the year's change, since the parts of
the score are not additive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from model.cohesion import Weights, build_context, context, score_groups, score_in_force
from model.data import Dataset
from model.rows import (
    Edit,
    in_force,
    judgements,
    lends_ties,
    recorded_values,
    triggered,
    triggered_rows,
)
from model.scenario import Scenario, dataset_for
from model.uncertainty import interval, simulate
from model.words import FRAMED_AS, kind_words, name, pair_words

__all__ = [
    "Event",
    "YearChange",
    "biggest_changes",
    "cohesion_series",
    "event_effects",
    "events_in",
    "largest_effect",
    "timeline",
    "timeline_changes",
    "with_effects",
]


@dataclass(frozen=True)
class Event:
    """A dated row that starts (or stops) counting for a grouping in ``year``."""

    year: int
    what: str  # e.g. "tie Japan–United States access agreement 0.70 starts"
    sources: tuple[str, ...]
    note: str
    size: float = 0.0  # how much it moves: the value, or the size of a change
    table: str = ""  # ties, frictions, sensitivities or threats
    started: tuple = ()  # the rows that begin to count this year
    ended: tuple = ()  # the rows that stopped counting after last year
    effect: float | None = None  # cohesion minus cohesion with the event undone


@dataclass(frozen=True)
class YearChange:
    year: int
    delta: float
    cohesion: float
    events: tuple[Event, ...]


def cohesion_series(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    years: range,
    weights: Weights = Weights(),
    draws: int = 0,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Cohesion (and, with draws, p5/p95) of one grouping for each year in ``years``.

    Returns arrays ``year``, ``cohesion`` and, with draws, ``p5`` and ``p95``; NaN where a
    grouping has fewer than two members, and in a year when a member is tied to no other.
    """
    ys = np.array(list(years), dtype=int)
    out = {"year": ys, "cohesion": np.full(len(ys), np.nan)}
    if draws:
        out["p5"], out["p95"] = np.full(len(ys), np.nan), np.full(len(ys), np.nan)
    if len(members) < 2:
        return out
    idx = np.array([[ds.index(m) for m in members]])
    for i, y in enumerate(ys):
        g = score_groups(context(ds, int(y), framing), idx, weights)
        if g.isolated[0].any():  # a member tied to no other: no grouping yet (or any more)
            continue
        out["cohesion"][i] = g.cohesion[0]
        if draws:
            band = interval(simulate(ds, members, framing, int(y), weights, draws, seed))
            out["p5"][i], out["p95"][i] = band["p5"], band["p95"]
    return out


def events_in(ds: Dataset, members: tuple[str, ...], framing: str, year: int) -> list[Event]:
    """Rows that start in ``year``, or ended the year before, and touch the grouping
    (a row that is never in force, ``until`` before ``since``, is no event).

    A row that ends where another of the same kind starts reads as one change
    ("0.70 → 0.30"); events are ordered by how much they move, largest first.
    """
    inside = set(members)
    started: dict[tuple, tuple[float, object]] = {}
    ended: dict[tuple, tuple[float, object]] = {}

    def moves(row) -> bool:
        """Whether the row starts this year or ended last year (and is ever in force: a
        what-if removal can end a row before it starts)."""
        if row.until is not None and row.until < row.since:
            return False
        return row.since == year or (row.until is not None and row.until == year - 1)

    def add(table: str, row, subject: str, size: float) -> None:
        if row.since == year:
            started[(table, subject, len(started))] = (size, row)
        else:
            ended[(table, subject, len(ended))] = (size, row)

    # each subject is worded (by name) only for a row that moves this year
    for t in ds.ties:
        if t.a in inside and t.b in inside and moves(t):
            add("ties", t, f"tie {pair_words(ds, t.a, t.b)} {kind_words(t.kind)}", t.strength)
    for f in ds.frictions:
        if f.a in inside and f.b in inside and moves(f):
            what = f"friction {pair_words(ds, f.a, f.b)} {kind_words(f.kind)}"
            add("frictions", f, what, f.severity)
    for s in ds.sensitivities:
        if triggered(s, framing, inside) and moves(s):  # at any time: it starts or ends here
            about = (
                FRAMED_AS[s.trigger[8:]]
                if s.trigger.startswith("framing:")
                else f"sitting with {name(ds, s.trigger.removeprefix('member:'))}"
            )
            add("sensitivities", s, f"unease of {name(ds, s.actor)} about {about}", s.severity)
    for t in ds.threats:
        if t.actor in inside and t.target not in inside and moves(t):
            what = f"threat {name(ds, t.actor)} sees in {name(ds, t.target)}"
            add("threats", t, what, t.level)
    events: list[Event] = []
    old: dict[tuple[str, str], list[tuple[float, object]]] = {}
    for (table, subject, _), item in ended.items():
        old.setdefault((table, subject), []).append(item)
    for (table, subject, _), (size, row) in started.items():
        if old.get((table, subject)):
            before, gone = old[(table, subject)].pop(0)
            events.append(
                Event(
                    year,
                    f"{subject} {before:.2f} → {size:.2f}",
                    row.sources,
                    row.note,
                    abs(size - before),
                    table,
                    (row,),
                    (gone,),
                )
            )
        else:
            what = f"{subject} {size:.2f} starts"
            events.append(Event(year, what, row.sources, row.note, size, table, (row,)))
    for (table, subject), items in old.items():
        for size, row in items:
            what = f"{subject} {size:.2f} ended in {row.until}"
            events.append(Event(year, what, row.sources, row.note, size, table, (), (row,)))
    return sorted(events, key=lambda e: (-e.size, e.what))


def _undone(ds: Dataset, e: Event) -> Dataset:
    """``ds`` with the event undone: its new rows left out, its ended rows kept on. Its
    fingerprint names exactly that change (the model's caches key on it)."""
    started, ended = {id(x) for x in e.started}, {id(x) for x in e.ended}
    rows = [r for r in getattr(ds, e.table) if id(r) not in started]
    rows = [replace(r, until=e.year) if id(r) in ended else r for r in rows]
    tag = f"{e.table}-{e.year}-{hash((e.started, e.ended)):x}"  # the rows' content
    return replace(ds, **{e.table: tuple(rows)}, fingerprint=f"{ds.fingerprint}-undo-{tag}")


def event_effects(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    events,
    weights: Weights = Weights(),
) -> tuple[Event, ...]:
    """``events`` (of one year) with their ``effect`` on the grouping's cohesion: the
    cohesion that year minus the cohesion with the event undone (None where either has
    no score)."""
    if len(members) < 2 or not events:
        return tuple(events)
    year = events[0].year
    idx = np.array([[ds.index(m) for m in members]])
    now = _cohesion(score_groups(context(ds, year, framing), idx, weights))
    positions = _positions(ds, {e.table for e in events if e.table})
    out = []
    for e in events:
        before = _undone_cohesion(ds, members, framing, weights, e, positions) if e.table else None
        effect = None if now is None or before is None else now - before
        out.append(replace(e, effect=effect))
    return tuple(out)


def _cohesion(g) -> float | None:
    """The one grouping's cohesion in scores ``g``; None when a member is tied to nobody."""
    return None if g.isolated[0].any() else float(g.cohesion[0])


def _positions(ds: Dataset, tables: set[str]) -> dict[str, dict[int, int]]:
    """Each row's position in its table, by the row's identity, for ``tables``."""
    return {t: {id(r): i for i, r in enumerate(getattr(ds, t))} for t in tables}


def _undone_cohesion(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    weights: Weights,
    e: Event,
    positions: dict[str, dict[int, int]],
) -> float | None:
    """The grouping's cohesion in ``e.year`` with the event undone (None without a
    score). Its rows are held out of force or kept in it within the members' own arrays
    (:class:`model.rows.Edit`), which is what a dataset without the event gives (a test
    says so to the last bit) at a fraction of the cost; a tie with an organisation
    changes the ties it lends its members, so that event is undone in a new dataset."""
    where = positions[e.table]
    edit = Edit(
        e.table,
        off=frozenset(where[id(r)] for r in e.started),
        on=frozenset(where[id(r)] for r in e.ended),
    )
    if lends_ties(ds, edit):
        idx = np.array([[ds.index(m) for m in members]])
        g = score_groups(build_context(_undone(ds, e), e.year, framing), idx, weights)
    else:
        f = in_force(ds, e.year, tuple(ds.index(m) for m in members), edit)
        local = {m: i for i, m in enumerate(members)}
        rows, actor, other = triggered_rows(ds, framing, e.year, local, edit)
        sensitivity = (actor, other, judgements(ds, "sensitivities", rows))
        values = recorded_values(ds, f)
        g = score_in_force(ds, members, framing, f, values, sensitivity, weights.vector())
    return _cohesion(g)


def biggest_changes(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    series: dict[str, np.ndarray],
    top: int | None = 8,
    effects: bool = True,
) -> list[YearChange]:
    """The largest year-on-year moves of a series (``top`` of them, or all), each with the
    events of that year; with ``effects``, each event's effect, the largest effect first."""
    years, values = series["year"], series["cohesion"]
    changes = []
    for i in range(1, len(years)):
        if np.isnan(values[i]) or np.isnan(values[i - 1]):
            continue
        delta = float(values[i] - values[i - 1])
        if abs(delta) >= 0.05:
            y = int(years[i])
            changes.append((y, delta, float(values[i])))
    changes.sort(key=lambda c: (-abs(c[1]), c[0]))
    out = []
    for y, delta, value in changes[:top]:
        events = events_in(ds, members, framing, y)
        out.append(YearChange(y, delta, value, tuple(events)))
    return [with_effects(ds, members, framing, c) for c in out] if effects else out


def with_effects(
    ds: Dataset, members: tuple[str, ...], framing: str, change: YearChange
) -> YearChange:
    """``change`` with each event's effect, the largest effect first."""
    events = event_effects(ds, members, framing, change.events)
    ranked = sorted(events, key=lambda e: (e.effect is None, -abs(e.effect or 0.0)))
    return replace(change, events=tuple(ranked))


# --------------------------------------------------------------------------- scenarios


def _events(ds: Dataset, s: Scenario, years: range) -> dict[int, list[Event]]:
    """The events that touch the grouping, per year, each with its effect on the score,
    the largest effect first (they mark the chart where one moves it visibly)."""
    out = {}
    for y in years:
        if events := events_in(ds, s.members, s.framing, y):
            measured = event_effects(ds, s.members, s.framing, events, s.weights)
            out[y] = sorted(measured, key=lambda e: (e.effect is None, -abs(e.effect or 0.0)))
    return out


def largest_effect(events: Sequence[Event]) -> float:
    """The largest size of an effect among a year's events (0 when none is measurable).

    >>> largest_effect([Event(2020, "a", (), "", effect=-1.5), Event(2020, "b", (), "")])
    1.5
    """
    return max((abs(e.effect) for e in events if e.effect is not None), default=0.0)


def timeline(
    ds: Dataset, scenarios: Sequence[Scenario], end: int, band_draws: int = 200
) -> list[dict]:
    """Each scenario's cohesion, band and events for every year from its ``year`` (the
    first year shown) to ``end``.

    A scenario with what-if edits also gets its ``what_if`` series (None otherwise): the
    edits hold from the first year shown unless they say otherwise, and its events are
    the ones its record does not have.
    """
    out = []
    for s in scenarios:
        years, later = range(s.year, end + 1), range(s.year + 1, end + 1)
        series = cohesion_series(ds, s.members, s.framing, years, draws=band_draws)
        series["events"] = _events(ds, s, later)
        series["what_if"] = None
        if s.what_if:
            changed = dataset_for(ds, s)
            what_if = cohesion_series(changed, s.members, s.framing, years)
            recorded = {y: {e.what for e in events} for y, events in series["events"].items()}
            what_if["events"] = {
                y: new
                for y, events in _events(changed, s, later).items()
                if (new := [e for e in events if e.what not in recorded.get(y, ())])
            }
            series["what_if"] = what_if
        out.append(series)
    return out


def timeline_changes(
    ds: Dataset, scenarios: Sequence[Scenario], series: Sequence[dict], top: int = 10
) -> list[tuple[int, bool, list[YearChange]]]:
    """Each scenario's biggest year-on-year changes with the effect of each event, and for
    a scenario with what-if edits the moves of its what-if line that differ from the
    record's: ``(scenario index, is the what-if line, changes)``. ``series`` is what
    :func:`timeline` gave for the same scenarios."""
    lines = []
    for i, (s, one) in enumerate(zip(scenarios, series, strict=True)):
        lines.append((i, False, biggest_changes(ds, s.members, s.framing, one, top=top)))
        if one.get("what_if") is None:
            continue
        changed = dataset_for(ds, s)
        years, values = one["year"], one["cohesion"]
        moves = {
            int(y): float(v - u) for y, u, v in zip(years[1:], values[:-1], values[1:], strict=True)
        }
        differ = [
            c
            for c in biggest_changes(changed, s.members, s.framing, one["what_if"], None, False)
            if not abs(c.delta - moves.get(c.year, 0.0)) < 0.05
        ]
        differ = [with_effects(changed, s.members, s.framing, c) for c in differ[:top]]
        lines.append((i, True, differ))
    return lines
