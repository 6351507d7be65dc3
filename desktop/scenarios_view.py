"""The Scenarios tab: the plan's scenarios on the left (add, rename, duplicate, delete), the
selected scenario's changes in a grid on the right (Applies to | Name | Change | Value).

Every action is one ``ReplaceScenarios`` undo step.  A change a user types is checked by the
plan's own record (``ScenarioChange``); one it refuses is not taken and the reason is shown.
What a scenario costs is ``pricing.scenarios``'s business: this view only edits records.
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.undo import ReplaceScenarios
from pricing.plan.scenario_records import ChangeKind, Scenario, ScenarioChange, ScenarioScope

HEADERS = ("Applies to", "Name", "Change", "Value")
FIELDS = ("applies_to", "name", "change", "value")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return str(exc)


class ChangesModel(QAbstractTableModel):
    """The changes of one scenario of the document's plan."""

    refused = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.scenario_name: str | None = None

    @property
    def scenario(self) -> Scenario | None:
        for s in self.document.plan.scenarios:
            if s.name == self.scenario_name:
                return s
        return None

    def show(self, name: str | None) -> None:
        self.beginResetModel()
        self.scenario_name = name
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        s = self.scenario
        return 0 if parent.isValid() or s is None else len(s.changes)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if not self.document.read_only else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        s = self.scenario
        if s is None or not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        value = getattr(s.changes[index.row()], FIELDS[index.column()])
        return value.value if isinstance(value, (ScenarioScope, ChangeKind)) else str(value)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        s = self.scenario
        if s is None or not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        old = s.changes[index.row()]
        fields = {f: getattr(old, f) for f in FIELDS} | {FIELDS[index.column()]: str(value).strip()}
        try:
            new = ScenarioChange(**fields)
        except (ValidationError, ValueError) as exc:
            self.refused.emit(f"{HEADERS[index.column()]}: {_error_text(exc)}")
            return False
        if new == old:
            return False
        changes = s.changes[:index.row()] + (new,) + s.changes[index.row() + 1:]
        self.document.undo_stack.push(ReplaceScenarios(
            self.document, self.document.plan.scenarios, _replace(self.document.plan.scenarios, s.name,
                                                                  s.model_copy(update={"changes": changes})),
            f"Edit {HEADERS[index.column()].lower()} of a change of {s.name}"))
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """Applies to and Change are picked from their lists; Name and Value are typed."""

    CHOICES = {0: [s.value for s in ScenarioScope], 2: [k.value for k in ChangeKind]}

    def createEditor(self, parent, option, index):
        choices = self.CHOICES.get(index.column())
        if choices is None:
            return super().createEditor(parent, option, index)
        editor = QComboBox(parent)
        editor.addItems(choices)
        return editor

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


def _replace(scenarios: tuple[Scenario, ...], name: str, new: Scenario | None) -> tuple[Scenario, ...]:
    out = []
    for s in scenarios:
        if s.name == name:
            if new is not None:
                out.append(new)
        else:
            out.append(s)
    return tuple(out)


def _unique(names: set[str], wanted: str) -> str:
    if wanted.lower() not in {n.lower() for n in names}:
        return wanted
    k = 2
    while f"{wanted} {k}".lower() in {n.lower() for n in names}:
        k += 1
    return f"{wanted} {k}"


class ScenariosView(QWidget):
    refused = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.list = QListWidget()
        self.list.setEditTriggers(QListWidget.EditTrigger.DoubleClicked | QListWidget.EditTrigger.EditKeyPressed)
        self.list.currentTextChanged.connect(self._selected)
        self.list.itemChanged.connect(self._renamed_in_list)
        self.changes = ChangesModel(document, self)
        self.changes.refused.connect(self.refused)
        self.grid = QTableView()
        self.grid.setModel(self.changes)
        self.grid.setItemDelegate(ChoiceDelegate(self.grid))
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("Scenarios (the plan itself is Base)"))
        left_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        for text, slot in (("Add", self.add_scenario), ("Duplicate", self.duplicate_scenario),
                           ("Delete", self.delete_scenario)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, f=slot: f())
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel("Changes, applied in order: Applies to (all, tenant, feature, environment, "
                                      "model, workload) · Name · Change · Value"))
        right_layout.addWidget(self.grid, 1)
        change_buttons = QHBoxLayout()
        for text, slot in (("Add change", self.add_change), ("Remove change", self.remove_change)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, f=slot: f())
            change_buttons.addWidget(button)
        change_buttons.addStretch(1)
        right_layout.addLayout(change_buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter)
        document.scenariosChanged.connect(self.refresh)
        document.planReset.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------------ reading
    @property
    def names(self) -> list[str]:
        return [s.name for s in self.document.plan.scenarios]

    @property
    def current(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None and item.text() in self.names else None

    def refresh(self) -> None:
        keep = self.changes.scenario_name
        self.list.blockSignals(True)
        self.list.clear()
        for name in self.names:
            self.list.addItem(name)
            item = self.list.item(self.list.count() - 1)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.blockSignals(False)
        show = keep if keep in self.names else (self.names[0] if self.names else None)
        if show is not None:
            self.list.setCurrentRow(self.names.index(show))
        self.changes.show(show)

    def _selected(self, name: str) -> None:
        if name in self.names:
            self.changes.show(name)

    # ------------------------------------------------------------------ actions (one undo step each)
    def _push(self, after: tuple[Scenario, ...], text: str, active: str | None = None, show: str | None = None) -> None:
        if show is not None:
            self.changes.scenario_name = show
        doc = self.document
        doc.undo_stack.push(ReplaceScenarios(doc, doc.plan.scenarios, after, text, active))

    def add_scenario(self, name: str = "Scenario") -> str:
        name = _unique(set(self.names), name)
        self._push(self.document.plan.scenarios + (Scenario(name=name),), f"Add scenario {name}", show=name)
        return name

    def duplicate_scenario(self, name: str | None = None) -> str | None:
        source = next((s for s in self.document.plan.scenarios if s.name == (name or self.current)), None)
        if source is None:
            return None
        new = _unique(set(self.names), f"{source.name} copy")
        self._push(self.document.plan.scenarios + (source.model_copy(update={"name": new}),),
                   f"Duplicate scenario {source.name}", show=new)
        return new

    def delete_scenario(self, name: str | None = None) -> None:
        name = name or self.current
        if name in self.names:
            self._push(_replace(self.document.plan.scenarios, name, None), f"Delete scenario {name}")

    def rename_scenario(self, old: str, new: str) -> bool:
        new = new.strip()
        scenario = next((s for s in self.document.plan.scenarios if s.name == old), None)
        if scenario is None or new == old:
            return False
        try:
            renamed = Scenario(name=new, changes=scenario.changes, notes=scenario.notes)
        except ValidationError as exc:
            self.refused.emit(f"Scenario name: {_error_text(exc)}")
            self.refresh()
            return False
        if new.lower() in {n.lower() for n in self.names if n != old}:
            self.refused.emit(f"Scenario name: there is already a scenario called {new!r}")
            self.refresh()
            return False
        active = new if self.document.active_scenario == old else None
        self._push(_replace(self.document.plan.scenarios, old, renamed), f"Rename scenario {old} to {new}",
                   active, show=new)
        return True

    def _renamed_in_list(self, item) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self.names):
            self.rename_scenario(self.names[row], item.text())

    def add_change(self, change: ScenarioChange | None = None) -> None:
        scenario = self.changes.scenario
        if scenario is None:
            self.refused.emit("Add a scenario first")
            return
        change = change or ScenarioChange(change=ChangeKind.REQUESTS, value="1")
        updated = scenario.model_copy(update={"changes": scenario.changes + (change,)})
        self._push(_replace(self.document.plan.scenarios, scenario.name, updated), f"Add a change to {scenario.name}")

    def remove_change(self) -> None:
        scenario = self.changes.scenario
        rows = sorted({i.row() for i in self.grid.selectionModel().selectedIndexes()})
        if scenario is None or not rows:
            return
        kept = tuple(c for i, c in enumerate(scenario.changes) if i not in rows)
        updated = scenario.model_copy(update={"changes": kept})
        self._push(_replace(self.document.plan.scenarios, scenario.name, updated),
                   f"Remove {len(rows)} change(s) from {scenario.name}")
