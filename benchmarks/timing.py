"""What the benchmark scripts share: median timings that say both what a user waits and
what the work costs on a machine shared with other programs."""

from __future__ import annotations

import statistics
import time

__all__ = ["median_ms"]


def median_ms(fn, repeats: int = 30) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``fn`` over ``repeats`` calls."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)
