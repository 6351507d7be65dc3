"""Core benchmark: full projection, one-cell edit, summary pivot.

The full projection's floor is measured in the same run on the same plan: bare Decimal
multiply-adds, 4 a cell (requests × growth factor × per-request cost, rounded to the cent,
added to the month's total) over the same workloads × months, with the per-request costs and
growth factors computed beforehand (not timed) and nothing checked, shared or kept.  Beside it,
"its cell arithmetic alone" (``cells_seconds``) times the Decimal work the projection itself does,
the same products, roundings and sums with the same results (tests/test_benchmark_table.py),
without its per-row work: the projection's seconds less these are what its look-ups, checks, row
objects and Batch ledger cost.
"""

from __future__ import annotations

import sys
import time
from decimal import ROUND_HALF_UP, Context, Decimal
from itertools import repeat
from operator import mul

from benchmarks.plans import make_plan
from benchmarks.timing import median_of, median_seconds
from pricing.costing.projection import Projection
from pricing.gc_pause import gc_paused


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


def cell_seconds(projection: Projection, keep: bool = False) -> float:
    """Seconds the projection's own cell arithmetic takes with nothing else around it (``cell_totals``
    over ``cell_inputs``, gathered beforehand and not timed).  What the projection takes beyond this
    is its per-row work: look-ups, checks, row objects, the Batch ledger.  ``keep``: each row's
    list of cells is kept, as a projection keeps them (3.6 M Decimals alive at 100,000 workloads,
    whose memory the process must take from the system), and let go after the clock stops; the
    collector is paused for it as for the projection's build."""
    inputs = cell_inputs(projection)
    kept: list | None = [] if keep else None
    with gc_paused():  # as the projection builds its rows
        start = time.perf_counter()
        cell_totals(inputs, projection.horizon, kept)
        seconds = time.perf_counter() - start
    del kept
    return seconds


def cell_inputs(projection: Projection) -> list[tuple[int, list[tuple]]]:
    """Per priced per-token row: (its first month, [(amount, growth factors or None, months)] per run
    of months at one rate version), the amount being request cost × requests, less the discount."""
    horizon = projection.horizon
    tables: dict[Decimal, list[Decimal]] = {}
    inputs = []
    for row in projection.rows:
        w = row.workload
        start, first = row.start, max(row.start, 0)
        if row.rate is None or not row.priceable or not w.mode.per_token or first >= horizon:
            continue
        table = tables.get(w.monthly_growth)
        if table is None:
            table = tables[w.monthly_growth] = [projection.growth_factor(w.monthly_growth, k)
                                                for k in range(horizon - min(start, 0))]
        runs = []
        for version, lo, hi in projection.pricer.version_runs(row.rate):
            lo = max(lo, first)
            if lo < hi:
                base = row.request_costs[version.effective_from].total * w.requests_per_month
                if w.discount:
                    base = base * (1 - w.discount)
                runs.append((base, table[lo - start:hi - start] if w.monthly_growth else None, hi - lo))
        inputs.append((first, runs))
    return inputs


def cell_totals(inputs: list[tuple[int, list[tuple]]], horizon: int, kept: list | None = None) -> list[Decimal]:
    """The month totals of ``cell_inputs``, made as the projection makes them: each month's amount
    times its growth factor, rounded to the cent (one product a run when growth is nought), a list
    of cents per row, each month's cents added to its total; through C-level maps."""
    quantize, add = Context(prec=80, rounding=ROUND_HALF_UP).quantize, Context(prec=80).add
    one, zero = Decimal(1), Decimal(0)
    totals = [zero] * horizon
    for first, runs in inputs:
        cells = [zero] * first
        for base, factors, count in runs:
            if factors is None:
                cells += [quantize(base * one, CENT)] * count
            else:
                cells += map(quantize, map(mul, repeat(base), factors), repeat(CENT))
        totals = list(map(add, totals, cells))
        if kept is not None:
            kept.append(cells)
    return totals


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        plan = make_plan(n)
        seconds, projection = median_seconds(lambda: Projection(plan))
        rows.append({"step": "full projection", "workloads": n, "months": projection.horizon,
                     "seconds": seconds, "floor_seconds": median_of(lambda: floor_seconds(projection)),
                     "cells_seconds": median_of(lambda: cell_seconds(projection)),
                     "kept_cells_seconds": median_of(lambda: cell_seconds(projection, keep=True)),
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
        if row.get("cells_seconds") is not None:
            floor += f"  its cell arithmetic alone {row['cells_seconds']:6.3f} s"
        if row.get("kept_cells_seconds") is not None:
            floor += f", cells kept {row['kept_cells_seconds']:6.3f} s"
        print(f"{row['step']:<40} {row['workloads']:>8,} × {row['months']} months  {row['seconds']:8.3f} s{floor}")
