"""What a plan is measured against: budget lines, and the actual spend loaded month by month.

Both are kept in the plan (``Plan.budgets``, ``Plan.actuals``) so that a saved plan reopens with
its budgets and the actuals finance loaded; the arithmetic on them lives in ``pricing.budgets``
and ``pricing.actuals``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator

from pricing.plan.records import NonNegative, Strict
from pricing.plan.money import ZERO

#: What a budget line covers: the whole plan, or the workloads of one tenant, feature, environment or model.
BUDGET_SCOPES = ("plan", "tenant", "feature", "environment", "model")
#: Key of actual spend that matched no workload.
UNMATCHED = "(unmatched)"


class BudgetLine(Strict):
    """An amount not to exceed, each month or each fiscal year, for the plan or a slice of it."""

    name: str = ""
    scope: Literal["plan", "tenant", "feature", "environment", "model"] = "plan"
    #: The tenant, feature, environment or model the line covers ('' for the whole plan).
    value: str = ""
    period: Literal["month", "fiscal_year"] = "month"
    amount: NonNegative
    currency: str = "USD"

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        what = "whole plan" if self.scope == "plan" else f"{self.scope} {self.value}"
        return f"{what}, per {'month' if self.period == 'month' else 'fiscal year'}"


class ActualLine(Strict):
    """One month of actual spend from one source, matched to a workload or left unmatched.

    ``cost`` is in cents as an invoice line is (rounded half up); tokens and requests are what
    the source said, when it said it (0 otherwise).
    """

    #: The source the line came from: its kind ('openai-costs', 'focus', ...) and account, if any.
    source: str = Field(min_length=1)
    month: date
    #: Name of the workload it was matched to; None for spend that matched no workload.
    workload: str | None = None
    #: For unmatched spend: what the source said about it (model and tags), to show and match later.
    label: str = ""
    model: str = ""
    cost: Decimal
    currency: str = "USD"
    requests: NonNegative = ZERO
    input_tokens: NonNegative = ZERO
    cached_tokens: NonNegative = ZERO
    output_tokens: NonNegative = ZERO
    #: The file it was read from (for the Actuals sheet and tab).
    file: str = ""

    @field_validator("month")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        return value.replace(day=1)

    @property
    def key(self) -> str:
        return self.workload if self.workload is not None else UNMATCHED
