"""Views over the projection: Explain writes out the guide's arithmetic, Modes compares
Serverless with Batch, Summary pivots and charts, Projection has totals; Preferences and
About read the plan and the catalog."""

from __future__ import annotations

import pytest

from decimal import Decimal

from PySide6.QtCore import Qt

from desktop_helpers import col, data_dir, plan_path, window  # noqa: F401


def test_explain_shows_the_seed_example_step_by_step(window):
    from desktop.explain import explain_lines

    lines = explain_lines(window.document, 0)
    assert "Input Cost  = (3,000 / 1,000,000) × $0.90 = $0.0027" in lines
    assert "Output Cost = (1,000 / 1,000,000) × $3.30 = $0.0033" in lines
    assert "Total / Request = $0.0027 + $0.0033 = $0.0060" in lines
    assert "Monthly Cost (Jan 2026) = 2,000,000 × $0.0060 = $12,000.00" in lines
    window.show_tab("Explain")
    window.explain.show_workload(0)
    assert "Input Cost  = (3,000 / 1,000,000) × $0.90 = $0.0027" in window.explain.text.toPlainText()


def test_explain_follows_an_edit_and_shows_the_batch_discount(window, qtbot):
    from desktop.explain import explain_lines

    lines = explain_lines(window.document, 1)  # the same request on Batch
    assert "  Input rate  = $0.90 × (1 − 50%) = $0.45" in lines
    assert "Monthly Cost (Jan 2026) = 2,000,000 × $0.0030 = $6,000.00" in lines
    window.show_tab("Explain")
    window.explain.show_workload(0)
    model = window.workloads_model
    model.setData(model.index(0, col("input_tokens")), "4000")
    qtbot.waitUntil(lambda: "(4,000 / 1,000,000) × $0.90 = $0.0036" in window.explain.text.toPlainText(), timeout=2000)


def test_explain_shows_cached_input_on_its_own_line(window):
    from desktop.explain import explain_lines

    text = "\n".join(explain_lines(window.document, 6))  # Code copilot (staging): 60% cached, GLM-5.3 Flash
    assert "Cached Input Cost = (3,600 / 1,000,000) × $0.03 = $0.000108" in text
    assert "Input Cost  = (2,400 / 1,000,000) × $0.15 = $0.00036" in text


def test_modes_highlights_the_cheaper_mode_and_the_saving(window):
    window.show_tab("Modes")
    entries = {e["workload"].name: e for e in window.modes.comparisons()}
    chat = entries["Assistant chat"]
    assert chat["serverless"] == Decimal("2358.00") and chat["batch"] == Decimal("1179.00")
    assert chat["cheaper"].label == "Batch" and chat["saving"] == Decimal("1179.00")
    assert not entries["Reasoning agent"]["batch_offered"]  # maestro lists no Batch
    row = [e["workload"].name for e in window.modes.comparisons()].index("Assistant chat")
    model = window.modes.model
    assert model.index(row, 5).data() == "$1,179.00"
    from desktop import colours

    assert model.index(row, 5).data(Qt.ItemDataRole.BackgroundRole).color() == colours.tint("cheaper").color()
    assert model.index(row, 7).data() == "$1,179.00"
    # maestro lists no Batch: its Batch price is shown anyway, marked (tests/test_desktop_modes_chart.py)
    assert model.index(0, 5).data() == "$6,000.00 †"


def test_summary_pivots_by_tenant_and_charts_every_month(window):
    window.show_tab("Summary")
    summary = window.summary
    summary.set_breakdown("tenant")
    assert summary.table.item(0, 0).text() == "Acme Retail"
    last = summary.table.rowCount() - 1
    headers = [summary.table.horizontalHeaderItem(c).text() for c in range(summary.table.columnCount())]
    assert headers[3:6] == ["FY2026", "FY2027", "FY2028"] and headers[-1] == "Horizon"
    assert summary.table.item(last, 6).text() == window.totals.figures[2].text()
    assert summary.table.item(last, 3).text() == summary.table.item(last, 2).text()  # FY = calendar year here
    series = summary.chart.series()[0]
    assert [s.label() for s in series.barSets()] == ["Acme Retail", "Globex Bank", "Initech Health"]
    assert all(bar.count() == 36 for bar in series.barSets())
    summary.set_breakdown("mode")
    assert {summary.table.item(r, 0).text() for r in range(summary.table.rowCount() - 1)} == {"Serverless", "Batch"}


def test_summary_chart_sums_the_groups_past_nine_into_one_grey_series_named_by_their_count(window):
    from desktop import colours

    doc = window.document
    first = doc.plan.workloads[0]
    workloads = tuple(first.model_copy(update={"name": f"w{i}", "tenant": f"Tenant {i:02d}"}) for i in range(12))
    doc.replace_plan(doc.plan.model_copy(update={"workloads": workloads}))
    window.show_tab("Summary")
    summary = window.summary
    summary.set_breakdown("tenant")
    summary.refresh()
    bars = summary.chart.series()[0].barSets()
    assert len(bars) == 10 and bars[-1].label() == "Other (3 tenants)"
    assert bars[-1].color().name() == colours.OTHER
    assert colours.OTHER not in {bar.color().name() for bar in bars[:-1]}
    groups = sorted(doc.projection.breakdown("tenant").values(), key=sum, reverse=True)
    scale = bars[0].at(0) / float(groups[0][0])  # the chart's unit
    assert bars[-1].at(0) == pytest.approx(float(sum(g[0] for g in groups[9:])) * scale, rel=1e-9)


def test_fiscal_years_follow_the_preference():
    from datetime import date

    from pricing.plan.months import fiscal_years
    from pricing.plan.months import month_range

    months = month_range(date(2026, 1, 1), 36)
    assert fiscal_years(months, 1) == [("FY2026", 0, 12), ("FY2027", 12, 12), ("FY2028", 24, 12)]
    assert fiscal_years(months, 4) == [("FY2026 (part)", 0, 3), ("FY2027", 3, 12), ("FY2028", 15, 12),
                                       ("FY2029 (part)", 27, 9)]


def test_projection_grid_has_totals_row_and_column(window):
    model = window.projection_model
    doc = window.document
    assert model.rowCount() == 13 and model.columnCount() == 38
    assert model.index(0, 1).data() == "$12,000.00"
    assert model.index(12, 0).data() == "Total"
    assert model.index(12, 37).data() == window.totals.figures[2].text()
    assert model.index(0, 37).data(Qt.ItemDataRole.UserRole) == doc.projection.row_total(0)
    # Sorting by a month keeps the totals row last.
    window.projection_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    proxy = window.projection_proxy
    assert proxy.index(proxy.rowCount() - 1, 0).data() == "Total"


def test_preferences_change_assumptions_and_reproject_as_one_undo_step(window):
    from desktop.preferences import apply_preferences

    doc = window.document
    assert apply_preferences(doc, {"batch_discount": "40%", "horizon_months": 24, "currency": "EUR",
                                   "fiscal_year_start": 4, "hours_per_month": "720"}) is None
    a = doc.plan.assumptions
    assert (a.batch_discount, a.horizon_months, a.currency, a.fiscal_year_start, a.hours_per_month) == (
        Decimal("0.4"), 24, "EUR", 4, Decimal(720))
    assert doc.projection.rows[1].costs[0] == Decimal("7200")  # 2M × $0.0060 × 60%
    assert window.projection_model.columnCount() == 26
    assert window.totals.figures[2].text().startswith("€")
    assert "Horizon (24 months)" in window.totals.captions[2].text()
    assert apply_preferences(doc, {"horizon_months": 60}) is not None
    assert apply_preferences(doc, {"batch_discount": "half"}) is not None
    doc.undo_stack.undo()
    assert doc.plan.assumptions.horizon_months == 36 and doc.projection.rows[1].costs[0] == Decimal("6000")


def test_about_names_version_and_catalog_snapshot():
    from desktop.preferences import about_text
    from pricing.costing.catalog import load_catalog_file

    catalog = load_catalog_file()
    text = about_text()
    assert catalog.built.isoformat() in text and catalog.genai_prices_version in text
    assert "Token Budget" in text


def test_editing_a_rate_reprices_its_workloads(window):
    rates = window.rates_model
    row = [r.model_id for r in window.document.plan.rates].index("arcee-ai/maestro-reasoning")
    input_col = [c.key for c in __import__("desktop.rates_model", fromlist=["x"]).RATE_COLUMNS].index("input_mtok")
    assert rates.setData(rates.index(row, input_col), "$1.20")
    assert window.document.projection.rows[0].costs[0] == Decimal("13800")  # (3000×1.20 + 1000×3.30)/1M × 2M
    assert not rates.setData(rates.index(row, input_col), "cheap")
    assert "Input / 1M" in window.statusBar().currentMessage()
    window.document.undo_stack.undo()
    assert window.document.projection.rows[0].costs[0] == Decimal("12000")


def test_rates_paste_and_fill_down_are_one_undo_step_each(window, qtbot):
    from PySide6.QtWidgets import QApplication

    from desktop.rates_model import RATE_COLUMNS
    from desktop_helpers import select

    view, doc = window.rates_view, window.document
    window.show_tab("Rates")
    first = [c.key for c in RATE_COLUMNS].index("input_mtok")
    select(view, 0, first, 0, first)
    QApplication.clipboard().setText("$1.00\t0,10\t$4.00\n")  # input, cached input, output per 1M
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    rate = doc.plan.rates[0].current
    assert (rate.input_mtok, rate.cached_input_mtok, rate.output_mtok) == (Decimal("1.00"), Decimal("0.10"), Decimal("4.00"))
    assert doc.projection.rows[0].costs[0] == Decimal("14000")  # (3000×1 + 1000×4)/1M × 2M
    select(view, 0, first, 2, first)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [r.current.input_mtok for r in doc.plan.rates[:3]] == [Decimal("1.00")] * 3
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.projection.rows[0].costs[0] == Decimal("12000")


def test_preferences_on_a_large_plan_project_on_a_worker_and_cancel_keeps_them(window, qtbot, monkeypatch):
    from desktop import importing
    from desktop.preferences import apply_preferences

    import time

    import desktop.document

    monkeypatch.setattr(importing, "PROJECT_IN_BACKGROUND_WORKLOADS", 0)
    real_projected, allowed = desktop.document.projected, []

    def slow_projected(plan):  # as long as a large plan takes: still running when Cancel is pressed
        while not allowed and not (window.files.jobs.get("Projecting") and window.files.jobs["Projecting"].cancel.is_set()):
            time.sleep(0.01)
        return real_projected(plan)

    monkeypatch.setattr(desktop.document, "projected", slow_projected)
    doc = window.document
    before = doc.plan
    replace = window.files.replace_plan
    assert apply_preferences(doc, {"batch_discount": "40%"}, replace) is None
    window.files.jobs["Projecting"].cancel.set()  # the progress dialog's Cancel
    qtbot.waitUntil(lambda: not window.files.jobs, timeout=20000)
    assert doc.plan is before and doc.undo_stack.count() == 0
    allowed.append(True)
    assert apply_preferences(doc, {"batch_discount": "40%"}, replace) is None
    qtbot.waitUntil(lambda: not window.files.jobs, timeout=20000)
    assert doc.plan.assumptions.batch_discount == Decimal("0.4") and doc.projection.plan is doc.plan
    doc.undo_stack.undo()
    assert doc.plan is before


def test_summary_of_a_few_tenants_shows_its_total_row_without_scrolling(window, qtbot):
    window.resize(1400, 850)
    window.show()
    window.show_tab("Summary")
    summary = window.summary
    summary.set_breakdown("tenant")
    qtbot.wait(10)
    table = summary.table
    assert table.item(table.rowCount() - 1, 0).text() == "Total"
    total = table.visualItemRect(table.item(table.rowCount() - 1, 0))
    assert table.viewport().rect().contains(total)
