"""A table view that handles the keyboard as a spreadsheet does.

Arrows move, Tab/Enter commit and move on, F2 edits, Delete clears, Ctrl+D fills down,
Ctrl+C/Ctrl+V copy and paste rectangles as tab-separated text, Insert adds a row and
Ctrl+Minus deletes the selected rows (through the owner's callbacks, so each is one undo
step).  Sorting and filtering go through a ``QSortFilterProxyModel``.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView

from desktop import clipboard
from desktop.workloads_model import SORT_ROLE


class SheetProxy(QSortFilterProxyModel):
    """Sort by the cell's number (not its formatted text); filter on any column, any case.

    When the source model offers ``sort_keys(column)`` and ``row_text(row)``, sorting compares
    keys read once per sort and filtering matches one string per row, instead of asking
    ``data()`` for every comparison and every cell (10,000 rows: seconds → a fraction).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(False)
        self._keys: list | None = None
        self._needle = ""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        self._keys = source.sort_keys(column) if column >= 0 and hasattr(source, "sort_keys") else None
        try:
            super().sort(column, order)
        finally:
            self._keys = None

    def lessThan(self, left, right) -> bool:
        if self._keys is not None:
            a, b = self._keys[left.row()], self._keys[right.row()]
            if type(a) is type(b):
                return a < b
            return isinstance(a, str) < isinstance(b, str)  # numbers before text
        return super().lessThan(left, right)

    def set_needle(self, text: str) -> None:
        if not hasattr(self.sourceModel(), "row_text"):
            self.setFilterFixedString(text)
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            self._needle = text.strip().lower()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = text.strip().lower()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        source = self.sourceModel()
        if self._needle and hasattr(source, "row_text"):
            return self._needle in source.row_text(source_row)
        return super().filterAcceptsRow(source_row, source_parent)


class ProjectionProxy(SheetProxy):
    """Sorting the projection keeps its totals row at the bottom."""

    def lessThan(self, left, right) -> bool:
        model = self.sourceModel()
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if model.is_total_row(left.row()):
            return not ascending
        if model.is_total_row(right.row()):
            return ascending
        return super().lessThan(left, right)


class SheetView(QTableView):
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

    def source_rows(self) -> list[int]:
        """Source rows of the selected cells (or of the current cell), ascending."""
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        model = self.model()
        rows = set()
        for index in indexes:
            if not index.isValid():
                continue
            if hasattr(model, "mapToSource"):
                index = model.mapToSource(index)
            rows.add(index.row())
        return sorted(rows)

    def set_column_widths(self, widths: list[int]) -> None:
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
