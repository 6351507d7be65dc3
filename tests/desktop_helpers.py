"""Fixtures for the desktop tests: a real main window on a copy of the sample plan, with
every question to the user answered by the test instead of a modal dialog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QApplication

from pricing.costing.catalog import sample_plan_path


class ScriptedPrompts:
    """Answers the window's questions from attributes the test sets; records what was asked."""

    def __init__(self):
        self.asked: list[tuple] = []
        self.save_changes = "discard"
        self.locked = "readonly"
        self.restore = "restore"  # or "discard", "later"
        self.save_to: Path | None = None
        self.wizard = None  # callable(path) -> plan | None
        self.errors: list[str] = []
        self.confirm_answer = True

    def ask_save_changes(self, name):
        self.asked.append(("save_changes", name))
        return self.save_changes

    def ask_locked(self, path, owner, can_break=False):
        self.asked.append(("locked", path, owner, can_break))
        return self.locked

    def ask_restore(self, description):
        self.asked.append(("restore", description))
        return self.restore

    def open_path(self):
        return None

    def save_path(self, suggested):
        self.asked.append(("save_path", suggested))
        return self.save_to

    def any_path(self, *a, **k):
        return None

    def confirm(self, title, text):
        self.asked.append(("confirm", title, text))
        return self.confirm_answer

    def error(self, message):
        self.errors.append(message)

    def run_import_wizard(self, path):
        return self.wizard(path) if self.wizard else None


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "appdata"
    monkeypatch.setenv("TOKENBUDGET_DATA_DIR", str(d))
    return d


@pytest.fixture
def plan_path(tmp_path) -> Path:
    path = tmp_path / "plan.json"
    shutil.copy(sample_plan_path(), path)
    return path


def make_window(qtbot, path: Path | None = None, prompts: ScriptedPrompts | None = None):
    from desktop.document import PlanDocument
    from desktop.main_window import MainWindow
    from pricing.files.planfile import open_plan

    plan, _ = open_plan(path or sample_plan_path())
    prompts = prompts or ScriptedPrompts()
    document = PlanDocument(plan, None)
    window = MainWindow(document, prompts=prompts)
    qtbot.addWidget(window)
    if path:
        window.files.open_path(path)  # a plan workbook opens on a worker: wait for it
        qtbot.waitUntil(lambda: window.files.open_task is None, timeout=20000)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, data_dir, plan_path):
    w = make_window(qtbot, plan_path)
    yield w
    w.files.shutdown()
    w.document.undo_stack.setClean()


def select(view, top, left, bottom, right):
    model = view.model()
    view.setCurrentIndex(model.index(top, left))
    view.selectionModel().select(
        QItemSelection(model.index(top, left), model.index(bottom, right)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )


def col(key: str) -> int:
    from desktop.workloads_model import FIELD_COLUMN

    return FIELD_COLUMN[key]


def process():
    QApplication.processEvents()
