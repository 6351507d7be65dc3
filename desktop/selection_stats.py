"""Sum, average and count of the selected cells, in the status bar, as a spreadsheet shows them.

The figures are the cells' own values (a model's ``value(row, column)``: the Decimal a money cell
holds, not its text), read a selected rectangle at a time through the grid's row order, so a
whole column of a 100,000-workload plan is 100,000 look-ups, not 100,000 painted rows: clicking
a column's header once held the window 7.8 s on the Workloads grid and 3.2 s on the Projection.
A selection of more than ``AWAY_CELLS`` cells is counted on the figures thread from a frozen copy
of the plan and its projection ("Counting…" meanwhile); a newer selection replaces it.  Count is
the cells that are not empty, Sum and Average those that hold numbers; only the rows the grid
shows (a filter's hidden rows are not selected).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from PySide6.QtCore import Qt

from desktop import display
from desktop.clipboard import source_model
from desktop.grid import cells_of
from desktop.workloads_model import COLUMNS, NUMBER_ROLE
from pricing.plan.money import exact_sum
from pricing.yielding import giving_way

#: Selections of more cells than this are counted on a worker.
AWAY_CELLS = 5_000
_MONEY_KINDS = frozenset({"money", "small_money"})


def tally(value_of: Callable[[int, int], object], cells: Iterable[tuple[int, int]]) -> tuple[int, Decimal | None, int]:
    """(cells not empty, the exact sum of those holding numbers or None, how many hold numbers)."""
    count = 0
    numbers = []
    for row, column in giving_way(cells):  # on the figures thread, a window's paint goes first
        value = value_of(row, column)
        if value is None or value == "":
            continue
        count += 1
        if isinstance(value, Decimal):
            numbers.append(value)
    return count, (exact_sum(numbers) if numbers else None), len(numbers)


def stats_text(count: int, total: Decimal | None, numbers: int, money: bool, currency) -> str:
    """'Sum: $1,234.56    Average: $617.28    Count: 2', or only the count."""
    text = f"Count: {count:,}"
    if total is None:
        return text
    average = total / numbers

    def shown(value: Decimal) -> str:
        if money:
            return display.money(value, currency)
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"

    return f"Sum: {shown(total)}    Average: {shown(average)}    " + text


class SelectionStats:
    """Keeps the status bar's selection figures for the grids of a window."""

    def __init__(self, window, label):
        self.window = window
        self.label = label
        self._job = None
        self._asked = None  # the grid whose selection changed while a count ran

    def show(self, view) -> None:
        blocks = view.selected_blocks()  # (source rows, columns) per selected rectangle
        cells = sum(len(rows) * len(columns) for rows, columns in blocks)
        if cells < 2:
            self.label.setText("")
            return
        source = source_model(view)
        money = self._money(view, blocks)
        currency = self.window.document.currency
        value_of = source.value if hasattr(source, "frozen_values") else None
        if value_of is None:  # a small grid (the rates): its numbers role
            self.label.setText(stats_text(*tally(_by_role(source), cells_of(blocks)), money, currency))
            return
        if cells <= AWAY_CELLS:
            self.label.setText(stats_text(*tally(value_of, cells_of(blocks)), money, currency))
            return
        if self._job is not None:
            self._asked = view  # counted once the running count lands
            return
        self._count_away(view, source, blocks, money, currency, cells)

    def _count_away(self, view, source, blocks, money: bool, currency, cells: int) -> None:
        from desktop.jobs import Job, figures_pool

        frozen = source.frozen_values()  # this moment's plan and figures: edits go on meanwhile
        self.label.setText(f"Counting {cells:,} cells…")
        job = self._job = Job(lambda _cancel: stats_text(*tally(frozen, cells_of(blocks)), money, currency))

        def settled() -> bool:
            import shiboken6

            if not shiboken6.isValid(self.label):
                return False
            self._job = None
            return True

        def landed(text: str) -> None:
            asked, self._asked = self._asked, None
            if asked is not None:
                self.show(asked)  # a newer selection: its figures, not these
            else:
                self.label.setText(text)

        job.on_outcome(settled, landed, lambda message: self.label.setText(f"Not counted: {message}"), lambda: None)
        job.start(figures_pool())

    def _money(self, view, blocks) -> bool:
        """Money formats the figures on the Projection, and on the Workloads when every selected
        column holds money."""
        if view is self.window.projection_view:
            return True
        if view is self.window.workloads_view:
            return all(COLUMNS[c].kind in _MONEY_KINDS for _rows, columns in blocks for c in columns)
        return False


def _by_role(model) -> Callable[[int, int], object]:
    """A cell's number (``NUMBER_ROLE``), else its text, as a model without ``value`` gives them."""
    def value_of(row: int, column: int):
        index = model.index(row, column)
        number = model.data(index, NUMBER_ROLE)
        return number if number is not None else model.data(index, Qt.ItemDataRole.DisplayRole)
    return value_of
