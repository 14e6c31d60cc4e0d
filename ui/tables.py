"""Tables that compare several slots (the compare page)."""

from __future__ import annotations

import pandas as pd

from model import Dataset
from model import context as model_context
from ui.slots_state import Slot

__all__ = ["member_table", "pair_differences"]


def member_table(ds: Dataset, slots: list[Slot], labels: list[str]) -> pd.DataFrame:
    """Who is in which slot: one row per actor in any slot."""
    codes = sorted({c for s in slots for c in s.members})
    rows = []
    for c in codes:
        row = {"actor": f"{ds.actor(c).name} ({c})"}
        for i, (s, _) in enumerate(zip(slots, labels, strict=True)):
            row[f"slot {i + 1}"] = "✓" if c in s.members else ""
        row["in"] = sum(c in s.members for s in slots)
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(["in", "actor"], ascending=[False, True]).drop(columns="in")


def pair_differences(ds: Dataset, slots: list[Slot], year: int, top: int = 12) -> pd.DataFrame:
    """Member pairs whose framed tie differs most across slots (absent pair = blank).

    The spread is max minus min over the slots, counting a slot without the pair as 0:
    a pair that only one option contains, or that one framing weighs far more, ranks high.
    """
    pairs = sorted(
        {tuple(sorted((a, b))) for s in slots for a in s.members for b in s.members if a < b}
    )
    rows = []
    for a, b in pairs:
        row: dict[str, object] = {"pair": f"{a}–{b}"}
        values = []
        for i, s in enumerate(slots):
            if a in s.members and b in s.members:
                ctx = model_context(ds, year, s.framing)
                v = float(ctx.ties[ds.index(a), ds.index(b)])
                row[f"slot {i + 1}"] = round(v, 2)
                values.append(v)
            else:
                row[f"slot {i + 1}"] = None
                values.append(0.0)
        row["spread"] = round(max(values) - min(values), 2)
        rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(["spread", "pair"], ascending=[False, True]).head(top)
