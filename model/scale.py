"""The reported scale: a monotone map from the model's raw cohesion to the score a reader
sees, fitted on the two blind rating panels (``docs/panel/panel.csv`` and
``holdout.csv``, 244 ratings).

The components' weighted sum (:func:`model.components.weighted_sum`, through
:func:`model.components.bounded`) gives a *raw* cohesion on 0-100 whose order is the
model's, but whose levels came out squeezed against what specialists say: the tightest
alliances read in the 70s, groupings with no working tie in the 20s. The map below
stretches that scale to the panels'. There is one map per framing, each fitted on the
ratings of its own framing: the three framings ask different questions of the same ties
(a mutual-defence pledge, a working partnership, a common economic front) and weigh them
by their own rules, so the same raw sum need not mean the same under each; the panels
read a security dialogue of partners higher, and an alliance of reluctant members lower,
than one map for all could say. Each map is piecewise linear between fixed knots on the
raw scale and strictly increasing (each segment's slope at least :data:`MIN_SLOPE`), so
every ordering the model makes within a framing is kept exactly: a grouping above another
on the raw scale is above it on the reported one. 0 stays 0 and 100 stays 100.

``python -m model.scale`` refits the map on the panels and rewrites :data:`REPORTED`, the
method page's table of it and the points its chart draws (``docs/panel/fit.csv``); a test
fails when they and a fresh fit disagree, so the map cannot drift from the panels or the
model. Fitting needs scipy (a
development dependency); reading the map needs only numpy.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.schema import FRAMINGS

__all__ = [
    "MIN_SLOPE",
    "PANELS",
    "POINTS",
    "RAW",
    "REPORTED",
    "Fit",
    "agreement",
    "fit",
    "fit_map",
    "panel_rows",
    "points_csv",
    "raw_cohesion",
    "reported",
    "rewrite",
    "scale_markdown",
]

ROOT = Path(__file__).resolve().parent.parent
PANELS = (ROOT / "docs" / "panel" / "panel.csv", ROOT / "docs" / "panel" / "holdout.csv")

#: Knots on the raw 0-100 scale. Few enough that each segment rests on several panel
#: ratings (the top one, 80-100, on the few groupings that reach it).
RAW: tuple[float, ...] = (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 100.0)
#: The reported score at each knot, per framing (fitted; rewritten by
#: ``python -m model.scale``).
# fit:start
REPORTED: dict[str, tuple[float, ...]] = {
    "alliance": (0.00, 15.24, 25.43, 33.44, 37.21, 47.44, 65.95, 80.24, 89.87, 100.00),
    "dialogue": (0.00, 22.24, 32.82, 39.84, 48.00, 60.51, 72.54, 77.26, 80.56, 100.00),
    "economic": (0.00, 19.63, 32.45, 39.63, 46.94, 55.71, 68.32, 84.43, 91.64, 100.00),
}
# fit:end
#: How much a change of slope between segments costs in the fit, against the misfit (mean
#: Huber loss, in squared points): enough that the map bends only where many ratings ask.
SMOOTH = 0.3
#: The least slope of any segment: a raw point is worth at least this many reported
#: points, so the map never flattens a difference the model sees.
MIN_SLOPE = 0.3

_RAW = np.array(RAW)
_REPORTED = {f: np.array(REPORTED[f]) for f in FRAMINGS}
assert _RAW[0] == 0.0 and _RAW[-1] == 100.0 and (np.diff(_RAW) > 0).all()
for _knots in _REPORTED.values():
    assert _knots[0] == 0.0 and _knots[-1] == 100.0
    assert (np.diff(_knots) >= MIN_SLOPE * np.diff(_RAW) - 1e-9).all()


def reported(raw, framing: str):
    """The reported score (0-100) of a raw cohesion (0-100) under ``framing``, element by
    element.

    >>> [float(reported(x, "alliance")) for x in (0.0, 100.0)]
    [0.0, 100.0]
    """
    return np.interp(raw, _RAW, _REPORTED[framing])


def raw_cohesion(result) -> float | None:
    """The raw cohesion of a scored scenario: 100 times the bounded weighted sum of its
    components (:func:`model.components.weighted_sum`, before the scale), 0 when a member
    is tied to no one, None without a score."""
    from model.components import bounded, weighted_sum  # components reads this module

    if result.cohesion is None or result.components is None:
        return None
    if result.isolated:
        return 0.0
    raw = weighted_sum(result.scenario.weights.vector(), *result.components.as_dict().values())
    return float(100.0 * bounded(raw))


def panel_rows(*paths: Path) -> list[dict]:
    """The rows of the panels at ``paths`` (both when none): id, the panel's file name,
    members (a sorted tuple), framing, year, rating, low, high."""
    out = []
    for path in paths or PANELS:
        with path.open(encoding="utf-8") as f:
            out += [
                {
                    "id": r["id"],
                    "panel": path.name,
                    "members": tuple(sorted(r["members"].split(";"))),
                    "framing": r["framing"],
                    "year": int(r["year"]),
                    **{k: float(r[k]) for k in ("rating", "low", "high")},
                }
                for r in csv.DictReader(f)
            ]
    return out


@dataclass(frozen=True)
class Fit:
    """Fitted maps: the reported value at each of :data:`RAW` per framing, and the
    ratings they were fitted on with their framing and raw cohesion."""

    reported: dict[str, tuple[float, ...]]
    raw: tuple[float, ...]
    rating: tuple[float, ...]
    framing: tuple[str, ...]

    def __call__(self, raw, framing):
        """The reported score of each raw cohesion under its framing (one framing for
        all, or one per value)."""
        raw = np.asarray(raw, dtype=float)
        framing = np.broadcast_to(np.asarray(framing), raw.shape)
        out = np.empty(raw.shape)
        for f in np.unique(framing):  # a framing with no map fitted is a KeyError
            here = framing == f
            out[here] = np.interp(raw[here], _RAW, self.reported[str(f)])
        return out


def _raw_scores(ds, rows: list[dict]) -> np.ndarray:
    from model.scenario import Scenario
    from model.score import score

    return np.array(
        [raw_cohesion(score(ds, Scenario(r["members"], r["framing"], r["year"]))) for r in rows]
    )


def fit(ds=None, rows: list[dict] | None = None) -> Fit:
    """Fit :data:`REPORTED` on ``rows`` (both panels when None): for each framing rated
    in them, the map (:func:`fit_map`) fitted on that framing's ratings alone."""
    from model.data import load_dataset

    ds = ds or load_dataset()
    rows = panel_rows() if rows is None else rows
    raw = _raw_scores(ds, rows)
    rating = np.array([r["rating"] for r in rows])
    framing = np.array([r["framing"] for r in rows])
    maps = {f: fit_map(raw[framing == f], rating[framing == f]) for f in FRAMINGS if f in framing}
    return Fit(maps, tuple(map(float, raw)), tuple(map(float, rating)), tuple(framing))


def fit_map(raw: np.ndarray, rating: np.ndarray) -> tuple[float, ...]:
    """The reported value at each of :data:`RAW` of the strictly increasing
    piecewise-linear map from 0 to 100 whose values come closest to ``rating`` at ``raw``
    (a Huber loss: squared within 5 points, absolute beyond, so a few ratings the model
    cannot reach do not bend the whole scale), with a small cost on each change of slope
    (:data:`SMOOTH`)."""
    from scipy.optimize import minimize

    if len(raw) == 0:
        raise ValueError("a map needs at least one rating to be fitted on")
    width = np.diff(_RAW)
    floor = MIN_SLOPE * width

    def values(step):
        return np.concatenate([[0.0], np.cumsum(step)])

    def loss(step):
        gap = np.interp(raw, _RAW, values(step)) - rating
        small = np.abs(gap) <= 5.0
        misfit = np.where(small, 0.5 * gap**2, 5.0 * (np.abs(gap) - 2.5)).mean()
        bend = np.diff(step / width) ** 2  # changes of slope from one segment to the next
        return float(misfit + SMOOTH * bend.sum())

    found = minimize(
        loss,
        x0=width.copy(),
        method="SLSQP",
        bounds=[(lo, None) for lo in floor],
        constraints=[{"type": "eq", "fun": lambda step: step.sum() - 100.0}],
        options={"maxiter": 500, "ftol": 1e-10},
    )
    step = np.maximum(found.x, floor)
    step *= 100.0 / step.sum()  # exactly 100 at the top, every slope still >= MIN_SLOPE
    knots = tuple(round(float(v), 2) for v in values(step))
    return (*knots[:-1], 100.0)


METHOD = ROOT / "docs" / "method.md"
POINTS = ROOT / "docs" / "panel" / "fit.csv"
START, END = "<!-- scale:start -->", "<!-- scale:end -->"


def agreement(scores, rows: list[dict]) -> tuple[int, float, float, float]:
    """(groupings, Spearman's rank correlation, mean absolute error, share inside the
    panel's ranges) of ``scores`` against the ratings of ``rows``."""
    from scipy.stats import spearmanr

    scores = np.asarray(scores, dtype=float)
    rating = np.array([r["rating"] for r in rows])
    low, high = (np.array([r[k] for r in rows]) for k in ("low", "high"))
    inside = float(((scores >= low) & (scores <= high)).mean())
    rho = float(spearmanr(scores, rating).statistic)
    return len(rows), rho, float(np.abs(scores - rating).mean()), inside


def scale_markdown(found: Fit, rows: list[dict], ds=None) -> str:
    """The method page's tables of the map: each knot's raw and reported score; and how
    the scores agree with each panel, in-sample and with the map fitted on the other
    panel alone."""
    head = "| raw cohesion | " + " | ".join(f"{x:.0f}" for x in RAW) + " |"
    rule = "|---|" + "---|" * len(RAW)
    body = [
        f"| reported, {f} | " + " | ".join(f"{y:.1f}" for y in found.reported[f]) + " |"
        for f in FRAMINGS
    ]
    lines = [head, rule, *body, ""]
    lines += [
        "| panel | scale fitted on | groupings | rank agreement | mean gap | inside range |",
        "|---|---|---|---|---|---|",
    ]
    names = ["first", "second"]
    parts = [[i for i, r in enumerate(rows) if r["panel"] == p.name] for p in PANELS]
    raw, framing = np.array(found.raw), np.array(found.framing)
    for name, part, other in zip(names, parts, reversed(parts), strict=True):
        own = [rows[i] for i in part]
        for label, scale in (
            ("both panels", found),
            ("the other panel alone", fit(ds, [rows[i] for i in other])),
        ):
            n, rho, gap, inside = agreement(scale(raw[part], framing[part]), own)
            lines.append(f"| {name} | {label} | {n} | {rho:.2f} | {gap:.1f} | {inside:.0%} |")
    return "\n".join(lines)


def points_csv(found: Fit, rows: list[dict]) -> str:
    """Every panel rating with the model's raw and reported score: the method page's
    chart of the map draws them."""
    lines = ["id,members,framing,year,rating,low,high,raw,reported"]
    for r, raw in zip(rows, found.raw, strict=True):
        members = ";".join(r["members"])
        lines.append(
            f"{r['id']},{members},{r['framing']},{r['year']},{r['rating']:g},{r['low']:g},"
            f"{r['high']:g},{raw:.2f},{float(found(raw, r['framing'])):.2f}"
        )
    return "\n".join(lines) + "\n"


def rewrite(ds=None) -> bool:
    """Refit, and write the knots into this module, their table into the method page and
    the panel's points into ``docs/panel/fit.csv``; True if anything changed."""
    rows = panel_rows()
    found = fit(ds, rows)
    knots = [
        f'    "{f}": (' + ", ".join(f"{v:.2f}" for v in found.reported[f]) + ")," for f in FRAMINGS
    ]
    line = "\n".join(["REPORTED: dict[str, tuple[float, ...]] = {", *knots, "}"])
    changed = False
    module = Path(__file__)
    text = module.read_text(encoding="utf-8")
    new = re.sub(r"(# fit:start\n).*?(\n# fit:end)", rf"\g<1>{line}\g<2>", text, flags=re.S)
    doc = METHOD.read_text(encoding="utf-8")
    before, _, rest = doc.partition(START)
    _, _, after = rest.partition(END)
    new_doc = f"{before}{START}\n{scale_markdown(found, rows, ds)}\n{END}{after}"
    for path, old, fresh in (
        (module, text, new),
        (METHOD, doc, new_doc),
        (POINTS, POINTS.read_text(encoding="utf-8") if POINTS.exists() else "", None),
    ):
        fresh = points_csv(found, rows) if fresh is None else fresh
        if fresh != old:
            path.write_text(fresh, encoding="utf-8")
            changed = True
    return changed


if __name__ == "__main__":
    print(f"the calibrated scale: {'updated' if rewrite() else 'already current'}")
    sys.exit(0)
