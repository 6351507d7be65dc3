"""What each dedicated endpoint and GPU cluster of a plan costs, serves and needs, month by month.

For each capacity and month:

    spend           = monthly_spend at its configured size (plus overage on the tokens served)
    capacity tokens = throughput × seconds in the month × replicas (or GPUs)
    tokens served   = the demand of the workloads assigned to it (may exceed capacity)
    utilization     = tokens served / capacity tokens
    effective $/1M  = spend / (tokens served / 1M)          (None when idle)
    replicas needed = ⌈tokens served / one replica's (or GPU's) capacity⌉

Demand beyond capacity is a warning finding naming the capacity, the month and how many
more replicas (GPUs) it needs.  The spend stays that of the configured size: it is what
the plan says will be billed; the projection allocates it to the workloads by tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pricing.costing import capacity as cap
from pricing.plan.findings import Finding, Severity
from pricing.plan.models import Plan
from pricing.plan.money import ZERO, exact_sum
from pricing.plan.months import label
from pricing.costing.projection import Projection


@dataclass(frozen=True, slots=True)
class CapacityFigures:
    capacity_id: str
    kind: str  # 'dedicated' | 'gpu_cluster'
    name: str
    month: int
    month_start: date
    monthly_spend: Decimal
    capacity_tokens: Decimal
    tokens_served: Decimal
    utilization: Decimal | None
    effective_rate_per_mtok: Decimal | None
    #: Configured replicas (endpoint) or GPUs (cluster).
    replicas: int
    #: ⌈demand / one unit's capacity⌉; None when the throughput is not given.
    replicas_needed: int | None
    unit: str  # 'replica' | 'GPU'
    #: Spend in a month that serves nothing (all of it idle), else 0.
    idle_spend: Decimal
    #: Indices of the plan's workloads it serves.
    workloads: tuple[int, ...] = ()
    #: Each workload's allocated share of the spend, in the order of ``workloads``.
    allocations: tuple[Decimal, ...] = ()
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def over_capacity(self) -> bool:
        return self.capacity_tokens > 0 and self.tokens_served > self.capacity_tokens


def capacity_report(plan: Plan, projection: Projection | None = None, month: int | None = None) -> list[CapacityFigures]:
    """Figures per endpoint/cluster for every month of the horizon, or only for ``month`` (0-based)."""
    projection = projection or Projection(plan)
    if month is not None and not 0 <= month < projection.horizon:
        raise ValueError(f"month {month + 1} is outside the plan's {projection.horizon} months")
    members: dict[str, list[int]] = {}
    for i, row in enumerate(projection.rows):
        if row.capacity_id:
            members.setdefault(row.capacity_id, []).append(i)
    months = range(projection.horizon) if month is None else [month]
    out: list[CapacityFigures] = []
    for item in (*plan.endpoints, *plan.clusters):
        scaled = cap.ScaledCapacity(item, plan.hours_per_month(item))
        served_by = members.get(item.id, [])
        limit = scaled.capacity_tokens()
        for m in months:
            tokens = exact_sum(projection.tokens(i, m) for i in served_by)
            spend = cap.monthly_spend(item, scaled.hours, tokens)
            needed = scaled.units_needed(tokens)
            findings: tuple[Finding, ...] = ()
            if limit > 0 and tokens > limit:
                more = needed - scaled.base_units if needed is not None else 0
                findings = (
                    Finding(
                        f"{item.id!r} must serve {tokens:,.0f} tokens in {label(projection.months[m])}, "
                        f"{tokens / limit:.0%} of its capacity of {limit:,.0f}: it needs {needed} "
                        f"{scaled.unit}s ({more} more than its {scaled.base_units})",
                        Severity.WARNING,
                        "replicas" if scaled.unit == "replica" else "gpu_count",
                    ),
                )
            out.append(
                CapacityFigures(
                    capacity_id=item.id,
                    kind=cap.kind_of(item),
                    name=item.name or item.id,
                    month=m,
                    month_start=projection.months[m],
                    monthly_spend=spend,
                    capacity_tokens=limit,
                    tokens_served=tokens,
                    utilization=cap.utilization(tokens, limit),
                    effective_rate_per_mtok=cap.effective_rate_per_mtok(spend, tokens),
                    replicas=scaled.base_units,
                    replicas_needed=needed,
                    unit=scaled.unit,
                    idle_spend=spend if tokens <= 0 else ZERO,
                    workloads=tuple(served_by),
                    allocations=tuple(projection.rows[i].costs[m] for i in served_by),
                    findings=findings,
                )
            )
    return out


def peak_by_capacity(figures: list[CapacityFigures]) -> dict[str, CapacityFigures]:
    """The busiest month of each capacity (most tokens served; the first such month)."""
    peaks: dict[str, CapacityFigures] = {}
    for f in figures:
        best = peaks.get(f.capacity_id)
        if best is None or f.tokens_served > best.tokens_served:
            peaks[f.capacity_id] = f
    return peaks
