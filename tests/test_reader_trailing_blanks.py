"""The reader drops each row's trailing blank cells ("" or None) and nothing else, whatever the
widths of the rows before it: what walking each row back blank by blank gives."""

from __future__ import annotations

import random

from pricing.files import cells
from pricing.files.cells import _sheet_values


class _Sheet:
    def __init__(self, rows):
        self._rows = rows
        self.start = (0, 0)
        self.end = (max(len(rows) - 1, 0), max((len(r) for r in rows), default=1) - 1)

    def iter_rows(self):
        return iter([list(r) for r in self._rows])


def _walked_back(rows, max_cols):
    out = []
    for row in rows:
        width = min(len(row), max_cols)
        while width and (row[width - 1] == "" or row[width - 1] is None):
            width -= 1
        out.append(row[:width])
    while out and not out[-1]:
        out.pop()
    return out


def _check(rows, max_cols=None):
    got = _sheet_values("S", _Sheet(rows))["rows"]
    want = _walked_back(rows, max_cols or cells.MAX_COLS)
    assert got == want and [[type(v) for v in r] for r in got] == [[type(v) for v in r] for r in want]


def test_rows_of_one_shape_and_rows_that_end_elsewhere_lose_only_their_trailing_blanks():
    rnd = random.Random(3)
    pool = ["", "", None, "x", 0, 0.0, False, " ", "0", 1.5]
    for trial in range(300):
        width = rnd.randint(0, 12)
        shape = [rnd.choice(pool) for _ in range(width)]
        rows = []
        for _ in range(rnd.randint(0, 40)):
            pick = rnd.random()
            if pick < 0.6:  # the usual row: the shape's filled cells, then the same blanks
                rows.append([v if v in ("", None) else rnd.choice(["y", 2.0, 3]) for v in shape])
            elif pick < 0.8:
                rows.append([rnd.choice(pool) for _ in range(width)])
            else:
                rows.append([rnd.choice(pool) for _ in range(rnd.randint(0, 14))])
        _check(rows)


def test_a_blank_cell_before_the_usual_end_and_a_filled_cell_after_it_are_both_seen():
    _check([["a", "b", "", ""], ["a", "", "", ""], ["a", "b", "", "c"], ["a", "b", None, ""], ["", "", "", ""],
            ["a", "b", "", ""], [None, None], ["a", "b", 0, ""], ["a", "b", "", None]])


def test_rows_wider_than_an_import_reads_are_cut_then_trimmed(monkeypatch):
    monkeypatch.setattr(cells, "MAX_COLS", 4)
    _check([["a", "b", "", "", "z"], ["a", "b", "c", "", "", "z"], ["a", "", "", "", "z"], ["a", "b"]], max_cols=4)
