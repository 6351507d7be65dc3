"""Colours from the palette, so a dark system theme stays readable.

Cell tints (an error, a warning, a derived cell, a total row, the cheaper mode) are a hue mixed
into the palette's own base colour: pale on a light theme, deep on a dark one, and the text on
them stays the palette's text colour.  Charts take their background, labels and grid lines from
the palette too; their series keep mid-tone hues that read on either.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

#: Series hues (mid-tones: readable on a light and on a dark background).
SERIES = ["#2f6db5", "#e8833a", "#3a9e6f", "#c0392b", "#8e6bbf", "#c2417f", "#d4ac0d", "#16a2b8", "#a0522d", "#5d6d7e"]
#: The series that sums every group a chart has no room to name ("Other"): the one grey.
OTHER = "#8c959f"
ALARM = "#c0392b"

_HUES = {"error": "#dc3545", "warning": "#ffc107", "derived": "#8c959f", "total": "#2f6db5", "cheaper": "#28a745",
         "unavailable": "#8c959f"}
_STRENGTH = {"error": 0.22, "warning": 0.25, "derived": 0.10, "total": 0.14, "cheaper": 0.22, "unavailable": 0.16}


def dark_palette() -> QPalette:
    """A dark palette like a dark system theme's, for screenshots and tests of one."""
    pal = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#2a2a2a"),
                         (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#333333"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#3d6ea5"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.Mid, "#555555"),
                         (QPalette.ColorRole.PlaceholderText, "#9a9a9a"), (QPalette.ColorRole.ToolTipBase, "#333333"),
                         (QPalette.ColorRole.ToolTipText, "#e6e6e6"), (QPalette.ColorRole.Light, "#444444"),
                         (QPalette.ColorRole.Dark, "#1a1a1a"), (QPalette.ColorRole.Midlight, "#3a3a3a")):
        pal.setColor(role, QColor(colour))
    return pal


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or palette()
    return pal.color(QPalette.ColorRole.Base).lightness() < pal.color(QPalette.ColorRole.Text).lightness()


def mix(base: QColor, hue: QColor, strength: float) -> QColor:
    return QColor(round(base.red() + (hue.red() - base.red()) * strength),
                  round(base.green() + (hue.green() - base.green()) * strength),
                  round(base.blue() + (hue.blue() - base.blue()) * strength))


def tint(kind: str) -> QBrush:
    """A cell background for ``kind`` ('error', 'warning', 'derived', 'total', 'cheaper', 'unavailable')."""
    base = palette().color(QPalette.ColorRole.Base)
    strength = _STRENGTH[kind] * (1.6 if is_dark() else 1.0)
    return QBrush(mix(base, QColor(_HUES[kind]), strength))


def muted_text() -> QBrush:
    return QBrush(palette().color(QPalette.ColorRole.PlaceholderText))


def alarm_text() -> str:
    """A red that reads on the palette's window colour (for an inline error message)."""
    return "#ff8a80" if is_dark() else "#b00020"


def style_chart(chart) -> None:
    """Background, title, legend, axis labels and grid lines of a QChart from the palette."""
    pal = palette()
    base, text, mid = (pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text),
                       pal.color(QPalette.ColorRole.Mid))
    chart.setBackgroundBrush(QBrush(base))
    chart.setPlotAreaBackgroundVisible(False)
    chart.setTitleBrush(QBrush(text))
    chart.legend().setLabelColor(text)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setTitleBrush(QBrush(text))
        axis.setGridLineColor(mix(base, mid, 0.5))
        axis.setLinePenColor(mid)
