"""Modes: each workload's monthly cost on Serverless and on Batch, the cheaper highlighted.

The figures are the engine's: the plan is projected again with every workload switched to
Serverless, and again switched to Batch, and each workload's cost is read in its first
month with traffic.  When ``pricing.modes`` is installed its comparison adds a Dedicated
endpoint column and a recommendation.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from desktop import display
from pricing.models import DeploymentMode
from pricing.money import exact_sum
from pricing.projection import Projection

CHEAPER = QBrush(QColor("#d4edda"))
NOT_OFFERED = QBrush(QColor("#eeeeee"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MONEY = (4, 5, 7, 8)
BASE_HEADERS = ["Workload", "Model", "Now on", "Month", "Serverless / month", "Batch / month", "Cheapest",
                "Batch saving / month"]
EXTENDED_HEADERS = ["Dedicated / month", "Recommendation"]


def projection_in_mode(plan, mode: DeploymentMode) -> Projection:
    """The plan projected with every workload switched to ``mode`` (a per-token mode)."""
    workloads = tuple(w.model_copy(update={"mode": mode}) for w in plan.workloads)
    return Projection(plan.model_copy(update={"workloads": workloads, "endpoints": (), "clusters": ()}))


def _modes_module():
    try:
        from pricing import modes
    except ImportError:
        return None
    return modes if hasattr(modes, "compare_workload") else None


class ModesModel(QAbstractTableModel):
    """The comparison table; built from the entries ``ModesView.comparisons`` returns."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[dict] = []
        self.compare = None
        self.headers: list[str] = list(BASE_HEADERS)
        self.currency = "USD"
        self.months: list = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: list[dict], extended: bool, currency: str, months: list, compare=None) -> None:
        """``compare(i, month)`` (pricing.modes) is asked only for rows that are shown, once each."""
        self.beginResetModel()
        self.entries = entries
        self.compare = compare
        self.headers = BASE_HEADERS + (EXTENDED_HEADERS if extended else [])
        self.currency = currency
        self.months = months
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole and section in _MONEY:
            return _RIGHT
        return None

    def _highlighted(self, e: dict, column: int) -> bool:
        if column == 4:
            return e["cheaper"] is DeploymentMode.SERVERLESS and e["batch_offered"] and e["cheapest"] in (
                None, DeploymentMode.SERVERLESS)
        if column == 5:
            return e["cheaper"] is DeploymentMode.BATCH and e["cheapest"] in (None, DeploymentMode.BATCH)
        if column == 8:
            return e["cheapest"] is DeploymentMode.DEDICATED and e["endpoint"] is not None
        return False

    def text(self, e: dict, column: int) -> str:
        w, cur = e["workload"], self.currency
        if column == 0:
            return w.name
        if column == 1:
            return w.model
        if column == 2:
            return w.mode.label
        if column == 3:
            return display.month(self.months[e["month"]])
        if column == 4:
            return display.money(e["serverless"], cur)
        if column == 5:
            return display.money(e["batch"], cur) if e["batch_offered"] else "not offered"
        if column == 6:
            best = e["cheapest"] or e["cheaper"]
            return best.label if best else "—"
        if column == 7:
            return display.money(e["saving"], cur)
        if column == 8:
            return display.money(e["endpoint"], cur)
        return e["recommendation"]

    def entry(self, row: int) -> dict:
        e = self.entries[row]
        if self.compare is not None and not e["compared"]:
            e["compared"] = True
            try:
                comparison = self.compare(row, e["month"])
                e["endpoint"] = comparison.endpoint_monthly
                e["recommendation"] = comparison.recommendation
                e["cheapest"] = getattr(comparison, "cheapest", None)
            except Exception as exc:  # a comparison the module cannot make is shown, not raised
                e["recommendation"] = f"(no comparison: {exc})"
        return e

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e, column = self.entry(index.row()), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(e, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _MONEY:
            return _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._highlighted(e, column):
                return CHEAPER
            if column == 5 and not e["batch_offered"]:
                return NOT_OFFERED
        if role == Qt.ItemDataRole.FontRole and self._highlighted(e, column):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 5 and not e["batch_offered"]:
                return "The rate sheet does not list Batch for this model"
            if column == 9:
                return e["recommendation"]
        return None


class ModesView(QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.model = ModesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("padding: 6px; background: #f4f6f8; border: 1px solid #d0d7de;")
        self.detail.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        self._stale = True
        document.workloadsChanged.connect(lambda *_: self.schedule())
        document.planReset.connect(self.schedule)

    def schedule(self) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _show_detail(self, current, _previous=None) -> None:
        """The selected workload's full recommendation (pricing.modes), under the table."""
        if not current.isValid() or self.model.compare is None:
            self.detail.setVisible(False)
            return
        e = self.model.entry(current.row())
        self.detail.setText(f"<b>{e['workload'].name}</b>: {e['recommendation']}")
        self.detail.setVisible(True)

    def comparisons(self) -> list[dict]:
        """One dict per workload: month index, serverless and batch cost, cheaper mode, saving."""
        plan = self.document.plan
        serverless = projection_in_mode(plan, DeploymentMode.SERVERLESS)
        batch = projection_in_mode(plan, DeploymentMode.BATCH)
        out = []
        for i, workload in enumerate(plan.workloads):
            row = serverless.rows[i]
            month = min(max(row.start, 0), serverless.horizon - 1)
            s_cost = row.costs[month] if row.priceable else None
            b_row = batch.rows[i]
            b_cost = b_row.costs[month] if b_row.priceable else None
            offered = row.rate is not None and DeploymentMode.BATCH in row.rate.modes
            entry = {
                "workload": workload, "month": month, "serverless": s_cost, "batch": b_cost,
                "batch_offered": offered, "cheaper": None, "saving": None, "endpoint": None, "recommendation": "",
                "cheapest": None, "compared": False,
            }
            if s_cost is not None and b_cost is not None and offered:
                entry["cheaper"] = DeploymentMode.BATCH if b_cost < s_cost else DeploymentMode.SERVERLESS
                entry["saving"] = abs(s_cost - b_cost)
            elif s_cost is not None:
                entry["cheaper"] = DeploymentMode.SERVERLESS
            out.append(entry)
        return out

    def _comparer(self, modes):
        """compare(i, month) over pricing.modes, passing the month and open projection when it takes them."""
        import inspect

        projection = self.document.projection
        plan = self.document.plan
        comparer_class = getattr(modes, "ModeComparer", None)
        if comparer_class is not None and hasattr(comparer_class, "compare"):
            # One comparer for the whole plan: its look-ups are built once, not per workload.
            comparer = comparer_class(plan, projection)
            return lambda i, month: comparer.compare(i, None, month)
        params = inspect.signature(modes.compare_workload).parameters

        def compare(i: int, month: int):
            options = {}
            if "month" in params:
                options["month"] = month
            if "projection" in params:
                options["projection"] = projection
            return modes.compare_workload(plan, i, **options)

        return compare

    def refresh(self) -> None:
        self._stale = False
        doc = self.document
        currency = doc.currency
        entries = self.comparisons()
        modes = _modes_module()
        extended = modes is not None
        self.model.set_entries(entries, extended, currency, doc.months, self._comparer(modes) if extended else None)
        widths = ([175, 215, 80, 75, 125, 110, 80, 135, 125, 300] if extended
                  else [230, 270, 85, 80, 140, 130, 80, 150])
        for c, width in enumerate(widths):
            self.table.setColumnWidth(c, width)
        savings = [e["saving"] for e in entries if e["workload"].mode is DeploymentMode.SERVERLESS
                   and e["cheaper"] is DeploymentMode.BATCH and e["saving"]]
        self.note.setText(
            "Cost of each workload in its first month with traffic, priced by the engine on Serverless and on Batch "
            "(Batch results arrive within 24 hours). "
            + (f"Moving the {len(savings)} Serverless workload(s) that Batch prices lower would save "
               f"{display.money(exact_sum(savings), currency)} in that month."
               if savings else "No Serverless workload would be cheaper on Batch.")
        )
