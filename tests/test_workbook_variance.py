"""The Budgets, Actuals and Variance sheets: recalculated by LibreOffice, equal to the app to the cent."""

from datetime import date
from decimal import Decimal as Dec

import pytest

from actuals_helpers import sample_plan
from pricing.actuals import Variance
from pricing.budgets import check_budgets
from pricing.costing.projection import BREAKDOWNS, Projection
from pricing.files.workbook import load_plan, save_plan
from pricing.plan.money import round_cents
from pricing.plan.tracking import ActualLine, BudgetLine
from workbook_helpers import recalculate, sheet_values

ACTUALS = [(1, "Reasoning agent", "13000.00"), (1, "Code copilot (staging)", "1000.00"),
           (1, "Intake embeddings", "10000.00"), (2, "Reasoning agent", "12500.00"), (2, "Assistant chat", "3000.00"),
           (2, None, "11000.00"), (3, "Reasoning agent", "12000.00"), (3, "Statement classification", "15000.33")]
BUDGETS = (BudgetLine(amount=Dec(27000)),
           BudgetLine(scope="tenant", value="globex bank", period="fiscal_year", amount=Dec(60000)),
           BudgetLine(scope="model", value="gpt-oss-120b", amount=Dec("1090")))


def tracked_plan():
    lines = tuple(ActualLine(source="focus", month=date(2026, m, 1), workload=w, label="" if w else "gpt-4o",
                             model="" if w else "gpt-4o", cost=Dec(c), file="bill.csv") for m, w, c in ACTUALS)
    return sample_plan().model_copy(update={"actuals": lines, "budgets": BUDGETS})


def cents(value) -> Dec:
    return round_cents(Dec(repr(value)))


def test_budgets_and_actuals_round_trip_through_the_workbook(tmp_path):
    plan = tracked_plan()
    save_plan(plan, tmp_path / "plan.xlsx")
    back, findings = load_plan(tmp_path / "plan.xlsx")
    assert not findings
    assert back.actuals == plan.actuals and back.budgets == plan.budgets


@pytest.mark.libreoffice
def test_variance_and_budget_sheets_recalculated_by_libreoffice_equal_the_app_to_the_cent(tmp_path):
    plan = tracked_plan()
    save_plan(plan, tmp_path / "plan.xlsx", reforecast="ratio")
    out = recalculate(tmp_path / "plan.xlsx", tmp_path / "lo")
    projection = Projection(plan)
    variance = Variance(projection, "ratio")
    rows = sheet_values(out, "Variance")
    assert abs(Dec(repr(rows[3][1])) - variance.ratio) < Dec("1e-12")
    cells, forecast = variance.month_cells(), variance.reforecast()
    for m in range(projection.horizon):
        month, plan_v, actual, closed, var, pct, refc = rows[6 + m][:7]
        assert cents(plan_v) == round_cents(cells[m].plan)
        assert cents(actual) == round_cents(cells[m].actual or Dec(0))
        assert bool(closed) == (m < 3)
        assert cents(refc) == round_cents(forecast[m]), m
        if m < 3:
            assert cents(var) == round_cents(cells[m].variance)
            assert abs(Dec(repr(pct)) - cells[m].variance_pct) < Dec("1e-9")
        else:
            assert var == "" and pct == ""
    total = rows[6 + projection.horizon]
    assert cents(total[6]) == round_cents(sum(forecast))
    # per tenant / feature / environment / model / mode, each closed month
    checked = 0
    for row in rows[6 + projection.horizon + 1:]:
        if len(row) > 4 and isinstance(row[3], float) and row[0] and not str(row[0]).startswith("By "):
            by = by_name
            cell = variance.breakdown(by)[row[0]][[d.strftime("%Y-%m") for d in projection.months].index(
                row[1].strftime("%Y-%m") if hasattr(row[1], "strftime") else row[1])]
            assert (cents(row[2]), cents(row[3]), cents(row[4])) == (
                round_cents(cell.plan), round_cents(cell.actual), round_cents(cell.variance))
            checked += 1
        elif row and str(row[0]).startswith("By "):
            by_name = str(row[0])[3:]
    assert by_name == BREAKDOWNS[-1] and checked > 20
    budgets = sheet_values(out, "Budgets")
    for status, row in zip(check_budgets(projection), budgets[1:]):
        crossed, over = row[6], row[7]
        assert (crossed.strftime("%Y-%m") if crossed else None) == (
            status.exceeded_month.strftime("%Y-%m") if status.exceeded_month else None)
        assert (cents(over) if over != "" else None) == (round_cents(status.exceeded_by)
                                                         if status.exceeded_by is not None else None)
