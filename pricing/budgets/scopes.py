"""The monthly spend a budget line covers: the whole plan or one tenant, feature, environment or model."""

from __future__ import annotations

from decimal import Decimal, localcontext
from operator import add

from pricing.costing.projection import Projection
from pricing.plan.money import SUM_CONTEXT
from pricing.plan.tracking import BudgetLine
from pricing.yielding import giving_way


def model_matches(key: str, value: str) -> bool:
    """A plan model id ('together/openai/gpt-oss-120b') is named by itself or by its tail ('gpt-oss-120b')."""
    k, v = key.strip().lower(), value.strip().lower()
    return bool(v) and (k == v or k.endswith("/" + v))


def _covers(line: BudgetLine):
    """Whether a breakdown key (a tenant, a model …) is one ``line`` covers."""
    if line.scope == "model":
        return lambda key: model_matches(key, line.value)
    value = line.value.strip().lower()
    return lambda key: key.strip().lower() == value


def planned_series(projection: Projection, line: BudgetLine) -> list[Decimal] | None:
    """The plan's monthly spend under ``line``; None when its tenant/feature/… is not in the plan.

    The sum of ``projection.breakdown(line.scope)`` over the keys the line covers, to the digit (exact
    sums), taken in one pass that adds up only the rows it covers: a budget check after every edit
    of a 30,000-workload plan summed every row's months twice a line, 0.15 s a line."""
    if line.scope == "plan":
        return list(projection.month_totals)
    by, covers, key_of = line.scope, _covers(line), projection.key_of
    known: dict[str, bool] = {}
    lines: list[list[Decimal]] = []
    for row in giving_way(projection.rows):
        key = key_of(row, by)
        covered = known.get(key)
        if covered is None:
            covered = known[key] = covers(key)
        if covered:
            lines.append(row.costs)
    for capacity_id, idle in projection.idle.items():
        if any(idle) and covers(projection._idle_key(capacity_id, by)):  # noqa: SLF001 - the projection's own rule
            lines.append(idle)
    if not lines:
        return None
    with localcontext(SUM_CONTEXT):  # exact: the same digits in any order
        out = list(lines[0])
        for costs in lines[1:]:
            out = list(map(add, out, costs))
    return out


def workload_in_scope(projection: Projection, index: int, line: BudgetLine) -> bool:
    """Whether workload ``index`` of the projection is covered by ``line``."""
    if line.scope == "plan":
        return True
    key = projection.key_of(projection.rows[index], line.scope)
    if line.scope == "model":
        return model_matches(key, line.value)
    return key.strip().lower() == line.value.strip().lower()
