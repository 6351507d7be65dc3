"""The totals strip always in view: this month, the first 12 months, the whole horizon, the
re-forecast against budget (when the plan has budget lines) and the count of findings."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from desktop import display


class TotalsStrip(QFrame):
    """This month, the first 12 months and the whole horizon, from the projection's totals."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("totals")
        self.setStyleSheet(
            "#totals { background: #1f3b5c; border-radius: 4px; }"
            "#totals QLabel { color: white; font-size: 13px; padding: 2px 10px; }"
            "#totals QLabel[role='figure'] { font-size: 17px; font-weight: 600; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.captions, self.figures = [], []
        for _ in range(3):
            caption, figure = QLabel(), QLabel()
            figure.setProperty("role", "figure")
            layout.addWidget(caption)
            layout.addWidget(figure)
            layout.addSpacing(18)
            self.captions.append(caption)
            self.figures.append(figure)
        layout.addStretch(1)
        self.budget = QLabel()
        layout.addWidget(self.budget)
        self.findings = QLabel()
        layout.addWidget(self.findings)

    def show_totals(self, document) -> None:
        projection = document.projection
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
            f_label.setText(display.money(value, cur))
        errors, warnings = projection.finding_counts()
        self._show_budget(document, this)
        if document.plan.budgets:
            from pricing.budgets import check_budgets

            for status in check_budgets(projection):
                for f in status.findings:
                    errors += f.severity == "error"
                    warnings += f.severity == "warning"
        self.findings.setText(f"⚠ {errors} error(s), {warnings} warning(s)" if errors or warnings else "No findings")

    def _show_budget(self, document, this: int) -> None:
        """The re-forecast (closed months at actuals) against the budget of the period we are in."""
        if not document.plan.budgets:
            self.budget.setText("")
            return
        from pricing.actuals import Variance
        from pricing.actuals.overview import outlook

        view = outlook(Variance(document.projection), this)
        if view is None:
            self.budget.setText("")
            return
        cur = document.currency
        mark = "over" if view.over > 0 else "under"
        self.budget.setText(f"Re-forecast {view.period}: {display.money(view.landing, cur)} vs budget "
                            f"{display.money(view.budget, cur)} ({display.money(abs(view.over), cur)} {mark}); "
                            f"{view.exceeded} of {view.lines} budget(s) exceeded")
