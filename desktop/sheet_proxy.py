"""Sorting and filtering for the grids without a Python call per comparison.

``SheetProxy`` is a ``QAbstractProxyModel`` whose order is a plain list of source rows,
built in one pass with ``sorted()`` over keys read once per sort (``sort_keys(column)``) and
a list comprehension over ``row_text(row)`` for the filter.  Qt asks Python only for the
cells it paints, never once per comparison (100,000 rows: seconds → a fraction).

The order is kept as it was when the user sorted or filtered (as a ``QSortFilterProxyModel``
with dynamic sorting off): edits re-signal ``dataChanged`` row by row through the mapping;
a reset, a layout change, or rows inserted / removed rebuild the mapping.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count as counting
from operator import eq

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, Qt, Signal

from desktop.refresh import row_runs
from desktop.workloads_model import SORT_ROLE

_DISPLAY = Qt.ItemDataRole.DisplayRole


#: A worker sorts this many rows per sorted() call: one call compares in C without letting the GUI
#: thread take the interpreter lock (100,000 Decimals: ~0.2 s of frozen window).
PIECE = 4096


def _sorted_in_pieces(rows: list[int], key, reverse: bool = False) -> list[int]:
    """``sorted(rows, key=key, reverse=reverse)``, in pieces merged (heapq.merge keeps equal keys in
    their pieces' order, so the result is the same, stable order)."""
    if len(rows) <= PIECE:
        return sorted(rows, key=key, reverse=reverse)
    import heapq

    pieces = [sorted(rows[i:i + PIECE], key=key, reverse=reverse) for i in range(0, len(rows), PIECE)]
    return list(heapq.merge(*pieces, key=key, reverse=reverse))


#: Sources of more rows than this are sorted and filtered on a worker (100,000 take ~0.2 s).
AWAY_ROWS = 20_000


class SheetProxy(QAbstractProxyModel):
    """Sort by the cell's number (not its formatted text); filter on any column, any case."""

    #: True while an order is being arranged on a worker, False once it is shown.
    arranging = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: Sequence[int] = []  # proxy row → source row (a range when every row is in order)
        self._where: Sequence[int] = []  # source row → proxy row, -1 when filtered out
        self._column = -1
        self._order = Qt.SortOrder.AscendingOrder
        self._needle = ""
        self._keys: tuple[int, list] | None = None  # (column, keys) of the last sort
        self._connections: list = []
        self._saved: list[tuple[QModelIndex, int, int]] = []
        self._cell = None
        self._job = None  # an order being arranged on a worker
        self._again = False
        self._generation = 0

    # ---- wiring -------------------------------------------------------------------------

    def setSourceModel(self, source) -> None:
        self.beginResetModel()
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._connections:
                signal.disconnect(slot)
        self._connections = []
        super().setSourceModel(source)
        self._keys = None
        #: The source's ``cell(row, column, role)``, when it has one: a paint asks without making indexes.
        self._cell = getattr(source, "cell", None)
        if source is not None:
            for signal, slot in (
                (source.dataChanged, self._on_data_changed),
                (source.headerDataChanged, self.headerDataChanged),
                (source.modelAboutToBeReset, self.beginResetModel),
                (source.modelReset, self._on_reset),
                (source.layoutAboutToBeChanged, self._before_change),
                (source.layoutChanged, self._after_layout),
                (source.rowsAboutToBeInserted, self._before_change),
                (source.rowsInserted, self._after_insert),
                (source.rowsAboutToBeRemoved, self._before_change),
                (source.rowsRemoved, self._after_remove),
                (source.columnsAboutToBeInserted, self.beginResetModel),
                (source.columnsInserted, self._on_reset),
                (source.columnsAboutToBeRemoved, self.beginResetModel),
                (source.columnsRemoved, self._on_reset),
            ):
                signal.connect(slot)
                self._connections.append((signal, slot))
        self._rebuild()
        self.endResetModel()

    # ---- the mapping --------------------------------------------------------------------

    def _accepted(self, source, needle: str | None = None) -> Sequence[int]:
        n = source.rowCount()
        needle = self._needle if needle is None else needle
        if not needle:
            return range(n)  # every row in order: indexed like a list, without 100,000 entries to fill
        if hasattr(source, "row_text"):
            text = source.row_text
            return [r for r in range(n) if needle in text(r)]
        columns = source.columnCount()
        index = source.index
        return [
            r for r in range(n)
            if any(needle in str(index(r, c).data(_DISPLAY) or "").lower() for c in range(columns))
        ]

    def _sort_keys(self, source, column: int) -> list:
        """One key per source row, read once and kept until the source changes."""
        if self._keys is not None and self._keys[0] == column:
            return self._keys[1]
        if hasattr(source, "sort_keys"):
            keys = source.sort_keys(column)
        else:
            index = source.index
            keys = [index(r, column).data(SORT_ROLE) for r in range(source.rowCount())]
        if any(k is None for k in keys):
            keys = ["" if k is None else k for k in keys]
        self._keys = (column, keys)
        return keys

    def _sorted(self, source, rows: list[int], column: int | None = None, order=None) -> list[int]:
        """``rows`` in the order of ``column`` (default: the proxy's); with a column given, the keys
        are read afresh and not kept (a worker arranging a frozen source calls it so)."""
        fresh = column is not None
        column = self._column if column is None else column
        order = self._order if order is None else order
        if column < 0 or column >= source.columnCount():
            return rows
        if fresh:
            keys = source.sort_keys(column)
            if any(k is None for k in keys):
                keys = ["" if k is None else k for k in keys]
        else:
            keys = self._sort_keys(source, column)
        descending = order == Qt.SortOrder.DescendingOrder
        types = set(map(type, keys))
        if str in types and len(types) > 1:  # numbers before text
            parts = [[r for r in rows if type(keys[r]) is not str], [r for r in rows if type(keys[r]) is str]]
        else:
            parts = [rows]
        # sorted() is stable, as Qt's sort is; reversed, equal keys keep their source order.
        order_of = _sorted_in_pieces if fresh else sorted
        parts = [order_of(part, key=keys.__getitem__, reverse=descending) for part in parts]
        if descending:
            parts.reverse()
        return [r for part in parts for r in part]

    def _pinned_last(self, source, accepted: list[int]) -> list[int]:
        """Accepted source rows that stay at the bottom whatever the order (none here)."""
        return []

    def _rebuild(self, arranged: list[int] | None = None) -> None:
        source = self.sourceModel()
        if source is None:
            self._rows, self._where = [], []
            return
        if arranged is not None:
            self._rows = arranged
        else:
            accepted = self._accepted(source)
            pinned = self._pinned_last(source, accepted)
            if pinned and list(accepted[-len(pinned):]) == pinned:
                accepted = accepted[:-len(pinned)]  # already last (the totals row): no set to walk
            elif pinned:
                pinned_set = set(pinned)
                accepted = [r for r in accepted if r not in pinned_set]
            ordered = self._sorted(source, accepted)
            if isinstance(ordered, range) and pinned == list(range(ordered.stop, ordered.stop + len(pinned))):
                self._rows = range(ordered.start, ordered.stop + len(pinned))  # still every row in order
            else:
                self._rows = [*ordered, *pinned]
        count = source.rowCount()
        rows = self._rows
        if len(rows) == count and (rows == range(count) if isinstance(rows, range) else all(map(eq, rows, counting()))):
            # Neither sorted nor filtered: each row is where it was, both ways, with no list to fill
            # (the Workloads and Projection grids' lists of 100,000 rows made the window's pause when a plan opened).
            self._rows = self._where = range(count)
            return
        where = [-1] * count
        for proxy_row, source_row in enumerate(self._rows):
            where[source_row] = proxy_row
        self._where = where

    def _relayout(self) -> None:
        """Rebuild the mapping as one layout change, keeping selections on their source rows.

        A source of more than ``AWAY_ROWS`` rows that can be ``frozen()`` is arranged on a worker
        (keys read, rows filtered and sorted there); the grid keeps its order until the new one
        lands, and only the mapping is rebuilt on the GUI thread."""
        source = self.sourceModel()
        if source is not None and hasattr(source, "frozen") and source.rowCount() > AWAY_ROWS:
            self._arrange_away(source)
            return
        self._generation += 1  # an order being arranged on a worker is no longer wanted
        self._before_change(source_changed=False)
        self._after_layout()

    def _arrange_away(self, source) -> None:
        self._generation += 1
        if self._job is not None:
            self._again = True  # the running one lands first, unused; then this one starts
            return
        from desktop.jobs import Job

        generation, frozen = self._generation, source.frozen()
        needle, column, order = self._needle, self._column, self._order

        def work(_cancel):
            return self._sorted(frozen, self._accepted(frozen, needle), column, order)

        self._job = Job(work)
        self._job.on_outcome(lambda: self._landed(generation), lambda rows: self._apply(generation, rows),
                             lambda _message: self._after_away_failed(generation), lambda: None)
        self._job.start()
        self.arranging.emit(True)

    def _landed(self, generation: int) -> bool:
        import shiboken6

        if not shiboken6.isValid(self):
            return False
        self._job = None
        if self._again:
            self._again = False
            source = self.sourceModel()
            if source is not None:
                self._arrange_away(source)
            return False
        self.arranging.emit(False)
        return generation == self._generation

    def _apply(self, generation: int, rows: list[int]) -> None:
        source = self.sourceModel()
        if generation != self._generation or source is None:
            return
        self._before_change(source_changed=False)
        self._after_layout(arranged=rows)

    def _after_away_failed(self, generation: int) -> None:
        if generation == self._generation:
            self._before_change(source_changed=False)
            self._after_layout()  # arranged here instead

    def _before_change(self, *args, source_changed=True) -> None:
        if source_changed:
            self._keys = None
            self._generation += 1  # rows moved: an order arranged on a worker no longer fits
        self.layoutAboutToBeChanged.emit()
        self._saved = [
            (i, self._rows[i.row()] if 0 <= i.row() < len(self._rows) else -1, i.column())
            for i in self.persistentIndexList()
        ]

    def _after_layout(self, *args, shift=None, arranged=None) -> None:
        self._rebuild(arranged)
        old, new = [], []
        for persistent, source_row, column in self._saved:
            if shift is not None and source_row >= 0:
                source_row = shift(source_row)
            proxy_row = self._where[source_row] if 0 <= source_row < len(self._where) else -1
            old.append(persistent)
            new.append(self.index(proxy_row, column) if proxy_row >= 0 else QModelIndex())
        self._saved = []
        if old:
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _after_insert(self, parent, first, last) -> None:
        count = last - first + 1
        self._after_layout(shift=lambda r: r + count if r >= first else r)

    def _after_remove(self, parent, first, last) -> None:
        count = last - first + 1
        self._after_layout(shift=lambda r: -1 if first <= r <= last else (r - count if r > last else r))

    def _on_reset(self, *args) -> None:
        self._keys = None
        self._generation += 1
        self._rebuild()
        self.endResetModel()

    def _on_data_changed(self, top_left, bottom_right, roles=()) -> None:
        self._keys = None
        where = self._where
        if top_left.row() <= 0 and bottom_right.row() >= len(where) - 1:  # every row: no mapping to walk
            if self._rows:
                self.dataChanged.emit(self.index(0, top_left.column()),
                                      self.index(len(self._rows) - 1, bottom_right.column()), roles)
            return
        rows = [where[r] for r in range(top_left.row(), bottom_right.row() + 1) if 0 <= r < len(where)]
        left, right = top_left.column(), bottom_right.column()
        for first, last in row_runs(sorted(r for r in rows if r >= 0)):
            self.dataChanged.emit(self.index(first, left), self.index(last, right), roles)

    # ---- QAbstractProxyModel -----------------------------------------------------------

    def index(self, row, column, parent=QModelIndex()):
        if parent.isValid() or not (0 <= row < len(self._rows)) or not (0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index=QModelIndex()):
        return QModelIndex()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        source = self.sourceModel()
        return 0 if parent.isValid() or source is None else source.columnCount()

    def hasChildren(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and bool(self._rows)

    def source_rows(self, first: int, last: int) -> list[int]:
        """The source rows of proxy rows ``first``..``last`` (a selection's, in the grid's order)."""
        return list(self._rows[max(first, 0):last + 1])

    def mapToSource(self, proxy_index):
        if not proxy_index.isValid() or not (0 <= proxy_index.row() < len(self._rows)):
            return QModelIndex()
        return self.sourceModel().index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index):
        if not source_index.isValid() or not (0 <= source_index.row() < len(self._where)):
            return QModelIndex()
        row = self._where[source_index.row()]
        return self.createIndex(row, source_index.column()) if row >= 0 else QModelIndex()

    def data(self, index, role=_DISPLAY):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if self._cell is not None:
            return self._cell(self._rows[index.row()], index.column(), role)
        source = self.sourceModel()
        return source.data(source.index(self._rows[index.row()], index.column()), role)

    def headerData(self, section, orientation, role=_DISPLAY):
        source = self.sourceModel()
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            section = self._rows[section]
        return source.headerData(section, orientation, role) if source is not None else None

    # ---- sorting and filtering ----------------------------------------------------------

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._column, self._order = column, order
        self._relayout()

    def sortColumn(self) -> int:
        return self._column

    def sortOrder(self):
        return self._order

    def set_needle(self, text: str) -> None:
        self._needle = text.strip().lower()
        self._relayout()


class ProjectionProxy(SheetProxy):
    """Sorting the projection keeps its totals row at the bottom."""

    def _pinned_last(self, source, accepted: list[int]) -> list[int]:
        return [r for r in accepted[-1:] if source.is_total_row(r)]
