"""Rectangular ranges to and from the clipboard as tab-separated text (Excel, LibreOffice).

Copy writes the selected rectangle, rows by newline and cells by tab, as displayed.  Paste
reads such text and lays it down from the current cell, in view order (so a sorted or
filtered grid pastes where the user sees it); one undo step, refused whole if any cell is
bad.  Fill down copies each column's top selected value to the selected cells below it.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from pricing.yielding import giving_way


def parse_tsv(text: str) -> list[list[str]]:
    """Tab-separated text → rows of cells; a trailing newline is not an extra row.

    Cells quoted by Excel ("a ""b""\tc") are unquoted.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = []
    for line in lines:
        cells = []
        for cell in line.split("\t"):
            if len(cell) >= 2 and cell[0] == '"' and cell[-1] == '"':
                cell = cell[1:-1].replace('""', '"')
            cells.append(cell)
        rows.append(cells)
    return rows


def to_tsv(rows: list[list[str]]) -> str:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in '\t\n"'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join("\t".join(quote(c) for c in row) + "\n" for row in rows)


#: A copy of more cells than this is written out on a worker (``jobs.wait_for``), the window painting.
AWAY_CELLS = 5_000


def _bounds(view):
    """(top, bottom, left, right) of the selection's bounding rectangle, or of the current cell."""
    ranges = list(view.selectionModel().selection())
    if not ranges:
        current = view.currentIndex()
        if not current.isValid():
            return None
        return current.row(), current.row(), current.column(), current.column()
    return (min(r.top() for r in ranges), max(r.bottom() for r in ranges),
            min(r.left() for r in ranges), max(r.right() for r in ranges))


def copy_selection(view) -> str:
    """Copy the selection's bounding rectangle as displayed text; returns it too.

    A grid over one of the plan's models copies each cell's text from the model (``text``) through the
    grid's row order, a column at a time; past ``AWAY_CELLS`` on a worker from a frozen copy (a whole
    column of 100,000 workloads held the window 6.4 s, each cell asked for its painted row)."""
    bounds = _bounds(view)
    if bounds is None:
        return ""
    top, bottom, left, right = bounds
    model, source = view.model(), source_model(view)
    rows = _grid_rows(view, source, top, bottom)
    if rows is not None and hasattr(source, "frozen_texts"):
        columns = range(left, right + 1)
        if len(rows) * len(columns) > AWAY_CELLS:
            from desktop.jobs import wait_for

            text_of = source.frozen_texts()
            text = wait_for(lambda _cancel: _tsv_of(text_of, rows, columns), "Copying…", view.window())
        else:
            text = _tsv_of(source.text, rows, columns)
    else:
        text = to_tsv([
            [str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "") for c in range(left, right + 1)]
            for r in range(top, bottom + 1)
        ])
    QApplication.clipboard().setText(text)
    return text


def _tsv_of(text_of, rows, columns) -> str:
    return to_tsv([[str(text_of(row, column) or "") for column in columns] for row in giving_way(rows, 512)])


def _grid_rows(view, target, first: int, last: int) -> list[int] | None:
    """The source rows of the grid's rows ``first``..``last``, mapped at once, when the grid sorts and
    filters ``target`` itself (its columns are the model's); else None (map cell by cell)."""
    model = view.model()
    if hasattr(model, "source_rows") and model.sourceModel() is target:
        return model.source_rows(first, last)
    return None


def _source_cell(view, row: int, column: int) -> tuple[int, int]:
    model = view.model()
    index = model.index(row, column)
    while hasattr(model, "mapToSource"):
        index = model.mapToSource(index)
        model = model.sourceModel()
    return index.row(), index.column()


def source_model(view):
    model = view.model()
    while hasattr(model, "sourceModel"):
        model = model.sourceModel()
    return model


def paste(view, text: str | None = None) -> bool:
    """Paste tab-separated text at the current cell (a single value fills the selection)."""
    text = QApplication.clipboard().text() if text is None else text
    grid = parse_tsv(text)
    target = source_model(view)
    if not grid or not hasattr(target, "set_cells"):
        return False
    bounds = _bounds(view)
    if bounds is None:
        return False
    top, bottom, left, right = bounds
    model = view.model()
    if len(grid) == 1 and len(grid[0]) == 1 and (bottom > top or right > left):
        grid = [[grid[0][0]] * (right - left + 1) for _ in range(bottom - top + 1)]
    height, width = len(grid), max(len(r) for r in grid)
    if top + height > model.rowCount() or left + width > model.columnCount():
        target.refused.emit(
            f"Not pasted — {height} × {width} cells do not fit from row {top + 1}; insert rows first (Insert)"
        )
        return False
    cells = []
    rows = _grid_rows(view, target, top, top + height - 1)
    if rows is not None:
        for r, values in enumerate(grid):
            cells += [(rows[r], left + c, value) for c, value in enumerate(values)]
    else:
        for r, values in enumerate(grid):
            for c, value in enumerate(values):
                row, column = _source_cell(view, top + r, left + c)
                cells.append((row, column, value))
    ok = target.set_cells(cells, "Paste")
    if ok:
        selection = view.selectionModel()
        selection.select(
            _rect(model, top, left, top + height - 1, left + width - 1),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )
    return ok


def _rect(model, top, left, bottom, right):
    from PySide6.QtCore import QItemSelection

    return QItemSelection(model.index(top, left), model.index(bottom, right))


def fill_down(view) -> bool:
    """Ctrl+D: each selected column's first selected value, copied to the rows below it."""
    bounds = _bounds(view)
    target = source_model(view)
    if bounds is None or not hasattr(target, "set_cells"):
        return False
    top, bottom, left, right = bounds
    if bottom == top:
        return False
    model = view.model()
    cells = []
    mapped = _grid_rows(view, target, top + 1, bottom)
    for column in range(left, right + 1):
        value = model.index(top, column).data(Qt.ItemDataRole.EditRole)
        if mapped is not None:
            cells += [(row, column, value) for row in mapped]
        else:
            cells += [(*_source_cell(view, row, column), value) for row in range(top + 1, bottom + 1)]
    return target.set_cells(cells, "Fill down")


def clear_selection(view) -> bool:
    """Delete: text cells emptied, counts and shares zeroed (a model or mode cannot be empty)."""
    target = source_model(view)
    blank = getattr(target, "clear_value", lambda column: "")
    if hasattr(view, "selected_cells") and view.model().sourceModel() is target:  # the selection's ranges
        cells = [(row, column, blank(column)) for row, column in view.selected_cells()]
    else:
        indexes = view.selectionModel().selectedIndexes() or [view.currentIndex()]
        cells = [(*_source_cell(view, i.row(), i.column()), blank(i.column())) for i in indexes if i.isValid()]
    if not cells or not hasattr(target, "set_cells"):
        return False
    return target.set_cells(cells, "Clear")
