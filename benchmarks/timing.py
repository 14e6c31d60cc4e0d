"""What the benchmark scripts share: median timings that say both what a user waits and
what the work costs on a machine shared with other programs."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["median_ms", "median_of_fresh_runs"]


def median_ms(fn, repeats: int = 30) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``fn`` over ``repeats`` calls."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def median_of_fresh_runs(code: str, args: list[str], repeats: int, cwd: Path) -> dict[str, float]:
    """Run ``code`` with ``args`` in ``repeats`` fresh Python processes (imports and
    caches cold each time); each prints a JSON object of timings on its last line. The
    median of each timing."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}
