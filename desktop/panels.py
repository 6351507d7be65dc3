"""The pieces the report tabs are built of: a read-only table and a chart in its view."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QTableWidget

from desktop import display


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


def money_axis(top: float, currency: str) -> tuple[float, QValueAxis]:
    """(divisor, axis) for a chart of money up to ``top`` (in currency): the values drawn are
    divided by ``divisor`` (thousands, millions or billions: ``display.axis_scale``), and the axis
    runs from 0 to a round number above the top in that unit, its labels carrying as many decimals
    as its ticks need, so that ticks of half a million read '$0.5M', '$1.0M', '$1.5M' and never
    '$1M' twice."""
    divisor, unit = display.axis_scale(top)
    peak = top / divisor
    axis = QValueAxis()
    axis.setRange(0, peak * 1.08 if peak > 0 else 1)
    axis.applyNiceNumbers()
    step = (axis.max() - axis.min()) / max(axis.tickCount() - 1, 1)
    decimals = next((d for d in range(4) if abs(step * 10 ** d - round(step * 10 ** d)) < 1e-9), 3)
    axis.setLabelFormat(display.axis_label_format(currency, unit, decimals))
    return divisor, axis
