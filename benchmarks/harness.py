# SPDX-License-Identifier: EUPL-1.2
"""Small timing helpers shared by the benchmarks: repeated runs, median/max, peak memory."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def timed_runs(function: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Run ``function`` ``repeat`` times; return the wall times in seconds and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def summary(times: list[float]) -> dict[str, float]:
    return {"median_s": statistics.median(times), "max_s": max(times), "runs": len(times)}


def peak_memory_mb(function: Callable[[], Any]) -> float:
    """Return the peak Python heap (tracemalloc) while ``function`` runs, in MiB."""
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20
