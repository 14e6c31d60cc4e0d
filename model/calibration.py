"""The calibration table of docs/method.md: every preset under each framing, two years;
and the yardstick a score is read against (the presets scored like the scenario).

``python -m model.calibration`` rewrites the table in docs/method.md between its markers;
a test fails when the document and the code disagree, so the table cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

from model.data import Dataset, load_dataset
from model.provenance import cohesion_of
from model.scenario import Scenario
from model.schema import FRAMINGS
from model.score import score

__all__ = [
    "CALIBRATION_YEARS",
    "END",
    "START",
    "calibration_markdown",
    "rewrite",
    "yardstick",
]

CALIBRATION_YEARS: tuple[int, int] = (2024, 2010)
START, END = "<!-- calibration:start -->", "<!-- calibration:end -->"
METHOD = Path(__file__).resolve().parent.parent / "docs" / "method.md"


def calibration_markdown(ds: Dataset, years: tuple[int, ...] = CALIBRATION_YEARS) -> str:
    """A markdown table: cohesion of each preset under each framing in each year."""
    head = ["preset", "members", "own framing"]
    head += [f"{f} {y}" for y in years for f in FRAMINGS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for p in ds.presets.values():
        cells = [p.id, ", ".join(p.members), p.framing]
        for y in years:
            for f in FRAMINGS:
                c = score(ds, Scenario(p.members, f, y)).cohesion
                mark = "**" if f == p.framing else ""
                cells.append(f"{mark}{c:.1f}{mark}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def yardstick(ds: Dataset, s: Scenario) -> list[tuple[str, str, float]]:
    """Every preset's (id, name, cohesion) under the framing, year, weights and what-if
    edits of ``s``, highest first: the reference points its score is read against, on the
    same data as the score itself."""
    out = []
    for p in ds.presets.values():
        value = cohesion_of(ds, Scenario(p.members, s.framing, s.year, s.weights, s.what_if))
        if value is not None:
            out.append((p.id, p.name, value))
    return sorted(out, key=lambda t: (-t[2], t[1]))


def rewrite(path: Path = METHOD, ds: Dataset | None = None) -> bool:
    """Put the current table into ``path``; True if the file changed."""
    text = path.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    table = calibration_markdown(ds or load_dataset())
    new = f"{before}{START}\n{table}\n{END}{after}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = rewrite()
    print(f"{METHOD}: {'updated' if changed else 'already current'}")
    sys.exit(0)
