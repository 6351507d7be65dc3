"""Commitments, credits and reservations over a projection: billed cost and effective cost.

The projection gives each month's usage cost under the negotiated rates.  The ledger adds what
contracts do to the invoice, in FinOps FOCUS terms (shared/spec/finance-conventions.md):

* ``BilledCost`` — what each month's invoice charges: usage, plus a commitment's true-up in the
  month its period closes, plus prepaid purchases (credits, an upfront reservation) in the month
  they are bought, minus usage that prepaid credits or an upfront reservation already paid for.
* ``EffectiveCost`` — the cost with commitments spread over their term: a yearly true-up is
  spread over the year's twelve months, prepaid purchases count as the usage they pay for (a
  purchase has EffectiveCost 0), granted credits lower it as they are drawn.

    monthly commitment  true-up(m) = max(0, committed − usage(m))                 billed in m
    yearly commitment   true-up    = max(0, committed − Σ usage over the year)    billed in the closing month
    credits             drawn(m)   = min(left, usage(m)); the month ``left`` reaches 0 is a finding

A commitment or credit names a provider (blank: every provider); usage of a GPU cluster belongs
to the providers of the models its workloads run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from pricing.plan.findings import Finding, Severity
from pricing.plan.models import DedicatedEndpoint, Plan
from pricing.plan.money import SUM_CONTEXT, ZERO, exact_sum, format_money
from pricing.plan.months import add_months, label, months_between
from pricing.plan.terms import Commitment, Credit, Period, Reservation


@dataclass
class LedgerLine:
    """One contract's effect on each month, as FOCUS charge rows would carry it."""

    label: str
    category: str  # FOCUS ChargeCategory: Adjustment (true-up), Purchase, Credit
    billed: list[Decimal]
    effective: list[Decimal]


@dataclass
class Ledger:
    months: list[date]
    usage: list[Decimal]
    lines: list[LedgerLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def _sum(self, attr: str) -> list[Decimal]:
        with localcontext(SUM_CONTEXT):
            out = list(self.usage)
            for line in self.lines:
                out = [a + b for a, b in zip(out, getattr(line, attr))]
        return out

    @property
    def billed(self) -> list[Decimal]:
        """FOCUS BilledCost per month."""
        return self._sum("billed")

    @property
    def effective(self) -> list[Decimal]:
        """FOCUS EffectiveCost per month."""
        return self._sum("effective")

    @property
    def empty(self) -> bool:
        return not self.lines


def usage_by_provider(projection, rows: dict[str, list[Decimal]] | None = None) -> dict[str, list[Decimal]]:
    """Each provider's monthly usage cost in ``projection`` (lower-case provider names).

    ``rows`` is the workloads' part (``pricing.costing.held.provider_sums``) when the caller has it."""
    horizon = len(projection.months)
    if rows is not None:
        out = {provider: list(line) for provider, line in rows.items()}
    else:
        out = {}
        lines: dict[str, list[list[Decimal]]] = {}
        for row in projection.rows:
            lines.setdefault(row.rate.provider.lower() if row.rate is not None else "", []).append(row.costs)
        with localcontext(SUM_CONTEXT):  # exact: the order of the additions does not matter
            for provider, costs in lines.items():
                out[provider] = [sum(month, ZERO) for month in zip(*costs)] if horizon else []
    with localcontext(SUM_CONTEXT):
        endpoints = {e.id: e for e in projection.plan.endpoints}
        for capacity_id, line in projection.idle.items():
            provider = _endpoint_provider(projection, endpoints.get(capacity_id))
            acc = out.setdefault(provider, [ZERO] * horizon)
            for m, c in enumerate(line):
                acc[m] += c
    return out


def _endpoint_provider(projection, endpoint: DedicatedEndpoint | None) -> str:
    if endpoint is None:
        return ""
    rate = projection.book.get(endpoint.model)
    return rate.provider.lower() if rate is not None else ""


def build_ledger(plan: Plan, projection, by_provider: dict[str, list[Decimal]] | None = None) -> Ledger:
    """The billed and effective cost of ``projection`` under ``plan``'s commitments, credits and reservations
    (``by_provider``: ``usage_by_provider(projection)`` when the caller has it).  The usage per provider,
    a pass over every row, is summed only when a commitment or credit names a provider."""
    months = list(projection.months)
    ledger = Ledger(months, list(projection.month_totals))
    cur, loc = plan.assumptions.currency, plan.assumptions.locale

    def usage_of(provider: str) -> list[Decimal]:
        nonlocal by_provider
        key = provider.strip().lower()
        if not key:
            return ledger.usage
        if by_provider is None:
            by_provider = usage_by_provider(projection)
        return by_provider.get(key, [ZERO] * len(months))

    def money(v: Decimal) -> str:
        return format_money(v, 2, cur, loc)

    for commitment in plan.terms.commitments:
        _commitment(ledger, commitment, usage_of(commitment.provider), money)
    for credit in plan.terms.credits:
        _credit(ledger, credit, usage_of(credit.provider), money)
    for reservation in plan.terms.reservations:
        _reservation(ledger, plan, reservation, money)
    return ledger


def _who(provider: str) -> str:
    return provider.strip() or "all providers"


def _commitment(ledger: Ledger, c: Commitment, usage: list[Decimal], money) -> None:
    n = len(ledger.months)
    first = ledger.months[0]
    length = 1 if c.period is Period.MONTH else 12
    billed, effective = [ZERO] * n, [ZERO] * n
    start = months_between(first, c.starts)
    k = 0
    while c.periods is None or k < c.periods:
        lo = start + k * length
        hi = lo + length
        if lo >= n:
            break
        k += 1
        if hi <= 0:
            continue
        if lo < 0:
            ledger.findings.append(Finding(
                f"the {c.period} of the {money(c.amount)} commitment with {_who(c.provider)} starting "
                f"{label(add_months(first, lo))} began before the plan: its usage before {label(first)} is not known, "
                "so its true-up is left out", Severity.WARNING, "commitments"))
            continue
        if hi > n:
            ledger.findings.append(Finding(
                f"the year of the {money(c.amount)} commitment with {_who(c.provider)} closing "
                f"{label(add_months(first, hi - 1))} ends after the horizon: its true-up is not projected",
                Severity.INFO, "commitments"))
            continue
        used = exact_sum(usage[lo:hi])
        shortfall = max(ZERO, c.amount - used)
        if shortfall:
            billed[hi - 1] += shortfall
            with localcontext(SUM_CONTEXT):
                spread = shortfall / length
                for m in range(lo, hi):
                    effective[m] += spread
            # Spread so that the year's effective cost adds up to the true-up exactly.
            effective[hi - 1] += shortfall - exact_sum(effective[lo:hi])
    ledger.lines.append(LedgerLine(f"{money(c.amount)}/{c.period} commitment true-up ({_who(c.provider)})",
                                   "Adjustment", billed, effective))


def _credit(ledger: Ledger, c: Credit, usage: list[Decimal], money) -> None:
    n = len(ledger.months)
    start = months_between(ledger.months[0], c.starts)
    billed, effective = [ZERO] * n, [ZERO] * n
    left = c.amount
    ran_out: int | None = None
    for m in range(max(start, 0), n):
        draw = min(left, usage[m])
        left -= draw
        billed[m] -= draw
        if not c.prepaid:
            effective[m] -= draw
        if left == 0 and ran_out is None:
            ran_out = m
            break
    if c.prepaid and 0 <= start < n:
        billed[start] += c.amount
    what = f"{money(c.amount)} of {'prepaid' if c.prepaid else 'granted'} credits ({_who(c.provider)})"
    if start < 0:
        ledger.findings.append(Finding(f"{what} started before the plan; drawn down from {label(ledger.months[0])} "
                                       "as if none had been used", Severity.WARNING, "credits"))
    if ran_out is not None:
        ledger.findings.append(Finding(f"{what} run out in {label(ledger.months[ran_out])}",
                                       Severity.WARNING, "credits"))
    elif start < n:
        ledger.findings.append(Finding(f"{what} last beyond the horizon: {money(left)} left at its end",
                                       Severity.INFO, "credits"))
    ledger.lines.append(LedgerLine(what, "Credit", billed, effective))


def _reservation(ledger: Ledger, plan: Plan, r: Reservation, money) -> None:
    item = next((c for c in (*plan.endpoints, *plan.clusters) if c.id == r.capacity), None)
    if item is None:
        ledger.findings.append(Finding(f"a reservation names {r.capacity!r}, which is no endpoint or cluster of the plan",
                                       Severity.ERROR, "reservations"))
        return
    if not r.upfront:
        return  # billed month by month at the committed rate: the usage already carries it
    n = len(ledger.months)
    gpus = item.gpus_per_replica * item.replicas if isinstance(item, DedicatedEndpoint) else item.gpu_count
    monthly = gpus * plan.hours_per_month(item) * r.gpu_hour_rate
    start = months_between(ledger.months[0], r.starts)
    billed, effective = [ZERO] * n, [ZERO] * n
    if 0 <= start < n:
        billed[start] += monthly * r.months
    for m in range(max(start, 0), min(start + r.months, n)):
        billed[m] -= monthly  # paid upfront: the month's reserved GPU-hours are not billed again
    ledger.lines.append(LedgerLine(f"{r.years}-year reservation of {r.capacity!r}, all upfront", "Purchase",
                                   billed, effective))
