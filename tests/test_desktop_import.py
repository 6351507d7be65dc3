"""The import wizard takes a foreign budget: it shows the detected mapping, lets the user
change it, imports with the edited mapping, shows the report, and the window takes the
plan as one undo step.

Until ``pricing.importer`` is merged, a small importer honouring its interface stands in
for it (installed in ``sys.modules`` by the fixture); it reads a real CSV file.
"""

from __future__ import annotations

import csv
import sys
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel

from desktop_helpers import data_dir, plan_path, window  # noqa: F401
from pricing.findings import Finding, Severity
from pricing.models import Assumptions, Plan, Workload
from pricing.numbers import parse_number

FOREIGN = """Use case,Team,LLM,Prompt tokens,Completion tokens,Calls per month,Comment
Support bot,Care,together/arcee-ai/maestro-reasoning,3000,1000,2M,guide example
Search rerank,Search,together/openai/gpt-oss-120b,900,60,12M,
Bad row,Care,together/openai/gpt-oss-120b,lots,60,1M,
"""


def _fake_importer(rates):
    module = types.ModuleType("pricing.importer")

    class TableMapping(BaseModel):
        sheet: str
        header_row: int
        kind: str
        columns: dict[str, str]
        units: dict[str, str] = {}

    class ImportMapping(BaseModel):
        tables: list[TableMapping]

    class ImportRefused(Exception):
        pass

    @dataclass
    class ColumnGuess:
        index: int
        letter: str
        header: str
        field: str | None
        unit: str | None
        reason: str

    @dataclass
    class TableGuess:
        sheet: str
        header_row: int
        kind: str
        columns: list
        preview_rows: list

    @dataclass
    class ImportScan:
        tables: list

    @dataclass
    class ImportReport:
        decisions: list = field(default_factory=list)
        findings: list = field(default_factory=list)
        rows_imported: int = 0
        rows_skipped: int = 0

    @dataclass
    class ImportResult:
        plan: Plan
        report: ImportReport
        mapping: ImportMapping

    guesses = {"use case": "name", "team": "tenant", "llm": "model", "prompt tokens": "input_tokens",
               "completion tokens": "output_tokens", "calls per month": "requests_per_month"}

    def _rows(path):
        with open(path, newline="", encoding="utf-8") as handle:
            return list(csv.reader(handle))

    def scan(path, mapping=None):
        rows = _rows(path)
        if len(rows) < 2:
            return ImportScan([])
        header = rows[0]
        columns = [ColumnGuess(i, chr(65 + i), h, guesses.get(h.lower()), None,
                               f"header {h!r}" if h.lower() in guesses else "no field matches")
                   for i, h in enumerate(header)]
        return ImportScan([TableGuess(path.name, 1, "workloads", columns, rows[1:4])])

    def import_file(path, mapping=None):
        mapping = mapping or ImportMapping(tables=[TableMapping(sheet=t.sheet, header_row=t.header_row, kind=t.kind,
                                                                columns={c.field: c.letter for c in t.columns if c.field})
                                                   for t in scan(path).tables])
        table = mapping.tables[0]
        if not table.columns or "name" not in table.columns:
            raise ImportRefused(f"{path.name}: no column is mapped to the workload name")
        rows = _rows(path)[table.header_row:]
        report = ImportReport(decisions=[f"read {path.name} as workloads, header on row {table.header_row}"])
        workloads = []
        for r, row in enumerate(rows, start=table.header_row + 1):
            values = {f: row[ord(letter) - 65] for f, letter in table.columns.items()}
            try:
                for key in ("input_tokens", "output_tokens", "requests_per_month"):
                    values[key] = parse_number(values[key])
            except ValueError as exc:
                letter = table.columns[key]
                report.findings.append(Finding(str(exc), Severity.ERROR, key, file=path.name, sheet=table.sheet,
                                               cell=f"{letter}{r}"))
                report.rows_skipped += 1
                continue
            workloads.append(Workload(**values))
            report.rows_imported += 1
        plan = Plan(name=path.stem, assumptions=Assumptions(first_month=date(2026, 1, 1)), rates=rates,
                    workloads=tuple(workloads))
        return ImportResult(plan, report, mapping)

    module.__dict__.update(scan=scan, import_file=import_file, ImportMapping=ImportMapping, TableMapping=TableMapping,
                           ImportRefused=ImportRefused)
    return module


@pytest.fixture
def importer(monkeypatch, window, tmp_path):
    monkeypatch.setenv("TOKENBUDGET_IMPORT_MAPPINGS", str(tmp_path / "mappings"))  # the real importer remembers mappings
    try:
        import pricing.importer as real  # noqa: F401
        return real
    except ImportError:
        module = _fake_importer(window.document.plan.rates)
        monkeypatch.setitem(sys.modules, "pricing.importer", module)
        return module


@pytest.fixture
def foreign_csv(tmp_path):
    path = tmp_path / "team-budget.csv"
    path.write_text(FOREIGN, encoding="utf-8")
    return path


def test_wizard_shows_the_detected_mapping_and_imports_with_the_edited_one(window, qtbot, importer, foreign_csv):
    from desktop.import_wizard import IGNORE, ImportWizard

    wizard = ImportWizard(foreign_csv, window)
    qtbot.addWidget(wizard)
    assert wizard.import_button.isEnabled()
    assert wizard.field_combo(0, "A").currentText() == "name"
    assert wizard.field_combo(0, "F").currentText() == "requests_per_month"
    assert wizard.field_combo(0, "B").currentText() == "tenant"
    # The user reads the Team column as the feature instead, and maps Comment to notes.
    wizard.field_combo(0, "B").setCurrentText("feature")
    wizard.field_combo(0, "G").setCurrentText("notes")
    mapping = wizard.mapping().tables[0]
    assert mapping.columns["feature"] == "B" and "tenant" not in mapping.columns
    assert wizard.run_import()
    report = wizard.report.toPlainText()
    assert "row(s), skipped" in report
    assert "D4" in report and "lots" in report  # the bad cell is named
    imported = wizard.result.report.rows_imported
    assert imported + wizard.result.report.rows_skipped == 3 and imported >= 2
    plan = wizard.result_plan()
    assert plan.workloads[0].notes == "guide example"
    assert plan.workloads[0].feature == "Care" and plan.workloads[0].tenant == ""
    assert plan.workloads[1].requests_per_month == Decimal(12_000_000)


def test_window_takes_an_imported_budget_as_one_undo_step(window, qtbot, importer, foreign_csv):
    from desktop.import_wizard import ImportWizard

    def drive(path):
        wizard = ImportWizard(path, window)
        qtbot.addWidget(wizard)
        wizard.run_import()
        wizard.accept_button.click()
        return wizard.result_plan()

    doc = window.document
    before_total = doc.projection.total
    window.prompts.wizard = drive
    assert window.files.open_path(foreign_csv)  # not a plan file: goes through the wizard
    assert [w.name for w in doc.plan.workloads][:2] == ["Support bot", "Search rerank"]
    assert doc.projection.rows[0].costs[0] == Decimal("12000")  # 2M × $0.0060
    assert window.workloads_model.rowCount() == len(doc.plan.workloads) < 12
    assert doc.path is None and doc.dirty
    assert window.totals.figures[2].text() != ""
    doc.undo_stack.undo()
    assert len(doc.plan.workloads) == 12 and doc.projection.total == before_total


def test_an_import_the_importer_refuses_is_reported_not_raised(window, qtbot, importer, foreign_csv):
    from desktop.import_wizard import IGNORE, ImportWizard

    wizard = ImportWizard(foreign_csv, window)
    qtbot.addWidget(wizard)
    for combo, _column in wizard.combos[0][1]:
        combo.setCurrentText(IGNORE)
    assert not wizard.run_import()
    assert "Not imported" in wizard.message.text() and wizard.result_plan() is None
    assert not wizard.accept_button.isVisible()


def test_a_file_with_no_budget_in_it_cannot_be_imported(window, qtbot, importer, tmp_path):
    from desktop.import_wizard import ImportWizard

    path = tmp_path / "letter.csv"
    path.write_text("hello\n", encoding="utf-8")
    wizard = ImportWizard(path, window)
    qtbot.addWidget(wizard)
    assert not wizard.import_button.isEnabled()
    assert "letter.csv" in wizard.message.text()
