"""Tables that compare several slots (the compare page)."""

from __future__ import annotations

import pyarrow as pa

from model import Dataset
from ui.slots_state import Slot

__all__ = ["member_table"]


def member_table(ds: Dataset, slots: list[Slot], labels: list[str]) -> pa.Table:
    """Who is in which slot: one row per actor in any slot, those in most slots first.
    An Arrow table, sorted here: st.dataframe sends it as it is (a pandas frame, sorted
    and converted, cost a compare page run ~2 ms)."""
    codes = sorted({c for s in slots for c in s.members})
    rows = []
    for c in codes:
        row = {"actor": f"{ds.actor(c).name} ({c})"}
        for i, (s, _) in enumerate(zip(slots, labels, strict=True)):
            row[f"slot {i + 1}"] = "✓" if c in s.members else ""
        row["in"] = sum(c in s.members for s in slots)
        rows.append(row)
    rows.sort(key=lambda row: (-row["in"], row["actor"]))
    return pa.Table.from_pylist([{k: v for k, v in row.items() if k != "in"} for row in rows])
