"""Preferences (the plan's assumptions) and the About box.

Currency (ISO 4217) and number format (locale), first month of the fiscal year, projection horizon, default batch discount
and hours per month are ``Assumptions`` fields: changing them is one undo step and the plan
is projected again.
"""

from __future__ import annotations

import calendar

import PySide6
from pydantic import ValidationError
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from desktop import colours, display
from desktop.undo import ChangeAssumptions
from pricing.plan.models import Assumptions
from pricing.plan.numbers import parse_number


def apply_preferences(document, values: dict, replace=None) -> str | None:
    """Change the plan's assumptions from typed values; returns an error message or None.

    ``values`` keys: currency, locale, fiscal_year_start (1-12), horizon_months, batch_discount
    (text such as '50%' or a Decimal), hours_per_month (text or Decimal).  ``replace(plan, text,
    taken)`` (the window's ``files.replace_plan``) takes the changed plan instead of an undo
    command pushed here: a large plan is then projected on a worker first, and Cancel keeps the
    assumptions as they were.
    """
    old = document.plan.assumptions
    data = old.model_dump()
    try:
        for key in ("batch_discount", "hours_per_month"):
            if key in values:
                data[key] = parse_number(values[key])
        for key in ("currency", "locale", "fiscal_year_start", "horizon_months"):
            if key in values:
                data[key] = values[key]
        new = Assumptions.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    except ValueError as exc:
        return str(exc)
    if new != old:
        if replace is not None:
            replace(document.plan.model_copy(update={"assumptions": new}), "Change preferences", lambda: None)
        else:
            document.undo_stack.push(ChangeAssumptions(document, old, new))
    return None


class PreferencesDialog(QDialog):
    def __init__(self, document, parent=None, replace=None):
        super().__init__(parent)
        self.document = document
        self.replace = replace
        self.setWindowTitle("Preferences")
        a = document.plan.assumptions
        self.currency = QLineEdit(a.currency)
        self.currency.setToolTip("ISO 4217 code (USD, EUR, GBP ...); USD rates are converted with the FX table "
                                 "on the Terms tab")
        self.locale = QLineEdit(a.locale)
        self.locale.setToolTip("How figures are written: en_US ($1,234.50), de_DE (1.234,50 €), fr_FR ...")
        self.fiscal = QComboBox()
        self.fiscal.addItems(list(calendar.month_name)[1:])
        self.fiscal.setCurrentIndex(a.fiscal_year_start - 1)
        self.horizon = QSpinBox()
        self.horizon.setRange(12, 36)
        self.horizon.setValue(a.horizon_months)
        self.horizon.setSuffix(" months")
        self.discount = QLineEdit(display.share(a.batch_discount))
        self.hours = QLineEdit(f"{a.hours_per_month:f}")
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {colours.alarm_text()}")
        form = QFormLayout()
        form.addRow("Currency", self.currency)
        form.addRow("Number format (locale)", self.locale)
        form.addRow("Fiscal year starts in", self.fiscal)
        form.addRow("Projection horizon", self.horizon)
        form.addRow("Default batch discount", self.discount)
        form.addRow("Hours per month (capacity)", self.hours)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict:
        return {
            "currency": self.currency.text().strip() or "USD",
            "locale": self.locale.text().strip() or "en_US",
            "fiscal_year_start": self.fiscal.currentIndex() + 1,
            "horizon_months": self.horizon.value(),
            "batch_discount": self.discount.text(),
            "hours_per_month": self.hours.text(),
        }

    def accept(self) -> None:
        message = apply_preferences(self.document, self.values(), self.replace)
        if message:
            self.error.setText(f"Not changed — {message}")
            return
        super().accept()


def about_text() -> str:
    from pricing import about

    try:
        snapshot = f"Rate catalog: {about.catalog_snapshot()}"
    except Exception as exc:  # a damaged install still shows its version
        snapshot = f"Rate catalog unavailable: {exc}"
    return (f"<h3>Token Budget {about.version()}</h3>"
            "<p>Plan what large-language-model inference will cost, month by month.</p>"
            f"<p>{snapshot}</p>"
            f"<p>Built with Qt {qVersion()} and PySide6 {PySide6.__version__}, used under the GNU LGPL "
            "version 3 (Help ▸ Third-Party Notices; Help ▸ About Qt).</p>")
