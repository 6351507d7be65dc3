"""Capacity deployments: what a dedicated endpoint or GPU cluster costs a month and serves.

Capacity is billed whether it is used or not, so its cost per token depends on utilization:

    effective $/1M = monthly spend / (tokens served / 1,000,000)

Months are ``hours_per_month`` long (730 by the cloud calculators' convention).
"""

from __future__ import annotations

from decimal import Decimal

from pricing.plan.models import DedicatedEndpoint, GpuCluster
from pricing.plan.money import MILLION, ZERO

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


def kind_of(capacity: Capacity) -> str:
    """'dedicated' or 'gpu_cluster', the DeploymentMode value of the capacity."""
    return "gpu_cluster" if isinstance(capacity, GpuCluster) else "dedicated"


def ceil_div(a: Decimal, b: Decimal) -> int:
    """⌈a / b⌉ for a ≥ 0, b > 0, exactly (no rounding of the quotient)."""
    q, r = divmod(a, b)
    return int(q) + (1 if r > 0 else 0)


class ScaledCapacity:
    """A capacity's monthly cost as a function of the tokens it must serve, added in whole units.

    The unit is a replica for a dedicated endpoint and a GPU for a cluster.  The configured
    size is the floor: demand beyond it adds units, so cost against volume is a step function.

        units(x)  = max(configured units, ⌈x / unit tokens⌉)      (configured units when throughput is unknown)
        spend(x)  = base spend + unit spend × (units(x) - configured units) + overage(x)
        overage(x)= max(0, x - included tokens) / 1M × overage rate   (when both are given)

    base spend is exactly ``monthly_spend`` of the configured capacity without overage;
    storage and networking do not scale.  A monthly commitment is assumed to scale pro
    rata per replica (commitment ÷ replicas per added replica) and its included tokens do not.
    """

    __slots__ = ("capacity", "hours", "base_spend", "unit_spend", "base_units", "unit_tokens",
                 "included_tokens", "overage_mtok", "unit")

    def __init__(self, capacity: Capacity, hours: Decimal):
        self.capacity = capacity
        self.hours = hours
        if isinstance(capacity, GpuCluster):
            self.unit = "GPU"
            self.base_units = capacity.gpu_count
            self.unit_spend = hours * capacity.gpu_hour_rate
            self.unit_tokens = capacity.throughput_tokens_per_s_per_gpu * SECONDS_PER_HOUR * hours
            self.included_tokens = self.overage_mtok = None
        else:
            self.unit = "replica"
            self.base_units = capacity.replicas
            if capacity.monthly_commitment is not None:
                self.unit_spend = capacity.monthly_commitment / capacity.replicas
            else:
                assert capacity.gpu_hour_rate is not None
                self.unit_spend = capacity.gpus_per_replica * hours * capacity.gpu_hour_rate
            self.unit_tokens = capacity.throughput_tokens_per_s * SECONDS_PER_HOUR * hours
            billed_overage = capacity.overage_mtok is not None and capacity.included_tokens is not None
            self.included_tokens = capacity.included_tokens if billed_overage else None
            self.overage_mtok = capacity.overage_mtok if billed_overage else None
        # monthly_spend(…) with no tokens bills no overage: the configured size's fixed spend.
        self.base_spend = monthly_spend(capacity, hours)

    @property
    def fixed_spend(self) -> Decimal:
        """Spend that does not scale with units (storage and networking; the commitment's remainder)."""
        return self.base_spend - self.unit_spend * self.base_units

    def units_for(self, tokens: Decimal) -> int:
        if self.unit_tokens <= 0 or tokens <= 0:
            return self.base_units
        return max(self.base_units, ceil_div(tokens, self.unit_tokens))

    def units_needed(self, tokens: Decimal) -> int | None:
        """⌈tokens / unit tokens⌉ (0 for no demand); None when the throughput is unknown."""
        if self.unit_tokens <= 0:
            return None
        return ceil_div(tokens, self.unit_tokens) if tokens > 0 else 0

    def overage(self, tokens: Decimal) -> Decimal:
        if self.overage_mtok is None or self.included_tokens is None:
            return ZERO
        over = tokens - self.included_tokens
        return over / MILLION * self.overage_mtok if over > 0 else ZERO

    def spend_at_units(self, units: int, tokens: Decimal) -> Decimal:
        extra = units - self.base_units
        return (self.base_spend + self.unit_spend * extra if extra else self.base_spend) + self.overage(tokens)

    def spend(self, tokens: Decimal) -> Decimal:
        """Monthly spend when this capacity alone must serve ``tokens`` (scaled up as needed)."""
        return self.spend_at_units(self.units_for(tokens), tokens)

    def capacity_tokens(self, units: int | None = None) -> Decimal:
        return self.unit_tokens * (self.base_units if units is None else units)
