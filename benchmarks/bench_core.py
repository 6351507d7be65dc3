"""Core benchmark: full projection, one-cell edit, summary pivot.

The full projection's floor is measured in the same run on the same plan: bare Decimal
multiply-adds, 4 a cell (requests × growth factor × per-request cost, rounded to the cent,
added to the month's total) over the same workloads × months, with the per-request costs and
growth factors computed beforehand (not timed) and nothing checked, shared or kept.
"""

from __future__ import annotations

import sys
import time
from decimal import ROUND_HALF_UP, Decimal

from benchmarks.plans import make_plan
from pricing.costing.projection import Projection


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


CENT = Decimal("0.01")


def floor_seconds(projection: Projection) -> float:
    """Seconds bare Decimal multiply-adds take over the projection's workloads × months, 4 a cell:
    requests × growth factor × per-request cost, rounded to the cent, added to the month total."""
    horizon = projection.horizon
    factors: dict[Decimal, list[Decimal]] = {}
    inputs = []
    for i, row in enumerate(projection.rows):
        w = row.workload
        cost = projection.request_cost(i, 0)
        table = factors.get(w.monthly_growth)
        if table is None:
            table = factors[w.monthly_growth] = [(1 + w.monthly_growth) ** k for k in range(horizon)]
        inputs.append((w.requests_per_month, cost.total if cost else Decimal("0.0021"), table))
    start = time.perf_counter()
    totals = [Decimal(0)] * horizon
    for requests, cost, table in inputs:
        for m, factor in enumerate(table):
            totals[m] += (requests * factor * cost).quantize(CENT, ROUND_HALF_UP)
    return time.perf_counter() - start


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        plan = make_plan(n)
        seconds, projection = _timed(lambda: Projection(plan))
        rows.append({"step": "full projection", "workloads": n, "months": projection.horizon,
                     "seconds": seconds, "floor_seconds": floor_seconds(projection),
                     "floor": "bare Decimal multiply-adds, 4 a cell (requests × growth × request cost, rounded, summed)",
                     "target": "≤ 1.0 s"})
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
        floor = f"  floor {row['floor_seconds']:6.3f} s" if row.get("floor_seconds") is not None else ""
        print(f"{row['step']:<40} {row['workloads']:>8,} × {row['months']} months  {row['seconds']:8.3f} s{floor}")
