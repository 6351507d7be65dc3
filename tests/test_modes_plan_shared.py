"""compare_plan shares figures between workloads alike in every way the figures read: these plans are
made of such look-alikes (the same token shape on different capacities, modes, names, notes, start
months and volumes) so that sharing too much or too little shows as a figure that differs, digit for
digit, from ``ModeComparer.compare`` of that workload on its own."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pricing.capacity.modes import ModeComparer, compare_plan
from pricing.costing.projection import Projection
from pricing.plan.models import DedicatedEndpoint, DeploymentMode, GpuCluster
from pricing.plan.months import add_months
from tests.projection_reference import random_plan
from tests.serving_endpoints import serving_endpoints

D = Decimal
S, B, DED, GPU = (DeploymentMode.SERVERLESS, DeploymentMode.BATCH, DeploymentMode.DEDICATED,
                  DeploymentMode.GPU_CLUSTER)
JAN = date(2026, 1, 1)


def as_written(c) -> list[str]:
    """Every field of a comparison as its repr (Decimals with their trailing zeros, the type of each
    value), and its recommendation's text."""
    return [repr(getattr(c, f.name)) for f in dataclasses.fields(c)] + [c.recommendation]


def each_on_its_own(plan, month: int, projection=None) -> tuple[list, list]:
    projection = projection or Projection(plan)
    together = compare_plan(plan, month, projection)
    comparer = ModeComparer(plan, projection)
    alone = [comparer.compare(i, None, month) for i in range(len(plan.workloads))]
    return [as_written(c) for c in together], [as_written(c) for c in alone]


def look_alikes(seed: int, n: int = 160, horizon: int = 12):
    """A random plan whose workloads are copies of a few, each copy with another capacity, mode,
    name, notes, start, volume or growth (and a few with the same figures written with other
    trailing zeros); endpoints serving the models, some alike, some billing overage."""
    rng = random.Random(seed)
    plan = random_plan(seed, n=12, horizon=horizon)
    rates = plan.rates
    endpoints = list(plan.endpoints) + serving_endpoints(rng, [r.id for r in rates[:3]], 6, 4, [0, 800, 2000, 6000])
    clusters = (*plan.clusters, GpuCluster(id="gc-2", gpu_count=2, gpu_hour_rate=D("1.90"),
                                           throughput_tokens_per_s_per_gpu=D(900)))
    capacity_ids = [None, "ep-a", "ep-b", "ep-idle", "gc", "gc-2", "nowhere", *(e.id for e in endpoints[3:])]
    originals = plan.workloads
    workloads = []
    for i in range(n):
        w = rng.choice(originals)
        mode = rng.choice([S, S, B, DED, GPU])
        update = {
            "name": rng.choice([f"copy {i}", f"nightly copy {i}", f"Copy {i} (BACKFILL)"]),
            "mode": mode,
            "capacity": rng.choice(capacity_ids) if mode in (DED, GPU) else None,
            "feature": rng.choice(["", "chat", "offline"]),
            "notes": rng.choice(["", "", "async"]),
            "start_month": rng.choice([None, add_months(JAN, rng.randrange(-3, horizon + 2))]),
            "requests_per_month": rng.choice([w.requests_per_month, D(0), D(rng.randrange(1, 9_000_000))]),
            "monthly_growth": D(rng.choice(["0", "0.00", "0.02", "-0.03"])),
        }
        if rng.random() < 0.15:
            update["input_tokens"] = w.input_tokens.quantize(D("0.00"))
        if rng.random() < 0.1:
            update["output_tokens"] = w.output_tokens + D("0.0")
        workloads.append(w.model_copy(update=update))
    return plan.model_copy(update={"workloads": tuple(workloads), "endpoints": tuple(endpoints),
                                   "clusters": clusters})


@pytest.mark.parametrize("seed", range(6))
def test_look_alike_workloads_each_get_the_figures_of_comparing_it_on_its_own(seed):
    plan = look_alikes(seed)
    projection = Projection(plan)
    for month in (0, 1, 4, projection.horizon - 1):
        together, alone = each_on_its_own(plan, month, projection)
        assert together == alone


def test_workloads_with_no_traffic_yet_share_nothing_that_is_their_own():
    """Idle workloads of one shape: on different capacities, modes, names and notes, and with
    findings of their own; each keeps its candidate, share, offline reading and text."""
    plan = look_alikes(11, n=12)
    model = plan.workloads[0].model
    # Endpoints alike in every term (sizes, spends, unit) but their ids, names and what they serve.
    alike = tuple(DedicatedEndpoint(id=f"twin-{k}", name=f"Twin {k}" if k else "", model=model, replicas=2,
                                    gpu_hour_rate=D("3.36"), throughput_tokens_per_s=D(2000)) for k in range(3))
    busy = plan.workloads[0].model_copy(update={"name": "busy", "mode": DED, "capacity": "twin-1", "start_month": None})
    base = plan.workloads[0].model_copy(update={"start_month": add_months(JAN, 6), "requests_per_month": D(250_000)})
    variants = []
    for k, (mode, capacity) in enumerate([(S, None), (B, None), (DED, "ep-a"), (DED, "ep-b"), (DED, "nowhere"),
                                          (GPU, "gc"), (GPU, "gc-2"), (GPU, None), (DED, "ep-idle"),
                                          (DED, "twin-0"), (DED, "twin-1"), (DED, "twin-2")]):
        for name in ("plain", "nightly"):
            variants.append(base.model_copy(update={"name": f"{name} {k}", "mode": mode, "capacity": capacity}))
    plan = plan.model_copy(update={"workloads": plan.workloads + (busy,) + tuple(variants),
                                   "endpoints": plan.endpoints + alike})
    together, alone = each_on_its_own(plan, 2)
    assert together == alone
    assert len({tuple(t[1:]) for t in together[-len(variants):]}) == len(variants)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), month=st.integers(0, 11),
       volume=st.sampled_from([D(0), D(1), D("0.5"), D(10) ** 12, D("123456789.123456789")]))
def test_any_look_alike_plan_any_month_and_volume(seed, month, volume):
    plan = look_alikes(seed, n=60)
    workloads = tuple(w.model_copy(update={"requests_per_month": volume}) if i % 4 == 0 else w
                      for i, w in enumerate(plan.workloads))
    plan = plan.model_copy(update={"workloads": workloads})
    together, alone = each_on_its_own(plan, month)
    assert together == alone


@pytest.mark.parametrize("throughputs", [(1000, 2000, 3000, 6000), (2000, 6000, 10000), (700, 1000, 2500), (0, 1500, 4500)])
def test_the_chooser_names_the_first_cheapest_endpoint_at_any_demand(throughputs):
    """Endpoints whose unit sizes are whole multiples of the least are told apart by one division: at
    every demand, steps' edges included, the chooser names what ``min`` over the endpoints names."""
    from pricing.capacity.modes import _Chooser
    from pricing.costing.capacity import ScaledCapacity

    rng = random.Random(len(throughputs) * 7 + throughputs[-1])
    endpoints = [DedicatedEndpoint(id=f"ep-{k}", model="m", replicas=rng.choice([1, 2, 3]),
                                   gpu_hour_rate=D(rng.choice(["2.10", "3.36", "1.05"])),
                                   throughput_tokens_per_s=D(rng.choice(throughputs))) for k in range(14)]
    scaled = [ScaledCapacity(e, D(730)) for e in endpoints]
    chooser = _Chooser(scaled)
    assert (chooser._step is not None) == (throughputs[0] != 700)
    units = sorted({s.unit_tokens for s in scaled if s.unit_tokens > 0})
    demands = [D(0), D(1), D("0.5")] + [D(rng.randrange(1, 10**12)) for _ in range(300)]
    for u in units:
        for k in (1, 2, 3, 5, 7, 12):
            demands += [u * k - 1, u * k, u * k + 1, u * k + D("0.001")]
    for tokens in demands:
        assert chooser.best(tokens) is min(scaled, key=lambda s: s.spend(tokens)), tokens
