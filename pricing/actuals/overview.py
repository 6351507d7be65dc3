"""What the Actuals tab and the totals strip show: the sources loaded, and the re-forecast against budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pricing.actuals.variance import Variance
from pricing.plan.models import Plan
from pricing.plan.money import ZERO, exact_sum
from pricing.plan.tracking import ActualLine


@dataclass
class SourceLoaded:
    source: str
    files: str
    first: date
    last: date
    months: int
    lines: int
    spend: Decimal
    unmatched: Decimal


def sources_loaded(plan: Plan) -> list[SourceLoaded]:
    """One entry per source in the plan's actuals: months covered, spend, unmatched spend."""
    by: dict[str, list[ActualLine]] = {}
    for line in plan.actuals:
        by.setdefault(line.source, []).append(line)
    out = []
    for source, lines in sorted(by.items()):
        months = sorted({l.month for l in lines})
        files = sorted({f.strip() for l in lines for f in l.file.split(",") if f.strip()})
        out.append(SourceLoaded(source, ", ".join(files), months[0], months[-1], len(months), len(lines),
                                exact_sum(l.cost for l in lines),
                                exact_sum(l.cost for l in lines if l.workload is None)))
    return out


def unmatched_lines(plan: Plan) -> list[ActualLine]:
    return [l for l in plan.actuals if l.workload is None]


@dataclass
class Outlook:
    """The headline for the totals strip: a budget line's period, its re-forecast landing and amount."""

    label: str
    period: str
    landing: Decimal
    budget: Decimal
    exceeded: int
    lines: int

    @property
    def over(self) -> Decimal:
        return self.landing - self.budget


def outlook(variance: Variance, month: int) -> Outlook | None:
    """The whole-plan line (a fiscal-year one first) for the period holding ``month``, re-forecast;
    None when the plan has no budget lines."""
    statuses = [s for s in variance.landing() if s.periods]
    if not statuses:
        return None
    ranked = sorted(statuses, key=lambda s: (s.line.scope != "plan", s.line.period != "fiscal_year", s.index))
    chosen = ranked[0]
    period = next((p for p in chosen.periods if p.first <= month <= p.last), chosen.periods[0])
    exceeded = sum(1 for s in statuses if s.first_exceeded is not None)
    return Outlook(chosen.line.label, period.label, period.spend, period.budget, exceeded, len(statuses))


__all__ = ["Outlook", "SourceLoaded", "outlook", "sources_loaded", "unmatched_lines", "ZERO"]
