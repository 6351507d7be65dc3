"""SheetProxy sorts and filters through Python lists: numbers before text, stable, descending,
pinned totals row, dataChanged mapped through the order, selections kept across inserts."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.sheet_proxy import ProjectionProxy, SheetProxy


class Rows(QAbstractTableModel):
    def __init__(self, rows, total=False):
        super().__init__()
        self.rows = [list(r) for r in rows]
        self.total = total

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 2

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None

    def sort_keys(self, column):
        return [r[column] for r in self.rows]

    def row_text(self, row):
        return " ".join(str(v) for v in self.rows[row]).lower()

    def is_total_row(self, row):
        return self.total and row == len(self.rows) - 1

    def insert(self, at, row):
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, list(row))
        self.endInsertRows()


def names(proxy):
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_sort_numbers_before_text_stable_both_ways(qapp):
    source = Rows([("a", Decimal(3)), ("b", "x"), ("c", Decimal(1)), ("d", Decimal(3)), ("e", "")])
    proxy = SheetProxy()
    proxy.setSourceModel(source)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["c", "a", "d", "e", "b"]
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["b", "e", "a", "d", "c"]
    proxy.sort(-1)
    assert names(proxy) == ["a", "b", "c", "d", "e"]


def test_filter_any_case_then_edit_signals_the_proxy_row(qapp):
    source = Rows([("Alpha", Decimal(2)), ("beta", Decimal(1)), ("ALPHAbet", Decimal(0))])
    proxy = SheetProxy()
    proxy.setSourceModel(source)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    proxy.set_needle("  alpha ")
    assert names(proxy) == ["ALPHAbet", "Alpha"]
    assert proxy.mapToSource(proxy.index(1, 1)).row() == 0
    assert proxy.mapFromSource(source.index(1, 0)).isValid() is False
    changed = []
    proxy.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    source.dataChanged.emit(source.index(0, 0), source.index(2, 1))
    assert changed == [(0, 1)]


def test_totals_row_stays_last_and_selection_follows_an_insert(qapp):
    source = Rows([("b", Decimal(2)), ("a", Decimal(1)), ("Total", Decimal(3))], total=True)
    proxy = ProjectionProxy()
    proxy.setSourceModel(source)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        proxy.sort(1, order)
        assert names(proxy)[-1] == "Total"
    kept = QPersistentModelIndex(proxy.index(0, 0))  # "b" (descending)
    source.insert(0, ("c", Decimal(5)))
    assert names(proxy) == ["c", "b", "a", "Total"]
    assert kept.data() == "b" and kept.row() == 1


def test_sorting_in_pieces_gives_the_order_of_one_stable_sort():
    import random

    from desktop import sheet_proxy

    rng = random.Random(7)
    keys = [rng.choice([Decimal("1.5"), Decimal(2), Decimal("0.25"), Decimal(rng.randrange(50))]) for _ in range(5000)]
    rows = list(range(len(keys)))
    for reverse in (False, True):
        assert sheet_proxy._sorted_in_pieces(rows, keys.__getitem__, reverse) == \
            sorted(rows, key=keys.__getitem__, reverse=reverse)


def test_rows_in_source_order_are_mapped_by_range_both_ways_with_the_totals_row_last(qapp):
    # A plan opens with no sort and no filter: the grids' order is every row where it was, held
    # as a range (no list of 100,000 rows filled on the GUI thread), and maps as a list would.
    source = Rows([(f"w{i}", Decimal(i)) for i in range(6)] + [("Total", Decimal(15))], total=True)
    proxy = ProjectionProxy()
    proxy.setSourceModel(source)
    assert isinstance(proxy._rows, range) and isinstance(proxy._where, range)
    assert names(proxy) == [f"w{i}" for i in range(6)] + ["Total"]
    assert [proxy.mapFromSource(source.index(r, 0)).row() for r in range(7)] == list(range(7))
    proxy.sort(1, Qt.SortOrder.DescendingOrder)  # sorted: a list again, the totals row still last
    assert names(proxy) == [f"w{i}" for i in range(5, -1, -1)] + ["Total"]
    proxy.sort(-1)
    assert names(proxy) == [f"w{i}" for i in range(6)] + ["Total"] and isinstance(proxy._rows, range)
    proxy.set_needle("w3")  # filtered: only that row, the others mapped to none
    assert names(proxy) == ["w3"] and proxy.mapFromSource(source.index(2, 0)).row() == -1
    proxy.set_needle("")
    assert isinstance(proxy._where, range) and proxy.mapFromSource(source.index(6, 0)).row() == 6
