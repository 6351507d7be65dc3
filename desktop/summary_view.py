"""Summary: cost pivoted by tenant, feature, environment, model or mode, and a stacked bar
chart of monthly cost (QtCharts).

The pivot is ``Projection.breakdown(by)``; this view only lays it out.  It is refreshed
shortly after a change (coalesced by a timer), and only while it is visible.  On a plan of more
than ``AWAY_WORKLOADS`` the pivot (a pass over every row) is summed on a worker from a snapshot of
the projection (``pricing.costing.held.snapshot``); the table shows the previous figures greyed,
"Updating…", until the new ones land, and only laying them out happens on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QStackedBarSeries,
)
import shiboken6
from PySide6.QtCore import Qt, QTimer
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
from desktop.gui_first import painting
from desktop.refresh import RefreshWhenVisible
from pricing.plan.money import exact_sum
from pricing.costing.projection import BREAKDOWNS

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Plans with more workloads than this have their pivot summed on a worker (100,000 take ~0.4 s; 15,000
#: with two budget lines held the window 65 ms).
AWAY_WORKLOADS = 10_000


def summary_figures(projection, key: str, this: int) -> dict:
    """What the Summary shows of ``projection`` broken down by ``key``, with ``this`` month first:
    the groups (largest first) with their figures, the totals, the chart's series and the budget
    findings.  Reads the projection only, so a worker may compute it from a snapshot."""
    breakdown = projection.breakdown(key)
    groups = sorted(breakdown.items(), key=lambda kv: exact_sum(kv[1]), reverse=True)
    years = projection.fiscal_years()
    rows = [(name, [costs[this], exact_sum(costs[:12])] + [exact_sum(costs[f:f + c]) for _l, f, c in years]
             + [exact_sum(costs)]) for name, costs in groups]
    totals = ([projection.month_totals[this], projection.total_for(0, 12)]
              + [projection.total_for(f, c) for _l, f, c in years] + [projection.total])
    shown = groups[:9]
    rest = groups[9:]
    if rest:  # named by how many groups it sums: on a plan of 300 tenants it may be most of each bar
        shown = shown + [(f"Other ({len(rest):,} {key}s)" if len(rest) > 1 else f"Other (1 {key})",
                          [exact_sum(c[m] for _, c in rest) for m in range(projection.horizon)])]
    budgets = None
    if projection.plan.budgets:
        from pricing.budgets import check_budgets

        budgets = [f.message for status in check_budgets(projection) for f in status.findings]
    return {"key": key, "this": this, "years": years, "rows": rows, "totals": totals, "series": shown,
            "other": bool(rest),
            "month_totals": list(projection.month_totals), "months": list(projection.months), "budgets": budgets}


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
        self.updating = QLabel("Updating…")
        self.updating.setVisible(False)
        top.addWidget(self.updating)
        top.addStretch(1)
        self.table = panels.read_only_table(4)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart, self.chart_view = panels.chart_in_view(220)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        splitter.setSizes([170, 530])
        self.splitter = splitter
        self._sized_by_user = False
        splitter.splitterMoved.connect(lambda *_a: setattr(self, "_sized_by_user", True))
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
        key = self.by.currentData() or "tenant"
        this = doc.this_month_index()
        away = len(doc.projection.rows) > AWAY_WORKLOADS
        self._refresh_figures(away, lambda projection: summary_figures(projection, key, this),
                              self._show_in_turns if away else self._show, lambda message:
                              self.budget_findings.setText(f"The summary could not be computed: {message}"))

    def _set_updating(self, updating: bool) -> None:
        self.updating.setVisible(updating)
        self.table.setEnabled(not updating)

    def _show_in_turns(self, figures: dict) -> None:
        """Figures from a worker: the table now, the chart in the next turn of the event loop (two
        short pieces of GUI-thread work instead of one long one)."""
        self._show(figures, chart=False)
        self._chart_figures = (figures, self.document.currency)
        QTimer.singleShot(0, self._draw_chart_now)

    def _draw_chart_now(self) -> None:
        if shiboken6.isValid(self) and self._chart_figures is not None:
            (figures, currency), self._chart_figures = self._chart_figures, None
            with painting():
                self._draw_chart(figures, currency)

    _chart_figures = None

    def _show(self, figures: dict, chart: bool = True) -> None:
        self._chart_figures = None  # these figures replace any still waiting for their chart
        doc = self.document
        currency = doc.currency
        key, this, years = figures["key"], figures["this"], figures["years"]
        headers = ([key.capitalize(), f"This month ({display.month(figures['months'][this])})", "First 12 months"]
                   + [label for label, _f, _c in years] + ["Horizon"])
        self.table.setUpdatesEnabled(False)
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(figures["rows"]) + 1)
        for r, (name, values) in enumerate(figures["rows"]):
            self._set_row(r, name, values, currency)
        self._set_row(len(figures["rows"]), "Total", figures["totals"], currency, bold=True)
        for c in range(1, len(headers)):
            self.table.setColumnWidth(c, 150)
        self.table.setUpdatesEnabled(True)
        self._fit_table()
        if chart:
            self._draw_chart(figures, currency)
        budgets = figures["budgets"]
        if budgets is None:
            self.budget_findings.setText("")
        else:
            self.budget_findings.setText("\n".join(f"⚠ {m}" for m in budgets) if budgets else "Every budget line holds.")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_table()

    def _fit_table(self) -> None:
        """Give the table the height its rows need, Total included, up to half of the tab, so the
        total is in view without scrolling on a plan of a few tenants (unless the user has moved
        the divider)."""
        if self._sized_by_user:
            return
        table = self.table
        scroll = table.horizontalScrollBar()
        needed = (table.horizontalHeader().height() + table.verticalHeader().length() + 2 * table.frameWidth()
                  + (scroll.sizeHint().height() if scroll.maximum() > 0 else 0))
        available = sum(self.splitter.sizes()) or 700
        top = min(needed, available // 2)
        self.splitter.setSizes([top, available - top])

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

    def _draw_chart(self, figures: dict, currency) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QStackedBarSeries()
        top = max((float(t) for t in figures["month_totals"]), default=0.0)  # float ok: drawing
        divisor, amounts = panels.money_axis(top, currency)
        last = len(figures["series"]) - 1
        for i, (name, costs) in enumerate(figures["series"]):
            bar = QBarSet(name)
            colour = QColor(colours.OTHER if figures.get("other") and i == last else colours.SERIES[i % len(colours.SERIES)])
            bar.setColor(colour)
            bar.setBorderColor(colour)
            bar.append([float(c) / divisor for c in costs])  # display only, in the axis's unit
            series.append(bar)
        chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append([display.short_month(m) for m in figures["months"]])
        months.setLabelsAngle(-90)
        font = months.labelsFont()
        font.setPointSize(7)
        months.setLabelsFont(font)
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(months)
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(amounts)
        chart.setTitle(f"Monthly cost by {figures['key']}")
        colours.style_chart(chart)
