"""Scenarios of a plan and comparisons of two versions (plan in, plan out; the projection prices both)."""

from pricing.scenarios.apply import (
    Applied, UnknownScenario, apply_scenario, applied_all, find_scenario, reprice_with_catalog, scenario_names,
)
from pricing.scenarios.compare import PARTS, Bridge, Comparison, WorkloadDiff, compare_plans
from pricing.scenarios.totals import ScenarioTotals, fiscal_year, fiscal_years, scenario_totals, totals_of

__all__ = [
    "PARTS", "Applied", "Bridge", "Comparison", "ScenarioTotals", "UnknownScenario", "WorkloadDiff",
    "applied_all", "apply_scenario", "compare_plans", "find_scenario", "fiscal_year", "fiscal_years",
    "reprice_with_catalog", "scenario_names", "scenario_totals", "totals_of",
]
