"""Modes: each workload's monthly cost on Serverless and on Batch, the cheaper highlighted.

The figures and the choice are the core's: each workload's cost in its first month with traffic
as if it were on Serverless, and on Batch, the cheaper and the saving
(``pricing.capacity.mode_costs.ModeCosts.choice``: the figure a projection of the plan with the mode
switched gives, priced for that row and month only).  Rows are built when
Qt first asks for them, so a refresh of 100,000 workloads prices only the rows on screen and
the one pass the saving above the table needs.

Each row shown is also compared by ``pricing.capacity.modes.ModeComparer``: a Dedicated endpoint
column, a recommendation and, under the table, a chart of the selected workload's cost
against its monthly volume (``desktop.modes_chart``).

A model whose rate sheet does not list Batch can still be put on Batch: the engine prices it
at the plan's discount, as asked, with a warning.  The Batch column shows that price marked
``†`` in a muted colour.  It stays out of "cheaper" and the saving because ``pricing.capacity.modes``
documents its choice: Batch is None "when the model has no Batch" and "cheapest is the lowest
cost of all modes offered"; the table and the comparison must not name different winners.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from desktop import colours
from desktop import display
from desktop.gui_first import TableFirst, painting
from desktop.modes_chart import ModesChart, chart_data
from desktop.refresh import RefreshWhenVisible
from pricing.plan.models import DeploymentMode
from pricing.plan.money import exact_sum
from pricing.costing.projection import Projection

UNLISTED_MARK = "†"
UNLISTED_TIP = "the rate sheet does not list Batch for this model; priced at the plan's discount as asked"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_MONEY = (4, 5, 7, 8)
#: The column showing each mode's monthly figure.
_MODE_COLUMN = {DeploymentMode.SERVERLESS: 4, DeploymentMode.BATCH: 5, DeploymentMode.DEDICATED: 8}
HEADERS = ["Workload", "Model", "Now on", "Month", "Serverless / month", "Batch / month", "Cheapest",
           "Batch saving / month", "Dedicated / month", "Recommendation"]
#: Plans with more workloads than this are compared on a worker (100,000 take ~0.3 s).
AWAY_WORKLOADS = 20_000
WIDTHS = [160, 165, 80, 70, 120, 105, 80, 135, 120, 315]


class Entries(Sequence):
    """The Modes rows of one refresh, each built the first time it is asked for and kept.

    At 100,000 workloads Qt asks only for the rows on screen; nothing is priced for the rest.
    """

    def __init__(self, projection: Projection):
        # Imported here, not with the module: the window's cold start does without it.
        from pricing.capacity.mode_costs import ModeCosts

        self.projection = projection
        self.costs = ModeCosts(projection)
        self._built: dict[int, dict] = {}

    def __len__(self) -> int:
        return len(self.costs.rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        e = self._built.get(i)
        if e is None:
            e = self._built[i] = self._entry(i)
        return e

    def month_of(self, i: int) -> int:
        return self.costs.first_month(i)

    def _entry(self, i: int) -> dict:
        choice = self.costs.choice(i)
        return {
            "workload": self.costs.rows[i].workload, "choice": choice, "month": choice.month,
            "serverless": choice.serverless, "batch": choice.batch, "batch_offered": choice.batch_offered,
            "cheaper": choice.cheaper, "saving": choice.saving, "endpoint": None, "recommendation": "",
            "cheapest": None, "compared": False, "comparison": None,
        }

    def batch_savings(self) -> list:
        """The saving of each Serverless workload that Batch prices lower (one pass, no rows built)."""
        return self.costs.batch_savings()


class ModesModel(QAbstractTableModel):
    """The comparison table; built from the entries ``ModesView.comparisons`` returns."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: Sequence[dict] = []
        self.compare = None
        self.headers: list[str] = HEADERS
        self.currency = "USD"
        self.months: list = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: Sequence[dict], currency: str, months: list, compare) -> None:
        """``compare(i, month)`` (pricing.capacity.modes) is asked only for rows that are shown, once each."""
        self.beginResetModel()
        self.entries = entries
        self.compare = compare
        self.currency = currency
        self.months = months
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole and section in _MONEY:
            return _RIGHT
        return None

    def _highlighted(self, e: dict, column: int) -> bool:
        marked = e["choice"].marked(e["cheapest"], e["endpoint"] is not None)
        return marked is not None and _MODE_COLUMN.get(marked) == column

    def text(self, e: dict, column: int) -> str:
        w, cur = e["workload"], self.currency
        if column == 0:
            return w.name
        if column == 1:
            return w.model
        if column == 2:
            return w.mode.label
        if column == 3:
            return display.month(self.months[e["month"]])
        if column == 4:
            return display.money(e["serverless"], cur)
        if column == 5:
            if e["batch"] is None:
                return "" if e["batch_offered"] else "not offered"
            return display.money(e["batch"], cur) + ("" if e["batch_offered"] else f" {UNLISTED_MARK}")
        if column == 6:
            best = e["choice"].best(e["cheapest"])
            return best.label if best else "—"
        if column == 7:
            return display.money(e["saving"], cur)
        if column == 8:
            return display.money(e["endpoint"], cur)
        return headline(e["recommendation"])

    @staticmethod
    def _unlisted(e: dict) -> bool:
        """Priced on Batch although the rate sheet does not list Batch for the model."""
        return not e["batch_offered"] and e["batch"] is not None

    def entry(self, row: int) -> dict:
        e = self.entries[row]
        if not e["compared"]:
            e["compared"] = True
            try:
                comparison = self.compare(row, e["month"])
                e["comparison"] = comparison
                e["endpoint"] = comparison.endpoint_monthly
                e["recommendation"] = comparison.recommendation
                e["cheapest"] = comparison.cheapest
            except Exception as exc:  # a comparison the module cannot make is shown, not raised
                e["recommendation"] = f"(no comparison: {exc})"
        return e

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e, column = self.entry(index.row()), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(e, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _MONEY:
            return _RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._highlighted(e, column):
                return colours.tint("cheaper")
            if column == 5 and not e["batch_offered"] and e["batch"] is None:
                return colours.tint("unavailable")
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and self._unlisted(e):
            return colours.muted_text()
        if role == Qt.ItemDataRole.FontRole and self._highlighted(e, column):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 5 and self._unlisted(e):
                return UNLISTED_TIP
            if column == 5 and not e["batch_offered"]:
                return "The rate sheet does not list Batch for this model"
            if column == 9:
                return e["recommendation"]
        return None


class ModesTable(TableFirst):
    """The comparison table; it prices the rows it shows as it paints them, workers waiting."""


def headline(recommendation: str) -> str:
    """What to do, without the why: the text before its first figures in brackets or its first
    ';' ("Dedicated on 'ep-chat': 58% cheaper than Serverless").  The table shows this so the
    column fits; the full text is in the tooltip and the line under the table."""
    cut = min((i for i in (recommendation.find(" ("), recommendation.find(";")) if i > 0), default=len(recommendation))
    return recommendation[:cut]


class ModesView(RefreshWhenVisible, QWidget):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.model = ModesModel(self)
        self.table = ModesTable()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("padding: 6px; background: palette(alternate-base); border: 1px solid palette(mid);")
        self.detail.setVisible(False)
        self.chart = ModesChart()
        self.chart.setVisible(False)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.detail)
        below.addWidget(self.chart, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([290, 430])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)
        self._mode_comparer = None
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self._init_refresh(document, 300)

    def _show_detail(self, current, _previous=None) -> None:
        """The selected workload's full recommendation and its cost chart (pricing.capacity.modes)."""
        if not current.isValid():
            self.detail.setVisible(False)
            self.chart.setVisible(False)
            return
        e = self.model.entry(current.row())
        self.detail.setText(f"<b>{e['workload'].name}</b>: {e['recommendation']}")
        self.detail.setVisible(True)
        self._draw_chart(e)

    def _draw_chart(self, e: dict) -> None:
        comparison = e.get("comparison")
        self.chart.setVisible(True)
        if comparison is None:
            self.chart.clear(f"{e['workload'].name}: no chart ({e['recommendation'] or 'not compared'})")
            return
        try:
            volumes, curves = chart_data(self._mode_comparer, comparison)
        except Exception as exc:  # a curve the module cannot draw is said, not raised
            self.chart.clear(f"{e['workload'].name}: no chart ({exc})")
            return
        self.chart.show_comparison(comparison, volumes, curves, self.document.currency)

    def _detail_of_current(self) -> None:
        import shiboken6

        if shiboken6.isValid(self):
            with painting():
                self._show_detail(self.table.currentIndex())

    def selected_row(self) -> int | None:
        current = self.table.currentIndex()
        return current.row() if current.isValid() else None

    def comparisons(self) -> Entries:
        """One dict per workload (built when first asked for): month index, serverless and batch cost,
        cheaper mode, saving."""
        return Entries(self.document.projection)

    def refresh(self) -> None:
        self._stale = False
        doc = self.document
        plan = doc.plan
        self._refresh_figures(len(doc.projection.rows) > AWAY_WORKLOADS, lambda projection: prepare(plan, projection),
                              self._show,
                              lambda message: self.note.setText(f"The comparison could not be made: {message}"))

    def _set_updating(self, updating: bool) -> None:
        self.table.setEnabled(not updating)
        if updating:
            self.note.setText("Updating the comparison…")

    def _show(self, prepared: tuple) -> None:
        entries, comparer, savings = prepared
        doc = self.document
        currency = doc.currency
        # One comparer for the whole plan: its look-ups are built once, not per workload.
        self._mode_comparer = comparer
        selected = self.selected_row()
        self.model.set_entries(entries, currency, list(entries.projection.months),
                               lambda i, month: comparer.compare(i, None, month))
        for c, width in enumerate(WIDTHS):
            self.table.setColumnWidth(c, width)
        if entries:
            # Keep the chart on the workload that was selected (the first one at the start).  The
            # chart is drawn in the next turn of the event loop: the table and the chart are two
            # short pieces of GUI-thread work instead of one long one.
            row = min(selected if selected is not None else 0, len(entries) - 1)
            selection = self.table.selectionModel()
            selection.blockSignals(True)
            self.table.setCurrentIndex(self.model.index(row, 0))
            selection.blockSignals(False)
            QTimer.singleShot(0, self._detail_of_current)
        else:
            self._show_detail(self.model.index(-1, -1))
        self.note.setText(
            "Cost of each workload in its first month with traffic, priced by the engine on Serverless and on Batch "
            "(Batch results arrive within 24 hours). "
            + (f"Moving the {len(savings):,} Serverless workload(s) that Batch prices lower would save "
               f"{display.money(exact_sum(savings), currency)} in that month."
               if savings else "No Serverless workload would be cheaper on Batch.")
        )


def prepare(plan, projection) -> tuple:
    """The Modes rows (built when shown), the plan's comparer and the Batch savings of ``projection``:
    the whole-plan passes of a refresh, which a worker may make from a snapshot."""
    # Imported here, not with the module: the window's cold start does without it.
    from pricing.capacity.modes import ModeComparer

    entries = Entries(projection)
    return entries, ModeComparer(plan, projection), [s for s in entries.batch_savings() if s]
