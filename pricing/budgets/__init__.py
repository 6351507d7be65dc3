"""Budget lines held against the projection: the month each is first exceeded, by how much, and
where the year lands.

A line covers the whole plan or one tenant, feature, environment or model, per month or per
fiscal year (the plan's ``fiscal_year_start``).  A monthly line is exceeded in the first month
whose spend is above its amount; a fiscal-year line in the month the year's running total first
goes above it.  "By how much" is the period's spend less the amount: the month's for a monthly
line, the whole fiscal year's (as far as the horizon reaches) for a yearly one.  The spend is the
plan's projection, or any other monthly series of the same shape (a re-forecast, see
``pricing.actuals.variance``).
"""

from pricing.budgets.lines import BudgetPeriod, BudgetStatus, check_budgets, fiscal_years

__all__ = ["BudgetPeriod", "BudgetStatus", "check_budgets", "fiscal_years"]
