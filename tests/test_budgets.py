"""Budget lines: the month each is first exceeded, and by how much."""

from decimal import Decimal as Dec

from actuals_helpers import month, sample_plan
from pricing.budgets import check_budgets, fiscal_years
from pricing.costing.projection import Projection
from pricing.plan.tracking import BudgetLine


def with_budgets(*lines, plan=None):
    plan = plan or sample_plan()
    return plan.model_copy(update={"budgets": tuple(lines)})


def test_monthly_budget_is_reported_in_the_month_it_is_first_crossed():
    # Sample plan: January $23,393.19, February $25,621.98, March over $28,000 (Code copilot starts).
    projection = Projection(with_budgets(BudgetLine(amount=Dec(27000))))
    [status] = check_budgets(projection)
    assert status.exceeded_month == month("2026-03")
    assert status.exceeded_by == projection.month_totals[2] - 27000
    assert "first exceeded in Mar 2026" in status.findings[0].message


def test_fiscal_year_budget_is_crossed_when_the_running_total_passes_it():
    projection = Projection(with_budgets(BudgetLine(scope="tenant", value="Acme Retail", period="fiscal_year",
                                                    amount=Dec(100000))))
    [status] = check_budgets(projection)
    acme = projection.breakdown("tenant")["Acme Retail"]
    running = [sum(acme[: i + 1]) for i in range(12)]
    crossed = next(i for i, total in enumerate(running) if total > 100000)
    assert status.exceeded_month == projection.months[crossed]
    assert status.exceeded_by == running[11] - 100000  # the whole fiscal year's overshoot


def test_model_budget_names_a_model_by_its_short_id():
    projection = Projection(with_budgets(BudgetLine(scope="model", value="gpt-oss-120b", amount=Dec(1050))))
    [status] = check_budgets(projection)
    # Statement classification grows 2% a month from $1,026: $1,046.52, $1,067.45 (+ staging $31.80)
    assert status.exceeded_month == month("2026-01")


def test_budget_never_crossed_has_no_month():
    [status] = check_budgets(Projection(with_budgets(BudgetLine(amount=Dec(10 ** 9)))))
    assert status.exceeded_month is None and not status.findings


def test_budget_for_a_tenant_not_in_the_plan_is_a_finding():
    [status] = check_budgets(Projection(with_budgets(BudgetLine(scope="tenant", value="Nobody", amount=Dec(1)))))
    assert status.findings[0].severity == "error" and "Nobody" in status.findings[0].message


def test_fiscal_years_start_in_the_plans_month_and_are_named_as_the_summary_names_them():
    from pricing.plan.months import fiscal_years as summary_years

    months = [month(f"2026-{m:02d}") for m in range(1, 13)]
    assert fiscal_years(months, 4) == [("FY2026", 0, 2), ("FY2027", 3, 11)]
    assert [name for name, _first, _last in fiscal_years(months, 4)] == [y.name for y in summary_years(months, 4)]


def test_a_lines_planned_spend_is_the_sum_of_the_breakdown_groups_it_covers_to_the_digit():
    from decimal import localcontext

    from pricing.budgets.scopes import planned_series
    from pricing.plan.money import SUM_CONTEXT, ZERO
    from workbook_helpers import random_plan

    for seed in range(4):
        projection = Projection(random_plan(seed, 60))
        for scope in ("tenant", "feature", "environment", "model"):
            groups = projection.breakdown(scope)
            for key in groups:
                value = key.rsplit("/", 1)[-1].upper() if scope == "model" else f"  {key.upper()} "
                with localcontext(SUM_CONTEXT):
                    want = [sum((line[m] for k, line in groups.items()
                                 if (k.lower().endswith("/" + value.lower()) or k.lower() == value.lower()
                                     if scope == "model" else k.lower() == key.lower())), ZERO)
                            for m in range(projection.horizon)]
                got = planned_series(projection, BudgetLine(scope=scope, value=value, amount=Dec(1)))
                assert got == want and [str(g) for g in got] == [str(w) for w in want], (seed, scope, key)
        assert planned_series(projection, BudgetLine(scope="tenant", value="nobody", amount=Dec(1))) is None
