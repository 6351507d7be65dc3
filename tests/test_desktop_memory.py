"""A session in the window leaves nothing in reference cycles.

The window freezes what a large build leaves out of the cyclic collector's passes
(``pricing.gc_pause.freeze_on_resume``), so the memory of anything left in a reference cycle is
never given back while the window is open: one cycle through an import's frames kept every
imported budget (313 MB at 100,000 rows), and the import wizard, kept as the window's child,
kept its cells and plan.  Each step here is one a user repeats in a long session.
"""

from __future__ import annotations

import gc
from collections import Counter

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication

from desktop_helpers import col, data_dir, plan_path, window  # noqa: F401

BUDGET = """Use case,Team,LLM,Prompt tokens,Completion tokens,Calls per month
Support bot,Care,gpt-4o,3000,1000,2M
Internal tool,Care,acme-internal-llm,900,60,12M
"""


def _import_with_the_real_wizard(window):
    from desktop.import_wizard import ImportWizard
    from desktop.prompts import Prompts

    def accept():
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, ImportWizard) and wizard.run_import()
        wizard.accept_button.click()

    def run(path):
        QTimer.singleShot(0, accept)
        return Prompts(window).run_import_wizard(path)

    return run


def _session(window, qtbot, tmp_path) -> None:
    """Edit and undo, visit every tab, compare with the catalog, export, save, import a budget
    through the wizard, and open the plan again."""
    doc, model = window.document, window.workloads_model
    idle = lambda: not window.files.jobs  # noqa: E731
    model.setData(model.index(0, col("requests_per_month")), "2.5M")
    doc.undo_stack.undo()
    for tab in ("Summary", "Modes", "Projection", "Scenarios", "Workloads"):
        window.show_tab(tab)
    window.comparing.with_catalog()
    window.comparing.dialog.close()
    assert window.files.export_to(tmp_path / "projection.csv")
    qtbot.waitUntil(idle, timeout=20000)
    window.files.save_to(tmp_path / "copy.json")
    qtbot.waitUntil(idle, timeout=20000)
    budget = tmp_path / "budget.csv"
    budget.write_text(BUDGET, encoding="utf-8")
    window.prompts.wizard = _import_with_the_real_wizard(window)
    assert window.files.open_path(budget)
    assert doc.plan.workloads[0].name == "Support bot"
    doc.undo_stack.setClean()
    assert window.files.open_path(tmp_path / "copy.json")
    qtbot.waitUntil(idle, timeout=20000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_session_of_window_steps_leaves_nothing_in_reference_cycles(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("TOKENBUDGET_IMPORT_MAPPINGS", str(tmp_path / "mappings"))
    _session(window, qtbot, tmp_path)  # modules loaded, caches filled, one-off types made
    gc.unfreeze()
    gc.collect()
    _session(window, qtbot, tmp_path)
    gc.unfreeze()  # what the window froze is looked at too
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        found = gc.collect()
        kinds = Counter(type(o).__name__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert found == 0, kinds.most_common(12)


def test_a_session_of_window_steps_leaves_no_closed_dialog_behind(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    monkeypatch.setenv("TOKENBUDGET_IMPORT_MAPPINGS", str(tmp_path / "mappings"))
    _session(window, qtbot, tmp_path)
    assert [type(d).__name__ for d in window.findChildren(QDialog)] == []
