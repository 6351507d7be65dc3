"""Import wizard: a foreign budget (any spreadsheet or CSV) into a plan.

Page 1 shows what ``pricing.importer.scan`` detected — each table, and for each column its
header, sample values and the plan field it maps to — as combo boxes the user can change.
"Import" runs ``pricing.importer.import_file`` with that mapping; page 2 shows the import
report (decisions made, findings, rows imported and skipped).  "Accept" hands the plan to
the window, which pushes it as one undo step.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QStackedWidget,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from pricing.models import DedicatedEndpoint, GpuCluster, Workload

IGNORE = "(ignore)"
RATE_FIELDS = ["provider", "model_id", "display_name", "context_length", "input_mtok", "output_mtok",
               "cached_input_mtok", "cache_write_mtok", "batch_discount", "modes", "effective_from"]
FIELDS = {
    "workloads": list(Workload.model_fields),
    "rates": RATE_FIELDS,
    "endpoints": list(DedicatedEndpoint.model_fields),
    "clusters": list(GpuCluster.model_fields),
}


def load_importer():
    """The importer module, or None when this build has none."""
    try:
        module = importlib.import_module("pricing.importer")
    except ImportError:
        return None
    return module if hasattr(module, "scan") and hasattr(module, "import_file") else None


class ImportWizard(QDialog):
    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(f"Import {self.path.name}")
        self.resize(1000, 620)
        self.importer = load_importer()
        self.scan = None
        self.result = None
        self.combos: list[tuple[object, list[tuple[QComboBox, object]]]] = []
        self.pages = QStackedWidget()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.back_button = QPushButton("Back")
        self.import_button = QPushButton("Import")
        self.accept_button = QPushButton("Accept")
        cancel = QPushButton("Cancel")
        self.back_button.clicked.connect(lambda: self._show_page(0))
        self.import_button.clicked.connect(self.run_import)
        self.accept_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for b in (self.back_button, self.import_button, self.accept_button, cancel):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.mapping_page = QTabWidget()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.pages.addWidget(self.mapping_page)
        self.pages.addWidget(self.report)
        self._scan()
        self._show_page(0)

    # ------------------------------------------------------------------ page 1: mapping
    def _scan(self) -> None:
        if self.importer is None:
            self.message.setText("Importing other spreadsheets is not available in this build (pricing.importer is missing).")
            self.import_button.setEnabled(False)
            return
        try:
            self.scan = self.importer.scan(self.path)
        except Exception as exc:  # ImportRefused and unreadable files: say why, stay open
            self.message.setText(f"Cannot read {self.path.name}: {exc}")
            self.import_button.setEnabled(False)
            return
        for table in self.scan.tables:
            self.mapping_page.addTab(self._table_page(table), f"{table.sheet or self.path.name}: {table.kind}")
        if not self.scan.tables:
            self.message.setText(f"No budget table found in {self.path.name}.")
            self.import_button.setEnabled(False)
        else:
            self.message.setText("Check the detected mapping; change any column's field, then Import.")

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
            columns, units = {}, {}
            for combo, column in combos:
                field = combo.currentText()
                if field == IGNORE:
                    continue
                columns[field] = column.letter
                if column.unit and field == column.field:
                    units[field] = column.unit
            base = table.to_mapping().model_dump() if hasattr(table, "to_mapping") else {
                "sheet": table.sheet, "header_row": table.header_row, "kind": table.kind}
            tables.append(self.importer.TableMapping(**{**base, "columns": columns, "units": units}))
        return self.importer.ImportMapping(tables=tables)

    # ------------------------------------------------------------------ page 2: report
    def run_import(self) -> bool:
        try:
            self.result = self.importer.import_file(self.path, self.mapping())
        except Exception as exc:  # ImportRefused names the file/sheet/cell; show it as is
            self.message.setText(f"Not imported: {exc}")
            self.result = None
            return False
        report = self.result.report
        lines = [f"Imported {report.rows_imported} row(s), skipped {report.rows_skipped}, from {self.path.name}.",
                 f"The plan has {len(self.result.plan.workloads)} workload(s) and {len(self.result.plan.rates)} rate(s).", ""]
        if report.decisions:
            lines.append("Decisions made:")
            lines += [f"  • {d}" for d in report.decisions]
            lines.append("")
        if report.findings:
            lines.append("Findings:")
            lines += [f"  • {f}" for f in report.findings]
        self.report.setPlainText("\n".join(lines))
        self.message.setText("Review the report, then Accept to open the imported plan (one undo step).")
        self._show_page(1)
        return True

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setEnabled(index == 1)
        self.import_button.setVisible(index == 0)
        self.accept_button.setVisible(index == 1)
        self.accept_button.setEnabled(self.result is not None)

    def result_plan(self):
        return self.result.plan if self.result is not None else None
