"""The import wizard takes a foreign budget: it shows the detected mapping, lets the user
change it, imports with the edited mapping, shows the report, and the window takes the
plan as one undo step.

The real ``pricing.importer`` reads a real CSV file written by the test.
"""

from __future__ import annotations

import time
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


MONTHS_ACROSS = """LLM volume forecast FY26

Use case,Model,Avg input tokens,Avg output tokens,Jan-26,Feb-26,Mar-26,Apr-26
Support bot,gpt-4o-mini,1200,300,100000,120000,150000,180000
Search,gpt-4o,900,60,50000,50000,60000,60000
"""


def test_wizard_shows_month_columns_and_imports_them_as_a_series(window, qtbot, importer, tmp_path):
    from desktop.import_wizard import IGNORE, ImportWizard

    path = tmp_path / "forecast.csv"
    path.write_text(MONTHS_ACROSS, encoding="utf-8")
    wizard = ImportWizard(path, window)
    qtbot.addWidget(wizard)
    assert [wizard.field_combo(0, x).currentText() for x in "EFGH"] == ["requests_in_month"] * 4
    wizard.field_combo(0, "H").setCurrentText(IGNORE)  # the user leaves April out
    mapping = wizard.mapping().tables[0]
    assert mapping.months == {"E": "2026-01", "F": "2026-02", "G": "2026-03"}
    assert wizard.run_import()
    support = wizard.result_plan().workloads[0]
    assert support.requests_per_month == Decimal(100000)
    assert support.monthly_growth == Decimal("0.224745")  # (150000 / 100000) ** (1/2) - 1: March is the last month


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


@pytest.fixture
def in_background(monkeypatch):
    """Every file counts as large: the wizard reads and imports it on a worker thread."""
    from desktop import import_wizard

    monkeypatch.setattr(import_wizard, "BACKGROUND_BYTES", 0)


def test_a_large_budget_is_read_and_imported_on_a_worker(window, qtbot, importer, foreign_csv, in_background):
    from desktop.import_wizard import ImportWizard

    wizard = ImportWizard(foreign_csv, window)
    qtbot.addWidget(wizard)
    assert wizard.job is not None and not wizard.busy.isHidden()  # reading: a busy bar, Import disabled
    assert "Reading team-budget.csv" in wizard.message.text() and not wizard.import_button.isEnabled()
    qtbot.waitUntil(lambda: wizard.job is None, timeout=20000)
    assert wizard.busy.isHidden() and wizard.import_button.isEnabled()
    assert wizard.field_combo(0, "A").currentText() == "name"
    assert wizard.run_import()  # started
    assert wizard.job is not None and not wizard.mapping_page.isEnabled()
    qtbot.waitUntil(lambda: wizard.job is None, timeout=20000)
    assert wizard.pages.currentIndex() == 1 and wizard.accept_button.isEnabled()
    assert wizard.result_plan().workloads[0].name == "Support bot"


def test_cancel_during_a_background_import_returns_to_the_mapping_unchanged(window, qtbot, importer, foreign_csv,
                                                                            in_background, monkeypatch):
    from desktop.import_wizard import ImportWizard

    wizard = ImportWizard(foreign_csv, window)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.job is None, timeout=20000)
    real_import = importer.import_file

    def slow_import(*args, cancel=None, **kwargs):  # still importing when Cancel is pressed
        while not cancel():
            time.sleep(0.01)
        return real_import(*args, cancel=cancel, **kwargs)

    monkeypatch.setattr(importer, "import_file", slow_import)
    wizard.show()
    assert wizard.run_import()
    wizard.cancel_button.click()
    qtbot.waitUntil(lambda: wizard.job is None, timeout=20000)
    assert wizard.isVisible() and wizard.pages.currentIndex() == 0  # the wizard stays, on the mapping
    assert wizard.result_plan() is None and "nothing changed" in wizard.message.text()
    assert wizard.import_button.isEnabled() and wizard.mapping_page.isEnabled()


def test_closing_the_wizard_while_it_reads_stops_the_read(window, qtbot, importer, foreign_csv, in_background,
                                                          monkeypatch):
    from desktop import jobs
    from desktop.import_wizard import ImportWizard

    real_scan = importer.scan

    def slow_scan(path, *args, cancel=None, **kwargs):
        while not cancel():
            time.sleep(0.01)
        return real_scan(path, *args, cancel=cancel, **kwargs)

    monkeypatch.setattr(importer, "scan", slow_scan)
    wizard = ImportWizard(foreign_csv, window)
    qtbot.addWidget(wizard)
    wizard.show()
    job = wizard.job
    wizard.cancel_button.click()  # while reading, Cancel closes the wizard
    assert job.cancel.is_set() and not wizard.isVisible()
    qtbot.waitUntil(lambda: jobs.running_jobs() == 0, timeout=20000)
    assert wizard.scan is None and wizard.result_plan() is None


def test_a_large_imported_plan_is_projected_on_a_worker_then_taken_as_one_step(window, qtbot, importer, foreign_csv,
                                                                                 monkeypatch):
    from desktop import importing
    from pricing.importer import import_file

    monkeypatch.setattr(importing, "PROJECT_IN_BACKGROUND_WORKLOADS", 0)
    window.prompts.wizard = lambda path: import_file(path, remember=False).plan
    doc = window.document
    before = doc.plan
    assert window.files.import_path(foreign_csv)
    assert window.files.jobs.get("Projecting") is not None and doc.plan is before  # not yet taken
    qtbot.waitUntil(lambda: not window.files.jobs, timeout=20000)
    assert doc.plan.workloads[0].name == "Support bot" and doc.projection.plan is doc.plan
    assert doc.undo_stack.count() == 1 and doc.undo_stack.command(0).projection is None  # not kept for redo
    doc.undo_stack.undo()
    assert doc.plan is before


def test_wizard_imports_a_parameter_sheet_and_shows_what_it_read_apart_and_skipped(window, qtbot, importer, tmp_path):
    from desktop.import_wizard import ImportWizard
    from tests.layout_helpers import parameter_budget

    wizard = ImportWizard(parameter_budget(tmp_path / "model.xlsx"), window)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.job is None, timeout=10_000)  # a workbook is read on a worker
    assert wizard.import_button.isEnabled()  # no table, but a parameter sheet to read
    tabs = [wizard.mapping_page.tabText(i) for i in range(wizard.mapping_page.count())]
    assert tabs == ["Read apart / skipped"]
    apart = wizard.mapping_page.widget(0).toPlainText()
    assert "a parameter sheet (label | value | unit rows)" in apart and "('PRICING'): a section label" in apart
    assert wizard.run_import()
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=10_000)
    report = wizard.report.toPlainText()
    assert "stated $1,900.80" in report and "computed $1,900.80" in report
    assert "Skipped, not data" in report and "'Cost ratio Sonnet / Haiku'" in report
    assert sum(w.requests_per_month for w in wizard.result_plan().workloads) == 300_000


def test_the_wizard_is_deleted_once_it_closes_so_the_window_does_not_keep_what_it_read(window, qtbot, importer,
                                                                                        foreign_csv):
    """The real prompt runs the wizard as a child of the window: kept after it closes, each import
    would keep its cells and plan for as long as the window is open."""
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.import_wizard import ImportWizard
    from desktop.prompts import Prompts

    def import_and_accept():
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, ImportWizard) and wizard.run_import()
        wizard.accept_button.click()

    QTimer.singleShot(0, import_and_accept)
    plan = Prompts(window).run_import_wizard(foreign_csv)
    assert plan is not None and plan.workloads[0].name == "Support bot"
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(ImportWizard) == []


def test_the_wizard_reads_a_workbook_on_a_worker_however_small(window, qtbot, importer, tmp_path):
    from desktop.import_wizard import ImportWizard
    from tests.layout_helpers import parameter_budget

    path = parameter_budget(tmp_path / "small.xlsx")
    assert path.stat().st_size < 50_000
    wizard = ImportWizard(path, window)
    qtbot.addWidget(wizard)
    assert wizard.in_background and wizard.job is not None  # the reader process starts off the GUI thread
    qtbot.waitUntil(lambda: wizard.job is None, timeout=10_000)
    assert wizard.import_button.isEnabled()
