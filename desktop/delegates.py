"""Cell editors: searchable combo boxes for model and mode, text editors for numbers.

A numeric delegate reads the typed text with ``pricing.plan.numbers.parse_number`` and hands the
Decimal to the model's ``setData``; text it cannot read is refused with a status-bar
message (the model's ``refused`` signal) and the cell keeps its value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QStyledItemDelegate

from pricing.plan.models import DeploymentMode
from pricing.plan.numbers import parse_count, parse_number


def _source(model):
    while hasattr(model, "sourceModel") and model.sourceModel() is not None:
        model = model.sourceModel()
    return model


class SearchableCombo(QComboBox):
    """An editable combo whose completer matches anywhere in the text ('maestro' finds it)."""

    def __init__(self, items: list[str], parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(items)
        completer = QCompleter(items, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)


class WorkloadDelegate(QStyledItemDelegate):
    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document

    def _column(self, index):
        from desktop.workloads_model import COLUMNS

        return COLUMNS[index.column()]

    def createEditor(self, parent, option, index):
        column = self._column(index)
        if column.kind == "model":
            return SearchableCombo([r.id for r in self.document.plan.rates], parent)
        if column.kind == "mode":
            combo = SearchableCombo([m.label for m in DeploymentMode], parent)
            return combo
        if column.kind == "capacity":
            ids = [""] + [e.id for e in self.document.plan.endpoints] + [c.id for c in self.document.plan.clusters]
            return SearchableCombo(ids, parent)
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if column.numeric:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor

    def setEditorData(self, editor, index):
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(text))
            editor.lineEdit().selectAll()
        else:
            editor.setText(str(text))
            editor.selectAll()

    def setModelData(self, editor, model, index):
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        column = self._column(index)
        if column.numeric and text.strip():
            try:
                value = parse_count(text) if column.kind == "count" else parse_number(text)
            except ValueError as exc:
                _source(model).refused.emit(f"Not changed — {column.header}, row {self._row(model, index)}: {exc}")
                return
            model.setData(index, value, Qt.ItemDataRole.EditRole)
            return
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    @staticmethod
    def _row(model, index) -> int:
        while hasattr(model, "mapToSource"):
            index = model.mapToSource(index)
            model = model.sourceModel()
        return index.row() + 1


class RateDelegate(QStyledItemDelegate):
    """Rates are typed as text ('$0.90', '0,90 €', '50%'); the model parses and refuses."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor, index):
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor, model, index):
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
