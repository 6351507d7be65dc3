"""A table view that handles the keyboard as a spreadsheet does.

Arrows move, Tab/Enter commit and move on, F2 edits, Delete clears, Ctrl+D fills down,
Ctrl+C/Ctrl+V copy and paste rectangles as tab-separated text, Insert adds a row and
Ctrl+Minus deletes the selected rows (through the owner's callbacks, so each is one undo
step).  Sorting and filtering go through ``desktop.sheet_proxy.SheetProxy``.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
)

from desktop.gui_first import TableFirst
from desktop import clipboard
from desktop.sheet_proxy import ProjectionProxy, SheetProxy  # noqa: F401  (re-exported)


def cells_of(blocks: list[tuple[list[int], list[int]]]) -> Iterable[tuple[int, int]]:
    """Every cell of ``selected_blocks`` once (rectangles a Ctrl+click made may overlap), column by column."""
    if len(blocks) == 1:
        rows, columns = blocks[0]
        return ((row, column) for column in columns for row in rows)
    return dict.fromkeys((row, column) for rows, columns in blocks for column in columns for row in rows)


class SheetView(TableFirst):
    def __init__(self, parent=None, *, insert_rows=None, delete_rows=None):
        super().__init__(parent)
        self.insert_rows = insert_rows
        self.delete_rows = delete_rows
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setWordWrap(False)

    def setSelectionModel(self, selection_model) -> None:  # noqa: N802 (Qt's name)
        """The column headers get a selection model of their own, always empty.  A header paints
        each section beside whether its neighbours are selected (``QHeaderView::initStyleOptionForIndex``),
        and Qt finds a column selected by asking every row's flags (``QItemSelectionModel::isColumnSelected``):
        with a whole column of 100,000 workloads selected, 100,000 calls into Python on every paint
        of the header, 0.6 s.  The columns' highlight is off here anyway; selecting a column by its
        header goes to the view's own selection (``QTableView.selectColumn``)."""
        from PySide6.QtCore import QItemSelectionModel

        super().setSelectionModel(selection_model)
        header = self.horizontalHeader()
        if self.model() is not None:
            header.setSelectionModel(QItemSelectionModel(self.model(), header))

    def keyPressEvent(self, event):
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if event.matches(QKeySequence.StandardKey.Copy):
            clipboard.copy_selection(self)
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            clipboard.paste(self)
            return
        if ctrl and key == Qt.Key.Key_D:
            clipboard.fill_down(self)
            return
        if key == Qt.Key.Key_Delete and not ctrl and self.state() != QAbstractItemView.State.EditingState:
            clipboard.clear_selection(self)
            return
        if key == Qt.Key.Key_Insert and self.insert_rows:
            self.insert_rows()
            return
        if ctrl and key == Qt.Key.Key_Minus and self.delete_rows:
            self.delete_rows()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            current = self.currentIndex()
            step = -1 if mods & Qt.KeyboardModifier.ShiftModifier else 1
            row = min(max(current.row() + step, 0), self.model().rowCount() - 1)
            self.setCurrentIndex(self.model().index(row, current.column()))
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint):
        # Enter commits and moves down, as in Excel.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            current = self.currentIndex()
            if current.row() + 1 < self.model().rowCount():
                self.setCurrentIndex(self.model().index(current.row() + 1, current.column()))
            return
        super().closeEditor(editor, hint)

    def selected_blocks(self) -> list[tuple[list[int], list[int]]]:
        """Each selected rectangle as (its source model's rows, in the grid's order; its columns), read
        from the selection's ranges: a whole column of 100,000 rows is one range, not 100,000 indexes."""
        model = self.model()
        mapped = getattr(model, "source_rows", None)
        blocks = []
        for r in self.selectionModel().selection():
            rows = mapped(r.top(), r.bottom()) if mapped else list(range(r.top(), r.bottom() + 1))
            blocks.append((rows, list(range(r.left(), r.right() + 1))))
        return blocks

    def selected_cells(self) -> Iterable[tuple[int, int]]:
        """Every selected cell once, as (source row, column)."""
        return cells_of(self.selected_blocks())

    def source_rows(self) -> list[int]:
        """Source rows of the selected cells (or of the current cell), ascending."""
        rows = {row for block_rows, _columns in self.selected_blocks() for row in block_rows}
        if not rows and self.currentIndex().isValid():
            current = self.currentIndex()
            model = self.model()
            rows.add(model.mapToSource(current).row() if hasattr(model, "mapToSource") else current.row())
        return sorted(rows)

    def set_column_widths(self, widths: list[int]) -> None:
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
