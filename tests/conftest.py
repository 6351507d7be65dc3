from __future__ import annotations

import os
import tempfile
from datetime import date
from decimal import Decimal

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never write into the user's own data folders (remembered import mappings, autosaves).
_SCRATCH = tempfile.mkdtemp(prefix="tokenbudget-tests-")
os.environ.setdefault("TOKENBUDGET_IMPORT_MAPPINGS", os.path.join(_SCRATCH, "mappings"))
os.environ.setdefault("TOKENBUDGET_DATA_DIR", os.path.join(_SCRATCH, "data"))

from pricing.costing.catalog import load_catalog, sample_plan_path  # noqa: E402
from pricing.plan.models import Assumptions, DeploymentMode, ModelRate, Plan, RateVersion, Workload  # noqa: E402
from pricing.files.planfile import open_plan  # noqa: E402

MAESTRO = ModelRate(
    provider="together",
    model_id="arcee-ai/maestro-reasoning",
    context_length=131072,
    modes=(DeploymentMode.SERVERLESS, DeploymentMode.DEDICATED),
    versions=(RateVersion(input_mtok=Decimal("0.90"), output_mtok=Decimal("3.30")),),
)


def workload(**kw) -> Workload:
    base = dict(
        name="w", model=MAESTRO.id, input_tokens=Decimal(3000), output_tokens=Decimal(1000),
        requests_per_month=Decimal(2_000_000),
    )
    base.update(kw)
    return Workload(**base)


def plan_of(*workloads: Workload, rates=(MAESTRO,), **assumptions) -> Plan:
    return Plan(
        assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=assumptions.pop("horizon", 12), **assumptions),
        rates=tuple(rates),
        workloads=tuple(workloads),
    )


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def sample_plan() -> Plan:
    return open_plan(sample_plan_path())[0]
