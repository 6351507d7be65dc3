"""Every scenario's totals by month, fiscal year and horizon, and its difference to the base.

A fiscal year is named by the calendar year it ends in (a year starting in April 2026 is
FY2027); with a January start it is the calendar year.  A horizon that starts or ends inside
a fiscal year shows that year's months only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from pricing.costing.projection import Projection
from pricing.costing.rates import RateBook
from pricing.letting_go import let_go
from pricing.plan.findings import Finding
from pricing.plan.models import Plan
from pricing.plan.money import SUM_CONTEXT, exact_sum
from pricing.plan.months import fiscal_year_name
from pricing.scenarios.apply import Applied, applied_all


def fiscal_year(month: date, start: int) -> str:
    return fiscal_year_name(month, start)


def fiscal_years(months: list[date], totals: list[Decimal], start: int) -> dict[str, Decimal]:
    out: dict[str, list[Decimal]] = {}
    for month, total in zip(months, totals):
        out.setdefault(fiscal_year(month, start), []).append(total)
    return {name: exact_sum(values) for name, values in out.items()}


@dataclass
class ScenarioTotals:
    name: str
    months: list[date]
    month_totals: list[Decimal]
    fiscal_years: dict[str, Decimal]
    total: Decimal
    findings: list[Finding] = field(default_factory=list)
    projection: Projection | None = None

    def difference(self, base: ScenarioTotals) -> Decimal:
        with localcontext(SUM_CONTEXT):
            return self.total - base.total


def totals_of(applied: Applied, months: int | None = None, keep_projection: bool = True) -> ScenarioTotals:
    """``applied``'s totals; its projection kept with them, or (``keep_projection`` False: a window
    showing the figures only) let go a slice at a time (``pricing.letting_go``)."""
    projection = Projection(applied.plan, months)
    totals = ScenarioTotals(
        applied.name, projection.months, list(projection.month_totals),
        fiscal_years(projection.months, projection.month_totals, applied.plan.assumptions.fiscal_year_start),
        projection.total, applied.findings + projection.findings, projection if keep_projection else None,
    )
    if not keep_projection:
        let_go(projection)
    return totals


def scenario_totals(plan: Plan, months: int | None = None, catalog: RateBook | None = None,
                    keep_projections: bool = True) -> list[ScenarioTotals]:
    """The base first, then each scenario in the plan's order (one projection each, made in turn: without
    ``keep_projections`` only one is held at a time)."""
    return [totals_of(applied, months, keep_projections) for applied in applied_all(plan, catalog)]
