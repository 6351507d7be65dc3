"""Checking each budget line, period by period, against a monthly spend series."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pricing.budgets.scopes import planned_series
from pricing.costing.projection import Projection
from pricing.plan.findings import Finding, Severity
from pricing.plan.money import ZERO, exact_sum, format_money
from pricing.plan.months import fiscal_years as horizon_fiscal_years
from pricing.plan.months import label as month_label
from pricing.plan.tracking import BudgetLine

#: Monthly spend under a budget line (None when the line names nothing in the plan).
SpendOf = Callable[[BudgetLine], "list[Decimal] | None"]


@dataclass(frozen=True)
class BudgetPeriod:
    """One month, or one fiscal year, of a budget line."""

    label: str
    #: Index of the period's first and last month in the horizon.
    first: int
    last: int
    budget: Decimal
    spend: Decimal
    #: Month (index) in which the running spend first went above the budget; None if it never did.
    crossed: int | None

    @property
    def over(self) -> Decimal:
        return self.spend - self.budget


@dataclass
class BudgetStatus:
    line: BudgetLine
    index: int
    periods: list[BudgetPeriod] = field(default_factory=list)
    months: list[date] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def first_exceeded(self) -> BudgetPeriod | None:
        return next((p for p in self.periods if p.crossed is not None), None)

    @property
    def exceeded_month(self) -> date | None:
        period = self.first_exceeded
        return self.months[period.crossed] if period is not None else None

    @property
    def exceeded_by(self) -> Decimal | None:
        period = self.first_exceeded
        return period.over if period is not None else None

    def as_dict(self) -> dict[str, object]:
        month = self.exceeded_month
        return {
            "budget": self.line.label, "scope": self.line.scope, "value": self.line.value,
            "period": self.line.period, "amount": format(self.line.amount, "f"), "currency": self.line.currency,
            "exceeded_month": month.strftime("%Y-%m") if month else None,
            "exceeded_by": format(self.exceeded_by, "f") if self.exceeded_by is not None else None,
            "periods": [{"period": p.label, "budget": format(p.budget, "f"), "spend": format(p.spend, "f"),
                         "over": format(p.over, "f"),
                         "crossed": self.months[p.crossed].strftime("%Y-%m") if p.crossed is not None else None}
                        for p in self.periods],
            "findings": [f.as_dict() for f in self.findings],
        }


def fiscal_years(months: list[date], start_month: int) -> list[tuple[str, int, int]]:
    """(name, first index, last index) of each fiscal year the months touch, named as the Summary
    tab, ``summary`` and the workbook name them (``pricing.plan.months.fiscal_years``: a year is
    named for the calendar year it ends in, so April 2026 – March 2027 is FY2027)."""
    return [(year.name, year.first, year.first + year.count - 1) for year in horizon_fiscal_years(months, start_month)]


def check_budgets(projection: Projection, spend_of: SpendOf | None = None) -> list[BudgetStatus]:
    """Every budget line of the projection's plan, checked against ``spend_of`` (the plan by default)."""
    plan = projection.plan
    spend_of = spend_of or (lambda line: planned_series(projection, line))
    out = []
    for index, line in enumerate(plan.budgets):
        status = BudgetStatus(line, index, months=list(projection.months))
        out.append(status)
        if line.currency.upper() != plan.assumptions.currency.upper():
            status.findings.append(Finding(
                f"budget {line.label!r} is in {line.currency}, the plan in {plan.assumptions.currency}: "
                "not checked (no exchange rate)", Severity.ERROR, field="budget"))
            continue
        series = spend_of(line)
        if series is None:
            status.findings.append(Finding(
                f"budget {line.label!r}: no workload has {line.scope} {line.value!r}", Severity.ERROR, field="budget"))
            continue
        if line.period == "month":
            spans = [(month_label(m), i, i) for i, m in enumerate(projection.months)]
        else:
            spans = fiscal_years(projection.months, plan.assumptions.fiscal_year_start)
        for name, first, last in spans:
            running, crossed = ZERO, None
            for m in range(first, last + 1):
                running = exact_sum([running, series[m]])
                if crossed is None and running > line.amount:
                    crossed = m
            status.periods.append(BudgetPeriod(name, first, last, line.amount, running, crossed))
        period = status.first_exceeded
        if period is not None:
            month = projection.months[period.crossed]
            status.findings.append(Finding(
                f"budget {line.label!r} ({format_money(line.amount)} per {line.period.replace('_', ' ')}) is first "
                f"exceeded in {month_label(month)}: {period.label} spends {format_money(period.spend)}, "
                f"{format_money(period.over)} over", Severity.WARNING, field="budget"))
    return out
