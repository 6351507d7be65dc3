"""Dedicated endpoints serving a plan's models, for the mode-comparison tests: several alike, one
billing overage."""

from __future__ import annotations

import random
from decimal import Decimal as D

from pricing.plan.models import DedicatedEndpoint


def serving_endpoints(rng: random.Random, models: list[str], count: int, overage_at: int,
                      throughputs: list[int]) -> list[DedicatedEndpoint]:
    """``count`` endpoints serving ``models`` in turn: the ``overage_at``-th a commitment billing
    overage, the others 1 or 2 replicas at a GPU-hour rate and one of ``throughputs``."""
    out = []
    for k in range(count):
        model = models[k % len(models)]
        if k == overage_at:
            out.append(DedicatedEndpoint(id=f"ep-o{k}", model=model, monthly_commitment=D(4000),
                                         included_tokens=D(10) ** 8, overage_mtok=D("0.4"),
                                         throughput_tokens_per_s=D(1500)))
            continue
        out.append(DedicatedEndpoint(id=f"ep-{k}", model=model, replicas=rng.choice([1, 2]),
                                     gpu_hour_rate=D(rng.choice(["2.10", "3.36"])),
                                     throughput_tokens_per_s=D(rng.choice(throughputs))))
    return out
