"""Plan against actual, month by month and per tenant / feature / environment / model / mode, and the
re-forecast.

    variance   = actual − plan          (positive: over plan, unfavourable for a cost)
    variance % = variance ÷ plan        (None when nothing was planned)

A month is *closed* when the plan holds actuals for it.  The re-forecast keeps closed months at
their actuals and re-projects the open ones either at plan (``method="plan"``) or at plan × the
ratio of actual to plan over the last ``window`` closed months (``method="ratio"``), each open
month rounded half up to the cent.  The ratio is the whole plan's; a slice (a tenant, a model) is
re-forecast with the same ratio, at its own actuals in closed months.  Actual spend of a workload
counts under that workload's tenant, feature … ; unmatched spend under ``(unmatched)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pricing.budgets import check_budgets
from pricing.budgets.lines import BudgetStatus
from pricing.budgets.scopes import workload_in_scope
from pricing.costing.projection import Projection
from pricing.plan.money import ZERO, exact_sum, round_cents
from pricing.plan.months import months_between
from pricing.plan.tracking import UNMATCHED, BudgetLine

METHODS = ("plan", "ratio")


@dataclass(frozen=True)
class VarianceCell:
    plan: Decimal
    actual: Decimal | None

    @property
    def variance(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.plan

    @property
    def variance_pct(self) -> Decimal | None:
        if self.actual is None or not self.plan:
            return None
        return (self.actual - self.plan) / self.plan


class Variance:
    """The plan's projection held against its actuals."""

    def __init__(self, projection: Projection, method: str = "plan", window: int = 3):
        if method not in METHODS:
            raise ValueError(f"re-forecast method {method!r}: use plan or ratio")
        self.projection = projection
        self.method = method
        self.window = window
        plan = projection.plan
        self.months: list[date] = list(projection.months)
        self.actual: list[Decimal | None] = [None] * projection.horizon
        #: Actual spend per workload index (matched) per month, and unmatched per month.
        self.by_row: dict[int, list[Decimal]] = {}
        self.unmatched: list[Decimal] = [ZERO] * projection.horizon
        #: Actual spend in months outside the horizon (not in any figure here).
        self.outside = ZERO
        index = {}
        for i, row in enumerate(projection.rows):
            index.setdefault(row.workload.name, i)
        for line in plan.actuals:
            m = months_between(plan.assumptions.first_month, line.month)
            if not 0 <= m < projection.horizon:
                self.outside += line.cost
                continue
            self.actual[m] = (self.actual[m] or ZERO) + line.cost
            i = index.get(line.workload) if line.workload is not None else None
            if i is None:
                self.unmatched[m] += line.cost
            else:
                self.by_row.setdefault(i, [ZERO] * projection.horizon)[m] += line.cost

    # ------------------------------------------------------------ months
    @property
    def closed(self) -> list[int]:
        return [m for m, a in enumerate(self.actual) if a is not None]

    def month_cells(self) -> list[VarianceCell]:
        return [VarianceCell(p, a) for p, a in zip(self.projection.month_totals, self.actual)]

    @property
    def ratio(self) -> Decimal | None:
        """Actual ÷ plan over the last ``window`` closed months (None without actuals or plan)."""
        recent = self.closed[-self.window:]
        planned = exact_sum(self.projection.month_totals[m] for m in recent)
        if not recent or not planned:
            return None
        return exact_sum(self.actual[m] for m in recent) / planned

    def _open_factor(self) -> Decimal | None:
        return self.ratio if self.method == "ratio" else None

    def reforecast(self) -> list[Decimal]:
        return self._reforecast(self.projection.month_totals, self.actual)

    def _reforecast(self, planned: list[Decimal], actual: list[Decimal | None]) -> list[Decimal]:
        factor = self._open_factor()
        closed = set(self.closed)
        out = []
        for m, p in enumerate(planned):
            if m in closed:
                out.append(actual[m] or ZERO)
            elif factor is None:
                out.append(p)
            else:
                out.append(round_cents(p * factor))
        return out

    # ------------------------------------------------------------ slices
    def breakdown(self, by: str, planned: dict[str, list[Decimal]] | None = None) -> dict[str, list[VarianceCell]]:
        """Per tenant / feature / environment / model / mode: plan and actual each month.

        ``planned`` is ``projection.breakdown(by)`` when the caller has it already."""
        planned = self.projection.breakdown(by) if planned is None else planned
        actual: dict[str, list[Decimal]] = {}
        for i, series in self.by_row.items():
            key = self.projection.key_of(self.projection.rows[i], by)
            acc = actual.setdefault(key, [ZERO] * self.projection.horizon)
            actual[key] = [a + b for a, b in zip(acc, series)]
        if any(self.unmatched):
            actual[UNMATCHED] = list(self.unmatched)
        closed = set(self.closed)
        out = {}
        for key in list(planned) + [k for k in actual if k not in planned]:
            p = planned.get(key, [ZERO] * self.projection.horizon)
            a = actual.get(key)
            out[key] = [VarianceCell(p[m], (a[m] if a else ZERO) if m in closed else None)
                        for m in range(self.projection.horizon)]
        return out

    def scope_series(self, line: BudgetLine) -> list[Decimal] | None:
        """The re-forecast of the spend a budget line covers."""
        from pricing.budgets.scopes import planned_series

        planned = planned_series(self.projection, line)
        if planned is None:
            return None
        if line.scope == "plan":
            return self.reforecast()
        actual = [ZERO] * self.projection.horizon
        for i, series in self.by_row.items():
            if workload_in_scope(self.projection, i, line):
                actual = [a + b for a, b in zip(actual, series)]
        return self._reforecast(planned, actual)

    def landing(self) -> list[BudgetStatus]:
        """Every budget line checked against the re-forecast."""
        return check_budgets(self.projection, self.scope_series)
