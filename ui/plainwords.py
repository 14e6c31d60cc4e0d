"""Reference points and plain words around a score on the build page: where it sits among
well-known groupings, what adding one more would do, and the exact terms behind each
sentence of the explanation (shown as help)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from model import COMPONENTS, Dataset, Score
from model.explain import TERMS
from ui.plotspec import Figure, trace
from ui.style import MEMBER_COLOUR, OTHER_COLOUR
from ui.text import chart_text

if TYPE_CHECKING:  # pandas loads when a table is made: a page showing none loads none
    import pandas as pd

__all__ = [
    "THIS_GROUPING",
    "additions_heading",
    "explanation_items",
    "yardstick_figure",
    "yardstick_sentence",
    "yardstick_table",
]

THIS_GROUPING = "This grouping"


def explanation_items(result: Score) -> list[tuple[str, str | None]]:
    """Each sentence of the explanation with the exact terms behind it (None for the one
    naming a member tied to nobody)."""
    lines = list(result.explanation)
    head = lines[: len(lines) - len(COMPONENTS)]
    tail = lines[len(head) :]
    return [(line, None) for line in head] + [
        (line, TERMS[c]) for line, c in zip(tail, COMPONENTS, strict=True)
    ]


def additions_heading(additions: Sequence[tuple[str, float]]) -> tuple[str, str]:
    """The title and caption of the additions list: "Best additions" only when one raises
    the score."""
    if any(delta > 0 for _, delta in additions):
        return (
            "Best additions",
            "The change in cohesion from adding one more state; a click adds it.",
        )
    return (
        "Effect of adding one more",
        "Every state would lower the score; these lower it least. A click adds it.",
    )


def _rows(ds: Dataset, result: Score, scores: Sequence[tuple[str, str, float]]):
    """(name, cohesion, is this scenario) for the presets and, unless it is one, this
    grouping; highest first."""
    members = result.scenario.members
    rows = [(name, v, ds.presets[pid].members == members) for pid, name, v in scores]
    if not any(mine for *_, mine in rows) and result.cohesion is not None:
        rows.append((THIS_GROUPING, result.cohesion, True))
    return sorted(rows, key=lambda r: -r[1])


def yardstick_sentence(ds: Dataset, result: Score, scores) -> str:
    """Where the score sits among the presets scored in the same framing and year."""
    s = result.scenario
    rows = _rows(ds, result, scores)
    at = next(i for i, r in enumerate(rows) if r[2])
    framed = {"alliance": "alliances", "dialogue": "security dialogues"}.get(
        s.framing, "economic blocs"
    )
    changed = " with the same changes to the record" if s.what_if else ""
    text = (
        f"Scored as {framed} in {s.year}{changed}, the {len(rows) - 1} well-known groupings range "
        f"from {min(r[1] for r in rows if not r[2]):.1f} to "
        f"{max(r[1] for r in rows if not r[2]):.1f}; this one ranks {at + 1} of {len(rows)}"
    )
    above = rows[at - 1] if at > 0 else None
    below = rows[at + 1] if at + 1 < len(rows) else None
    if above and below:
        text += f", between {above[0]} ({above[1]:.1f}) and {below[0]} ({below[1]:.1f})"
    elif below:
        text += f", ahead of {below[0]} ({below[1]:.1f})"
    elif above:
        text += f", behind {above[0]} ({above[1]:.1f})"
    return text + "."


def yardstick_table(ds: Dataset, result: Score, scores) -> pd.DataFrame:
    """The yardstick's bars as a table: each grouping and its cohesion, highest first."""
    import pandas as pd

    rows = _rows(ds, result, scores)
    return pd.DataFrame(
        {
            "grouping": [n for n, _, _ in rows],
            "cohesion": [round(v, 1) for _, v, _ in rows],
            "this scenario": ["✓" if mine else "" for *_, mine in rows],
        }
    )


def yardstick_figure(ds: Dataset, result: Score, scores) -> Figure:
    """The presets' scores as bars, this grouping's highlighted."""
    rows = _rows(ds, result, scores)
    fig = Figure(
        [
            trace(
                "bar",
                x=[v for _, v, _ in rows],
                y=[chart_text(n) for n, _, _ in rows],
                orientation="h",
                marker={
                    "color": [MEMBER_COLOUR if mine else OTHER_COLOUR for *_, mine in rows],
                    "line": {"color": ["#7a5200" if mine else "#9aa1ab" for *_, mine in rows]},
                },
                text=[f"{v:.1f}" for _, v, _ in rows],
                textposition="outside",
                hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            )
        ]
    )
    fig.update_layout(
        height=60 + 24 * len(rows),
        margin={"l": 4, "r": 4, "t": 8, "b": 4},
        xaxis={"range": [0, 105], "title": {"text": "cohesion, same framing and year"}},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig
