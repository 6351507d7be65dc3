"""Plan against three months of actuals on the sample plan, and the re-forecast, checked by hand."""

from datetime import date
from decimal import Decimal as Dec

from actuals_helpers import sample_plan
from pricing.actuals import Variance
from pricing.costing.projection import Projection
from pricing.plan.money import round_cents
from pricing.plan.tracking import ActualLine, BudgetLine

ACTUALS = [  # month, workload (None: unmatched), cost
    (1, "Reasoning agent", "13000.00"), (1, "Code copilot (staging)", "1000.00"), (1, "Intake embeddings", "10000.00"),
    (2, "Reasoning agent", "12500.00"), (2, "Assistant chat", "3000.00"), (2, None, "11000.00"),
    (3, "Reasoning agent", "12000.00"), (3, "Statement classification", "15000.00"),
]


def plan_with_actuals(budgets=()):
    lines = tuple(ActualLine(source="focus", month=date(2026, m, 1), workload=w, label="" if w else "gpt-4o",
                             cost=Dec(c)) for m, w, c in ACTUALS)
    return sample_plan().model_copy(update={"actuals": lines, "budgets": tuple(budgets)})


def test_monthly_plan_actual_variance_and_percent():
    variance = Variance(Projection(plan_with_actuals()))
    jan, feb, mar, apr = variance.month_cells()[:4]
    # The sample plan's January and February, by hand: 12,000 + 6,000 + 1,725 + 2,358 + 58.95 + 53.44 + 1,026
    # + 31.80 + 140 = 23,393.19; February adds growth and Synthetic training data: 25,621.98.
    assert (jan.plan, jan.actual, jan.variance) == (Dec("23393.19"), Dec("24000.00"), Dec("606.81"))
    assert jan.variance_pct == Dec("606.81") / Dec("23393.19")
    assert (feb.plan, feb.actual, feb.variance) == (Dec("25621.98"), Dec("26500.00"), Dec("878.02"))
    assert mar.actual == Dec("27000.00") and mar.variance == Dec("27000.00") - mar.plan
    assert apr.actual is None and apr.variance is None
    assert variance.closed == [0, 1, 2]


def test_reforecast_keeps_closed_months_at_actuals_and_open_months_at_plan():
    projection = Projection(plan_with_actuals())
    forecast = Variance(projection, "plan").reforecast()
    assert forecast[:3] == [Dec("24000.00"), Dec("26500.00"), Dec("27000.00")]
    assert forecast[3:] == projection.month_totals[3:]


def test_reforecast_by_ratio_scales_open_months_by_recent_actual_over_plan():
    projection = Projection(plan_with_actuals())
    variance = Variance(projection, "ratio")
    plan_q1 = Dec("23393.19") + Dec("25621.98") + projection.month_totals[2]
    ratio = Dec("77500.00") / plan_q1
    assert variance.ratio == ratio
    forecast = variance.reforecast()
    assert forecast[3] == round_cents(projection.month_totals[3] * ratio)
    assert forecast[:3] == [Dec("24000.00"), Dec("26500.00"), Dec("27000.00")]


def test_variance_per_tenant_counts_unmatched_spend_on_its_own_line():
    tenants = Variance(Projection(plan_with_actuals())).breakdown("tenant")
    jan_acme = tenants["Acme Retail"][0]
    # Acme Retail's January plan: 12,000 + 6,000 + 2,358 + 58.95; actual: Reasoning agent 13,000
    assert (jan_acme.plan, jan_acme.actual, jan_acme.variance) == (Dec("20416.95"), Dec("13000.00"),
                                                                   Dec("-7416.95"))
    assert tenants["(unmatched)"][1].actual == Dec("11000.00") and tenants["(unmatched)"][1].plan == 0
    assert tenants["(unmatched)"][0].actual == 0


def test_variance_per_mode_and_model():
    variance = Variance(Projection(plan_with_actuals()))
    assert variance.breakdown("mode")["Batch"][2].actual == Dec("15000.00")
    assert variance.breakdown("model")["together/arcee-ai/maestro-reasoning"][0].actual == Dec("13000.00")


def test_year_landing_against_a_fiscal_year_budget_uses_the_reforecast():
    projection = Projection(plan_with_actuals([BudgetLine(period="fiscal_year", amount=Dec(400000))]))
    [status] = Variance(projection, "plan").landing()
    landing = Dec("77500.00") + sum(projection.month_totals[3:12])
    assert status.periods[0].spend == landing
    assert status.periods[0].over == landing - 400000


def test_tenant_landing_counts_only_that_tenants_actuals_in_closed_months():
    projection = Projection(plan_with_actuals([BudgetLine(scope="tenant", value="Globex Bank", period="fiscal_year",
                                                          amount=Dec(1))]))
    [status] = Variance(projection, "plan").landing()
    globex = projection.breakdown("tenant")["Globex Bank"]
    # Globex actuals: Code copilot (staging) 1,000 in January, Statement classification 15,000 in March
    assert status.periods[0].spend == Dec("16000.00") + sum(globex[3:12])
