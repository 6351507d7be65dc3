"""The totals strip always in view: this month, the first 12 months, the whole horizon, the
re-forecast against budget (when the plan has budget lines), the count of findings, and the
scenario switch (the three totals are the chosen scenario's; the grids show the plan itself)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QSizePolicy

from desktop import display
from desktop.document import PROJECT_AWAY_WORKLOADS, project_scenario
from pricing.plan.scenario_records import BASE


class TotalsStrip(QFrame):
    """This month, the first 12 months and the whole horizon, from the projection's totals."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("totals")
        self.setStyleSheet(
            "#totals { background: palette(highlight); border-radius: 4px; }"
            "#totals QLabel { color: palette(highlighted-text); font-size: 13px; padding: 2px 10px; }"
            "#totals QLabel[role='figure'] { font-size: 15px; font-weight: 600; }"
            "#totals QLabel[updating='true'] { color: palette(midlight); font-style: italic; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.captions, self.figures = [], []
        for _ in range(3):
            caption, figure = QLabel(), QLabel()
            figure.setProperty("role", "figure")
            layout.addWidget(caption)
            layout.addWidget(figure)
            layout.addSpacing(8)
            self.captions.append(caption)
            self.figures.append(figure)
        layout.addStretch(1)
        self.budget = _Elided()
        self.budget.hide()  # shown when the plan has a budget for the period (``_show_budget``)
        layout.addWidget(self.budget, 10)  # the room the figures leave, its text cut short with "…"
        self.scenario_caption = QLabel("Scenario")
        self.scenario = QComboBox()
        self.scenario.setToolTip("The scenario these totals are for; the grids show the plan itself (Base)")
        layout.addWidget(self.scenario_caption)
        layout.addWidget(self.scenario)
        layout.addSpacing(12)
        self.findings = QLabel()
        layout.addWidget(self.findings)
        for label in (*self.captions, self.budget, self.findings):
            # These may be cut short in a narrow window (their full text is the tooltip) rather
            # than hold the window wider than a laptop screen.
            label.setMinimumWidth(40)
        self._document = None
        self.scenario.currentTextChanged.connect(self._choose)

    _filling = False
    updating = False

    def set_updating(self, updating: bool) -> None:
        """Figures being re-priced on a worker: shown greyed, the findings count says so, until they land."""
        self.updating = updating
        for label in self.figures:
            label.setProperty("updating", "true" if updating else "false")
            label.setToolTip("Updating: re-pricing…" if updating else "")
            label.style().unpolish(label)
            label.style().polish(label)
        if updating:
            self.findings.setText("Updating figures…")
            self.findings.setToolTip("Re-pricing; the figures shown are the previous ones")

    def _choose(self, name: str) -> None:
        if self._document is not None and name and not self._filling:
            self._document.set_active_scenario(name)

    def show_scenarios(self, document) -> None:
        """The switch lists Base and the plan's scenarios, on the active one; hidden when there are none."""
        self._document = document
        names = [BASE] + [s.name for s in document.plan.scenarios]
        self._filling = True
        try:
            if [self.scenario.itemText(i) for i in range(self.scenario.count())] != names:
                self.scenario.clear()
                self.scenario.addItems(names)
            self.scenario.setCurrentText(document.active_scenario)
        finally:
            self._filling = False
        for widget in (self.scenario, self.scenario_caption):
            widget.setVisible(len(names) > 1)

    def show_totals(self, document) -> None:
        """The active scenario's totals, the findings count and the budget outlook.  On a plan of more than
        ``PROJECT_AWAY_WORKLOADS`` what needs a pass over every row (the active scenario's projection,
        the budget lines' checks) is worked out on a worker after each edit: at 30,000 workloads each
        edit froze the window 0.77 s with a scenario active and 0.31 s with two budget lines.  The
        figures wait greyed meanwhile; the Base totals, kept up to date edit by edit, show at once."""
        self.show_scenarios(document)
        self._document = document
        if len(document.plan.workloads) <= PROJECT_AWAY_WORKLOADS or not (
                document.plan.budgets or document.active_scenario != BASE):
            if self.waiting:  # a worker's figures for an earlier plan are not wanted any more
                self._set_waiting(False)
            self._lay_out(document, strip_figures(document.shown_projection(), document.projection,
                                                  document.this_month_index(), counts=not self.updating))
            return
        if document.active_scenario == BASE:  # the totals at once; the counts and budgets follow
            self._lay_out(document, strip_figures(document.projection, None, document.this_month_index(),
                                                  counts=False))
        self._set_waiting(True)
        if self._job is not None:
            self._again = True  # asked again while a worker works: once it lands
            return
        self._start(document)

    _job = None
    _again = False
    waiting = False

    def _start(self, document) -> None:
        from desktop.jobs import Job, figures_pool
        from pricing.costing.held import snapshot

        plan, name, this = document.plan, document.active_scenario, document.this_month_index()
        base = snapshot(document.projection)  # edits go on; the worker reads this moment's figures
        shown = document.kept_scenario_projection() if name != BASE else base
        catalog = None
        if shown is None:
            from pricing.costing.catalog import load_catalog

            catalog = load_catalog()  # read here, once: a worker does not race the GUI thread to the file

        def work(_cancel):
            projection = shown if shown is not None else project_scenario(plan, name, base.horizon, catalog)
            return projection, strip_figures(projection, base, this, counts=not self.updating)

        def landed(result) -> None:
            projection, figures = result
            again, self._again = self._again, False
            current = self._document is document and document.plan is plan and document.active_scenario == name
            document.keep_scenario_projection(plan, name, projection)
            if current and not again:
                self._set_waiting(False)
                self._lay_out(document, figures)
            else:
                self.show_totals(self._document)  # the figures of what is shown now

        def settled() -> bool:
            if not shiboken6.isValid(self):
                return False
            self._job = None
            return True

        self._job = Job(work)
        self._job.on_outcome(settled, landed, lambda message: self._failed(message), lambda: None)
        self._job.start(figures_pool())

    def _failed(self, message: str) -> None:
        self._set_waiting(False)
        self.findings.setText("⚠ The totals could not be worked out")
        self.findings.setToolTip(message)

    def _set_waiting(self, waiting: bool) -> None:
        """The figures shown are the previous ones while a worker works out the new ones."""
        self.waiting = waiting
        for label in (*self.figures, self.budget):
            label.setProperty("updating", "true" if waiting or self.updating else "false")
            label.style().unpolish(label)
            label.style().polish(label)
        if waiting:
            self.findings.setText("Updating totals…")
            self.findings.setToolTip("Working out the scenario's totals and the budget checks; the figures shown are "
                                     "the previous ones")

    def _lay_out(self, document, figures: dict) -> None:
        cur = document.currency
        for (caption, value), c_label, f_label in zip(figures["values"], self.captions, self.figures):
            c_label.setText(caption)
            c_label.setToolTip(caption)
            f_label.setText(display.money(value, cur))
        if figures["counts"] is None:  # the counts follow when the new figures land
            return
        self._show_budget(document, figures["outlook"])
        self.findings.setText(findings_text(*figures["counts"]))
        self.findings.setToolTip(self.findings.text())

    def _show_budget(self, document, view) -> None:
        """The re-forecast (closed months at actuals) against the budget of the period we are in."""
        if view is None:
            self.budget.setText("")
            self.budget.hide()
            return
        cur = document.currency
        mark = "over" if view.over > 0 else "under"
        self.budget.setText(f"Re-forecast {view.period}: {display.money(view.landing, cur)} vs budget "
                            f"{display.money(view.budget, cur)} ({display.money(abs(view.over), cur)} {mark}); "
                            f"{view.exceeded} of {view.lines} budget(s) exceeded")
        self.budget.setToolTip(self.budget.text())
        self.budget.show()


class _Elided(QLabel):
    """A label that takes only the room left beside the others and ends its text with "…" when that is
    too little (its full text is ``text()`` and the tooltip): the budget outlook, which once squeezed the
    strip's captions to "Th", "Fir", "Ho" in a 1,400-pixel window."""

    def __init__(self):
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(QPainter(self), rect, int(self.alignment()), self.palette(), self.isEnabled(), text,
                                  self.foregroundRole())


def strip_figures(shown, base, this: int, counts: bool = True) -> dict:
    """What the strip shows, from ``shown`` (the active scenario's projection) and ``base`` (the plan's
    own, for the budget outlook): the three totals, and with ``counts`` the (errors, warnings) among
    the findings and budget checks and the outlook.  Reads the projections only: a worker may run it."""
    first12 = min(12, shown.horizon)
    figures = {"values": [(f"This month ({display.month(shown.months[this])})", shown.month_totals[this]),
                          (f"First {first12} months", shown.total_for(0, first12)),
                          (f"Horizon ({shown.horizon} months)", shown.total)],
               "counts": None, "outlook": None}
    if not counts:
        return figures
    errors, warnings = shown.finding_counts()
    if shown.plan.budgets:
        from pricing.actuals import Variance
        from pricing.actuals.overview import outlook
        from pricing.budgets import check_budgets

        for status in check_budgets(shown):
            for f in status.findings:
                errors += f.severity == "error"
                warnings += f.severity == "warning"
        figures["outlook"] = outlook(Variance(base), this)
    figures["counts"] = (errors, warnings)
    return figures


def findings_text(errors: int, warnings: int) -> str:
    """'⚠ 2 errors, 1 warning', '⚠ 350 warnings', 'No findings': only the counts there are."""
    parts = [f"{n:,} {word}{'' if n == 1 else 's'}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return "⚠ " + ", ".join(parts) if parts else "No findings"
