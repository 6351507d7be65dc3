"""Capacity deployments: what a dedicated endpoint or GPU cluster costs a month and serves.

Capacity is billed whether it is used or not, so its cost per token depends on utilization:

    effective $/1M = monthly spend / (tokens served / 1,000,000)

Months are ``hours_per_month`` long (730 by the cloud calculators' convention).
"""

from __future__ import annotations

from decimal import Decimal

from pricing.models import DedicatedEndpoint, GpuCluster
from pricing.money import MILLION, ZERO

SECONDS_PER_HOUR = Decimal(3600)

Capacity = DedicatedEndpoint | GpuCluster


def monthly_spend(capacity: Capacity, hours: Decimal, tokens_served: Decimal = ZERO) -> Decimal:
    """The month's bill for ``capacity`` running ``hours`` hours and serving ``tokens_served``."""
    if isinstance(capacity, GpuCluster):
        return (
            capacity.gpu_count * hours * capacity.gpu_hour_rate
            + capacity.storage_monthly
            + capacity.networking_monthly
        )
    if capacity.monthly_commitment is not None:
        spend = capacity.monthly_commitment
    else:
        assert capacity.gpu_hour_rate is not None  # validated by the model
        spend = capacity.gpus_per_replica * capacity.replicas * hours * capacity.gpu_hour_rate
    if capacity.overage_mtok is not None and capacity.included_tokens is not None:
        over = tokens_served - capacity.included_tokens
        if over > 0:
            spend += over / MILLION * capacity.overage_mtok
    return spend


def monthly_capacity_tokens(capacity: Capacity, hours: Decimal) -> Decimal:
    """Tokens the capacity can serve in a month at its sustained throughput."""
    if isinstance(capacity, GpuCluster):
        return capacity.throughput_tokens_per_s_per_gpu * capacity.gpu_count * SECONDS_PER_HOUR * hours
    return capacity.throughput_tokens_per_s * capacity.replicas * SECONDS_PER_HOUR * hours


def effective_rate_per_mtok(spend: Decimal, tokens_served: Decimal) -> Decimal | None:
    """$/1M tokens actually paid; None when nothing is served (idle capacity has no unit cost)."""
    if tokens_served <= 0:
        return None
    return spend / (tokens_served / MILLION)


def utilization(tokens_served: Decimal, capacity_tokens: Decimal) -> Decimal | None:
    if capacity_tokens <= 0:
        return None
    return tokens_served / capacity_tokens
