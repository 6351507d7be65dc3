"""The Projection grid: workloads × months, read-only, with a totals row and column.

``data()`` reads the projection's rows when a cell is painted; nothing is built per cell
up front, so a 10,000 × 36 plan costs nothing until it is scrolled into view.  An edit
signals ``dataChanged`` over the edited rows and the changed months of the totals row.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from desktop import colours
from desktop import display
from desktop.refresh import row_runs
from desktop.workloads_model import NUMBER_ROLE, SORT_ROLE

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_DISPLAY = Qt.ItemDataRole.DisplayRole


class ProjectionModel(QAbstractTableModel):
    """Column 0 is the workload's name, 1..N the months, N+1 the row total; the last row sums."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._bold = QFont()
        self._bold.setBold(True)
        self._shape()
        document.workloadsChanged.connect(self._on_workloads_changed)
        document.planReset.connect(self._on_reset)

    def _shape(self) -> None:
        projection = self.document.projection
        self.horizon = projection.horizon
        self._workloads = len(projection.rows)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._workloads + 1

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.horizon + 2

    def is_total_row(self, row: int) -> bool:
        return row == self._workloads

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                if section == 0:
                    return "Workload"
                if section == self.horizon + 1:
                    return "Total"
                return display.short_month(self.document.months[section - 1])
            if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
                return _RIGHT
        elif role == Qt.ItemDataRole.DisplayRole:
            return "Σ" if self.is_total_row(section) else str(section + 1)
        return None

    def value(self, row: int, column: int):
        projection = self.document.projection
        total_row = self.is_total_row(row)
        if column == 0:
            return "Total" if total_row else projection.rows[row].workload.name
        if column == self.horizon + 1:
            return projection.total if total_row else projection.row_total(row)
        month = column - 1
        return projection.month_totals[month] if total_row else projection.rows[row].costs[month]

    def text(self, row: int, column: int) -> str:
        """What the cell shows: the workload's name, or the amount in the plan's money format."""
        value = self.value(row, column)
        return value if column == 0 else display.money(value, self.document.currency)

    def frozen_values(self):
        """``value`` over this moment's projection, for a worker to read while edits go on."""
        frozen = self._frozen_now()
        return lambda row, column: ProjectionModel.value(frozen, row, column)

    def frozen_texts(self):
        """``text`` over this moment's projection, for a worker."""
        frozen = self._frozen_now()
        return lambda row, column: ProjectionModel.text(frozen, row, column)

    def _frozen_now(self):
        from types import SimpleNamespace

        from pricing.costing.held import snapshot

        doc = SimpleNamespace(projection=snapshot(self.document.projection), currency=self.document.currency)
        frozen = SimpleNamespace(document=doc, horizon=self.horizon,
                                 is_total_row=lambda row, n=self._workloads: row == n)
        frozen.value = lambda row, column: ProjectionModel.value(frozen, row, column)
        return frozen

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row, column = index.row(), index.column()
        if role == _DISPLAY:
            return self.text(row, column)
        if role in (NUMBER_ROLE, SORT_ROLE):
            if column == 0:
                return None if role == NUMBER_ROLE else self.value(row, 0).lower()
            value: Decimal = self.value(row, column)
            return value if role == NUMBER_ROLE else float(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column > 0 and self.document.repricing:
            return colours.muted_text()  # the previous figures, until the re-pricing lands
        if role == Qt.ItemDataRole.BackgroundRole and (self.is_total_row(row) or column == self.horizon + 1):
            return colours.tint("total")
        if role == Qt.ItemDataRole.FontRole and (self.is_total_row(row) or column == self.horizon + 1):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column > 0 and not self.is_total_row(row):
            findings = self.document.findings_for_row(row)
            if findings:
                return "\n".join(f"{f.severity.value.capitalize()}: {f.message}" for f in findings)
        return None

    def sort_keys(self, column: int) -> list:
        """Sort keys for every row (the totals row's key is never compared: it stays last)."""
        projection = self.document.projection
        if column == 0:
            keys = [r.workload.name.lower() for r in projection.rows]
        elif column == self.horizon + 1:
            keys = [projection.row_total(i) for i in range(len(projection.rows))]
        else:
            keys = [r.costs[column - 1] for r in projection.rows]
        return keys + [keys[0] if keys else ""]

    def flags(self, index):
        return _FLAGS

    def _on_workloads_changed(self, rows: list[int], months: list[int]) -> None:
        last = self.horizon + 1
        for first, final in row_runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(final, last))
        if months:
            total_row = len(self.document.projection.rows)
            self.dataChanged.emit(self.index(total_row, min(months) + 1), self.index(total_row, last))

    def _on_reset(self) -> None:
        projection = self.document.projection
        if self.document.rows_kept and (projection.horizon, len(projection.rows)) == (self.horizon, self._workloads):
            # The same rows and months with new figures: repainted, not reset (nor re-sorted).
            self.dataChanged.emit(self.index(0, 0), self.index(self._workloads, self.horizon + 1))
            return
        self.beginResetModel()
        self._shape()
        self.endResetModel()
