"""Summary: cost pivoted by tenant, feature, environment, model or mode, and a stacked bar
chart of monthly cost (QtCharts).

The pivot is ``Projection.breakdown(by)``; this view only lays it out.  It is refreshed
shortly after a change (coalesced by a timer), and only while it is visible.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
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
from pricing.plan.money import exact_sum
from pricing.costing.projection import BREAKDOWNS

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SummaryView(RefreshWhenVisible, QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.by = QComboBox()
        for key in BREAKDOWNS:
            self.by.addItem(key.capitalize(), key)
        self.by.currentIndexChanged.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel("Break down by"))
        top.addWidget(self.by)
        top.addStretch(1)
        self.table = panels.read_only_table(4)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart, self.chart_view = panels.chart_in_view(300)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        splitter.setSizes([170, 530])
        self.budget_findings = QLabel()
        self.budget_findings.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.budget_findings)
        layout.addWidget(splitter, 1)
        self._init_refresh(document, 150)

    def set_breakdown(self, key: str) -> None:
        self.by.setCurrentIndex(BREAKDOWNS.index(key))

    def groups(self) -> list[tuple[str, list]]:
        """Groups by horizon total, largest first."""
        breakdown = self.document.projection.breakdown(self.by.currentData() or "tenant")
        return sorted(breakdown.items(), key=lambda kv: exact_sum(kv[1]), reverse=True)

    def refresh(self) -> None:
        self._stale = False
        doc = self.document
        currency = doc.currency
        groups = self.groups()
        key = self.by.currentData() or "tenant"
        this = doc.this_month_index()
        years = doc.projection.fiscal_years()
        headers = ([key.capitalize(), f"This month ({display.month(doc.months[this])})", "First 12 months"]
                   + [label for label, _f, _c in years] + ["Horizon"])
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(groups) + 1)
        for r, (name, costs) in enumerate(groups):
            figures = ([costs[this], exact_sum(costs[:12])] + [exact_sum(costs[f:f + c]) for _l, f, c in years]
                       + [exact_sum(costs)])
            self._set_row(r, name, figures, currency)
        projection = doc.projection
        totals = ([projection.month_totals[this], projection.total_for(0, 12)]
                  + [projection.total_for(f, c) for _l, f, c in years] + [projection.total])
        self._set_row(len(groups), "Total", totals, currency, bold=True)
        for c in range(1, len(headers)):
            self.table.setColumnWidth(c, 150)
        self._draw_chart(groups, currency)
        self._show_budget_findings()

    def _show_budget_findings(self) -> None:
        """Each budget line the plan crosses: the month it is first exceeded, and by how much."""
        if not self.document.plan.budgets:
            self.budget_findings.setText("")
            return
        from pricing.budgets import check_budgets

        found = [f.message for status in check_budgets(self.document.projection) for f in status.findings]
        self.budget_findings.setText("\n".join(f"⚠ {m}" for m in found) if found else "Every budget line holds.")

    def _set_row(self, r, name, figures, currency, bold=False):
        item = QTableWidgetItem(name)
        cells = [item] + [QTableWidgetItem(display.money(v, currency)) for v in figures]
        for c, cell in enumerate(cells):
            if c:
                cell.setTextAlignment(_RIGHT)
            if bold:
                font = cell.font()
                font.setBold(True)
                cell.setFont(font)
            self.table.setItem(r, c, cell)

    def _draw_chart(self, groups, currency) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QStackedBarSeries()
        shown = groups[:9]
        rest = groups[9:]
        if rest:
            others = [exact_sum(c[m] for _, c in rest) for m in range(len(self.document.months))]
            shown = shown + [("Other", others)]
        peak = 0.0
        for i, (name, costs) in enumerate(shown):
            bar = QBarSet(name)
            bar.setColor(QColor(colours.SERIES[i % len(colours.SERIES)]))
            bar.setBorderColor(QColor(colours.SERIES[i % len(colours.SERIES)]))
            bar.append([float(c) / 1000 for c in costs])  # display only, in thousands
            series.append(bar)
        totals = self.document.projection.month_totals
        peak = max((float(t) / 1000 for t in totals), default=0.0)
        chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append([display.short_month(m) for m in self.document.months])
        months.setLabelsAngle(-90)
        font = months.labelsFont()
        font.setPointSize(7)
        months.setLabelsFont(font)
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(months)
        amounts = QValueAxis()
        amounts.setRange(0, peak * 1.08 if peak > 0 else 1)
        amounts.setLabelFormat(display.axis_label_format(currency))
        amounts.applyNiceNumbers()
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(amounts)
        chart.setTitle(f"Monthly cost by {self.by.currentData() or 'tenant'}")
        colours.style_chart(chart)
