"""A step's time as the median of a few runs: one run on a shared machine moves by 10–20% with its
load, and so does its floor, so both are taken the same way.

``TOKENBUDGET_BENCH_RUNS`` sets how many (default 3; 1 for a quick look)."""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

RUNS = max(1, int(os.environ.get("TOKENBUDGET_BENCH_RUNS", "3")))


def median_seconds(step: Callable[[], T], runs: int = RUNS) -> tuple[float, T]:
    """(the median wall seconds of ``runs`` calls of ``step``, what the last call returned).

    Each run starts from the heap the first one had: the previous run's result is let go and the
    garbage it left collected first (a second plan of 100,000 workloads alive, or a heap of
    garbage, slows the next run's allocations and collections by a third)."""
    times, result = [], None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result  # type: ignore[return-value]


def median_of(measure: Callable[[], float], runs: int = RUNS) -> float:
    """The median of ``runs`` calls of ``measure``, which times its own inner part (a floor whose
    set-up is not timed) and returns seconds; each run after a collection, as above."""
    times = []
    for _ in range(runs):
        gc.collect()
        times.append(measure())
    return statistics.median(times)
