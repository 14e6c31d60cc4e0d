"""What leaves the dashboard: chart images named after the scenario, and the numbers of
every page as spreadsheet-safe CSV.

A chart offers one button, a PNG at twice the screen's resolution, named like
``asian-nato-alliance-2024-network.png`` (the rest of plotly's toolbar stays off). A CSV is
written with every number unrounded and every text cell made safe for a spreadsheet as the
data page's downloads are (:func:`model.export.safe_csv`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from model import COMPONENTS, Dataset, Score, SearchResult, Weights
from model.difference import component_points, weighted_points
from model.export import safe_csv
from model.words import CHANGE_IF_LEFT, grouping_stem, slug
from model.words import file_stem as scenario_name
from ui.slots_state import Slot
from ui.style import COMPONENT_LABELS
from ui.timeline import WHAT_IF

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = [
    "IMAGE_SCALE",
    "build_numbers",
    "chart_config",
    "compare_numbers",
    "csv_bytes",
    "finder_numbers",
    "scenario_name",
    "slots_name",
    "timeline_numbers",
]

#: Chart images are drawn at this multiple of their size on screen.
IMAGE_SCALE = 2


def slots_name(ds: Dataset, page: str, slots: Sequence[Slot], year: int | str) -> str:
    """The stem of a compare or timeline file: ``compare-quad-vs-squad-2024`` (a slot with
    what-if edits reads ``squad-what-if``)."""
    parts = [slug(grouping_stem(ds, s.members), "what-if" if s.what_if else "") for s in slots]
    return slug(page, "-vs-".join(parts), year)


def chart_config(name: str) -> dict:
    """Plotly's settings for a chart whose only tool is a PNG download named ``name``."""
    return {
        "displayModeBar": True,
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": IMAGE_SCALE},
    }


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8, unrounded numbers, blanks for missing values), every text
    cell safe in a spreadsheet."""
    return safe_csv(frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8"))


def _number(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def build_numbers(ds: Dataset, result: Score) -> pd.DataFrame:
    """Every number of the build page in one long table: ``section, item, measure, value``.

    The scenario first (members, framing, year, weights), then the score and its interval,
    each component (its value 0–1 and its points), each member's contribution, and the
    effect of adding each state.
    """
    import pandas as pd

    s = result.scenario
    rows: list[tuple[str, str, str, object]] = [
        ("scenario", "members", "codes", " ".join(s.members)),
        ("scenario", "framing", "name", s.framing),
        ("scenario", "year", "year", s.year),
    ]
    rows += [("weight", COMPONENT_LABELS[c], "weight", w) for c, w in s.weights.as_dict().items()]
    rows += [("what if", f"change {i + 1}", "edit", e.text()) for i, e in enumerate(s.what_if)]
    rows.append(("score", "cohesion", "points (0-100)", _number(result.cohesion)))
    if result.record_cohesion is not None:
        rows.append(("score", "cohesion on the record", "points (0-100)", result.record_cohesion))
    if result.interval:
        for q in ("p5", "p50", "p95"):
            rows.append(("score", f"interval {q}", "points (0-100)", result.interval[q]))
    if result.components is not None:
        values, points = result.components.as_dict(), component_points(result)
        for c in COMPONENTS:
            rows.append(("component", COMPONENT_LABELS[c], "value (0-1)", values[c]))
            rows.append(("component", COMPONENT_LABELS[c], "points", points[c]))
    if result.hub:
        rows.append(("score", "hub", "code", result.hub))
    if result.veto_risk:
        rows.append(
            ("score", f"veto risk {result.veto_risk[0]}", "value (0-1)", result.veto_risk[1])
        )
    for code, c in result.contributions.items():
        rows.append(("member", code, "Shapley (points)", c["shapley"]))
        rows.append(("member", code, f"{CHANGE_IF_LEFT} (points)", c["change_if_left"]))
    for code, delta in result.best_additions:
        rows.append(("adding one more", code, "change (points)", delta))
    return pd.DataFrame(rows, columns=["section", "item", "measure", "value"])


def compare_numbers(
    results: Sequence[Score], labels: Sequence[str], beats: Sequence[float | None]
) -> pd.DataFrame:
    """The compare page's slots side by side: one row per measure, one column per slot.

    ``beats[i]`` is the share of draws in which slot ``i`` scores above slot 1.
    """
    import pandas as pd

    columns = [f"slot {i + 1}: {label}" for i, label in enumerate(labels)]
    table: dict[str, list[object]] = {"measure": []}
    for c in columns:
        table[c] = []

    def row(measure: str, values: Sequence[object]) -> None:
        table["measure"].append(measure)
        for c, v in zip(columns, values, strict=True):
            table[c].append(v)

    row("members", [" ".join(r.scenario.members) for r in results])
    row("framing", [r.scenario.framing for r in results])
    row("year", [r.scenario.year for r in results])
    row("what if", [r.scenario.what_if_text for r in results])
    row("cohesion", [_number(r.cohesion) for r in results])
    row("cohesion on the record", [r.record_cohesion for r in results])
    for q in ("p5", "p50", "p95"):
        row(f"interval {q}", [r.interval[q] if r.interval else None for r in results])
    row("share of draws above slot 1", list(beats))
    for c in COMPONENTS:
        label = COMPONENT_LABELS[c]
        row(
            f"{label} (0-1)", [r.components.as_dict()[c] if r.components else None for r in results]
        )
    for c in COMPONENTS:
        label = COMPONENT_LABELS[c]
        row(
            f"{label} (points)",
            [component_points(r)[c] if r.components else None for r in results],
        )
    return pd.DataFrame(table)


def finder_numbers(result: SearchResult, weights: Weights | None = None) -> pd.DataFrame:
    """The finder's results: rank, members, cohesion, each component and its points."""
    import pandas as pd

    rows = []
    for i, f in enumerate(result.results):
        row: dict[str, object] = {"rank": i + 1, "members": " ".join(f.members)}
        row["cohesion"] = f.cohesion
        points = weighted_points(f.components, weights or Weights(), f.cohesion)
        for c in COMPONENTS:
            row[f"{COMPONENT_LABELS[c]} (0-1)"] = f.components[c]
            row[f"{COMPONENT_LABELS[c]} (points)"] = points[c]
        rows.append(row)
    return pd.DataFrame(rows)


def timeline_numbers(labels: Sequence[str], series: Sequence[dict]) -> pd.DataFrame:
    """Each slot's cohesion by year with its 90% band and the events of that year
    (blank where the grouping has no score), and a slot's what-if line after it."""
    import pandas as pd

    lines = []
    for i, (label, s) in enumerate(zip(labels, series, strict=True)):
        lines.append((f"{i + 1}. {label}", s))
        if s.get("what_if") is not None:  # a slot's what-if line (no band)
            lines.append((f"{i + 1}. {label}{WHAT_IF}", s["what_if"]))
    rows = []
    for slot, s in lines:
        for k, year in enumerate(s["year"]):
            events = s["events"].get(int(year), ())
            rows.append(
                {
                    "slot": slot,
                    "year": int(year),
                    "cohesion": _number(s["cohesion"][k]),
                    "p5": _number(s["p5"][k]) if "p5" in s else None,
                    "p95": _number(s["p95"][k]) if "p95" in s else None,
                    "events": "; ".join(e.what for e in events),
                    "sources": "; ".join(sorted({k for e in events for k in e.sources})),
                }
            )
    return pd.DataFrame(rows)
