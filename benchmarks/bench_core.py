"""Core benchmark: full projection, one-cell edit, summary pivot."""

from __future__ import annotations

import sys
import time
from decimal import Decimal

from benchmarks.plans import make_plan
from pricing.costing.projection import Projection


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        plan = make_plan(n)
        seconds, projection = _timed(lambda: Projection(plan))
        rows.append({"step": "full projection", "workloads": n, "months": 36, "seconds": seconds})
        i = n // 2
        edited = plan.workloads[i].model_copy(update={"requests_per_month": Decimal(123_456)})
        new_plan = plan.model_copy(update={"workloads": plan.workloads[:i] + (edited,) + plan.workloads[i + 1:]})
        seconds, _ = _timed(lambda: projection.update(new_plan, [i]))
        rows.append({"step": "one-cell edit (re-price row + totals)", "workloads": n, "months": 36, "seconds": seconds})
        seconds, _ = _timed(lambda: projection.breakdown("tenant"))
        rows.append({"step": "summary pivot (by tenant)", "workloads": n, "months": 36, "seconds": seconds})
    return rows


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    for row in run(sizes):
        print(f"{row['step']:<40} {row['workloads']:>8,} × {row['months']} months  {row['seconds']:8.3f} s")
