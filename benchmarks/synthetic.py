"""A random world of many actors, for benchmarks that need more than the built-in 26.

The numbers mean nothing: the shape (a sparse web of ties, some frictions, a few
sensitivities and threat views) is what the built-in dataset has, at a larger scale.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.data import Dataset, parse_tables
from model.schema import REGIONS, REQUIRED_COLUMNS

__all__ = ["synthetic_dataset", "synthetic_tables"]


def _csv(name: str, rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(REQUIRED_COLUMNS[name]), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def synthetic_tables(n_actors: int = 60, seed: int = 0, density: float = 0.35) -> dict[str, bytes]:
    """CSV files of a random dataset with ``n_actors`` states (codes XAA, XAB, ...)."""
    rng = random.Random(seed)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    codes = [f"X{letters[i // 26 % 26]}{letters[i % 26]}" for i in range(n_actors)]
    if len(set(codes)) < n_actors:
        raise ValueError(f"at most {26 * 26} synthetic actors")
    common = {
        "since": "2000",
        "until": "",
        "confidence": "high",
        "source": "s1",
        "note": "synthetic",
    }
    actors = [
        {
            "code": c,
            "name": f"Actor {c}",
            "kind": "state",
            "region": rng.choice(REGIONS),
            "lat": f"{rng.uniform(-60, 60):.2f}",
            "lon": f"{rng.uniform(-180, 180):.2f}",
        }
        for c in codes
    ]
    ties, frictions = [], []
    kinds = {"security": "exercise", "economic": "fta", "political": "strategic_partnership"}
    for a, b in combinations(codes, 2):
        for domain, kind in kinds.items():
            if rng.random() < density:
                ties.append(
                    {
                        "a": a,
                        "b": b,
                        "domain": domain,
                        "kind": kind,
                        "strength": f"{rng.uniform(0.1, 0.9):.2f}",
                        **common,
                    }
                )
        if rng.random() < 0.05:
            frictions.append(
                {
                    "a": a,
                    "b": b,
                    "kind": "political_rift",
                    "severity": f"{rng.uniform(0.1, 0.6):.2f}",
                    **common,
                }
            )
    sensitivities = [
        {
            "actor": c,
            "trigger": "framing:alliance",
            "severity": f"{rng.uniform(0.1, 0.7):.2f}",
            **common,
        }
        for c in rng.sample(codes, max(1, n_actors // 10))
    ]
    for c in rng.sample(codes, max(1, n_actors // 10)):
        other = rng.choice([o for o in codes if o != c])
        sensitivities.append(
            {
                "actor": c,
                "trigger": f"member:{other}",
                "severity": f"{rng.uniform(0.1, 0.7):.2f}",
                **common,
            }
        )
    targets = codes[:3]
    threats = [
        {"actor": c, "target": t, "level": f"{rng.uniform(0, 1):.2f}", **common}
        for c in codes
        for t in targets
        if c != t
    ]
    source = {
        "key": "s1",
        "title": "Synthetic",
        "publisher": "benchmarks",
        "year": "2024",
        "url": "https://example.org/synthetic",
    }
    preset = {
        "id": "first",
        "name": "First three",
        "members": ",".join(codes[:3]),
        "framing": "alliance",
        "source": "s1",
        "note": "synthetic",
    }
    return {
        "actors.csv": _csv("actors.csv", actors),
        "ties.csv": _csv("ties.csv", ties),
        "frictions.csv": _csv("frictions.csv", frictions),
        "sensitivities.csv": _csv("sensitivities.csv", sensitivities),
        "threats.csv": _csv("threats.csv", threats),
        "sources.csv": _csv("sources.csv", [source]),
        "presets.csv": _csv("presets.csv", [preset]),
    }


def synthetic_dataset(n_actors: int = 60, seed: int = 0) -> Dataset:
    return parse_tables(synthetic_tables(n_actors, seed), origin=f"synthetic-{n_actors}")
