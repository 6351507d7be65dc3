"""The import wizard takes a foreign budget: it shows the detected mapping, lets the user
change it, imports with the edited mapping, shows the report, and the window takes the
plan as one undo step.

The real ``pricing.importer`` reads a real CSV file written by the test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop_helpers import data_dir, plan_path, window  # noqa: F401

FOREIGN = """Use case,Team,LLM,Prompt tokens,Completion tokens,Calls per month,Comment
Support bot,Care,together/arcee-ai/maestro-reasoning,3000,1000,2M,guide example
Search rerank,Search,together/openai/gpt-oss-120b,900,60,12M,
Bad row,Care,together/openai/gpt-oss-120b,lots,60,1M,
"""


@pytest.fixture
def importer(monkeypatch, window, tmp_path):
    monkeypatch.setenv("TOKENBUDGET_IMPORT_MAPPINGS", str(tmp_path / "mappings"))  # the importer remembers mappings
    import pricing.importer

    return pricing.importer


@pytest.fixture
def foreign_csv(tmp_path):
    path = tmp_path / "team-budget.csv"
    path.write_text(FOREIGN, encoding="utf-8")
    return path


def test_wizard_shows_the_detected_mapping_and_imports_with_the_edited_one(window, qtbot, importer, foreign_csv):
    from desktop.import_wizard import ImportWizard

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
