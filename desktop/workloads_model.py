"""The Workloads grid: one row per workload, one column per plan field, plus what it costs.

The model maps cells to ``Workload`` fields (the columns: ``desktop.workload_columns``).  Typed text is
read there with ``pricing.plan.numbers.parse_number`` (``3k``, ``2M``, ``50%`` …); text it cannot read, or a
value beyond what a plan may hold (``pricing.plan.bounds``), is refused with a message
(``refused`` signal) rather than coerced.  A value the plan holds but cannot price (a negative
count, a share above 100%) is kept and shown with the engine's finding, as in a file.  Each accepted change is one ``EditWorkloads`` undo step; the document re-prices
only the rows touched and the model signals ``dataChanged`` over those rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pydantic import ValidationError
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from desktop import colours
from desktop import display
from desktop.refresh import row_runs
from desktop.workload_columns import COLUMNS, FIELD_COLUMN, CellRefused, edit_text, parse_cell
from desktop.undo import EditWorkloads
from pricing.plan.findings import Severity
from pricing.plan.models import Workload
from pricing.yielding import EVERY, giving_way

NUMBER_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


_COLUMN_COUNT = len(COLUMNS)
#: A paste of more cells than this is read and checked on a worker (``jobs.wait_for``).
AWAY_CELLS = 1_000
#: A cell's flags, made once (a paint asks for every cell's; each | of Qt's flags is a Python call).
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable


class WorkloadsModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._rows = len(document.plan.workloads)
        self._rows_painted: dict[int, tuple[list[str], dict[int, list]]] = {}
        self._tints: dict[str, object] = {}
        for signal in (document.workloadsChanged, document.planReset, document.workloadRowsChanged,
                       document.repricingChanged):
            signal.connect(self._forget)
        document.workloadsChanged.connect(self._on_workloads_changed)
        document.planReset.connect(self._on_reset)
        document.workloadRowsAboutToChange.connect(self._on_rows_about_to_change)
        document.workloadRowsChanged.connect(self._on_rows_changed)
        self._spliced = False  # the rows were just moved exactly: the planReset that follows is not for us

    # ----------------------------------------------------------------- shape
    # Counts are kept, not recomputed: a proxy sorting 10,000 rows asks for them ~400,000 times.
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else _COLUMN_COUNT

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                column = COLUMNS[section]
                if column.key == "first_month_cost":
                    return display.month(self.document.months[0])
                return column.header
            if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section].numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index):
        if index.isValid() and COLUMNS[index.column()].editable and not self.document.read_only:
            return _EDITABLE
        return _READ_ONLY

    # ----------------------------------------------------------------- values
    def value(self, row: int, column: int):
        """The cell's value as a Decimal/str/date (computed columns ask the projection)."""
        col = COLUMNS[column]
        projection = self.document.projection
        if col.key == "cost_per_request":
            cost = projection.request_cost(row, 0)
            return cost.total if cost else None
        if col.key == "first_month_cost":
            return projection.rows[row].costs[0]
        if col.key == "horizon_cost":
            return projection.row_total(row)
        return getattr(self.document.plan.workloads[row], col.key)

    def frozen_values(self):
        """``value`` over this moment's plan and figures, for a worker to read while edits go on."""
        return self._frozen_now().value

    def frozen_texts(self):
        """``text`` (what a cell shows) over this moment's plan and figures, for a worker."""
        return self._frozen_now().text

    def _frozen_now(self) -> _Frozen:
        from pricing.costing.held import snapshot

        doc = self.document
        return _Frozen(doc.plan, snapshot(doc.projection), doc.currency)

    def text(self, row: int, column: int) -> str:
        col = COLUMNS[column]
        value = self.value(row, column)
        kind = col.kind
        if value is None:
            return ""
        if kind == "count":
            return display.count(value)
        if kind in ("share", "growth"):
            return display.share(value)
        if kind == "money":
            return display.money(value, self.document.currency)
        if kind == "small_money":
            return display.request_money(value, self.document.currency)
        if kind == "mode":
            return value.label
        if kind == "month":
            return display.month(value)
        return str(value)

    def _painted(self, row: int) -> tuple[list[str], dict[int, list]]:
        """The row's texts and its findings by column, made once for all the roles and columns a
        paint asks for (Qt asks ~7 roles per cell); forgotten at every change (``_forget``)."""
        found = self._rows_painted.get(row)
        if found is None:
            if len(self._rows_painted) > 2048:
                self._rows_painted.clear()
            texts = [self.text(row, c) for c in range(_COLUMN_COUNT)]
            by_column: dict[int, list] = {}
            for f in self.document.findings_for_row(row):
                by_column.setdefault(FIELD_COLUMN[f.field if f.field in FIELD_COLUMN else "name"], []).append(f)
            found = self._rows_painted[row] = (texts, by_column)
        return found

    def _forget(self, *_args) -> None:
        """Any change may move a row's text or findings (a Batch limit warns every row of its model)."""
        self._rows_painted.clear()
        self._tints.clear()

    def _tint(self, kind: str):
        brush = self._tints.get(kind)
        if brush is None:
            brush = self._tints[kind] = colours.tint(kind)
        return brush

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
        """``data()`` without a model index (the grid's proxy asks this way when it paints)."""
        col = COLUMNS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._painted(row)[0][column]
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(col, self.document.plan.workloads[row]) if col.editable else self.text(row, column)
        if role == NUMBER_ROLE:
            value = self.value(row, column)
            return value if isinstance(value, Decimal) else None
        if role == SORT_ROLE:
            value = self.value(row, column)
            if isinstance(value, Decimal):
                return float(value)
            return self.text(row, column).lower()
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            # Costs being re-priced on a worker are the previous figures: greyed until they land.
            return colours.muted_text() if not col.editable and self.document.repricing else None
        if role == Qt.ItemDataRole.BackgroundRole:
            findings = self._painted(row)[1].get(column)
            if findings:
                return self._tint("error") if any(f.severity is Severity.ERROR for f in findings) else self._tint("warning")
            return None if col.editable else self._tint("derived")
        if role == Qt.ItemDataRole.ToolTipRole:
            findings = self._painted(row)[1].get(column)
            if findings:
                return "\n".join(f"{f.severity.value.capitalize()}: {f.message}" for f in findings)
            return None
        return None

    def sort_keys(self, column: int) -> list:
        """One sort key per row for ``column``: the number itself, or the text in lower case."""
        keys = []
        for row in range(self.rowCount()):
            value = self.value(row, column)
            if isinstance(value, Decimal):
                keys.append(value)
            elif value is None:
                keys.append("")
            else:
                keys.append(self.text(row, column).lower())
        return keys

    def frozen(self) -> _Frozen:
        """What sorting and filtering read of the grid now, for a worker: the plan (an immutable
        record) and its projection's rows as they are (a row is replaced by an edit, not changed);
        an order is a picture of one moment, as when the user sorted."""
        import copy

        projection = copy.copy(self.document.projection)
        projection.rows = list(projection.rows)
        return _Frozen(self.document.plan, projection, self.document.currency)

    def row_text(self, row: int) -> str:
        """What the filter box searches: the row's words (names, tags, model, mode, notes)."""
        w = self.document.plan.workloads[row]
        return " ".join((w.name, w.tenant, w.feature, w.environment, w.model, w.mode.label, w.notes,
                         w.capacity or "")).lower()

    # ----------------------------------------------------------------- edits
    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_cells([(index.row(), index.column(), value)], "Edit")

    def changes_for(self, cells: Iterable[tuple[int, int, object]],
                    workloads: tuple[Workload, ...] | None = None) -> tuple[dict[int, Workload], dict[int, Workload]]:
        """Old and new workloads for cell values (of ``workloads``, the plan's by default); raises
        CellRefused naming the first bad cell.  Reads nothing else: a worker may run it."""
        updates: dict[int, dict[str, object]] = {}
        for row, column, value in giving_way(cells, EVERY * 8):
            col = COLUMNS[column]
            if not col.editable:
                raise CellRefused(row, column, f"{col.header} is computed from the plan and cannot be typed over")
            try:
                updates.setdefault(row, {})[col.key] = parse_cell(col, value)
            except ValueError as exc:
                raise CellRefused(row, column, str(exc)) from None
        before: dict[int, Workload] = {}
        after: dict[int, Workload] = {}
        workloads = self.document.plan.workloads if workloads is None else workloads
        for row, fields in giving_way(updates.items(), EVERY * 2):
            old = workloads[row]
            try:
                new = Workload.model_validate({**old.model_dump(), **fields})
            except ValidationError as exc:
                first = exc.errors()[0]
                column = FIELD_COLUMN.get(str(first["loc"][0]) if first["loc"] else "name", 0)
                raise CellRefused(row, column, str(first["msg"]).removeprefix("Value error, ")) from None
            if new != old:
                before[row], after[row] = old, new
        return before, after

    def clear_value(self, column: int) -> object:
        """What Delete leaves in a cell: no text, no month, zero for counts and shares."""
        return Decimal(0) if COLUMNS[column].numeric else ""

    def set_cells(self, cells: Iterable[tuple[int, int, object]], label: str) -> bool:
        """Apply cell values as one undo step; refuse them all if any one is bad."""
        cells = list(cells)
        if self.document.read_only:
            self.refused.emit("This plan is open read-only (another window has it); use Save As to keep a copy.")
            return False
        try:
            if len(cells) > AWAY_CELLS:  # a large paste: read and checked on a worker, the window painting
                from desktop.jobs import wait_for

                workloads = self.document.plan.workloads
                before, after = wait_for(lambda _cancel: self.changes_for(cells, workloads),
                                         f"Checking {len(cells):,} cells…")
            else:
                before, after = self.changes_for(cells)
        except (CellRefused, RuntimeError) as exc:  # RuntimeError: the worker's CellRefused, as its message
            self.refused.emit(f"Not changed — {exc}")
            return False
        if after:
            names = ", ".join(sorted({COLUMNS[c].header for _, c, _ in cells}))
            text = f"{label} {names}".strip()
            self.document.undo_stack.push(EditWorkloads(self.document, before, after, text))
        return True

    # ----------------------------------------------------------------- document signals
    def _on_workloads_changed(self, rows: list[int], months: list[int]) -> None:
        if not rows:
            return
        last = self.columnCount() - 1
        # Contiguous runs of rows, each one dataChanged over all its columns.
        for first, final in row_runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(final, last))

    def _on_rows_about_to_change(self, start: int, removed: int, inserted: int) -> None:
        if removed:
            self.beginRemoveRows(QModelIndex(), start, start + removed - 1)
            self._rows -= removed
            self.endRemoveRows()

    def _on_rows_changed(self, start: int, removed: int, inserted: int) -> None:
        if inserted:
            self.beginInsertRows(QModelIndex(), start, start + inserted - 1)
            self._rows += inserted
            self.endInsertRows()
        if self._rows:  # costs shared with the rows moved (a capacity's) may have changed
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, self.columnCount() - 1))
        self._spliced = True

    def _on_reset(self) -> None:
        if self._spliced and self._rows == len(self.document.plan.workloads):
            self._spliced = False
            return
        self._spliced = False
        if self.document.rows_kept and self._rows == len(self.document.plan.workloads):
            if self._rows:  # the same rows with new figures: repainted, not reset (nor re-sorted)
                self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, _COLUMN_COUNT - 1))
            return
        self.beginResetModel()
        self._rows = len(self.document.plan.workloads)
        self.endResetModel()



class _Frozen:
    """A plan and its projection at one moment, read by ``WorkloadsModel``'s own sort keys and row
    texts (on a worker, see ``desktop.sheet_proxy``)."""

    def __init__(self, plan, projection, currency):
        self.document = self
        self.plan, self.projection, self.currency = plan, projection, currency

    def rowCount(self) -> int:
        return len(self.plan.workloads)

    def columnCount(self) -> int:
        return _COLUMN_COUNT

    value = WorkloadsModel.value
    text = WorkloadsModel.text
    sort_keys = WorkloadsModel.sort_keys
    row_text = WorkloadsModel.row_text
