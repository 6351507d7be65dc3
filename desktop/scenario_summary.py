"""Scenarios side by side (on the Summary tab): each scenario's fiscal years, horizon total and
difference to the base, and a line chart of their monthly totals over the horizon.

The figures are ``pricing.scenarios.scenario_totals``; this view lays them out and draws them.
"""

from __future__ import annotations

from PySide6.QtCharts import QDateTimeAxis, QLineSeries
from PySide6.QtCore import QDate, QDateTime, QTime, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTableWidgetItem, QVBoxLayout, QWidget

from desktop import colours, panels
from desktop import display
from desktop.refresh import RefreshWhenVisible
from desktop.colours import SERIES as PALETTE
from desktop.document import PROJECT_AWAY_WORKLOADS

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


QWIDGETSIZE_MAX = 16_777_215  # Qt's QWIDGETSIZE_MAX: no limit


def _when(month) -> QDateTime:
    return QDateTime(QDate(month.year, month.month, 1), QTime(0, 0))


class ScenarioSummary(RefreshWhenVisible, QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.results = []
        self.caption = QLabel()
        self.table = panels.read_only_table(3)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart, self.chart_view = panels.chart_in_view(220)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        splitter.setSizes([500, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(splitter, 1)
        self.body = splitter
        self._init_refresh(document, 250)
        document.scenariosChanged.connect(self.schedule)

    def refresh(self) -> None:
        """The base and each scenario projected: on a worker when that is more than
        ``PROJECT_AWAY_WORKLOADS`` rows in all (one projection a scenario: at 30,000 workloads the
        window froze 0.77 s for a plan with one scenario), the table greyed until the figures land."""
        from pricing.costing.catalog import load_catalog
        from pricing.scenarios import scenario_totals

        self._stale = False
        doc = self.document
        if not doc.plan.scenarios:
            self._show([])
            return
        plan, horizon = doc.plan, doc.projection.horizon
        if len(plan.workloads) * (len(plan.scenarios) + 1) <= PROJECT_AWAY_WORKLOADS:  # the rows projected in all
            self._show(scenario_totals(plan, horizon, load_catalog(), keep_projections=False))
            return
        if self._worker_busy():
            return
        catalog = load_catalog()  # read once, here: a worker does not race the GUI thread to the file
        self._start_worker(lambda: scenario_totals(plan, horizon, catalog, keep_projections=False), self._show,
                           lambda message: self.caption.setText(f"The scenarios could not be projected: {message}"))

    def _set_updating(self, updating: bool) -> None:
        self.caption.setText("Scenarios side by side (updating…)" if updating else self._caption())
        self.table.setEnabled(not updating)

    def _caption(self) -> str:
        return ("Scenarios side by side" if self.results else
                "No scenarios yet: add them on the Scenarios tab to compare them here")

    def _show(self, results: list) -> None:
        self.results = results
        doc = self.document
        self.caption.setText(self._caption())
        # Without scenarios only the caption shows, and the Summary above takes the room.
        self.body.setVisible(bool(self.results))
        self.setMaximumHeight(QWIDGETSIZE_MAX if self.results else self.caption.sizeHint().height() + 8)
        currency = doc.currency
        years = list(self.results[0].fiscal_years) if self.results else []
        headers = ["Scenario"] + years + ["Horizon", "vs Base"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.results))
        base = self.results[0] if self.results else None
        for r, result in enumerate(self.results):
            figures = [result.fiscal_years.get(y) for y in years] + [result.total, result.difference(base)]
            self.table.setItem(r, 0, QTableWidgetItem(result.name))
            for c, value in enumerate(figures, 1):
                item = QTableWidgetItem(display.money(value, currency) if value is not None else "")
                item.setTextAlignment(_RIGHT)
                self.table.setItem(r, c, item)
        for c in range(1, len(headers)):  # money in full; the names' column takes what is left
            self.table.resizeColumnToContents(c)
        self._draw()

    def _draw(self) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        if not self.results:
            return
        months = self.results[0].months
        x = QDateTimeAxis()
        x.setFormat("MMM yy")
        x.setRange(_when(months[0]), _when(months[-1]))
        top = max((float(t) for r in self.results for t in r.month_totals), default=0.0)  # float ok: drawing
        divisor, y = panels.money_axis(top, self.document.currency)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for i, result in enumerate(self.results):
            line = QLineSeries()
            line.setName(result.name)
            line.setPen(QPen(QColor(PALETTE[i % len(PALETTE)]), 2.5 if i == 0 else 1.8))
            for month, total in zip(result.months, result.month_totals):
                value = float(total) / divisor  # display only, in the axis's unit  # float ok: drawing
                line.append(_when(month).toMSecsSinceEpoch(), value)
            chart.addSeries(line)
            line.attachAxis(x)
            line.attachAxis(y)
        chart.setTitle("Monthly total by scenario")
        colours.style_chart(chart)
