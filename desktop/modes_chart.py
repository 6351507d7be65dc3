"""The Modes tab's chart: one workload's monthly cost against requests a month, one line per mode.

Every figure drawn comes from ``pricing.capacity.modes``: the volumes are ``chart_volumes(comparison)``,
the costs ``ModeComparer.curve`` (what ``cost_curve`` returns), the break-even and this month's
volume and costs are the comparison's own.  This module only turns those Decimals into points
(floats, for drawing) and labels; it computes no cost.

The capacity's line is sampled densely so its steps (a replica or GPU added each time the
volume passes one unit's capacity) read as steps; Serverless and Batch are straight lines.
"""

from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QScatterSeries
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from desktop import colours
from desktop import display
from pricing.plan.models import DeploymentMode

#: Points along the volume axis: enough for the capacity's steps to look vertical.
POINTS = 401
MODE_COLOURS = {
    DeploymentMode.SERVERLESS: "#2f6db5",
    DeploymentMode.BATCH: "#e8833a",
    DeploymentMode.DEDICATED: "#3a9e6f",
    DeploymentMode.GPU_CLUSTER: "#8e6bbf",
}
BREAK_EVEN_COLOUR = "#c0392b"
NOW_COLOUR = "#5d6d7e"


def chart_data(comparer, comparison):
    """(volumes, {mode: monthly costs}) for ``comparison``'s workload, from the ``pricing.capacity.modes.ModeComparer``
    that made it."""
    # Imported here, not with the module: the window's cold start does without pricing.capacity.modes.
    from pricing.capacity.modes import chart_volumes

    volumes = chart_volumes(comparison, POINTS)
    return volumes, comparer.curve(comparison.index, volumes, None, comparison.month)


def nice_ticks(top: float, count: int = 6) -> list[float]:
    """Round tick values from 0 to at least ``top`` (1, 2, 2.5 or 5 times a power of ten apart)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top - step * 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def money_tick(value: float, symbol: str, step: float) -> str:
    """$0, $500, $2.5k, $40k, $1.2M: money for an axis, never more digits than the step needs."""
    if value == 0:
        return f"{symbol}0"
    if step >= 1_000_000 or value >= 10_000_000:
        places = 0 if step % 1_000_000 == 0 else 1
        return f"{symbol}{value / 1_000_000:,.{places}f}M"
    if step >= 1000:
        places = 0 if step % 1000 == 0 else 1
        return f"{symbol}{value / 1000:,.{places}f}k"
    places = 0 if step >= 1 else 2
    return f"{symbol}{value:,.{places}f}"


def volume_label(value: Decimal) -> str:
    return f"{value:,.0f}"


class Annotation:
    """A label on a light box at the top of the plot, in its own row, beside a volume's marker line."""

    def __init__(self, chart: QChart, text: str, x: float, row: int, colour: str, anchor_series):
        self.chart, self.text, self.x, self.row, self.anchor = chart, text, x, row, anchor_series
        self.box = QGraphicsRectItem(chart)
        base = colours.palette().color(QPalette.ColorRole.Base)
        self.box.setBrush(QBrush(QColor(base.red(), base.green(), base.blue(), 225)))
        self.box.setPen(QPen(QColor(colour), 0.8))
        self.box.setZValue(20)
        self.label = QGraphicsSimpleTextItem(text, self.box)
        font = QFont()
        font.setBold(True)
        self.label.setFont(font)
        self.label.setBrush(QBrush(QColor(colour)))

    def place(self) -> None:
        area = self.chart.plotArea()
        at = self.chart.mapToPosition(QPointF(self.x, 0), self.anchor)
        size = self.label.boundingRect()
        width, height = size.width() + 8, size.height() + 4
        left = at.x() + 5
        if left + width > area.right():
            left = at.x() - 5 - width
        top = area.top() + 4 + self.row * (height + 3)
        self.box.setRect(0, 0, width, height)
        self.box.setPos(left, top)
        self.label.setPos(4, 2)

    def remove(self) -> None:
        scene = self.box.scene()
        if scene is not None:
            scene.removeItem(self.box)


class ModesChart(QChartView):
    """Cost against volume for the workload the table has selected."""

    def __init__(self, parent=None):
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        chart = self.chart_
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(8, 4, 24, 4))
        title = QFont()
        title.setBold(True)
        chart.setTitleFont(title)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        self.series: dict[DeploymentMode, QLineSeries] = {}
        self.break_even_series: QScatterSeries | None = None
        self.now_series: QScatterSeries | None = None
        self.volumes: list[Decimal] = []
        self.comparison = None
        # The two axes live as long as the chart: axes removed from a QChart leave their drawing
        # behind until the event loop runs its deferred deletes, so they are relabelled instead.
        self.x_axis, self.y_axis = QCategoryAxis(), QCategoryAxis()
        for axis, title, side in ((self.x_axis, "Requests a month", Qt.AlignmentFlag.AlignBottom),
                                  (self.y_axis, "Monthly cost", Qt.AlignmentFlag.AlignLeft)):
            axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            axis.setTitleText(title)
            font = axis.titleFont()
            font.setBold(False)
            axis.setTitleFont(font)
            axis.setVisible(False)
            chart.addAxis(axis, side)
        self.annotations: list[Annotation] = []
        chart.plotAreaChanged.connect(lambda *_: self._place_annotations())

    def _place_annotations(self) -> None:
        for note in self.annotations:
            note.place()

    def annotate(self, text: str, x: float, colour: str, anchor) -> None:
        note = Annotation(self.chart_, text, x, len(self.annotations), colour, anchor)
        self.annotations.append(note)
        note.place()

    # -- drawing -----------------------------------------------------------------------------

    def clear(self, message: str = "") -> None:
        chart = self.chart_
        chart.removeAllSeries()
        for axis in (self.x_axis, self.y_axis):
            for label in axis.categoriesLabels():
                axis.remove(label)
            axis.setVisible(False)
        self.series = {}
        for note in self.annotations:
            note.remove()
        self.annotations = []
        self.break_even_series = self.now_series = None
        self.volumes = []
        self.comparison = None
        chart.setTitle(message)

    def show_comparison(self, comparison, volumes: list[Decimal], curves: dict, currency: str = "USD") -> None:
        self.clear()
        self.comparison = comparison
        self.volumes = volumes
        when = display.month(comparison.month_start)
        if not curves:
            self.chart_.setTitle(f"{comparison.workload}: no chart ({comparison.recommendation})")
            return
        self.chart_.setTitle(f"{comparison.workload}: monthly cost against requests a month ({when} rates)")
        xs = [float(v) for v in volumes]
        top_x = xs[-1] if xs else 1.0
        top_y = max((float(c) for costs in curves.values() for c in costs), default=0.0)
        y_ticks = nice_ticks(top_y * 1.04)
        x_ticks = nice_ticks(top_x, 7)
        x_axis, y_axis = self._axes(x_ticks, y_ticks, currency)
        for mode, costs in curves.items():
            line = QLineSeries()
            line.setName(self._series_name(mode, comparison))
            line.setPen(QPen(QColor(MODE_COLOURS[mode]), 2.5 if mode is comparison.current_mode else 2))
            line.replace([QPointF(x, float(c)) for x, c in zip(xs, costs)])
            self._add(line, x_axis, y_axis)
            self.series[mode] = line
        self._mark_break_even(comparison, curves, volumes, x_axis, y_axis, y_ticks[-1])
        self._mark_now(comparison, curves, x_axis, y_axis, y_ticks[-1])
        colours.style_chart(self.chart_)

    def _axes(self, x_ticks, y_ticks, currency):
        x_axis, y_axis = self.x_axis, self.y_axis
        for tick in x_ticks:
            x_axis.append(f"{tick:,.0f}", tick)
        symbol = display.currency_symbol(currency)
        step = y_ticks[1] - y_ticks[0]
        for tick in y_ticks:
            y_axis.append(money_tick(tick, symbol, step), tick)
        for axis, ticks in ((x_axis, x_ticks), (y_axis, y_ticks)):
            axis.setStartValue(0)
            axis.setRange(0, ticks[-1])
            axis.setVisible(True)
        return x_axis, y_axis

    def _add(self, series, x_axis, y_axis, in_legend: bool = True) -> None:
        self.chart_.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        if not in_legend:
            for marker in self.chart_.legend().markers(series):
                marker.setVisible(False)

    @staticmethod
    def _series_name(mode: DeploymentMode, comparison) -> str:
        if mode in (DeploymentMode.SERVERLESS, DeploymentMode.BATCH):
            return mode.label
        who = comparison.candidate_id or ""
        if comparison.candidate_source != "reference" and comparison.candidate_description:
            who = comparison.candidate_description
        return f"{mode.label}: {who} (sized for this workload alone)"

    def _vertical(self, x: float, top: float, colour: str, x_axis, y_axis) -> None:
        line = QLineSeries()
        pen = QPen(QColor(colour), 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        line.append(x, 0)
        line.append(x, top)
        self._add(line, x_axis, y_axis, in_legend=False)

    def _dots(self, name: str, points: list[QPointF], colour: str, x_axis, y_axis, size: float = 9) -> QScatterSeries:
        dots = QScatterSeries()
        dots.setName(name)
        dots.setMarkerSize(size)
        dots.setColor(QColor(colour))
        dots.setBorderColor(colours.palette().color(QPalette.ColorRole.Base))
        dots.replace(points)
        self._add(dots, x_axis, y_axis, in_legend=False)
        return dots

    def _mark_break_even(self, c, curves, volumes, x_axis, y_axis, top) -> None:
        serverless = curves.get(DeploymentMode.SERVERLESS)
        if c.break_even_requests is None and c.break_even_note and c.endpoint_mode in self.series:
            self.annotate(f"no break-even: {c.break_even_note}", 0.0, BREAK_EVEN_COLOUR, self.series[c.endpoint_mode])
        if c.break_even_requests is None or serverless is None or c.break_even_requests not in volumes:
            return
        at = volumes.index(c.break_even_requests)
        x, y = float(c.break_even_requests), float(serverless[at])
        self._vertical(x, top, BREAK_EVEN_COLOUR, x_axis, y_axis)
        self.break_even_series = self._dots("Break-even", [QPointF(x, y)], BREAK_EVEN_COLOUR, x_axis, y_axis, 11)
        self.annotate(f"break-even {volume_label(c.break_even_requests)} req/mo", x, BREAK_EVEN_COLOUR,
                      self.break_even_series)
        if c.break_even_until is not None and c.break_even_until in volumes:
            at = volumes.index(c.break_even_until)
            until = float(c.break_even_until)
            dots = self._dots("Dearer again", [QPointF(until, float(serverless[at]))], BREAK_EVEN_COLOUR,
                              x_axis, y_axis, 8)
            self.annotate(f"needs another unit from {volume_label(c.break_even_until)} req/mo: dearer again",
                          until, BREAK_EVEN_COLOUR, dots)

    def _mark_now(self, c, curves, x_axis, y_axis, top) -> None:
        """This month's volume: a dashed line, and a dot on each line at the comparison's own cost."""
        if c.requests is None or c.requests <= 0:
            return
        x = float(c.requests)
        self._vertical(x, top, NOW_COLOUR, x_axis, y_axis)
        at_now = {DeploymentMode.SERVERLESS: c.serverless_monthly, DeploymentMode.BATCH: c.batch_monthly}
        if c.endpoint_mode is not None:
            at_now[c.endpoint_mode] = c.endpoint_alone_monthly
        points = [QPointF(x, float(cost)) for mode, cost in at_now.items() if cost is not None and mode in curves]
        self.now_series = self._dots("This month", points, NOW_COLOUR, x_axis, y_axis, 8)
        self.annotate(f"{display.month(c.month_start)}: {volume_label(c.requests)} req/mo", x, NOW_COLOUR,
                      self.now_series)
