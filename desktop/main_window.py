"""The main window: tabs for Workloads, Rates, Projection, Summary, Modes and Explain, a
totals strip always in view, and a status bar with Sum / Average / Count of the selection.

File handling (open, save, autosave, locks) lives in ``desktop.file_actions``; this module
lays the window out and wires grids to the document.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import clipboard, crash_guard, help_menu, memory
from desktop.delegates import RateDelegate, WorkloadDelegate
from desktop.explain import ExplainView
from desktop.comparing import Comparing
from desktop.file_actions import FileActions
from desktop.grid import ProjectionProxy, SheetProxy, SheetView
from desktop.modes_view import ModesView
from desktop.projection_model import ProjectionModel
from desktop.prompts import Prompts, run_modal
from desktop.rate_versions import PriceChangesPanel
from desktop.rates_model import RATE_COLUMNS, RatesModel
from desktop.scenario_summary import ScenarioSummary
from desktop.selection_stats import SelectionStats
from desktop.scenarios_view import ScenariosView
from desktop.tabs import TABS
from desktop.terms_view import TermsView
from desktop.totals_strip import TotalsStrip
from desktop.summary_view import SummaryView
from desktop.actuals_view import ActualsView
from desktop.variance_view import VarianceView
from desktop.undo import ReplaceWorkloads
from desktop.workloads_model import COLUMNS, WorkloadsModel
from pricing.plan.templates import new_workload
from pricing.yielding import giving_way



def _scrolling(page: QWidget) -> QScrollArea:
    """A tab page that scrolls when the window is smaller than it, so a page of charts and tables
    never holds the window taller or wider than a laptop screen."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class MainWindow(QMainWindow):
    def __init__(self, document, prompts: Prompts | None = None, parent=None):
        super().__init__(parent)
        self.document = document
        self.prompts = prompts or Prompts(self)
        self.resize(1400, 850)

        self.workloads_model = WorkloadsModel(document, self)
        self.rates_model = RatesModel(document, self)
        self.projection_model = ProjectionModel(document, self)
        self.workloads_proxy = SheetProxy(self)
        self.workloads_proxy.setSourceModel(self.workloads_model)
        self.rates_proxy = SheetProxy(self)
        self.rates_proxy.setSourceModel(self.rates_model)
        self.projection_proxy = ProjectionProxy(self)
        self.projection_proxy.setSourceModel(self.projection_model)

        self.workloads_view = SheetView(insert_rows=self.insert_row, delete_rows=self.delete_rows)
        self.workloads_view.setModel(self.workloads_proxy)
        self.workloads_view.setItemDelegate(WorkloadDelegate(document, self.workloads_view))
        self.workloads_view.set_column_widths([c.width for c in COLUMNS])
        self.rates_view = SheetView()
        self.rates_view.setModel(self.rates_proxy)
        self.rates_view.setItemDelegate(RateDelegate(self.rates_view))
        self.rates_view.set_column_widths([c.width for c in RATE_COLUMNS])
        self.projection_view = SheetView()
        self.projection_view.setModel(self.projection_proxy)
        self._size_projection_columns()
        self.summary = SummaryView(document)
        self.scenario_summary = ScenarioSummary(document)
        self.summary_page = QSplitter(Qt.Orientation.Vertical)
        self.summary_page.addWidget(self.summary)
        self.summary_page.addWidget(self.scenario_summary)
        self.summary_page.setSizes([620, 280])
        self.scenarios = ScenariosView(document)
        self.modes = ModesView(document)
        self.explain = ExplainView(document)

        self.filter_box = QLineEdit(placeholderText="Filter rows (any column)…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.set_filter)
        self.find_box = QLineEdit(placeholderText="Find (Ctrl+F), Enter for next…")
        self.find_box.returnPressed.connect(self.find_next)
        workloads_page = QWidget()
        page_layout = QVBoxLayout(workloads_page)
        page_layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_box, 2)
        bar.addWidget(self.find_box, 1)
        page_layout.addLayout(bar)
        page_layout.addWidget(self.workloads_view, 1)

        self.tabs = QTabWidget()
        self.price_changes = PriceChangesPanel(document)
        self.rates_page = QSplitter(Qt.Orientation.Vertical)
        self.rates_page.setObjectName("rates")  # its position is remembered (desktop.memory)
        self.rates_page.addWidget(self.rates_view)
        self.rates_page.addWidget(self.price_changes)
        self.rates_page.setStretchFactor(0, 3)
        self.rates_page.setStretchFactor(1, 1)
        self.rates_view.selectionModel().currentRowChanged.connect(self._follow_rate)
        self._select_first_rate()
        self.rates_proxy.modelReset.connect(self._select_first_rate)
        self.terms = TermsView(document)
        self.actuals = ActualsView(document, self.prompts)
        self.variance = VarianceView(document)
        self.terms.refused.connect(self.refuse)
        for name, widget in zip(TABS, [workloads_page, self.rates_page, self.projection_view, self.summary_page,
                                       self.scenarios, self.modes, self.explain, self.terms, self.actuals, self.variance]):
            self.tabs.addTab(widget if widget in (workloads_page, self.rates_page, self.projection_view)
                             else _scrolling(widget), name)
        self.totals = TotalsStrip()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 2)
        layout.addWidget(self.totals)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.selection_label = QLabel()
        self.statusBar().addPermanentWidget(self.selection_label)
        for model in (self.workloads_model, self.rates_model, self.price_changes.model, self.scenarios):
            model.refused.connect(self.refuse)
        self.selection_stats = SelectionStats(self, self.selection_label)
        for view in (self.workloads_view, self.rates_view, self.projection_view):
            view.selectionModel().selectionChanged.connect(lambda *_a, v=view: self.selection_stats.show(v))
        self.workloads_view.selectionModel().currentRowChanged.connect(self._follow_selection)

        self.files = FileActions(self)
        self.comparing = Comparing(self)
        self._build_menus()
        document.workloadsChanged.connect(self._on_workloads_changed)
        document.planReset.connect(self._on_reset)
        document.stateChanged.connect(self.update_title)
        document.repricingChanged.connect(self._on_repricing)
        self.workloads_proxy.arranging.connect(self._on_arranging)
        document.scenariosChanged.connect(lambda: self.totals.show_totals(self.document))
        self.totals.show_totals(document)
        self.update_title()
        self._name_for_assistive_technology()
        memory.restore_window(self)

    def _name_for_assistive_technology(self) -> None:
        """Screen readers name each grid, the totals strip and the tabs by what they hold."""
        for widget, name in ((self.workloads_view, self.tr("Workloads grid")), (self.rates_view, self.tr("Rates grid")),
                             (self.projection_view, self.tr("Projection grid")), (self.totals, self.tr("Totals")),
                             (self.tabs, self.tr("Plan views")), (self.filter_box, self.tr("Filter rows")),
                             (self.find_box, self.tr("Find")), (self.price_changes, self.tr("Price changes"))):
            widget.setAccessibleName(name)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        files = self.files
        m = self.menuBar().addMenu(self.tr("&File"))
        self._act(m, self.tr("&New"), files.new, QKeySequence.StandardKey.New)
        self._act(m, self.tr("&Open…"), files.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(files.fill_recent_menu)
        self._act(m, self.tr("&Import spreadsheet or CSV…"), files.import_dialog, "Ctrl+I")
        self._act(m, self.tr("Import &usage log…"), files.usage_dialog)
        m.addSeparator()
        self._act(m, self.tr("&Save"), files.save, QKeySequence.StandardKey.Save)
        self._act(m, self.tr("Save &As…"), files.save_as, QKeySequence.StandardKey.SaveAs)
        self._act(m, self.tr("&Export projection…"), files.export_dialog, "Ctrl+E")
        self.compare_menu = m.addMenu(self.tr("&Compare"))
        self.compare_menu.aboutToShow.connect(lambda: self.comparing.fill_menu(self.compare_menu))
        self.comparing.fill_menu(self.compare_menu)
        m.addSeparator()
        self._act(m, self.tr("&Close"), self.close, QKeySequence.StandardKey.Close)
        e = self.menuBar().addMenu(self.tr("&Edit"))
        undo = self.document.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.document.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        e.addAction(undo)
        e.addAction(redo)
        e.addSeparator()
        self._act(e, self.tr("&Copy"), lambda: clipboard.copy_selection(self.current_view()))
        self._act(e, self.tr("&Paste"), lambda: clipboard.paste(self.current_view()))
        self._act(e, self.tr("Fill &Down"), lambda: clipboard.fill_down(self.current_view()))
        self._act(e, self.tr("&Insert row (Insert)"), self.insert_row)
        self._act(e, self.tr("&Delete rows (Ctrl+-)"), self.delete_rows)
        self._act(e, self.tr("&Find…"), self.focus_find, QKeySequence.StandardKey.Find)
        t = self.menuBar().addMenu(self.tr("&Tools"))
        self._act(t, self.tr("&Preferences…"), self.preferences_dialog, QKeySequence.StandardKey.Preferences)
        help_menu.populate(self, self.menuBar().addMenu(self.tr("&Help")))

    def preferences_dialog(self) -> None:
        from desktop.preferences import PreferencesDialog

        run_modal(PreferencesDialog(self.document, self, replace=self.files.replace_plan))

    def _act(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut)
        # An error inside an action is reported (logged, plans autosaved, a dialog) and the window runs on.
        action.triggered.connect(lambda _checked=False: self._run_action(text, slot))
        menu.addAction(action)
        return action

    @staticmethod
    def _run_action(text: str, slot) -> None:
        with crash_guard.doing(text):
            slot()

    # ------------------------------------------------------------------ state
    def update_title(self) -> None:
        doc = self.document
        flag = "*" if doc.dirty else ""
        ro = " [read-only]" if doc.read_only else ""
        self.setWindowTitle(f"{doc.display_name}{flag}{ro} — Token Budget")

    def refuse(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _on_workloads_changed(self, rows, months) -> None:
        self.totals.show_totals(self.document)

    def _on_repricing(self, running: bool) -> None:
        """A worker re-prices the plan at new rates: the figures shown are marked until it lands."""
        self.totals.set_updating(running)
        if running:
            self.statusBar().showMessage(self.document.repricer.why)
        else:
            self.statusBar().showMessage("Figures updated", 4000)
            self.totals.show_totals(self.document)

    def _on_arranging(self, running: bool) -> None:
        """A large grid is sorted or filtered on a worker: it keeps its order until the new one lands."""
        if running:
            self.statusBar().showMessage("Sorting and filtering…")
        elif self.statusBar().currentMessage() == "Sorting and filtering…":
            self.statusBar().clearMessage()

    def _on_reset(self) -> None:
        self.totals.show_totals(self.document)
        self._select_first_rate()
        self._size_projection_columns()

    def _size_projection_columns(self) -> None:
        self.projection_view.setColumnWidth(0, 220)
        for c in range(1, self.projection_model.columnCount()):
            self.projection_view.setColumnWidth(c, 100)
        self.projection_view.setColumnWidth(self.projection_model.columnCount() - 1, 120)

    def current_view(self):
        widget = self.tabs.currentWidget()
        if widget is self.rates_page:
            return self.rates_view
        if widget is self.projection_view:
            return widget
        return self.workloads_view

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex([t.lower() for t in TABS].index(name.lower()))

    def _select_first_rate(self) -> None:
        """The Price changes panel never opens empty, and keeps its model when the Rates grid is reset
        (a price change re-reads the rate sheet): the model it shows, else the first one."""
        if self.rates_proxy.rowCount() == 0:
            return
        ids = [r.id for r in self.document.plan.rates]
        shown = self.price_changes.model.model_id
        index = QModelIndex()
        if shown in ids:
            index = self.rates_proxy.mapFromSource(self.rates_model.index(ids.index(shown), 1))
        current = self.rates_view.currentIndex()
        if not index.isValid():
            if current.isValid():
                return
            index = self.rates_proxy.index(0, 1)
        if current.isValid() and self.rates_proxy.mapToSource(current).row() == self.rates_proxy.mapToSource(index).row():
            return
        self.rates_view.setCurrentIndex(index)

    def _follow_rate(self, current, _previous) -> None:
        """The Price changes panel follows the model selected on the Rates grid."""
        if current.isValid():
            row = self.rates_proxy.mapToSource(current).row()
            rates = self.document.plan.rates
            self.price_changes.show_rate(rates[row].id if 0 <= row < len(rates) else None)

    def _follow_selection(self, current, _previous) -> None:
        if current.isValid():
            self.explain.show_workload(self.workloads_proxy.mapToSource(current).row())

    # ------------------------------------------------------------------ rows, filter, find
    def insert_row(self) -> None:
        doc = self.document
        rows = self.workloads_view.source_rows()
        at = rows[-1] + 1 if rows else len(doc.plan.workloads)
        new = new_workload(doc.plan, at, doc.plan.workloads[rows[-1]] if rows else None)
        before = doc.plan.workloads
        after = before[:at] + (new,) + before[at:]
        doc.undo_stack.push(ReplaceWorkloads(doc, before, after, "Insert row"))
        proxy_index = self.workloads_proxy.mapFromSource(self.workloads_model.index(at, 0))
        self.workloads_view.setCurrentIndex(proxy_index)

    def delete_rows(self) -> None:
        doc = self.document
        rows = set(self.workloads_view.source_rows())
        if not rows:
            return
        before = doc.plan.workloads
        after = tuple(w for i, w in enumerate(before) if i not in rows)
        # The selection goes with the rows: kept, Qt would save every selected cell as a persistent index
        # while the rows move (5,000 whole rows: 80,000 calls into the grid's models, 0.85 s).
        self.workloads_view.clearSelection()
        doc.undo_stack.push(ReplaceWorkloads(doc, before, after, f"Delete {len(rows)} row(s)"))

    def set_filter(self, text: str) -> None:
        self.workloads_proxy.set_needle(text)

    def focus_find(self) -> None:
        self.show_tab("Workloads")
        self.find_box.setFocus()
        self.find_box.selectAll()

    def find_next(self) -> bool:
        """The next cell after the current one whose text holds the Find box's text (any case), in the
        grid's order, wrapping round.  Past ``FIND_AWAY_CELLS`` cells the search runs on a worker over
        a frozen copy (``jobs.wait_for``): 100,000 workloads are 1.6 M cells."""
        needle = self.find_box.text().strip().lower()
        model, view = self.workloads_proxy, self.workloads_view
        if not needle or model.rowCount() == 0:
            return False
        columns = model.columnCount()
        current = view.currentIndex()
        start = (current.row() * columns + current.column() + 1) if current.isValid() else 0
        order = model.source_rows(0, model.rowCount() - 1)
        if len(order) * columns <= FIND_AWAY_CELLS:
            found = first_holding(self.workloads_model.text, order, columns, start, needle)
        else:
            from desktop.jobs import wait_for

            text_of = self.workloads_model.frozen_texts()
            found = wait_for(lambda _cancel: first_holding(text_of, order, columns, start, needle),
                             f"Finding {self.find_box.text()!r}…", self)
        if found is None:
            self.statusBar().showMessage(f"{self.find_box.text()!r} not found", 5000)
            return False
        index = model.index(*divmod(found, columns))
        view.setCurrentIndex(index)
        view.scrollTo(index)
        return True

    def closeEvent(self, event) -> None:
        if self.files.confirm_close():
            memory.remember_window(self)
            self.files.shutdown()
            event.accept()
        else:
            event.ignore()


#: A Find over more cells than this runs on a worker.
FIND_AWAY_CELLS = 20_000


def first_holding(text_of, order: list[int], columns: int, start: int, needle: str) -> int | None:
    """The first cell position (row × columns + column, in ``order``'s rows) from ``start`` on, wrapping
    round, whose text (``text_of(source row, column)``) holds ``needle``; None when none does."""
    total = len(order) * columns
    for step in giving_way(range(total), 2048):
        row, column = divmod((start + step) % total, columns)
        if needle in str(text_of(order[row], column) or "").lower():
            return row * columns + column
    return None
