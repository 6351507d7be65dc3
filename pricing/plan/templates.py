"""How new records start: a workload row inserted in the grid, and a price change added to a
model's rates.  The window asks for them here, so a row or a version is built one way."""

from __future__ import annotations

from datetime import date

from pricing.plan.models import ModelRate, Plan, Workload
from pricing.plan.money import ZERO


def new_workload(plan: Plan, position: int, like: Workload | None = None) -> Workload:
    """The workload inserted at row ``position`` (0-based): named for its row, on the model and
    tenant of the row it follows (``like``) or the plan's first rate, with no traffic yet."""
    model = like.model if like else (plan.rates[0].id if plan.rates else "")
    return Workload(name=f"New workload {position + 1}", model=model, input_tokens=ZERO, output_tokens=ZERO,
                    requests_per_month=ZERO, tenant=like.tenant if like else "")


def new_rate_version(rate: ModelRate, day: date) -> ModelRate:
    """``rate`` with a price change from ``day`` that starts from the rates in force just before it."""
    version = rate.version_on(day).model_copy(update={"effective_from": day})
    return ModelRate.model_validate({**rate.model_dump(), "versions": [*(v.model_dump() for v in rate.versions),
                                                                        version.model_dump()]})
