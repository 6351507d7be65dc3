"""The Rates grid: the plan's rate sheet, one row per model, its rates in force now.

Edits change the model's latest rate version (or its name, context length, batch
discount) and go on the undo stack as one ``ReplaceRates`` step; the document projects
the plan again, since a rate feeds every workload that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pydantic import ValidationError
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from desktop import display
from desktop.undo import ReplaceRates
from desktop.workloads_model import NUMBER_ROLE, SORT_ROLE
from pricing.models import ModelRate
from pricing.numbers import parse_number

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class RateColumn:
    key: str
    header: str
    kind: str  # text, rate, count, share, modes, date
    editable: bool = True
    width: int = 110


RATE_COLUMNS = [
    RateColumn("provider", "Provider", "text", editable=False, width=90),
    RateColumn("model_id", "Model", "text", editable=False, width=260),
    RateColumn("display_name", "Name", "text", width=230),
    RateColumn("context_length", "Context", "count", width=90),
    RateColumn("input_mtok", "Input / 1M", "rate", width=95),
    RateColumn("cached_input_mtok", "Cached input / 1M", "rate", width=125),
    RateColumn("output_mtok", "Output / 1M", "rate", width=95),
    RateColumn("batch_discount", "Batch discount", "share", width=110),
    RateColumn("modes", "Modes", "modes", editable=False, width=220),
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
                return "" if col.kind != "rate" else ("—" if role == Qt.ItemDataRole.DisplayRole else "")
            if col.kind == "rate":
                return display.small_money(value, self.document.currency) if role == Qt.ItemDataRole.DisplayRole else format(value, "f")
            if col.kind == "count":
                return f"{value:,}" if role == Qt.ItemDataRole.DisplayRole else str(value)
            if col.kind == "share":
                return display.share(value)
            if col.kind == "modes":
                return ", ".join(m.label for m in value)
            if col.kind == "date":
                return value.isoformat() if value else "always"
            return str(value)
        if role == NUMBER_ROLE:
            return Decimal(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else None
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
        row, col = index.row(), RATE_COLUMNS[index.column()]
        rates = self.document.plan.rates
        rate = rates[row]
        text = str(value).strip()
        try:
            if col.kind == "text":
                new_value: object = text
            elif col.kind == "count":
                new_value = int(parse_number(text)) if text else None
            elif not text:
                new_value = None
            else:
                new_value = parse_number(text)
            data = rate.model_dump()
            if col.key in _VERSION_FIELDS:
                data["versions"][-1][col.key] = new_value
            else:
                data[col.key] = new_value
            new_rate = ModelRate.model_validate(data)
        except (ValueError, ValidationError) as exc:
            message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            self.refused.emit(f"Not changed — {col.header}, {rate.id}: {message}")
            return False
        if new_rate == rate:
            return True
        after = rates[:row] + (new_rate,) + rates[row + 1 :]
        self.document.undo_stack.push(ReplaceRates(self.document, rates, after, f"Edit {col.header} of {rate.name}"))
        return True

    def _on_reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()
