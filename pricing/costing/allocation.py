"""Sharing a dedicated endpoint's or GPU cluster's monthly spend among the workloads it
serves, in proportion to their tokens; a month it serves nothing is idle cost.

Each share, after the workload's discount, is an amount in cents (``round_cents``, as the
workbook's ROUND makes it), and so is an idle month: the shares may add up to a cent or two
more or less than the spend (README, "Figures that add up")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pricing.costing import capacity as cap
from pricing.costing.rows import Row
from pricing.plan.findings import Finding, Severity
from pricing.plan.money import ZERO, exact_sum, round_cents


def share_capacity(capacity_id: str, item, item_in_month: Callable[[int], object], hours: Decimal,
                   members: list[Row], horizon: int,
                   tokens_of: Callable[[Row], list[Decimal]]) -> tuple[list[Decimal], list[Finding]]:
    """Set each member row's monthly costs to its share of the capacity's spend (``item_in_month(m)``
    is the capacity as billed in month ``m``, contract terms applied), less the workload's own
    discount; returns the idle cost of each month, kept whole, and the findings (demand over capacity)."""
    idle = [ZERO] * horizon
    findings: list[Finding] = []
    limit = cap.monthly_capacity_tokens(item, hours)
    for row in members:
        row.costs = [ZERO] * horizon
    worst: Decimal = ZERO
    member_tokens = {i: tokens_of(row) for i, row in enumerate(members)}
    for m in range(horizon):
        tokens = {i: t[m] for i, t in member_tokens.items()}
        served = exact_sum(tokens.values())
        spend = cap.monthly_spend(item_in_month(m), hours, served)
        if served <= 0:
            idle[m] = round_cents(spend)
            continue
        for i, t in tokens.items():  # shares in proportion to tokens
            members[i].costs[m] = spend * t / served
        if limit > 0 and served > limit:
            worst = max(worst, served / limit)
    for row in (row for row in members if row.workload.discount):  # a share less its discount; idle stays whole
        row.costs = [c * (1 - row.workload.discount) for c in row.costs]
    for row in members:
        row.costs = [round_cents(c) for c in row.costs]
    if worst > 0:
        findings.append(
            Finding(
                f"demand reaches {worst:.0%} of {capacity_id!r}'s capacity in its busiest month",
                Severity.WARNING,
                "capacity",
            )
        )
    return idle, findings
