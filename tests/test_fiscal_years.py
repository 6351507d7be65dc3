"""Fiscal-year totals come from the core and read the same in the Summary tab, in
``tokenbudget summary`` (text and JSON) and on the workbook's Summary sheet (live formulas)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from desktop_helpers import data_dir, make_window  # noqa: F401
from pricing.costing.catalog import sample_plan_path
from pricing.costing.projection import Projection
from pricing.files.planfile import open_plan, save_plan_json
from pricing.files.workbook import save_plan
from pricing.plan.money import exact_sum
from tests.workbook_helpers import recalculate, sheet_values


def _april_plan():
    plan, _ = open_plan(sample_plan_path())  # 36 months from January 2026
    assumptions = plan.assumptions.model_copy(update={"fiscal_year_start": 4})
    return plan.model_copy(update={"assumptions": assumptions})


def test_fiscal_years_starting_in_april_split_the_horizon_and_add_up_to_it():
    p = Projection(_april_plan())
    totals = p.fiscal_year_totals()
    assert [(y.label, y.first, y.count) for y, _t in totals] == [
        ("FY2026 (part)", 0, 3), ("FY2027", 3, 12), ("FY2028", 15, 12), ("FY2029 (part)", 27, 9)]
    assert totals[1][1] == exact_sum(p.month_totals[3:15])
    assert exact_sum(t for _y, t in totals) == p.total


def test_summary_json_and_text_give_the_summary_tabs_fiscal_years(qtbot, data_dir, tmp_path, capsys):  # noqa: F811
    from pricing.cli import main

    path = tmp_path / "april.json"
    save_plan_json(_april_plan(), path)
    assert main(["summary", str(path), "--json", "--by", "tenant"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert main(["summary", str(path), "--by", "tenant"]) == 0
    text = capsys.readouterr().out
    window = make_window(qtbot, path)
    try:
        window.show_tab("Summary")
        summary = window.summary
        summary.set_breakdown("tenant")
        table = summary.table
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        labels = [year["label"] for year in data["fiscal_years"]]
        assert headers[3:3 + len(labels)] == labels == ["FY2026 (part)", "FY2027", "FY2028", "FY2029 (part)"]
        last = table.rowCount() - 1
        shown = [table.item(last, 3 + k).text() for k in range(len(labels))]
        from desktop import display

        assert shown == [display.money(Decimal(year["total"]), "USD") for year in data["fiscal_years"]]
        assert "fiscal years: " + "   ".join(f"{label} {figure}" for label, figure in zip(labels, shown)) in text
        for r in range(last):
            tenant = table.item(r, 0).text()
            by_year = data["breakdown"]["fiscal_years"][tenant]
            assert [table.item(r, 3 + k).text() for k in range(len(labels))] == [
                display.money(Decimal(by_year[label]), "USD") for label in labels]
    finally:
        window.files.shutdown()
        window.document.undo_stack.setClean()


@pytest.mark.libreoffice
def test_the_workbook_summary_sheet_totals_each_fiscal_year_live(tmp_path):
    plan = _april_plan()
    p = Projection(plan)
    path = tmp_path / "april.xlsx"
    save_plan(plan, path)
    first = 2 + p.horizon  # column after the last month (months from column C)
    for book in (path, recalculate(path, tmp_path / "lo")):
        rows = sheet_values(book, "Summary")
        header, everything = rows[2], rows[3]
        assert everything[0] == "All workloads"
        totals = p.fiscal_year_totals()
        assert header[first:first + len(totals)] == [year.label for year, _t in totals]
        for k, (_year, total) in enumerate(totals):
            assert everything[first + k] == pytest.approx(float(total), rel=1e-12)
        tenant_rows = {row[0]: row for row in rows if row[0] in p.breakdown("tenant")}
        for tenant, values in p.breakdown("tenant").items():
            for k, (_year, total) in enumerate(p.fiscal_year_totals(values)):
                assert tenant_rows[tenant][first + k] == pytest.approx(float(total), rel=1e-12)
