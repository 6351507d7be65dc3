"""Actual spend, read from the files people have, matched to the plan's workloads, held against the plan.

``load_actuals(plan, paths)`` reads every file (``reading``: one DuckDB aggregate per file),
matches the monthly groups to workloads (``matching``, with the rules of ``rules``), and merges
them into the plan's actuals so that a month loaded again replaces itself.  ``Variance`` (in
``variance``) gives plan, actual, variance and the re-forecast; ``price_check`` compares the
app's price for billed tokens with the bill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pricing.actuals.matching import match_groups, merge_actuals
from pricing.actuals.pricecheck import PriceCheck, price_check
from pricing.actuals.reading import SpendRead, read_spend
from pricing.actuals.rules import MatchRules
from pricing.actuals.sources import ActualsSourceError
from pricing.actuals.variance import Variance
from pricing.costing.projection import Projection
from pricing.plan.findings import Finding
from pricing.plan.models import Plan
from pricing.plan.tracking import ActualLine

__all__ = ["ActualsLoad", "ActualsSourceError", "MatchRules", "PriceCheck", "Variance", "load_actuals"]


@dataclass
class ActualsLoad:
    plan: Plan
    lines: list[ActualLine]
    read: SpendRead
    checks: list[PriceCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def load_actuals(plan: Plan, paths, *, rules: MatchRules | None = None, cost_basis: str = "effective",
                 rules_dir: Path | str | None = None, projection: Projection | None = None) -> ActualsLoad:
    """The plan with the actuals of ``paths`` merged in, and what was read and decided."""
    projection = projection or Projection(plan)
    read = read_spend(paths, plan, rules=rules, cost_basis=cost_basis, rules_dir=rules_dir)
    by_file = {Path(p).name: r for p, r in read.rules.items()}
    lines, findings = match_groups(projection, read.groups, lambda g: by_file.get(g.file) or MatchRules())
    merged = merge_actuals(plan.actuals, lines)
    new_plan = plan.model_copy(update={"actuals": merged})
    return ActualsLoad(new_plan, lines, read, price_check(plan, read.groups), read.findings + findings)
