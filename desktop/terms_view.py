"""The Terms tab: discounts, commitments, credits, reservations and the FX table, and what they bill.

Each table shows one kind of ``pricing.plan.terms`` record; typing in a cell, adding or removing a
row, importing an FX CSV or changing the rate sheet's currency is one undo step
(``undo.ChangeTerms``) and the plan is projected again.  A value the record refuses is not taken:
the ``refused`` signal carries the reason for the status bar.  Below, each month's usage, billed
cost and effective cost (FOCUS names) side by side, from ``pricing.terms.build_ledger``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from pydantic import ValidationError
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QTabWidget, QVBoxLayout, QWidget,
)

from desktop import display
from desktop.undo import ChangeTerms
from pricing.files.workbook import layout as L
from pricing.plan.months import parse_month
from pricing.plan.terms import Commitment, Credit, Discount, FxRate, Reservation
from pricing.terms import build_ledger, read_fx_csv
from pricing.plan.money import D

#: (Terms field, title, columns, record type) of each table.
#: Plans with more workloads than this have their billing ledger made on a worker.
AWAY_WORKLOADS = 20_000
TABLES = (
    ("discounts", "Negotiated rates (a percentage off list, or contract rates per 1M)", L.DISCOUNT_COLUMNS, Discount),
    ("commitments", "Committed spend (a shortfall is billed as a true-up)", L.COMMITMENT_COLUMNS, Commitment),
    ("credits", "Credits (drawn down month by month)", L.CREDIT_COLUMNS, Credit),
    ("reservations", "Reserved capacity (1 or 3 years at a committed GPU-hour rate)", L.RESERVATION_COLUMNS,
     Reservation),
    ("fx", "FX table (the plan's currency per US dollar, from a month on)", L.FX_COLUMNS, FxRate),
)
_PAGE_NAMES = {"discounts": "Discounts", "commitments": "Commitments", "credits": "Credits",
               "reservations": "Reservations", "fx": "FX table"}
_TRUE = {"yes", "y", "true", "1", "x", "✓", "ja", "oui", "sí", "si"}


def cell_text(value, kind: str, currency: str) -> str:
    """How a term's value is shown in its cell."""
    if value is None:
        return ""
    if kind == "money":
        return display.money(value, currency)
    if kind == "rate":
        return display.small_money(value, currency)
    if kind == "percent":
        return display.share(value)
    if kind == "month":
        return display.month(value)
    if kind == "bool":
        return "yes" if value else "no"
    return str(value)


def parse_cell(text: str, kind: str, locale: str):
    """A typed cell as a record value (None when empty); ValueError when it is not one."""
    text = text.strip()
    if not text:
        return None
    if kind == "month":
        return parse_month(text)
    if kind == "bool":
        return text.lower() in _TRUE
    if kind in ("money", "rate", "percent", "number", "int"):
        percent = "%" in text
        digits = re.sub(r"[^0-9.,'\u00a0\u202f+-]", "", text).replace("\u00a0", "").replace("\u202f", "")
        try:
            value = parse_decimal(digits, locale=locale, strict=False)
        except NumberFormatError:
            raise ValueError(f"{text!r} is not a number") from None
        if percent:
            value = value / 100
        if kind == "int":
            if value != value.to_integral_value():
                raise ValueError(f"{text!r} is not a whole number")
            return int(value)
        return D(value)
    return text


class TermsTable(QTableWidget):
    """One kind of term, a record per row."""

    def __init__(self, view: TermsView, field: str, columns, record):
        super().__init__(0, len(columns))
        self.view, self.field, self.columns, self.record = view, field, columns, record
        self.setHorizontalHeaderLabels([c.header for c in columns])
        self.horizontalHeader().setStretchLastSection(True)
        self._loading = False
        self.itemChanged.connect(self._edited)

    def load(self, records, currency: str) -> None:
        self._loading = True
        try:
            self.setRowCount(len(records))
            for r, item in enumerate(records):
                for c, col in enumerate(self.columns):
                    self.setItem(r, c, QTableWidgetItem(cell_text(getattr(item, col.field), col.kind, currency)))
        finally:
            self._loading = False
        self.resizeColumnsToContents()  # every header and value readable in full ("Contract input /1M")

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        records = list(getattr(self.view.document.plan.terms, self.field))
        r, col = item.row(), self.columns[item.column()]
        try:
            value = parse_cell(item.text(), col.kind, self.view.document.plan.assumptions.locale)
            data = records[r].model_dump()
            data[col.field] = value if value is not None else self.record.model_fields[col.field].default
            records[r] = self.record.model_validate(data)
        except (ValueError, ValidationError) as exc:
            message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            self.view.refuse(f"{col.header}: {message}")
            return
        self.view.change(self.field, tuple(records), f"Change {col.header.lower()}")


class TermsView(QWidget):
    refused = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.rates_currency = QLineEdit()
        self.rates_currency.setMaximumWidth(80)
        self.rates_currency.editingFinished.connect(self._rates_currency_changed)
        import_fx = QPushButton("Import FX CSV…")
        import_fx.clicked.connect(self.import_fx_dialog)
        top = QHBoxLayout()
        top.addWidget(QLabel("Rate sheet currency (the catalog's: USD)"))
        top.addWidget(self.rates_currency)
        top.addStretch(1)
        top.addWidget(import_fx)
        self.tables: dict[str, TermsTable] = {}
        self.pages = QTabWidget()
        for field, title, columns, record in TABLES:
            table = self.tables[field] = TermsTable(self, field, columns, record)
            box = QGroupBox(title)
            lay = QVBoxLayout(box)
            lay.addWidget(table)
            buttons = QHBoxLayout()
            add = QPushButton("Add")
            add.clicked.connect(lambda _c=False, f=field: self.add_row(f))
            remove = QPushButton("Remove")
            remove.clicked.connect(lambda _c=False, f=field: self.remove_row(f))
            buttons.addWidget(add)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            lay.addLayout(buttons)
            self.pages.addTab(box, _PAGE_NAMES[field])
        self.billing = QTableWidget(0, 4)
        self.billing.setHorizontalHeaderLabels(["Month", "Usage", "Billed cost (BilledCost)",
                                                "Effective cost (EffectiveCost)"])
        self.billing.horizontalHeader().setStretchLastSection(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        box = QGroupBox("Billed and effective cost")
        lay = QVBoxLayout(box)
        lay.addWidget(self.billing)
        lay.addWidget(self.notes)
        self.pages.addTab(box, "Billed and effective")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        document.planReset.connect(self.reload)
        self.reload()

    # ------------------------------------------------------------------ showing
    def reload(self) -> None:
        doc = self.document
        terms, cur = doc.plan.terms, doc.currency
        self.rates_currency.setText(terms.rates_currency)
        for field, table in self.tables.items():
            table.load(getattr(terms, field), cur)
        # The billed-and-effective ledger is a pass over every workload (1.5 s at 100,000): made
        # only while the tab is shown, and on a worker for a large plan.
        self._billing_stale = True
        if self.isVisible() and not doc.repricing:
            self._show_billing()

    def showEvent(self, event):
        super().showEvent(event)
        if getattr(self, "_billing_stale", False) and not self.document.repricing:
            self._show_billing()

    _billing_job = None

    def _show_billing(self) -> None:
        doc = self.document
        self._billing_stale = False
        if len(doc.plan.workloads) <= AWAY_WORKLOADS:
            self._fill_billing(build_ledger(doc.plan, doc.projection))
            return
        if self._billing_job is not None:
            self._billing_stale = True  # shown again when the running one lands
            return
        from desktop.jobs import Job, figures_pool
        from pricing.costing.held import snapshot

        plan, held = doc.plan, snapshot(doc.projection)
        self.notes.setText("Updating the billed and effective cost…")
        self.billing.setEnabled(False)
        job = self._billing_job = Job(lambda _cancel: build_ledger(plan, held))

        def settle() -> bool:
            import shiboken6

            if not shiboken6.isValid(self):
                return False
            self._billing_job = None
            self.billing.setEnabled(True)
            if self._billing_stale and self.isVisible():
                QTimer.singleShot(0, self._show_billing)
                return False
            return True

        job.on_outcome(settle, lambda ledger: self._fill_billing(ledger, held),
                       lambda message: self.notes.setText(f"Not computed: {message}"), lambda: None)
        job.start(figures_pool())

    def _fill_billing(self, ledger, projection=None) -> None:
        doc = self.document
        cur = doc.currency
        projection = projection or doc.projection
        self.billing.setRowCount(len(ledger.months))
        for m, month in enumerate(ledger.months):
            cells = [display.month(month)] + [display.money(v[m], cur) for v in
                                              (ledger.usage, ledger.billed, ledger.effective)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.billing.setItem(m, c, item)
        findings = projection.terms.findings + ledger.findings
        self.notes.setText("\n".join(f"{f.severity.value.capitalize()}: {f.message}" for f in findings))

    # ------------------------------------------------------------------ editing
    def refuse(self, message: str) -> None:
        self.refused.emit(f"Not changed — {message}")
        self.reload()

    def change(self, field: str, records: tuple, text: str) -> None:
        before = self.document.plan.terms
        try:
            after = before.model_copy(update={field: records})
            after = type(before).model_validate(after.model_dump())
        except (ValueError, ValidationError) as exc:
            message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            self.refuse(message)
            return
        if after != before:
            self.document.undo_stack.push(ChangeTerms(self.document, before, after, text))

    def add_row(self, field: str) -> None:
        plan = self.document.plan
        first = plan.assumptions.first_month
        providers = sorted({r.provider for r in plan.rates}) or ["together"]
        capacities = [c.id for c in (*plan.endpoints, *plan.clusters)]
        new = {
            "discounts": lambda: Discount(provider=providers[0], percent_off=Decimal("0.1"), starts=first),
            "commitments": lambda: Commitment(provider=providers[0], amount=Decimal(10_000), starts=first),
            "credits": lambda: Credit(amount=Decimal(10_000), starts=first),
            "reservations": lambda: Reservation(capacity=capacities[0], gpu_hour_rate=Decimal(2), starts=first)
            if capacities else None,
            "fx": lambda: FxRate(month=_next_fx_month(plan.terms.fx, first), per_usd=Decimal(1)),
        }[field]()
        if new is None:
            self.refuse("a reservation needs a dedicated endpoint or GPU cluster in the plan")
            return
        self.change(field, getattr(plan.terms, field) + (new,), f"Add {field[:-1] if field != 'fx' else 'FX rate'}")

    def remove_row(self, field: str) -> None:
        table = self.tables[field]
        rows = sorted({i.row() for i in table.selectedIndexes()} or ({table.currentRow()} - {-1}))
        if not rows:
            self.refuse("select the rows to remove")
            return
        kept = tuple(r for i, r in enumerate(getattr(self.document.plan.terms, field)) if i not in rows)
        self.change(field, kept, f"Remove {len(rows)} row(s)")

    def _rates_currency_changed(self) -> None:
        text = self.rates_currency.text().strip().upper()
        if text and text != self.document.plan.terms.rates_currency:
            before = self.document.plan.terms
            try:
                after = type(before).model_validate(before.model_dump() | {"rates_currency": text})
            except ValidationError as exc:
                self.refuse(exc.errors()[0]["msg"])
                return
            self.document.undo_stack.push(ChangeTerms(self.document, before, after, "Change rate sheet currency"))

    def import_fx(self, path) -> None:
        try:
            rates = read_fx_csv(path)
        except (OSError, ValueError) as exc:
            self.refuse(str(exc))
            return
        self.change("fx", rates, "Import FX table")

    def import_fx_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import FX table", "", "CSV files (*.csv *.txt);;All files (*)")
        if path:
            self.import_fx(path)


def _next_fx_month(fx, first):
    from pricing.plan.months import add_months

    return add_months(fx[-1].month, 1) if fx else first
