"""Workbook benchmark: save and load a generated plan workbook (live formulas + cached values)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.plans import make_plan
from pricing.files.workbook import load_plan, save_plan


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        plan = make_plan(n)
        months = plan.assumptions.horizon_months
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"plan-{n}.xlsx"
            start = time.perf_counter()
            save_plan(plan, path)
            seconds = time.perf_counter() - start
            size = path.stat().st_size
            rows.append({"step": "save plan workbook", "workloads": n, "months": months, "seconds": seconds,
                         "megabytes": round(size / 1e6, 1)})
            start = time.perf_counter()
            loaded, findings = load_plan(path)
            seconds = time.perf_counter() - start
            assert loaded == plan and not findings, "the workbook did not give the plan back"
            rows.append({"step": "load plan workbook", "workloads": n, "months": months, "seconds": seconds})
    return rows


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for row in run(sizes):
        extra = f"  ({row['megabytes']} MB)" if "megabytes" in row else ""
        print(f"{row['step']:<22} {row['workloads']:>8,} × {row['months']} months  {row['seconds']:8.2f} s{extra}")
