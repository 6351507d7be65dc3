"""Workers give way to the GUI thread while it paints.

A grid's paint calls into Python hundreds of times (a cell's text, colour, alignment …), and each
call needs the interpreter lock; while a worker re-prices 12,500 rows or sums a 100,000-row
Summary, every one of those calls first waits for the worker to let go of the lock, and on a
busy machine for the worker to be scheduled again.  So the window's paints hold the gate shut
(``painting``) and the core's long loops, which call ``pricing.yielding.give_way`` every few rows,
wait on a worker thread until it opens again: the paint runs with the lock to itself and the
worker goes on where it stopped.  Figures are the same; only when a worker computes them moves.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from pricing import yielding

#: A worker never waits longer than this for one paint (a paint that long is a bug of its own).
LONGEST_WAIT_S = 0.25

_open = threading.Event()
_open.set()
_depth = 0


def _wait_while_painting() -> None:
    """``pricing.yielding.hook``: on a worker thread, wait while the GUI thread paints."""
    if not _open.is_set() and threading.current_thread() is not threading.main_thread():
        _open.wait(LONGEST_WAIT_S)


@contextmanager
def painting() -> Iterator[None]:
    """Shut the gate for the block (on the GUI thread): workers stop at their next give-way."""
    global _depth
    _depth += 1
    _open.clear()
    try:
        yield
    finally:
        _depth -= 1
        if not _depth:
            _open.set()


def install() -> None:
    """Make the core's long loops give way to the GUI thread's paints (``desktop.app.application``)."""
    yielding.hook = _wait_while_painting


class PaintsFirst:
    """Mixin for a view whose paint and layout call into Python (a model's ``data``, ``headerData``):
    it paints and lays out with the gate shut.

    Laying out a grid (``updateGeometries``, run by the view's delayed-layout timer after a model
    change) sizes its row header from up to 200 labels, each several ``headerData`` calls: with a
    worker re-pricing meanwhile, every call waited for the lock, 70–140 ms in all at 100,000 rows."""

    def paintEvent(self, event):
        with painting():
            super().paintEvent(event)

    def updateGeometries(self):
        with painting():
            super().updateGeometries()

    def timerEvent(self, event):
        with painting():
            super().timerEvent(event)


class _HeaderFirst(PaintsFirst, QHeaderView):
    """A table's header: its labels are the model's ``headerData`` (Python), so it paints and lays
    out with the gate shut as the cells do."""

    def __init__(self, orientation, parent=None):
        super().__init__(orientation, parent)
        self.setSectionsClickable(True)  # as QTableView's own headers
        self.setHighlightSections(True)


class TableFirst(PaintsFirst, QTableView):
    """A table view whose cells and headers paint and lay out with the gate shut."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHorizontalHeader(_HeaderFirst(Qt.Orientation.Horizontal, self))
        self.setVerticalHeader(_HeaderFirst(Qt.Orientation.Vertical, self))
