"""Plans with dedicated endpoints and GPU clusters, for the capacity and modes tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pricing.costing.catalog import resources_dir
from pricing.plan.models import Assumptions, DedicatedEndpoint, DeploymentMode, GpuCluster, Plan, Workload
from pricing.files.planfile import open_plan
from tests.conftest import MAESTRO

D = Decimal
DED, GPU = DeploymentMode.DEDICATED, DeploymentMode.GPU_CLUSTER
#: Maestro with Batch and GPU clusters listed too, so every mode can be compared without warnings.
MAESTRO_ALL = MAESTRO.model_copy(update={"modes": tuple(DeploymentMode)})


def endpoint(**kw) -> DedicatedEndpoint:
    base = dict(id="ep", model=MAESTRO_ALL.id, monthly_commitment=D(20_000))
    base.update(kw)
    return DedicatedEndpoint(**base)


def cluster(**kw) -> GpuCluster:
    base = dict(id="gc", gpu_count=8, gpu_hour_rate=D("2.50"), storage_monthly=D(250), networking_monthly=D(150))
    base.update(kw)
    return GpuCluster(**base)


def job(name: str = "w", requests: int | str = 2_000_000, tin: int = 3000, tout: int = 1000, **kw) -> Workload:
    base = dict(name=name, model=MAESTRO_ALL.id, input_tokens=D(tin), output_tokens=D(tout),
                requests_per_month=D(requests))
    base.update(kw)
    return Workload(**base)


def capacity_plan(*workloads: Workload, endpoints=(), clusters=(), horizon: int = 12, rates=(MAESTRO_ALL,)) -> Plan:
    return Plan(
        assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=horizon),
        rates=tuple(rates), workloads=tuple(workloads), endpoints=tuple(endpoints), clusters=tuple(clusters),
    )


def sample_capacity_plan() -> Plan:
    return open_plan(resources_dir() / "sample-capacity-plan.json")[0]
