"""Price changes: the dated rate versions of the model selected on the Rates grid.

A provider announces "from 1 March the output rate falls to $1.50": that is a second rate
version of the model, and every month from March on is priced with it (a change dated mid-month
applies from the next month's first day, as the projection prices whole months).  The panel
under the Rates grid lists the selected model's versions — from when, the input, cached-input
and output rates, and which one is in force in the plan's first month and today — lets the
user type over any of them, add a change on a date (starting from the latest rates) and
remove one.  Every change is one ``ReplaceRates`` undo step, refused with a reason when the
result would not be a valid rate sheet (two versions on one day, a negative rate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget

from desktop import display
from desktop.undo import ReplaceRates
from pricing.plan.models import ModelRate
from pricing.plan.months import parse_day
from pricing.plan.numbers import parse_number
from pricing.plan.templates import new_rate_version

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class VersionColumn:
    key: str
    header: str
    kind: str  # date, rate, text
    editable: bool = True
    width: int = 120


VERSION_COLUMNS = [
    VersionColumn("effective_from", "From", "date", width=110),
    VersionColumn("input_mtok", "Input / 1M", "rate", width=100),
    VersionColumn("cached_input_mtok", "Cached input / 1M", "rate", width=130),
    VersionColumn("output_mtok", "Output / 1M", "rate", width=100),
    VersionColumn("cache_write_mtok", "Cache write / 1M", "rate", width=125),
    VersionColumn("tiers", "Prompt tiers", "text", editable=False, width=150),
    VersionColumn("status", "In force", "text", editable=False, width=260),
]


class RateVersionsModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.model_id: str | None = None
        document.planReset.connect(self._on_reset)

    # ------------------------------------------------------------------ which model
    def show_rate(self, model_id: str | None) -> None:
        self.beginResetModel()
        self.model_id = model_id
        self.endResetModel()

    def _index_of_rate(self) -> int | None:
        for i, rate in enumerate(self.document.plan.rates):
            if rate.id == self.model_id:
                return i
        return None

    @property
    def rate(self) -> ModelRate | None:
        i = self._index_of_rate()
        return self.document.plan.rates[i] if i is not None else None

    # ------------------------------------------------------------------ table
    def rowCount(self, parent=QModelIndex()) -> int:
        rate = self.rate
        return 0 if parent.isValid() or rate is None else len(rate.versions)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(VERSION_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return VERSION_COLUMNS[section].header
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if VERSION_COLUMNS[section].kind == "rate" else None
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and VERSION_COLUMNS[index.column()].editable and not self.document.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def status(self, row: int) -> str:
        """Which months this version prices: in force in the plan's first month, today, later."""
        rate = self.rate
        version = rate.versions[row]
        first = self.document.plan.assumptions.first_month
        today = date.today()
        notes = []
        if rate.version_on(first) is version:
            notes.append(f"in the plan's first month ({first:%b %Y})")
        if rate.version_on(today) is version:
            notes.append("today")
        if not notes:
            nxt = rate.versions[row + 1].effective_from if row + 1 < len(rate.versions) else None
            if version.effective_from and version.effective_from > today:
                notes.append(f"from {version.effective_from:%d %b %Y}")
            elif nxt is not None:
                notes.append(f"replaced on {nxt:%d %b %Y}")
        return ", ".join(notes)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        rate = self.rate
        if not index.isValid() or rate is None or index.row() >= len(rate.versions):
            return None
        col = VERSION_COLUMNS[index.column()]
        version = rate.versions[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col.key == "status":
                return self.status(index.row())
            if col.key == "tiers":
                return "; ".join(f"over {t.above_input_tokens:,} tokens" for t in version.tiers) or "none"
            value = getattr(version, col.key)
            if col.kind == "date":
                if value is None:
                    return "always" if role == Qt.ItemDataRole.DisplayRole else ""
                return f"{value:%d %b %Y}" if role == Qt.ItemDataRole.DisplayRole else value.isoformat()
            if value is None:
                return "—" if role == Qt.ItemDataRole.DisplayRole else ""
            return display.small_money(value, self.document.rates_currency) if role == Qt.ItemDataRole.DisplayRole \
                else format(value, "f")
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind == "rate":
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and col.key == "effective_from":
            return "A change dated mid-month prices from the first day of the next month."
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.rate is None:
            return False
        col = VERSION_COLUMNS[index.column()]
        if not col.editable:
            return False
        text = "" if value is None else str(value).strip()
        try:
            if col.kind == "date":
                parsed = parse_day(text) if text else None
            else:
                parsed = parse_number(text) if text else None
        except ValueError as exc:
            self.refused.emit(f"Not changed — {col.header}, {self.model_id}: {exc}")
            return False
        if parsed is None and col.key in ("input_mtok", "output_mtok"):
            self.refused.emit(f"Not changed — {col.header}, {self.model_id}: a rate is needed")
            return False
        versions = [v.model_dump() for v in self.rate.versions]
        versions[index.row()][col.key] = parsed
        return self._replace(versions, f"Edit price change {col.header}")

    # ------------------------------------------------------------------ add / remove
    def add_change(self, day: date) -> bool:
        """A new version from ``day``, starting from the rates in force just before it."""
        rate = self.rate
        if rate is None:
            return False
        try:
            changed = new_rate_version(rate, day)
        except ValidationError as exc:  # two changes from the same day
            first = exc.errors()[0]
            message = str(first.get("ctx", {}).get("error") or first["msg"]).removeprefix("Value error, ")
            self.refused.emit(f"Not changed — {self.model_id}: {message}")
            return False
        return self._replace([v.model_dump() for v in changed.versions], f"Add price change from {day:%d %b %Y}")

    def remove_change(self, row: int) -> bool:
        rate = self.rate
        if rate is None or not 0 <= row < len(rate.versions):
            return False
        if len(rate.versions) == 1:
            self.refused.emit(f"Not changed — {self.model_id}: a model keeps at least one set of rates")
            return False
        when = rate.versions[row].effective_from
        versions = [v.model_dump() for i, v in enumerate(rate.versions) if i != row]
        return self._replace(versions, f"Remove price change from {when:%d %b %Y}" if when else "Remove rates")

    def _replace(self, versions: list[dict], label: str) -> bool:
        if self.document.read_only:
            self.refused.emit("This plan is open read-only (another window has it); use Save As to keep a copy.")
            return False
        i = self._index_of_rate()
        rates = list(self.document.plan.rates)
        try:
            rates[i] = ModelRate.model_validate({**rates[i].model_dump(), "versions": versions})
        except ValidationError as exc:
            first = exc.errors()[0]
            message = str(first.get("ctx", {}).get("error") or first["msg"]).removeprefix("Value error, ")
            self.refused.emit(f"Not changed — {self.model_id}: {message}")
            return False
        before = self.document.plan.rates
        after = tuple(rates)
        if after != before:
            self.document.undo_stack.push(ReplaceRates(self.document, before, after, f"{label} ({self.model_id})"))
        return True

    def _on_reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()


class PriceChangesPanel(QWidget):
    """Under the Rates grid: the selected model's price changes, with Add and Remove."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.model = RateVersionsModel(document, self)
        self.title = QLabel("Select a model above to see its price changes.")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        for c, column in enumerate(VERSION_COLUMNS):
            self.view.setColumnWidth(c, column.width)
        self.day = QLineEdit(placeholderText="2027-03-01")
        self.day.setMaximumWidth(120)
        self.add_button = QPushButton("Add price change from")
        self.remove_button = QPushButton("Remove selected")
        self.add_button.clicked.connect(self._add)
        self.day.returnPressed.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.day)
        bar.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.model.modelReset.connect(self._update_title)
        self._update_title()

    def show_rate(self, model_id: str | None) -> None:
        self.model.show_rate(model_id)

    def _update_title(self) -> None:
        rate = self.model.rate
        enabled = rate is not None and not self.document.read_only
        for widget in (self.add_button, self.day, self.remove_button):
            widget.setEnabled(enabled)
        if rate is None:
            self.title.setText("Select a model above to see its price changes.")
            return
        changes = len(rate.versions) - 1
        self.title.setText(f"<b>{rate.name}</b>: {changes} price change{'s' if changes != 1 else ''} "
                           "(a change dated mid-month prices from the next month)" if changes else
                           f"<b>{rate.name}</b>: one set of rates; add a price change from a date")

    def _add(self) -> None:
        text = self.day.text().strip()
        try:
            day = parse_day(text) if text else None
        except ValueError as exc:
            self.model.refused.emit(f"Not added — {exc}")
            return
        if day is None:
            self.model.refused.emit("Not added — type the date the new rates start, e.g. 2027-03-01")
            return
        if self.model.add_change(day):
            self.day.clear()
            rate = self.model.rate
            rows = [i for i, v in enumerate(rate.versions if rate else ()) if v.effective_from == day]
            if rows:
                self.view.setCurrentIndex(self.model.index(rows[0], 1))

    def _remove(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            self.model.refused.emit("Not removed — select the price change to remove")
            return
        self.model.remove_change(index.row())
