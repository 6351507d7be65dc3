"""Variance: plan against actual per month (or per tenant, feature, environment, model, mode), the
re-forecast, each budget's landing, and a plan-vs-actual chart.  The figures are
``pricing.actuals.Variance``; this view lays them out.
"""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QLineSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import colours, panels
from desktop import display
from desktop.refresh import RefreshWhenVisible
from pricing.actuals import Variance
from pricing.costing.projection import BREAKDOWNS

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Plans of more workloads than this have their variance worked out on a worker (as the Summary's).
AWAY_WORKLOADS = 20_000
HEADERS = ["Month", "Plan", "Actual", "Variance", "Variance %", "Re-forecast"]


def _pct(value) -> str:
    return "" if value is None else f"{value:.1%}"


class VarianceView(RefreshWhenVisible, QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.method = QComboBox()
        self.method.addItem("at plan", "plan")
        self.method.addItem("at plan × recent actual ÷ plan", "ratio")
        self.method.currentIndexChanged.connect(self.refresh)
        self.by = QComboBox()
        self.by.addItem("Month", "month")
        for key in BREAKDOWNS:
            self.by.addItem(key.capitalize(), key)
        self.by.currentIndexChanged.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel("Re-forecast open months"))
        top.addWidget(self.method)
        top.addSpacing(18)
        top.addWidget(QLabel("Show"))
        top.addWidget(self.by)
        top.addStretch(1)
        self.table = panels.read_only_table(len(HEADERS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.budgets = QLabel()
        self.budgets.setWordWrap(True)
        self.chart, self.chart_view = panels.chart_in_view(260)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        splitter.setSizes([300, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.budgets)
        layout.addWidget(splitter, 1)
        self._init_refresh(document, 150)

    def variance(self) -> Variance:
        return Variance(self.document.projection, self.method.currentData() or "plan")

    def refresh(self) -> None:
        """On a plan of more than ``AWAY_WORKLOADS`` the figures (passes over every row: the breakdown,
        each budget line's spend) are worked out on a worker from a snapshot of the projection; the
        table waits greyed, as the Summary's does.  At 100,000 workloads with two budget lines they
        held the window 70-96 ms after every edit."""
        self._stale = False
        doc = self.document
        method, by, cur = self.method.currentData() or "plan", self.by.currentData() or "month", doc.currency
        self._refresh_figures(len(doc.projection.rows) > AWAY_WORKLOADS,
                              lambda projection: variance_figures(projection, method, by, cur), self._show,
                              lambda message: self.budgets.setText(f"The variance could not be worked out: {message}"))

    def _set_updating(self, updating: bool) -> None:
        self.table.setEnabled(not updating)
        if updating:
            self.budgets.setText("Updating…")

    def _show(self, figures: dict) -> None:
        headers, rows, first_number = figures["headers"], figures["rows"], figures["first_number"]
        self.table.setUpdatesEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c >= first_number:
                    item.setTextAlignment(_RIGHT)
                self.table.setItem(r, c, item)
        self.table.setUpdatesEnabled(True)
        self.budgets.setText(figures["budgets"])
        self._draw_chart(figures["chart"], self.document.currency)

    def _draw_chart(self, figures: dict, cur: str) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        plan_set, actual_set = QBarSet("Plan"), QBarSet("Actual")
        plan_set.setColor(QColor(colours.SERIES[0]))
        actual_set.setColor(QColor(colours.SERIES[1]))
        cells, forecast = figures["cells"], figures["forecast"]
        top = max([float(c.plan) for c in cells] + [float(v) for v in forecast]  # display only
                  + [float(c.actual) for c in cells if c.actual is not None], default=0.0)
        divisor, amounts = panels.money_axis(top, cur)
        plan_set.append([float(c.plan) / divisor for c in cells])
        actual_set.append([float(c.actual) / divisor if c.actual is not None else 0.0 for c in cells])
        bars = QBarSeries()
        bars.append(plan_set)
        bars.append(actual_set)
        line = QLineSeries()
        line.setName("Re-forecast")
        for m, value in enumerate(forecast):
            line.append(QPointF(m, float(value) / divisor))
        chart.addSeries(bars)
        chart.addSeries(line)
        months = QBarCategoryAxis()
        months.append([display.short_month(m) for m in figures["months"]])
        months.setLabelsAngle(-90)
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        bars.attachAxis(months)
        line.attachAxis(months)
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(amounts)
        line.attachAxis(amounts)
        chart.setTitle("Plan against actual, and the re-forecast")
        colours.style_chart(chart)



def variance_figures(projection, method: str, by: str, cur: str) -> dict:
    """What the view shows of ``projection`` against its actuals, re-forecast by ``method``, by month
    or by ``by``: the table's headers and texts, the budget lines' landing and the chart's figures.
    Reads the projection only: a worker may run it on a snapshot."""
    variance = Variance(projection, method)
    rows: list[list[str]] = []
    cells, forecast = variance.month_cells(), variance.reforecast()
    if by == "month":
        headers, first_number = HEADERS, 1
        for month, cell, rf in zip(variance.months, cells, forecast):
            rows.append([display.month(month), display.money(cell.plan, cur),
                         display.money(cell.actual, cur) if cell.actual is not None else "",
                         display.money(cell.variance, cur) if cell.variance is not None else "",
                         _pct(cell.variance_pct), display.money(rf, cur)])
    else:
        headers, first_number = [by.capitalize(), "Month", "Plan", "Actual", "Variance", "Variance %"], 2
        for key, by_month in variance.breakdown(by).items():
            for m in variance.closed:
                c = by_month[m]
                rows.append([key, display.month(variance.months[m]), display.money(c.plan, cur),
                             display.money(c.actual, cur), display.money(c.variance, cur), _pct(c.variance_pct)])
    return {"headers": headers, "rows": rows, "first_number": first_number, "budgets": budgets_text(variance, cur),
            "chart": {"cells": cells, "forecast": forecast, "months": list(variance.months)}}


def budgets_text(variance: Variance, cur: str) -> str:
    """Each budget line's landing: when first exceeded, and its first period against its budget."""
    parts = []
    for status in variance.landing():
        crossed = status.exceeded_month
        first = status.periods[0] if status.periods else None
        landing = f"{first.label} lands at {display.money(first.spend, cur)} against " \
                  f"{display.money(first.budget, cur)}" if first else "not checked"
        when = f"first exceeded in {display.month(crossed)}" if crossed else "not exceeded"
        parts.append(f"<b>{status.line.label}</b>: {when}; {landing}")
    return "<br>".join(parts) if parts else "No budget lines in this plan."
