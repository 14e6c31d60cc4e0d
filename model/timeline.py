"""Cohesion over the years, and the dated events that moved it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.cohesion import Weights, context, score_groups
from model.data import Dataset
from model.uncertainty import interval, simulate

__all__ = ["Event", "YearChange", "biggest_changes", "cohesion_series", "events_in"]


@dataclass(frozen=True)
class Event:
    """A dated row that starts (or stops) counting for a grouping in ``year``."""

    year: int
    what: str  # e.g. "tie JPN–USA access agreement 0.70 starts"
    sources: tuple[str, ...]
    note: str
    size: float = 0.0  # how much it moves: the value, or the size of a change


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
    grouping has fewer than two members.
    """
    ys = np.array(list(years), dtype=int)
    out = {"year": ys, "cohesion": np.full(len(ys), np.nan)}
    if draws:
        out["p5"], out["p95"] = np.full(len(ys), np.nan), np.full(len(ys), np.nan)
    if len(members) < 2:
        return out
    idx = np.array([[ds.index(m) for m in members]])
    for i, y in enumerate(ys):
        out["cohesion"][i] = score_groups(context(ds, int(y), framing), idx, weights).cohesion[0]
        if draws:
            band = interval(simulate(ds, members, framing, int(y), weights, draws, seed))
            out["p5"][i], out["p95"][i] = band["p5"], band["p95"]
    return out


def _pair(a: str, b: str) -> str:
    return "–".join(sorted((a, b)))


def events_in(ds: Dataset, members: tuple[str, ...], framing: str, year: int) -> list[Event]:
    """Rows that start in ``year``, or ended the year before, and touch the grouping
    (a row that is never in force, ``until`` before ``since``, is no event).

    A row that ends where another of the same kind starts reads as one change
    ("0.70 → 0.30"); events are ordered by how much they move, largest first.
    """
    inside = set(members)
    started: dict[tuple, tuple[float, object]] = {}
    ended: dict[tuple, tuple[float, object]] = {}

    def add(row, subject: str, size: float) -> None:
        if row.until is not None and row.until < row.since:
            return  # never in force (a what-if removal can end a row before it starts)
        if row.since == year:
            started[(subject, len(started))] = (size, row)
        elif row.until is not None and row.until == year - 1:
            ended[(subject, len(ended))] = (size, row)

    for t in ds.ties:
        if t.a in inside and t.b in inside:
            add(t, f"tie {_pair(t.a, t.b)} {t.kind.replace('_', ' ')}", t.strength)
    for f in ds.frictions:
        if f.a in inside and f.b in inside:
            add(f, f"friction {_pair(f.a, f.b)} {f.kind.replace('_', ' ')}", f.severity)
    for s in ds.sensitivities:
        if s.actor in inside and (
            s.trigger == f"framing:{framing}" or s.trigger.removeprefix("member:") in inside
        ):
            add(s, f"sensitivity {s.actor} {s.trigger}", s.severity)
    for t in ds.threats:
        if t.actor in inside and t.target not in inside:
            add(t, f"threat view {t.actor} on {t.target}", t.level)
    events: list[Event] = []
    old: dict[str, list[tuple[float, object]]] = {}
    for (subject, _), item in ended.items():
        old.setdefault(subject, []).append(item)
    for (subject, _), (size, row) in started.items():
        if old.get(subject):
            before, _ = old[subject].pop(0)
            events.append(
                Event(
                    year,
                    f"{subject} {before:.2f} → {size:.2f}",
                    row.sources,
                    row.note,
                    abs(size - before),
                )
            )
        else:
            events.append(Event(year, f"{subject} {size:.2f} starts", row.sources, row.note, size))
    for subject, items in old.items():
        for size, row in items:
            events.append(
                Event(
                    year, f"{subject} {size:.2f} ended in {row.until}", row.sources, row.note, size
                )
            )
    return sorted(events, key=lambda e: (-e.size, e.what))


def biggest_changes(
    ds: Dataset,
    members: tuple[str, ...],
    framing: str,
    series: dict[str, np.ndarray],
    top: int = 8,
) -> list[YearChange]:
    """The largest year-on-year moves of a series, each with the events of that year."""
    years, values = series["year"], series["cohesion"]
    changes = []
    for i in range(1, len(years)):
        if np.isnan(values[i]) or np.isnan(values[i - 1]):
            continue
        delta = float(values[i] - values[i - 1])
        if abs(delta) >= 0.05:
            y = int(years[i])
            changes.append(
                YearChange(y, delta, float(values[i]), tuple(events_in(ds, members, framing, y)))
            )
    changes.sort(key=lambda c: (-abs(c.delta), c.year))
    return changes[:top]
