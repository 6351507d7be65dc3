"""Files come in as what they are: a workbook the app wrote is the plan; a computed sheet is
never read as input, in any workbook."""

from __future__ import annotations

import json

import openpyxl

from pricing.cli import main
from pricing.importer import import_file, scan


def _total(capsys, plan_file) -> str:
    assert main(["summary", str(plan_file), "--json"]) == 0
    return json.loads(capsys.readouterr().out)["total"]


def test_a_reimported_export_is_the_plan_with_the_same_total(tmp_path, capsys, sample_plan):
    exported = tmp_path / "sample.xlsx"
    assert main(["export", "-o", str(exported)]) == 0
    out = tmp_path / "again.json"
    assert main(["import", str(exported), "-o", str(out)]) == 0
    assert "12 workloads" in capsys.readouterr().out
    assert _total(capsys, out) == _total(capsys, exported)
    result = import_file(exported)
    assert result.plan == sample_plan
    assert any("loaded as the plan" in d for d in result.report.decisions)


def test_computed_sheets_are_not_read_as_input_when_the_format_sheet_is_gone(tmp_path, capsys, sample_plan):
    exported = tmp_path / "sample.xlsx"
    assert main(["export", "-o", str(exported)]) == 0
    book = openpyxl.load_workbook(exported)  # a copy saved elsewhere: no hidden format sheet, formulas kept
    del book["TokenBudget"]
    copy = tmp_path / "copy.xlsx"
    book.save(copy)
    found = scan(copy)
    read = {t.sheet for t in found.tables}
    assert {"Workloads", "Rates"} <= read and not read & {"Costs", "Modes", "Projection", "Summary", "Capacity"}
    assert any("'Costs' is computed" in n for n in found.notes) and any("'Modes' is computed" in n for n in found.notes)
    result = import_file(copy)
    assert len(result.plan.workloads) == len(sample_plan.workloads)


def test_a_foreign_sheet_of_formulas_over_another_sheet_is_skipped_but_its_source_is_read(tmp_path):
    book = openpyxl.Workbook()
    inputs = book.active
    inputs.title = "Inputs"
    inputs.append(["Model", "Requests per month", "Avg input tokens", "Avg output tokens"])
    inputs.append(["gpt-4o", 1000, 500, 100])
    inputs.append(["gpt-4o-mini", 2000, 400, 50])
    derived = book.create_sheet("Forecast")
    derived.append(["Model", "Requests per month", "Avg input tokens", "Avg output tokens"])
    for r in (2, 3):
        derived.append([f"=Inputs!A{r}", f"=Inputs!B{r}*1.1", f"=Inputs!C{r}", f"=Inputs!D{r}"])
    typed = book.create_sheet("Typed")  # constants typed as formulas are input, not computed
    typed.append(["Model", "Requests per month", "Avg input tokens", "Avg output tokens"])
    typed.append(["gpt-4o", "=30*1000", 500, 100])
    path = tmp_path / "budget.xlsx"
    book.save(path)
    found = scan(path)
    assert {t.sheet for t in found.tables} == {"Inputs", "Typed"}
    assert any("'Forecast' is computed" in n for n in found.notes)
