"""Workers give way to the GUI thread while it paints: the core's long loops wait at their next
give-way while a grid paints, then go on to the same figures."""

from __future__ import annotations

import threading

import pytest

from pricing import yielding
from pricing.costing.projection import BREAKDOWNS, Projection
from tests.workbook_helpers import random_plan


@pytest.fixture
def gate(monkeypatch):
    from desktop import gui_first

    monkeypatch.setattr(gui_first, "LONGEST_WAIT_S", 60.0)  # the test opens the gate itself
    monkeypatch.setattr(yielding, "hook", None)
    gui_first.install()
    return gui_first


def test_a_worker_breakdown_waits_while_the_gui_thread_paints_and_then_gives_the_same_figures(gate, monkeypatch):
    p = Projection(random_plan(2, n_workloads=200))
    expected = {by: p.breakdown(by) for by in BREAKDOWNS}  # on this (the main) thread: never waits
    waiting = threading.Event()
    inner = yielding.hook

    def noted():
        if threading.current_thread() is not threading.main_thread() and not gate._open.is_set():
            waiting.set()
        inner()

    monkeypatch.setattr(yielding, "hook", noted)
    found = {}
    worker = threading.Thread(target=lambda: found.update({by: p.breakdown(by) for by in BREAKDOWNS}))
    with gate.painting():
        worker.start()
        assert waiting.wait(30)
        assert found == {}  # stopped at its first give-way while the paint runs
    worker.join(30)
    assert found == expected


def test_the_gate_opens_only_when_the_outermost_paint_ends(gate):
    with gate.painting():
        with gate.painting():
            assert not gate._open.is_set()
        assert not gate._open.is_set()
    assert gate._open.is_set()


def test_the_window_installs_the_gate(qapp, monkeypatch):
    from desktop import gui_first
    from desktop.app import application

    monkeypatch.setattr(yielding, "hook", None)
    application()
    assert yielding.hook is gui_first._wait_while_painting


@pytest.mark.parametrize("view_class", ["SheetView", "ModesTable"])
def test_the_grids_and_the_modes_table_ask_their_cells_with_the_gate_shut(qapp, gate, view_class):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItemModel

    from desktop.grid import SheetView
    from desktop.modes_view import ModesTable

    seen = []

    class Cells(QStandardItemModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            seen.append(gate._open.is_set())
            return super().data(index, role)

    model = Cells(3, 2)
    view = {"SheetView": SheetView, "ModesTable": ModesTable}[view_class]()
    view.setModel(model)
    view.resize(300, 200)
    view.show()
    view.grab()
    seen.clear()
    view.grab()
    assert seen and not any(seen)
    assert gate._open.is_set()


def test_a_grid_lays_out_its_row_header_after_a_model_reset_with_the_gate_shut(qapp, gate, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItemModel

    from desktop.grid import SheetView

    seen = []

    class Rows(QStandardItemModel):
        def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
            if orientation == Qt.Orientation.Vertical:
                seen.append(gate._open.is_set())
            return super().headerData(section, orientation, role)

    model = Rows(500, 3)
    view = SheetView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    seen.clear()
    model.setRowCount(5000)  # rows in: the view re-lays out on its delayed-layout timer, sizing the row header
    qtbot.waitUntil(lambda: len(seen) > 100)
    qapp.processEvents()
    assert not any(seen)
    assert gate._open.is_set()
