"""Tables that compare several slots (the compare page)."""

from __future__ import annotations

import pandas as pd

from model import Dataset
from ui.slots_state import Slot

__all__ = ["member_table"]


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
