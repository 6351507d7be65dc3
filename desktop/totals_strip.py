"""The totals strip always in view: this month, the first 12 months, the whole horizon, the
re-forecast against budget (when the plan has budget lines), the count of findings, and the
scenario switch (the three totals are the chosen scenario's; the grids show the plan itself)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel

from desktop import display
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
        self.budget = QLabel()
        self.budget.hide()  # shown when the plan has a budget for the period (``_show_budget``)
        layout.addWidget(self.budget)
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
            label.setToolTip("Updating: re-pricing at the new rates…" if updating else "")
            label.style().unpolish(label)
            label.style().polish(label)
        if updating:
            self.findings.setText("Updating figures…")
            self.findings.setToolTip("Re-pricing at the new rates; the figures shown are the previous ones")

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
        self.show_scenarios(document)
        projection = document.shown_projection()
        this = document.this_month_index()
        cur = document.currency
        first12 = min(12, projection.horizon)
        values = [
            (f"This month ({display.month(projection.months[this])})", projection.month_totals[this]),
            (f"First {first12} months", projection.total_for(0, first12)),
            (f"Horizon ({projection.horizon} months)", projection.total),
        ]
        for (caption, value), c_label, f_label in zip(values, self.captions, self.figures):
            c_label.setText(caption)
            c_label.setToolTip(caption)
            f_label.setText(display.money(value, cur))
        if self.updating:  # the counts follow when the new figures land
            return
        errors, warnings = projection.finding_counts()
        self._show_budget(document, this)
        if document.plan.budgets:
            from pricing.budgets import check_budgets

            for status in check_budgets(projection):
                for f in status.findings:
                    errors += f.severity == "error"
                    warnings += f.severity == "warning"
        self.findings.setText(findings_text(errors, warnings))
        self.findings.setToolTip(self.findings.text())

    def _show_budget(self, document, this: int) -> None:
        """The re-forecast (closed months at actuals) against the budget of the period we are in."""
        if not document.plan.budgets:
            self.budget.setText("")
            self.budget.hide()
            return
        from pricing.actuals import Variance
        from pricing.actuals.overview import outlook

        view = outlook(Variance(document.projection), this)
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


def findings_text(errors: int, warnings: int) -> str:
    """'⚠ 2 errors, 1 warning', '⚠ 350 warnings', 'No findings': only the counts there are."""
    parts = [f"{n:,} {word}{'' if n == 1 else 's'}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return "⚠ " + ", ".join(parts) if parts else "No findings"
