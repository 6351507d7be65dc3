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
        self._stale = False
        variance = self.variance()
        cur = self.document.currency
        by = self.by.currentData() or "month"
        rows: list[list[str]] = []
        if by == "month":
            headers = HEADERS
            for month, cell, rf in zip(variance.months, variance.month_cells(), variance.reforecast()):
                rows.append([display.month(month), display.money(cell.plan, cur),
                             display.money(cell.actual, cur) if cell.actual is not None else "",
                             display.money(cell.variance, cur) if cell.variance is not None else "",
                             _pct(cell.variance_pct), display.money(rf, cur)])
        else:
            headers = [by.capitalize(), "Month", "Plan", "Actual", "Variance", "Variance %"]
            for key, cells in variance.breakdown(by).items():
                for m in variance.closed:
                    c = cells[m]
                    rows.append([key, display.month(variance.months[m]), display.money(c.plan, cur),
                                 display.money(c.actual, cur), display.money(c.variance, cur), _pct(c.variance_pct)])
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c >= (1 if by == "month" else 2):
                    item.setTextAlignment(_RIGHT)
                self.table.setItem(r, c, item)
        self._show_budgets(variance, cur)
        self._draw_chart(variance, cur)

    def _show_budgets(self, variance: Variance, cur: str) -> None:
        parts = []
        for status in variance.landing():
            crossed = status.exceeded_month
            first = status.periods[0] if status.periods else None
            landing = f"{first.label} lands at {display.money(first.spend, cur)} against " \
                      f"{display.money(first.budget, cur)}" if first else "not checked"
            when = f"first exceeded in {display.month(crossed)}" if crossed else "not exceeded"
            parts.append(f"<b>{status.line.label}</b>: {when}; {landing}")
        self.budgets.setText("<br>".join(parts) if parts else "No budget lines in this plan.")

    def _draw_chart(self, variance: Variance, cur: str) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        plan_set, actual_set = QBarSet("Plan"), QBarSet("Actual")
        plan_set.setColor(QColor(colours.SERIES[0]))
        actual_set.setColor(QColor(colours.SERIES[1]))
        cells = variance.month_cells()
        forecast = variance.reforecast()
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
        months.append([display.short_month(m) for m in variance.months])
        months.setLabelsAngle(-90)
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        bars.attachAxis(months)
        line.attachAxis(months)
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(amounts)
        line.attachAxis(amounts)
        chart.setTitle("Plan against actual, and the re-forecast")
        colours.style_chart(chart)

