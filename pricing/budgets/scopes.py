"""The monthly spend a budget line covers: the whole plan or one tenant, feature, environment or model."""

from __future__ import annotations

from decimal import Decimal, localcontext

from pricing.costing.projection import Projection
from pricing.plan.money import SUM_CONTEXT, ZERO
from pricing.plan.tracking import BudgetLine


def model_matches(key: str, value: str) -> bool:
    """A plan model id ('together/openai/gpt-oss-120b') is named by itself or by its tail ('gpt-oss-120b')."""
    k, v = key.strip().lower(), value.strip().lower()
    return bool(v) and (k == v or k.endswith("/" + v))


def scope_keys(projection: Projection, line: BudgetLine) -> list[str]:
    """The breakdown keys (tenants, models …) a line covers; empty for the whole plan."""
    if line.scope == "plan":
        return []
    keys = projection.breakdown(line.scope).keys()
    if line.scope == "model":
        return [k for k in keys if model_matches(k, line.value)]
    return [k for k in keys if k.strip().lower() == line.value.strip().lower()]


def planned_series(projection: Projection, line: BudgetLine) -> list[Decimal] | None:
    """The plan's monthly spend under ``line``; None when its tenant/feature/… is not in the plan."""
    if line.scope == "plan":
        return list(projection.month_totals)
    keys = scope_keys(projection, line)
    if not keys:
        return None
    groups = projection.breakdown(line.scope)
    with localcontext(SUM_CONTEXT):
        out = [ZERO] * projection.horizon
        for key in keys:
            out = [a + b for a, b in zip(out, groups[key])]
    return out


def workload_in_scope(projection: Projection, index: int, line: BudgetLine) -> bool:
    """Whether workload ``index`` of the projection is covered by ``line``."""
    if line.scope == "plan":
        return True
    key = projection.key_of(projection.rows[index], line.scope)
    if line.scope == "model":
        return model_matches(key, line.value)
    return key.strip().lower() == line.value.strip().lower()
