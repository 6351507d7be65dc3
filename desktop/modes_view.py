"""Modes: each workload's monthly cost on Serverless and on Batch, the cheaper highlighted.

The figures are the engine's: the plan is projected again with every workload switched to
Serverless, and again switched to Batch, and each workload's cost is read in its first
month with traffic.  When ``pricing.modes`` is installed its comparison adds a Dedicated
endpoint column and a recommendation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from desktop import display
from pricing.models import DeploymentMode
from pricing.projection import Projection

CHEAPER = QBrush(QColor("#d4edda"))
NOT_OFFERED = QBrush(QColor("#eeeeee"))
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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


class ModesView(QWidget):
    BASE_HEADERS = ["Workload", "Model", "Now on", "Month", "Serverless / month", "Batch / month", "Cheaper",
                    "Batch saving / month"]

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.BASE_HEADERS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
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

    def comparisons(self) -> list[dict]:
        """One dict per workload: month index, serverless and batch cost, cheaper mode, saving."""
        plan = self.document.plan
        serverless = projection_in_mode(plan, DeploymentMode.SERVERLESS)
        batch = projection_in_mode(plan, DeploymentMode.BATCH)
        modes = _modes_module()
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
                "batch_offered": offered, "cheaper": None, "saving": None, "endpoint": None, "recommendation": "", "cheapest": None,
            }
            if s_cost is not None and b_cost is not None and offered:
                entry["cheaper"] = DeploymentMode.BATCH if b_cost < s_cost else DeploymentMode.SERVERLESS
                entry["saving"] = abs(s_cost - b_cost)
            elif s_cost is not None:
                entry["cheaper"] = DeploymentMode.SERVERLESS
            if modes is not None:
                try:
                    comparison = modes.compare_workload(plan, i, **self._compare_options(modes, month))
                    entry["endpoint"] = comparison.endpoint_monthly
                    entry["recommendation"] = comparison.recommendation
                    entry["cheapest"] = getattr(comparison, "cheapest", None)
                except Exception as exc:  # a comparison the module cannot make is shown, not raised
                    entry["recommendation"] = f"(no comparison: {exc})"
            out.append(entry)
        return out

    def _compare_options(self, modes, month: int) -> dict:
        """The month and the open projection, for a compare_workload that accepts them."""
        import inspect

        params = inspect.signature(modes.compare_workload).parameters
        options = {}
        if "month" in params:
            options["month"] = month
        if "projection" in params:
            options["projection"] = self.document.projection
        return options

    def refresh(self) -> None:
        self._stale = False
        doc = self.document
        currency = doc.currency
        entries = self.comparisons()
        extended = _modes_module() is not None
        headers = self.BASE_HEADERS + (["Dedicated / month", "Recommendation"] if extended else [])
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(entries))
        bold = QFont()
        bold.setBold(True)
        total_saving = []
        for r, e in enumerate(entries):
            w = e["workload"]
            cells = [
                w.name, w.model, w.mode.label, display.month(doc.months[e["month"]]),
                display.money(e["serverless"], currency), display.money(e["batch"], currency) if e["batch_offered"] else "not offered",
                (e["cheapest"] or e["cheaper"]).label if (e["cheapest"] or e["cheaper"]) else "—",
                display.money(e["saving"], currency),
            ]
            if extended:
                cells += [display.money(e["endpoint"], currency), e["recommendation"]]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (4, 5, 7, 8):
                    item.setTextAlignment(_RIGHT)
                self.table.setItem(r, c, item)
            if e["cheaper"] is DeploymentMode.SERVERLESS and e["batch_offered"]:
                self.table.item(r, 4).setBackground(CHEAPER)
                self.table.item(r, 4).setFont(bold)
            elif e["cheaper"] is DeploymentMode.BATCH:
                self.table.item(r, 5).setBackground(CHEAPER)
                self.table.item(r, 5).setFont(bold)
            if extended and e["cheapest"] is DeploymentMode.DEDICATED and e["endpoint"] is not None:
                self.table.item(r, 8).setBackground(CHEAPER)
                self.table.item(r, 8).setFont(bold)
            if extended:
                self.table.item(r, 9).setToolTip(e["recommendation"])
            if not e["batch_offered"]:
                self.table.item(r, 5).setBackground(NOT_OFFERED)
                self.table.item(r, 5).setToolTip("The rate sheet does not list Batch for this model")
            if w.mode is DeploymentMode.SERVERLESS and e["cheaper"] is DeploymentMode.BATCH and e["saving"]:
                total_saving.append(e["saving"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        widths = ([190, 235, 80, 75, 125, 115, 80, 140, 130, 300] if extended
                  else [230, 270, 85, 80, 140, 130, 80, 150])
        for c in range(len(headers)):
            self.table.setColumnWidth(c, widths[c])
        from pricing.money import exact_sum

        moves = len(total_saving)
        self.note.setText(
            "Cost of each workload in its first month with traffic, priced by the engine on Serverless and on Batch "
            "(Batch results arrive within 24 hours). "
            + (f"Moving the {moves} Serverless workload(s) that Batch prices lower would save "
               f"{display.money(exact_sum(total_saving), currency)} in that month."
               if moves else "No Serverless workload would be cheaper on Batch.")
        )
