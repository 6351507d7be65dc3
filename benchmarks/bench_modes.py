"""Benchmark the mode comparison: compare_plan and capacity_report on generated plans with capacity.

    python benchmarks/bench_modes.py [N ...]        (default 1000 10000)

A generated plan (benchmarks/plans.py make_plan when present, else a private generator) gets
one dedicated endpoint per model per 250 workloads, carrying every fifth workload of that
model, and one GPU cluster carrying every 20th workload; the rest stay per-token.  Each step
is timed on its own, single process, wall seconds.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pricing.capacity.report import capacity_report  # noqa: E402
from pricing.costing.catalog import load_catalog  # noqa: E402
from pricing.plan.models import Assumptions, DedicatedEndpoint, DeploymentMode, GpuCluster, Plan, Workload  # noqa: E402
from pricing.capacity.modes import ModeComparer, compare_plan  # noqa: E402
from pricing.costing.projection import Projection  # noqa: E402
from benchmarks.timing import median_of, median_seconds  # noqa: E402

MODELS = ["together/arcee-ai/maestro-reasoning", "together/guide/typical-chat-model",
          "together/zai-org/GLM-5.3-Flash", "together/openai/gpt-oss-120b"]


def _private_plan(n: int, months: int, seed: int) -> Plan:
    rng = random.Random(seed)
    rates = tuple(load_catalog().resolve(m) for m in MODELS)
    workloads = tuple(
        Workload(
            name=f"Workload {i:06d}", model=rates[i % len(rates)].id,
            input_tokens=Decimal(rng.choice([200, 800, 1500, 3000, 6000])),
            output_tokens=Decimal(rng.choice([50, 150, 400, 1000])),
            requests_per_month=Decimal(rng.randrange(1_000, 2_000_000, 500)),
            tenant=f"Tenant {i % 200:03d}", start_month=date(2026, 1 + rng.randrange(12), 1),
            monthly_growth=Decimal(rng.choice(["0", "0.01", "0.02"])),
        )
        for i in range(n)
    )
    return Plan(assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=months), rates=rates,
                workloads=workloads)


def make_capacity_plan(n: int, months: int = 36, seed: int = 0) -> Plan:
    try:
        from benchmarks.plans import make_plan

        plan = make_plan(n, months=months, seed=seed)
    except ImportError:
        plan = _private_plan(n, months, seed)
    rng = random.Random(seed + 1)
    endpoints: dict[str, DedicatedEndpoint] = {}
    workloads = list(plan.workloads)
    counts: dict[str, int] = {}
    for i, w in enumerate(workloads):
        if i % 20 == 19:
            workloads[i] = w.model_copy(update={"mode": DeploymentMode.GPU_CLUSTER, "capacity": "cluster-0"})
            continue
        k = counts[w.model] = counts.get(w.model, 0) + 1
        if k % 5 == 0:
            eid = f"ep-{w.model.rsplit('/', 1)[-1]}-{k // 250}"
            if eid not in endpoints:
                endpoints[eid] = DedicatedEndpoint(
                    id=eid, model=w.model, gpu_type="H100 80GB SXM", replicas=rng.randint(1, 4),
                    gpu_hour_rate=Decimal("3.36"), throughput_tokens_per_s=Decimal(rng.choice([2000, 6000, 10000])),
                )
            workloads[i] = w.model_copy(update={"mode": DeploymentMode.DEDICATED, "capacity": eid})
    cluster = GpuCluster(id="cluster-0", gpu_count=64, gpu_hour_rate=Decimal("2.50"), storage_monthly=Decimal(2000),
                         networking_monthly=Decimal(1000), throughput_tokens_per_s_per_gpu=Decimal(3000))
    return plan.model_copy(update={"workloads": tuple(workloads), "endpoints": tuple(endpoints.values()),
                                   "clusters": (cluster,)})


def floor_seconds(plan: Plan, projection: Projection, month: int = 0) -> float:
    """The comparison's bare Decimal arithmetic, one workload after another: its requests (volume ×
    growth), tokens, Serverless and Batch costs rounded to the cent, the capacity's units, spend,
    utilization and effective rate, and the blended rate; no look-ups, no objects made."""
    from pricing.plan.money import CENT, MILLION

    rate = projection.rows[0].rate
    c = b = projection.pricer.request(plan.workloads[0], rate, rate.version_on(projection.months[month]),
                                      DeploymentMode.SERVERLESS)[1]
    unit_tokens, unit_spend = Decimal(25_920_000_000), Decimal("2419.20")
    growth = [Decimal(1)]
    inputs = [(w.requests_per_month, w.input_tokens, w.output_tokens, w.reasoning_tokens) for w in plan.workloads]
    start = time.perf_counter()
    for volume, t_in, t_out, t_reason in inputs:
        requests = volume * growth[0]
        per_request = t_in + t_out + t_reason
        tokens = requests * per_request
        s = (c * requests).quantize(CENT)
        bb = (b * requests).quantize(CENT)
        q, r = divmod(tokens, unit_tokens)
        spend = unit_spend * (q + 1 if r else q)
        util = tokens / (unit_tokens * (q + 1))
        effective = spend / (tokens / MILLION)
        blended = c * MILLION / per_request
        del s, bb, util, effective, blended
    return round(time.perf_counter() - start, 3)


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        plan = make_capacity_plan(n)
        months = plan.assumptions.horizon_months
        extra = {"endpoints": len(plan.endpoints), "clusters": len(plan.clusters)}

        def timed(step, fn, **more):
            start = time.perf_counter()
            result = fn()
            rows.append({"step": step, "workloads": n, "months": months,
                         "seconds": round(time.perf_counter() - start, 3)} | extra | more)
            return result

        projection = timed("project the plan (shared by the steps below)", lambda: Projection(plan))
        seconds, _ = median_seconds(lambda: compare_plan(plan, 0, projection))
        rows.append({"step": "compare_plan, one month (projection given)", "workloads": n, "months": months,
                     "seconds": round(seconds, 3), "target": "≤ 1 s",
                     "floor_seconds": median_of(lambda: floor_seconds(plan, projection)),
                     "floor": "bare Decimal arithmetic of each comparison (requests, tokens, two costs rounded, "
                              "capacity units, spend, utilization, effective and blended rates)"} | extra)
        timed("compare_plan, one month (projects the plan itself)", lambda: compare_plan(plan, 0))
        timed("capacity_report, every month", lambda: capacity_report(plan, projection))
        comparer = ModeComparer(plan, projection)
        volumes = [Decimal(v) for v in range(0, 20_000_001, 200_000)]
        timed("cost_curve, 101 volumes × 100 workloads",
              lambda: [comparer.curve(i, volumes) for i in range(min(100, n))])
    return rows


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    for row in run(sizes):
        print(row)
