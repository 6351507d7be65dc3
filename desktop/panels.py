"""The pieces the report tabs are built of: a read-only table and a chart in its view."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QTableWidget


def read_only_table(columns: int) -> QTableWidget:
    """A table the user reads, selects and copies from, but does not type into."""
    table = QTableWidget(0, columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def chart_in_view(min_height: int = 0, legend: bool = True) -> tuple[QChart, QChartView]:
    """An empty chart (no animation, legend below) in an antialiased view."""
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    if legend:
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    else:
        chart.legend().setVisible(False)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    if min_height:
        view.setMinimumHeight(min_height)
    return chart, view
