"""The Actuals tab, the Variance view and the totals strip's re-forecast against budget."""

from __future__ import annotations

from decimal import Decimal

from actuals_helpers import FILES
from desktop_helpers import data_dir, plan_path, window  # noqa: F401
from pricing.plan.tracking import BudgetLine


def test_loading_actuals_shows_sources_months_and_unmatched_spend_as_one_undo_step(window, monkeypatch, tmp_path):
    monkeypatch.setenv("TOKENBUDGET_ACTUALS_RULES", str(tmp_path / "rules"))
    window.show_tab("Actuals")
    view = window.actuals
    assert view.load([FILES / "together-usage-2026-q1.csv"])
    assert view.sources.rowCount() == 1
    assert view.sources.item(0, 0).text() == "together"
    assert "(3)" in view.sources.item(0, 2).text()
    assert view.unmatched.rowCount() == 1 and "Llama-3.3-70B" in view.unmatched.item(0, 2).text()
    assert "dimensions" in view.rules.toPlainText()
    assert len(window.document.plan.actuals) == 4
    view.load([FILES / "together-usage-2026-q1.csv"])  # again: the same months, not doubled
    assert len(window.document.plan.actuals) == 4
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.document.plan.actuals == ()


def test_edited_rules_are_applied_and_move_spend_to_a_workload(window, monkeypatch, tmp_path):
    monkeypatch.setenv("TOKENBUDGET_ACTUALS_RULES", str(tmp_path / "rules"))
    view = window.actuals
    view.load([FILES / "openai_costs.csv"])
    assert {l.workload for l in window.document.plan.actuals} == {None}
    view.rules.setPlainText('dimensions = {}\n[[rules]]\nwhen = { resource = "proj_Xa1" }\nworkload = "Assistant chat"\n')
    assert view.reload_with_rules()
    assert {l.workload for l in window.document.plan.actuals} == {"Assistant chat"}


def test_variance_view_lists_plan_actual_and_reforecast_with_a_chart(window, monkeypatch, tmp_path):
    monkeypatch.setenv("TOKENBUDGET_ACTUALS_RULES", str(tmp_path / "rules"))
    window.actuals.load([FILES / "together-usage-2026-q1.csv"])
    window.show_tab("Variance")
    view = window.variance
    view.refresh()
    assert view.table.item(0, 1).text() == "$23,393.19" and view.table.item(0, 2).text() == "$140.00"
    assert view.table.item(0, 3).text() == "-$23,253.19"
    assert view.table.item(3, 2).text() == ""  # April: open
    bars, line = view.chart.series()
    assert [b.label() for b in bars.barSets()] == ["Plan", "Actual"] and line.name() == "Re-forecast"
    assert bars.barSets()[1].at(0) == 0.14  # $140.00, in thousands
    view.by.setCurrentIndex(view.by.findData("tenant"))
    keys = {view.table.item(r, 0).text() for r in range(view.table.rowCount())}
    assert {"Initech Health", "(unmatched)"} <= keys


def test_totals_strip_shows_the_reforecast_against_budget(window):
    doc = window.document
    plan = doc.plan.model_copy(update={"budgets": (BudgetLine(period="fiscal_year", amount=Decimal(100000)),)})
    doc.replace_plan(plan)
    text = window.totals.budget.text()
    assert text.startswith("Re-forecast FY2026") and "vs budget $100,000.00" in text and "over" in text
    assert "1 of 1 budget(s) exceeded" in text


def test_summary_lists_the_budget_findings(window):
    doc = window.document
    doc.replace_plan(doc.plan.model_copy(update={"budgets": (BudgetLine(amount=Decimal(27000)),)}))
    window.show_tab("Summary")
    window.summary.refresh()
    assert "first exceeded in Mar 2026" in window.summary.budget_findings.text()


def test_actual_spend_is_read_on_a_worker_and_a_bad_file_is_refused_with_its_reason(window, monkeypatch, tmp_path):
    import threading

    from desktop import actuals_view

    monkeypatch.setenv("TOKENBUDGET_ACTUALS_RULES", str(tmp_path / "rules"))
    read_on = []
    real = actuals_view.load_actuals
    monkeypatch.setattr(actuals_view, "load_actuals",
                        lambda *a, **k: read_on.append(threading.current_thread()) or real(*a, **k))
    view = window.actuals
    assert view.load([FILES / "together-usage-2026-q1.csv"])
    assert read_on and threading.main_thread() not in read_on
    bad = tmp_path / "spend.csv"
    bad.write_text("this,is\nnot,a billing export\n", encoding="utf-8")
    before = window.document.plan
    assert not view.load([bad])
    assert view.message.text().startswith("Not loaded: ") and "spend.csv" in view.message.text()
    assert window.document.plan is before
