"""How many state pairs score exactly 0, per framing, in a year.

A pair scores exactly 0 only when the two states have no active tie at all (docs/method.md,
"a member tied to nobody"). This counts those pairs among every pair of states in the
dataset, under each framing, with the default weights::

    python -m tools.zero_pairs            # 2024, the dataset in data/
    python -m tools.zero_pairs --year 2010 --data path/to/data

It is the measure quoted on the method page for the trade baselines
(tools/import_baselines.py): the share of pairs at exactly 0 before and after the import.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from model.cohesion import Weights, context, score_groups
from model.data import Dataset, load_dataset
from model.schema import FRAMINGS


def state_pairs(ds: Dataset) -> np.ndarray:
    """(P, 2) actor indices of every unordered pair of states."""
    states = [ds.index(a.code) for a in ds.actors if a.kind == "state"]
    return np.array(list(itertools.combinations(states, 2)), dtype=int).reshape(-1, 2)


def zero_shares(ds: Dataset, year: int) -> dict[str, tuple[int, int]]:
    """Framing -> (pairs scoring exactly 0, all state pairs) in ``year``."""
    pairs = state_pairs(ds)
    out: dict[str, tuple[int, int]] = {}
    for framing in FRAMINGS:
        cohesion = score_groups(context(ds, year, framing), pairs, Weights()).cohesion
        out[framing] = (int(np.sum(cohesion == 0.0)), len(pairs))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--data", type=Path, default=None, help="data directory")
    args = parser.parse_args(argv)
    ds = load_dataset(args.data)
    for framing, (zero, total) in zero_shares(ds, args.year).items():
        print(f"{framing:9} {args.year}: {zero:4} of {total} state pairs at 0 ({zero / total:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
