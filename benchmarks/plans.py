"""Generated plans of any size, for benchmarks: tenants × features × environments × models."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from pricing.costing.catalog import load_catalog
from pricing.plan.models import Assumptions, DeploymentMode, Plan, Workload

MODELS = [
    "together/arcee-ai/maestro-reasoning",
    "together/guide/typical-chat-model",
    "together/zai-org/GLM-5.3-Flash",
    "together/openai/gpt-oss-120b",
    "together/together/Tev1-4B-experimental",
    "together/deepseek-ai/DeepSeek-V4.1-Flash",
    "together/moonshotai/Kimi-K3",
    "together/MiniMaxAI/MiniMax-M3",
]
TENANTS = [f"Tenant {i:03d}" for i in range(200)]
FEATURES = ["Assistant", "Copilot", "Search", "Summaries", "Classification", "Drafting", "Extraction", "Agents"]
ENVIRONMENTS = ["production", "staging", "development"]


def make_plan(n_workloads: int, months: int = 36, seed: int = 0) -> Plan:
    """A plan of ``n_workloads`` realistic workloads; deterministic for a seed."""
    rng = random.Random(seed)
    catalog = load_catalog()
    rates = tuple(catalog.resolve(m) for m in MODELS)
    workloads = []
    for i in range(n_workloads):
        model = rates[i % len(rates)]
        mode = DeploymentMode.BATCH if (i % 5 == 0 and DeploymentMode.BATCH in model.modes) else DeploymentMode.SERVERLESS
        workloads.append(
            Workload(
                name=f"Workload {i:06d}",
                model=model.id,
                mode=mode,
                input_tokens=Decimal(rng.choice([200, 800, 1500, 3000, 6000, 12000])),
                output_tokens=Decimal(rng.choice([50, 150, 400, 1000, 2000])),
                cached_share=Decimal(rng.choice(["0", "0", "0.25", "0.6"])),
                requests_per_month=Decimal(rng.randrange(1_000, 2_000_000, 500)),
                tenant=TENANTS[i % len(TENANTS)],
                feature=FEATURES[(i // 3) % len(FEATURES)],
                environment=ENVIRONMENTS[i % len(ENVIRONMENTS)],
                start_month=date(2026, 1 + rng.randrange(12), 1),
                monthly_growth=Decimal(rng.choice(["0", "0.01", "0.02", "0.05"])),
            )
        )
    return Plan(
        name=f"Generated plan ({n_workloads:,} workloads)",
        assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=max(12, min(36, months))),
        rates=rates,
        workloads=tuple(workloads),
    )
