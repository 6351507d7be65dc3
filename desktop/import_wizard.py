"""Import wizard: a foreign budget (any spreadsheet or CSV) into a plan.

Page 1 shows what ``pricing.importer.scan`` detected — each table, and for each column its
header, sample values and the plan field it maps to — as combo boxes the user can change.
"Import" runs ``pricing.importer.import_file`` with that mapping; page 2 shows the import
report (decisions made, findings, rows imported and skipped).  "Accept" hands the plan to
the window, which pushes it as one undo step.

A workbook, and a text file over ``BACKGROUND_BYTES``, is read and imported on a worker thread (``desktop.jobs``):
a busy bar and the stage ("Reading…", "Importing…") show under the pages, the window keeps
painting, and Cancel stops the work — during the first read it closes the wizard, during
an import it returns to the mapping with nothing changed.  Smaller files are quick enough to
read in place.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import pricing.importer
from desktop.jobs import Job
from pricing.plan.models import DedicatedEndpoint, GpuCluster, Workload

IGNORE = "(ignore)"
#: The field of a column holding one month's requests (a budget with the months across its columns).
REQUESTS_IN_MONTH = "requests_in_month"
#: Text files larger than this are scanned and imported on a worker thread (100,000 rows take seconds).
#: A workbook always is: its cells are read by the bounded reader process, whose start alone held the
#: window 69-107 ms for workbooks of 50-190 KB, and a 930 KB plan workbook's tables 668 ms.
BACKGROUND_BYTES = 256_000
#: What the importer reads as text in this process (the csv module), quickly enough for a small file.
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
RATE_FIELDS = ["provider", "model_id", "display_name", "context_length", "input_mtok", "output_mtok",
               "cached_input_mtok", "cache_write_mtok", "batch_discount", "modes", "effective_from"]
FIELDS = {
    "workloads": list(Workload.model_fields),
    "rates": RATE_FIELDS,
    "endpoints": list(DedicatedEndpoint.model_fields),
    "clusters": list(GpuCluster.model_fields),
}


class ImportWizard(QDialog):
    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(f"Import {self.path.name}")
        self.resize(1000, 620)
        self.importer = pricing.importer
        self.scan = None
        self.result = None
        self.job: Job | None = None
        self.combos: list[tuple[object, list[tuple[QComboBox, object]]]] = []
        self.pages = QStackedWidget()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.back_button = QPushButton("Back")
        self.import_button = QPushButton("Import")
        self.accept_button = QPushButton("Accept")
        self.cancel_button = QPushButton("Cancel")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # the reader cannot say how far it is: a busy bar
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.back_button.clicked.connect(lambda: self._show_page(0))
        self.import_button.clicked.connect(self.run_import)
        self.accept_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.busy)
        for b in (self.back_button, self.import_button, self.accept_button, self.cancel_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.mapping_page = QTabWidget()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.pages.addWidget(self.mapping_page)
        self.pages.addWidget(self.report)
        self._show_page(0)
        self._scan()

    @property
    def in_background(self) -> bool:
        if self.path.suffix.lower() not in TEXT_SUFFIXES:
            return True
        try:
            return self.path.stat().st_size > BACKGROUND_BYTES
        except OSError:
            return False

    # ------------------------------------------------------------------ work on a worker thread
    def _start(self, label: str, work, finished, failed) -> None:
        job = Job(work)
        self.job = job

        def settle():
            if not shiboken6.isValid(self.busy):  # the wizard was closed and deleted meanwhile
                return False
            if self.job is job:
                self.job = None
            self.busy.hide()
            self.mapping_page.setEnabled(True)
            self._show_page(self.pages.currentIndex())
            return True

        job.on_outcome(settle, finished, failed, lambda: self.message.setText(
            f"Stopped; {self.path.name} was not imported and nothing changed."))
        self.message.setText(label)
        self.busy.show()
        self.mapping_page.setEnabled(False)
        self.import_button.setEnabled(False)
        self.back_button.setEnabled(False)
        job.start()

    def _cancel_clicked(self) -> None:
        """Cancel stops an import that is running and keeps the wizard; otherwise it closes it."""
        if self.job is not None and self.scan is not None:
            self.job.cancel.set()
            self.message.setText("Stopping…")
            return
        self.reject()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
        super().reject()

    def closeEvent(self, event) -> None:
        if self.job is not None:
            self.job.cancel.set()
        super().closeEvent(event)

    # ------------------------------------------------------------------ page 1: mapping
    def _scan(self) -> None:
        if self.in_background:
            size = self.path.stat().st_size / 1e6
            waiting = QLabel(f"Reading {self.path.name} ({size:,.1f} MB) and finding its tables…\n\n"
                             "A large workbook takes a few seconds; Cancel stops.")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.mapping_page.addTab(waiting, "Reading…")
            self._start(f"Reading {self.path.name}…", self._read, self._scanned, self._unreadable)
            return
        try:
            read = self._read()
        except Exception as exc:  # ImportRefused and unreadable files: say why, stay open
            self._unreadable(str(exc))
            return
        self._scanned(read)

    def _read(self, cancel=None):
        """The file's tables, and what is read apart from them (totals it states, parameter sheets):
        both found where the reading runs (on the worker for a large file: finding what is laid out
        apart walks every row, 80 ms at 100,000 rows)."""
        scanned = self.importer.scan(self.path, cancel=cancel)
        return scanned, (self.importer.laid_out(scanned) if scanned.source is not None else None)

    def _unreadable(self, reason: str) -> None:
        self.mapping_page.clear()
        self.message.setText(f"Cannot read {self.path.name}: {reason}")
        self.import_button.setEnabled(False)

    def _scanned(self, read) -> None:
        self.mapping_page.clear()  # the "Reading…" placeholder
        self.scan, self.read_apart = read
        for table in self.scan.tables:
            self.mapping_page.addTab(self._table_page(table), f"{table.sheet or self.path.name}: {table.kind}")
        if self.read_apart is not None and (self.read_apart.report.decisions or self.read_apart.report.skipped):
            self.mapping_page.addTab(self._apart_page(self.read_apart.report), "Read apart / skipped")
        if not self._can_import():
            self.message.setText(f"No budget table found in {self.path.name}.")
            self.import_button.setEnabled(False)
        else:
            self.import_button.setEnabled(True)
            self.message.setText("Check the detected mapping; change any column's field, then Import.")

    def _can_import(self) -> bool:
        apart = getattr(self, "read_apart", None)
        return self.scan is not None and (bool(self.scan.tables) or (apart is not None and apart.has_data))

    def _apart_page(self, report) -> QWidget:
        """What is not a table: parameter sheets and GPU price lists read row by row, and what is skipped, with why."""
        text = QPlainTextEdit()
        text.setReadOnly(True)
        lines = ["Read apart from the tables:"] + [f"  • {d}" for d in report.decisions] if report.decisions else []
        if report.skipped:
            lines += ["Skipped, not data:"] + [f"  • {s}" for s in report.skipped]
        text.setPlainText("\n".join(lines))
        return text

    def _table_page(self, table) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(f"Sheet {table.sheet!r}, header on row {table.header_row}, read as {table.kind}"))
        grid = QTableWidget(len(table.columns), 5)
        grid.setHorizontalHeaderLabels(["Column", "Header", "Sample values", "Plan field", "Why"])
        grid.verticalHeader().setVisible(False)
        grid.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        fields = list(FIELDS.get(table.kind, []))
        combos = []
        for r, column in enumerate(table.columns):
            samples = [row[column.index] for row in table.preview_rows[:3] if column.index < len(row)]
            grid.setItem(r, 0, QTableWidgetItem(column.letter))
            grid.setItem(r, 1, QTableWidgetItem(str(column.header)))
            grid.setItem(r, 2, QTableWidgetItem(", ".join(str(s) for s in samples)))
            combo = QComboBox()
            options = [IGNORE] + fields + ([column.field] if column.field and column.field not in fields else [])
            if getattr(column, "month", None) is not None and REQUESTS_IN_MONTH not in options:
                options.append(REQUESTS_IN_MONTH)  # a month column the guess did not read can be switched on
            combo.addItems(options)
            combo.setCurrentText(column.field or IGNORE)
            grid.setCellWidget(r, 3, combo)
            why = column.reason + (f" (unit: {column.unit})" if column.unit else "")
            grid.setItem(r, 4, QTableWidgetItem(why))
            combos.append((combo, column))
        for c, width in enumerate([60, 180, 240, 170]):
            grid.setColumnWidth(c, width)
        layout.addWidget(grid, 1)
        self.combos.append((table, combos))
        return page

    def field_combo(self, table_index: int, letter: str) -> QComboBox:
        for combo, column in self.combos[table_index][1]:
            if column.letter == letter:
                return combo
        raise KeyError(letter)

    def mapping(self):
        """The mapping as shown (and possibly edited) on page 1."""
        tables = []
        for table, combos in self.combos:
            columns, units, months = {}, {}, {}
            for combo, column in combos:
                field = combo.currentText()
                if field == IGNORE:
                    continue
                if field == REQUESTS_IN_MONTH:  # many columns share this field: each is listed with its month
                    if getattr(column, "month", None) is not None:
                        months[column.letter] = f"{column.month:%Y-%m}"
                else:
                    columns[field] = column.letter
                if column.unit and field == column.field:
                    units[field] = column.unit
            base = table.to_mapping().model_dump()
            tables.append(self.importer.TableMapping(**{**base, "columns": columns, "units": units, "months": months}))
        return self.importer.ImportMapping(tables=tables)

    # ------------------------------------------------------------------ page 2: report
    def run_import(self) -> bool:
        """Import with the mapping shown.  A large file is imported on a worker: this returns True
        at once ("started") and the report page follows when it is done."""
        if self.job is not None or self.scan is None:
            return False
        mapping, source = self.mapping(), self.scan.source
        self.result = None
        if self.in_background:
            self._start(f"Importing {self.path.name}…",
                        lambda cancel: self.importer.import_file(self.path, mapping, source=source, cancel=cancel),
                        self._imported, self._not_imported)
            return True
        try:
            result = self.importer.import_file(self.path, mapping, source=source)
        except Exception as exc:  # ImportRefused names the file/sheet/cell; show it as is
            self._not_imported(str(exc))
            return False
        self._imported(result)
        return True

    def _not_imported(self, reason: str) -> None:
        self.message.setText(f"Not imported: {reason}")
        self.result = None

    def _imported(self, result) -> None:
        self.result = result
        report = self.result.report
        lines = [f"Imported {report.rows_imported:,} row(s), skipped {report.rows_skipped:,}, from {self.path.name}.",
                 f"The plan has {len(self.result.plan.workloads):,} workload(s), {len(self.result.plan.rates):,} rate(s)"
                 f" and {len(self.result.plan.clusters):,} GPU cluster(s).", ""]
        if report.decisions:
            lines.append("Decisions made:")
            lines += [f"  • {d}" for d in report.decisions]
            lines.append("")
        if report.totals:
            lines.append("The file's own monthly total beside the import's:")
            lines += [f"  • {t['text']}" for t in report.totals]
            lines.append("")
        if report.skipped:
            lines.append(f"Skipped, not data ({len(report.skipped):,}):")
            lines += [f"  • {s}" for s in report.skipped]
            lines.append("")
        if report.findings:
            lines.append(f"Findings ({len(report.findings):,}; the same problem on many rows is one line):")
            lines += [f"  • {f}" for f in report.grouped_findings()]
        self.report.setPlainText("\n".join(lines))
        self.message.setText("Review the report, then Accept to open the imported plan (one undo step).")
        self._show_page(1)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setEnabled(index == 1)
        self.import_button.setEnabled(self._can_import())
        self.import_button.setVisible(index == 0)
        self.accept_button.setVisible(index == 1)
        self.accept_button.setEnabled(self.result is not None)

    def result_plan(self):
        return self.result.plan if self.result is not None else None
