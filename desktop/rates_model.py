"""The Rates grid: the plan's rate sheet, one row per model, its rates in force now.

Edits change the model's latest rate version (or its name, context length, batch
discount) and go on the undo stack as one ``ReplaceRates`` step; the document projects
the plan again, since a rate feeds every workload that uses it.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import ValidationError
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from desktop import display
from desktop.undo import ReplaceRates
from desktop.workload_columns import Column
from desktop.workloads_model import NUMBER_ROLE, SORT_ROLE
from pricing.plan.models import ModelRate
from pricing.plan.numbers import parse_number
from pricing.plan.money import D

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


#: A column of the Rates grid: the Workloads grid's kind of column, with kinds text, rate, count, share,
#: modes and date.
RateColumn = Column


RATE_COLUMNS = [
    RateColumn("provider", "Provider", "text", editable=False, width=90),
    RateColumn("model_id", "Model", "text", editable=False, width=260),
    RateColumn("display_name", "Name", "text", width=195),
    RateColumn("context_length", "Context", "count", width=90),
    RateColumn("input_mtok", "Input / 1M", "rate", width=95),
    RateColumn("cached_input_mtok", "Cached input / 1M", "rate", width=125),
    RateColumn("output_mtok", "Output / 1M", "rate", width=95),
    RateColumn("batch_discount", "Batch discount", "share", width=110),
    RateColumn("modes", "Modes", "modes", editable=False, width=210),
    RateColumn("effective_from", "Rates from", "date", editable=False, width=95),
]
_VERSION_FIELDS = {"input_mtok", "cached_input_mtok", "output_mtok", "effective_from"}


class RatesModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        document.planReset.connect(self._on_reset)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.document.plan.rates)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(RATE_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return RATE_COLUMNS[section].header
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if RATE_COLUMNS[section].kind in ("rate", "count", "share") else None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and RATE_COLUMNS[index.column()].editable and not self.document.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def value(self, row: int, column: int):
        rate = self.document.plan.rates[row]
        key = RATE_COLUMNS[column].key
        if key in _VERSION_FIELDS:
            return getattr(rate.current, key)
        if key == "batch_discount" and rate.batch_discount is None:
            return self.document.plan.batch_discount_for(rate)
        return getattr(rate, key)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = RATE_COLUMNS[index.column()]
        value = self.value(index.row(), index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if value is None:
                if col.kind == "date":
                    return "always"
                return "" if col.kind != "rate" else ("—" if role == Qt.ItemDataRole.DisplayRole else "")
            if col.kind == "rate":
                return display.small_money(value, self.document.rates_currency) if role == Qt.ItemDataRole.DisplayRole else format(value, "f")
            if col.kind == "count":
                return f"{value:,}" if role == Qt.ItemDataRole.DisplayRole else str(value)
            if col.kind == "share":
                return display.share(value)
            if col.kind == "modes":
                return ", ".join(m.label for m in value)
            if col.kind == "date":
                return f"{value:%d %b %Y}"
            return str(value)
        if role == NUMBER_ROLE:
            return D(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else None
        if role == SORT_ROLE:
            if isinstance(value, (Decimal, int)):
                return float(value)
            return str(value or "").lower()
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in ("rate", "count", "share"):
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            rate = self.document.plan.rates[index.row()]
            return rate.source or None
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_cells([(index.row(), index.column(), value)], "Edit")

    def _parse(self, col: RateColumn, value) -> object:
        text = "" if value is None else str(value).strip()
        if col.kind == "text":
            return text
        if col.kind == "count":
            return int(parse_number(text)) if text else None
        return parse_number(text) if text else None

    def set_cells(self, cells, label: str) -> bool:
        """Typed or pasted values for rate cells, as one undo step; all refused if one is bad."""
        if self.document.read_only:
            self.refused.emit("This plan is open read-only (another window has it); use Save As to keep a copy.")
            return False
        rates = list(self.document.plan.rates)
        data: dict[int, dict] = {}
        headers = set()
        for row, column, value in cells:
            col = RATE_COLUMNS[column]
            rate = rates[row]
            headers.add(col.header)
            if not col.editable:
                self.refused.emit(f"Not changed — {col.header}, {rate.id}: this column is read-only here")
                return False
            try:
                new_value = self._parse(col, value)
            except ValueError as exc:
                self.refused.emit(f"Not changed — {col.header}, {rate.id}: {exc}")
                return False
            record = data.setdefault(row, rate.model_dump())
            if col.key in _VERSION_FIELDS:
                record["versions"][-1][col.key] = new_value
            else:
                record[col.key] = new_value
        for row, record in data.items():
            try:
                rates[row] = ModelRate.model_validate(record)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                self.refused.emit(f"Not changed — {rates[row].id}: {where}: {first['msg']}")
                return False
        after = tuple(rates)
        if after != self.document.plan.rates:
            before = self.document.plan.rates
            self.document.undo_stack.push(ReplaceRates(self.document, before, after, f"{label} {', '.join(sorted(headers))}"))
        return True

    def _on_reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()
