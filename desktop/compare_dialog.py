"""File > Compare: what moved between the open plan and another version of it, with the bridge
drawn as a waterfall (base total, removed workloads, volume, mix, price, new workloads, other total).

The comparison is ``pricing.scenarios.compare_plans``; its parts add up to the change exactly.
The chart draws each part as a floating bar from the running total before it to the one after
it (an invisible bar underneath lifts it); this module computes no figure.
"""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QStackedBarSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop import colours, panels
from desktop import display
from pricing.files.comparison_export import BASE_TOTAL, OTHER_TOTAL, PART_LABELS, bridge_rows

UP, DOWN, TOTAL = "#c0392b", "#3a9e6f", "#2f6db5"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def waterfall_bars(bridge, divisor: float = 1.0) -> list[tuple[str, float, float, str]]:
    """(label, lift, height, colour) per bar, in units of ``divisor`` (1e3 for thousands, 1e6 for
    millions: ``display.axis_scale``), for drawing only."""
    bars = [(BASE_TOTAL, 0.0, float(bridge.base) / divisor, TOTAL)]  # float ok: drawing
    running = bridge.base
    for name, part in bridge.parts():
        after = running + part
        low, high = sorted((float(running) / divisor, float(after) / divisor))  # float ok: drawing
        label = PART_LABELS[name].split(" (")[0].split(" ")[0]  # 'Removed', 'New': fits under a bar
        bars.append((label, low, high - low, UP if part > 0 else DOWN))
        running = after
    bars.append((OTHER_TOTAL, 0.0, float(bridge.other) / divisor, TOTAL))  # float ok: drawing
    return bars


def bridge_peak(bridge) -> float:
    """The highest point the waterfall reaches, in the currency: what its axis must show."""
    return max((lift + height for _l, lift, height, _c in waterfall_bars(bridge)), default=0.0)


class CompareDialog(QDialog):
    def __init__(self, comparison, currency, title: str, export=None, parent=None,
                 names: tuple[str, str] = ("the open plan", "the other version")):
        super().__init__(parent)
        # Modeless, one per comparison asked for: closed, it goes, with the plans it compares
        # (a child of the window would otherwise live, and hold them, as long as the window).
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Compare — {title}")
        self.resize(1100, 760)
        self.comparison = comparison
        self.currency = currency
        self.export = export
        c = comparison
        self.caption = QLabel(f"{title}: {display.money(c.base_total, currency)} → "
                              f"{display.money(c.other_total, currency)} "
                              f"({display.money(c.change, currency)}) over {len(c.months)} months\n"
                              f"Base: {names[0]}. Other: {names[1]}.")
        self.bridge_table = QTableWidget(0, 2)
        self.bridge_table.setHorizontalHeaderLabels(["Bridge", "Amount"])
        self.bridge_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        rows = bridge_rows(c)
        self.bridge_table.setRowCount(len(rows))
        for r, (name, value) in enumerate(rows):
            self.bridge_table.setItem(r, 0, QTableWidgetItem(name))
            item = QTableWidgetItem(display.money(value, currency))
            item.setTextAlignment(_RIGHT)
            self.bridge_table.setItem(r, 1, item)
        self.chart, self.chart_view = panels.chart_in_view(legend=False)
        self._draw()
        moved = c.moved
        self.workloads = QTableWidget(len(moved), 5)
        self.workloads.setHorizontalHeaderLabels(["Workload", "Status", "Changed fields", "Base → other", "Change"])
        header = self.workloads.horizontalHeader()
        for col in range(5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == 2
                                        else QHeaderView.ResizeMode.ResizeToContents)
        for r, d in enumerate(moved):
            cells = [d.name, d.status, ", ".join(d.fields),
                     f"{display.money(d.base_total, currency)} → {display.money(d.other_total, currency)}",
                     display.money(d.change, currency)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 3:  # money reads right-aligned, like the bridge's amounts
                    item.setTextAlignment(_RIGHT)
                self.workloads.setItem(r, col, item)
        if not moved:  # an empty grid under headers reads like a failure to load
            self.workloads.setRowCount(1)
            self.workloads.setSpan(0, 0, 1, 5)
            self.workloads.setItem(0, 0, QTableWidgetItem(
                f"No workload moved: each of the {len(c.workloads):,} workloads costs the same in both versions."))
        for table in (self.bridge_table, self.workloads):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
        top = QSplitter()
        top.addWidget(self.bridge_table)
        top.addWidget(self.chart_view)
        top.setSizes([330, 770])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(self.workloads)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if export is not None:
            save = QPushButton("Export (CSV or workbook)…")
            save.clicked.connect(lambda _c=False: export(comparison))
            buttons.addWidget(save)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)

    def _draw(self) -> None:
        peak = bridge_peak(self.comparison.bridge)
        divisor, amounts = panels.money_axis(peak, self.currency)
        bars = waterfall_bars(self.comparison.bridge, divisor)
        series = QStackedBarSeries()
        lift = QBarSet("lift")
        lift.setColor(QColor(0, 0, 0, 0))
        lift.setBorderColor(QColor(0, 0, 0, 0))
        lift.append([b[1] for b in bars])
        series.append(lift)
        for colour in (TOTAL, UP, DOWN):
            bar = QBarSet(colour)
            bar.setColor(QColor(colour))
            bar.setBorderColor(QColor(colour))
            bar.append([b[2] if b[3] == colour else 0.0 for b in bars])
            series.append(bar)
        self.chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append([b[0] for b in bars])
        self.chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        self.chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(amounts)
        self.chart.setTitle("Bridge: what moved the total")
        colours.style_chart(self.chart)
        self.bars, self.divisor = bars, divisor
