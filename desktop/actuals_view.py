"""Actuals: the sources of actual spend loaded into the plan, the months they cover, the unmatched
spend, and the matching rules of the last file loaded (shown, editable, remembered).

Reading and matching are ``pricing.actuals.load_actuals``; this view only asks for files, shows
what came back and pushes the new plan as one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import display, panels
from desktop.jobs import wait_for
from desktop.refresh import RefreshWhenVisible
from desktop.undo import ReplacePlan
from pricing.actuals import MatchRules, load_actuals
from pricing.actuals.overview import sources_loaded, unmatched_lines

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SOURCE_HEADERS = ["Source", "Files", "Months covered", "Lines", "Spend", "Unmatched"]
UNMATCHED_HEADERS = ["Month", "Source", "Unmatched spend", "Cost"]


def _table(headers: list[str]) -> QTableWidget:
    table = panels.read_only_table(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ActualsView(RefreshWhenVisible, QWidget):
    def __init__(self, document, prompts=None, parent=None):
        super().__init__(parent)
        self.document = document
        self.prompts = prompts
        self.last_paths: list[Path] = []
        load_file = QPushButton("Load actuals…")
        load_file.clicked.connect(self.ask_files)
        load_folder = QPushButton("Load a Parquet folder…")
        load_folder.clicked.connect(self.ask_folder)
        self.apply_rules = QPushButton("Apply rules and load again")
        self.apply_rules.clicked.connect(self.reload_with_rules)
        self.apply_rules.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(load_file)
        top.addWidget(load_folder)
        top.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.sources = _table(SOURCE_HEADERS)
        self.unmatched = _table(UNMATCHED_HEADERS)
        self.rules = QPlainTextEdit()
        self.rules.setPlaceholderText("Matching rules of the last file loaded (TOML): dimensions = { tenant = "
                                      "\"tag:team\" } and [[rules]] when = { resource = \"proj_abc\" } "
                                      "workload = \"Assistant chat\"")
        rules_box = QWidget()
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.setContentsMargins(0, 0, 0, 0)
        rules_layout.addWidget(QLabel("Matching rules (remembered for files of this layout)"))
        rules_layout.addWidget(self.rules, 1)
        rules_layout.addWidget(self.apply_rules)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.unmatched)
        lower.addWidget(rules_box)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.sources)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self._init_refresh(document, 150)

    # ------------------------------------------------------------ loading
    def ask_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Load actual spend", "",
                                                "Cost and usage exports (*.csv *.tsv *.json *.jsonl *.parquet *.gz);;"
                                                "All files (*)")
        if names:
            self.load([Path(n) for n in names])

    def ask_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Load a folder of Parquet files")
        if name:
            self.load([Path(name)])

    def load(self, paths: list[Path], rules: MatchRules | None = None) -> bool:
        """Load ``paths`` into the plan as one undo step; a bad file is refused with its message.

        The files are read and matched on a worker (a month's billing export is hundreds of thousands
        of lines, and even a small one waits for DuckDB to load): the window paints meanwhile, behind a
        busy dialog that shows after 300 ms and takes the input, so the plan cannot change under it."""
        doc = self.document
        plan, projection = doc.plan, doc.projection
        try:
            loaded = wait_for(lambda _cancel: load_actuals(plan, paths, rules=rules, projection=projection),
                              "Loading actual spend…", self)
        except RuntimeError as exc:  # the reader's own message (ActualsSourceError, ValueError), as wait_for raises it
            self.message.setText(f"Not loaded: {exc}")
            return False
        self.last_paths = list(paths)
        names = ", ".join(p.name for p in paths)
        doc.undo_stack.push(ReplacePlan(doc, doc.plan, loaded.plan, f"Load actuals from {names}"))
        used = next(iter(loaded.read.rules.values()), None)
        self.rules.setPlainText(used.to_toml() if used is not None else "")
        self.apply_rules.setEnabled(used is not None)
        problems = [str(f) for f in loaded.findings if f.severity != "info"]
        self.message.setText(f"Loaded {len(loaded.lines)} line(s) from {names}."
                             + (" " + " ".join(problems[:3]) if problems else ""))
        self.refresh()
        return True

    def reload_with_rules(self) -> bool:
        import tomllib

        try:
            rules = MatchRules.model_validate(tomllib.loads(self.rules.toPlainText()))
        except (ValueError, tomllib.TOMLDecodeError) as exc:
            self.message.setText(f"The rules are not valid: {str(exc).splitlines()[0]}")
            return False
        return self.load(self.last_paths, rules) if self.last_paths else False

    # ------------------------------------------------------------ showing
    def refresh(self) -> None:
        self._stale = False
        doc = self.document
        cur = doc.currency
        loaded = sources_loaded(doc.plan)
        self.sources.setRowCount(len(loaded))
        for r, s in enumerate(loaded):
            covered = f"{display.month(s.first)} – {display.month(s.last)} ({s.months})"
            for c, (text, right) in enumerate(((s.source, False), (s.files, False), (covered, False),
                                               (str(s.lines), True), (display.money(s.spend, cur), True),
                                               (display.money(s.unmatched, cur), True))):
                item = QTableWidgetItem(text)
                if right:
                    item.setTextAlignment(_RIGHT)
                self.sources.setItem(r, c, item)
        lines = unmatched_lines(doc.plan)
        self.unmatched.setRowCount(len(lines))
        for r, line in enumerate(lines):
            for c, text in enumerate((display.month(line.month), line.source, line.label,
                                      display.money(line.cost, cur))):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(_RIGHT)
                self.unmatched.setItem(r, c, item)
        if not loaded and not self.message.text():
            self.message.setText("No actual spend loaded yet: load a provider export, a FOCUS bill or a usage log.")
