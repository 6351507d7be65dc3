"""A plan workbook's input sheets as columns of raw cell values, and their compact form between processes.

``load_plan`` reads the sheets with python-calamine and converts them column by column.  Opening
a file from elsewhere, the bounded reader process (``pricing.files.plan_worker``) reads them and
sends them back ``pack``-ed: each column as one typed array when its cells are all numbers, all
dates or all text (text as its distinct values and an index per cell), or all but its header
text, else as a plain list.
That is a few bytes a cell to pickle instead of a Python object each, and ``unpack`` gives the
parent the very values calamine gave the child.
"""

from __future__ import annotations

from array import array
from collections import deque
from datetime import date
from itertools import compress, count
from operator import not_
from pathlib import Path

from pricing.files.errors import PlanFileError
from pricing.files.workbook import layout as L
from pricing.gc_pause import gc_paused

_TYPECODE_INDEX = "I"  # an index into a column's distinct texts (4 bytes)


class Sheet:
    """The raw values of one sheet, row 1 first, as equally long columns."""

    __slots__ = ("columns", "n_rows")

    def __init__(self, columns: list[list], n_rows: int) -> None:
        self.columns = columns
        self.n_rows = n_rows

    @classmethod
    def from_rows(cls, rows: list[list]) -> Sheet:
        lengths = set(map(len, rows))
        width = max(lengths, default=0)
        if len(lengths) > 1:
            rows = [list(row) + [""] * (width - len(row)) for row in rows]
        return cls([list(col) for col in zip(*rows)] if rows else [], len(rows))

    def rows(self) -> list[list]:
        """(the sheet as rows, for the small sheets read row by row)."""
        if not self.columns:
            return [[] for _ in range(self.n_rows)]
        return [list(row) for row in zip(*self.columns)]

    @property
    def header(self) -> list:
        return [col[0] for col in self.columns] if self.n_rows else []

    def body(self) -> list[list]:
        """Each column without its header cell."""
        return [col[1:] for col in self.columns]

    def blank_body_rows(self) -> set[int]:
        """Indexes into ``body()`` of the rows with nothing in any cell ("" or empty)."""
        blank: set[int] | None = None
        for col in self.columns:
            body = col[1:]
            if body.count(None) + body.count("") == 0:
                return set()
            found = {i for i, v in enumerate(body) if v is None or v == ""}
            blank = found if blank is None else blank & found
            if not blank:
                return set()
        return blank if blank is not None else set(range(max(self.n_rows - 1, 0)))


def read_sheets(book, names) -> dict[str, Sheet]:
    """The sheets of ``names`` an open python-calamine workbook has."""
    present = list(book.sheet_names)
    return {name: Sheet.from_rows(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in names if name in present}


#: A cell of a column of one kind that is empty: its code in a ``b`` column's mask (0: filled).
_BLANK_CODES = {str: 1, type(None): 2}
_BLANKS = (None, "", None)  # by code; 0 is filled in from the values
_TYPED = ("f", "s", "d")


def _pack_column(col: list):
    """A column in its compact form: one typed array (``f``, ``s``, ``d``), or one kind with empty
    cells among it (``b``), each of them under a header text (``h``), else as it is (``o``)."""
    packed = _pack_body(col)
    if packed is not None:
        return packed
    if len(col) > 1:  # numbers, dates or texts under their header text
        packed = _pack_body(col[1:])
        if packed is not None and packed[0] != "o":
            return ("h", col[0], packed)
    return ("o", col)


def _pack_body(col: list):
    """``col`` as one typed array, or one kind of numbers or dates with empty cells ("" or None)
    among them (``b``: a code a cell, and the filled cells' typed array); None for any other mix."""
    kinds = set(map(type, col))
    if kinds == {float}:
        return ("f", array("d", col).tobytes())
    if kinds == {str}:
        if len(col) > 1000 and len(set(col[:1000])) > 500:  # mostly distinct (names): as they are
            return ("o", col)
        distinct = {v: i for i, v in enumerate(dict.fromkeys(col))}
        index = array(_TYPECODE_INDEX, map(distinct.__getitem__, col))
        return ("s", list(distinct), index.tobytes())
    if kinds == {date}:
        return ("d", array("q", map(date.toordinal, col)).tobytes())
    filled = kinds - _BLANK_CODES.keys()
    if len(filled) != 1 or not kinds & _BLANK_CODES.keys() or next(iter(filled)) not in (float, date):
        return None
    kind = next(iter(filled))
    if str in kinds and any(v for v in col if v.__class__ is str):
        return None  # a text that is not empty
    codes = {kind: 0, **_BLANK_CODES}
    mask = bytes(map(codes.__getitem__, map(type, col)))
    values = [v for v in col if v.__class__ is kind]
    return ("b", mask, _pack_body(values))


def _unpack_column(packed) -> list:
    kind = packed[0]
    if kind == "f":
        values = array("d")
        values.frombytes(packed[1])
        return values.tolist()
    if kind == "s":
        index = array(_TYPECODE_INDEX)
        index.frombytes(packed[2])
        return list(map(packed[1].__getitem__, index))
    if kind == "d":
        ordinals = array("q")
        ordinals.frombytes(packed[1])
        return list(map(date.fromordinal, ordinals))
    if kind == "b":
        if packed[2][0] not in ("f", "d"):
            raise ValueError(f"a column's filled cells packed as {packed[2][0]!r}")
        mask, values = bytes(packed[1]), _unpack_column(packed[2])
        if len(values) != mask.count(0) or max(mask, default=0) > 2:
            raise ValueError("a column's filled cells do not match its mask")
        column = list(map(_BLANKS.__getitem__, mask))
        deque(map(column.__setitem__, compress(count(), map(not_, mask)), values), maxlen=0)
        return column
    if kind == "h":
        if packed[2][0] not in (*_TYPED, "b"):
            raise ValueError(f"a column's body packed as {packed[2][0]!r}")
        return [packed[1], *_unpack_column(packed[2])]
    if kind == "o":
        return list(packed[1])
    raise ValueError(f"unknown column kind {kind!r}")


def pack(names: list[str], sheets: dict[str, Sheet]) -> dict:
    """The sheets in their compact form (plain lists, strings, bytes: nothing but data to unpickle)."""
    return {"names": list(names),
            "sheets": {name: (sheet.n_rows, [_pack_column(col) for col in sheet.columns])
                       for name, sheet in sheets.items()}}


def unpack(packed: dict) -> tuple[list[str], dict[str, Sheet]]:
    names = [str(n) for n in packed["names"]]
    sheets = {}
    for name, (n_rows, columns) in packed["sheets"].items():
        cols = [_unpack_column(c) for c in columns]
        if any(len(c) != n_rows for c in cols):
            raise ValueError(f"sheet {name!r}: columns of unequal length")
        sheets[str(name)] = Sheet(cols, int(n_rows))
    return names, sheets


#: The sheets load_plan reads: the inputs and the hidden TokenBudget sheet.
READ_SHEETS = L.INPUT_SHEETS + (L.META,)


def read_input_sheets(path: Path) -> tuple[list[str], dict[str, Sheet]]:
    """The workbook's sheet names and its input sheets' raw values (python-calamine)."""
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for non-workbooks
        raise PlanFileError(f"{path}: not an Excel workbook ({exc})") from None
    names = list(book.sheet_names)
    check_plan_sheets(path, names)
    with gc_paused(settle=True):  # a list per row, no reference cycles; settled, not walked once more
        return names, read_sheets(book, READ_SHEETS)


def check_plan_sheets(path: Path, names: list[str]) -> None:
    missing = [s for s in (L.ASSUMPTIONS, L.RATES, L.WORKLOADS) if s not in names]
    if missing:
        raise PlanFileError(
            f"{path}: not a Token Budget plan workbook: no sheet named {missing[0]!r} "
            f"(it has {', '.join(repr(n) for n in names[:8]) or 'no sheets'}); use 'tokenbudget import' for other spreadsheets"
        )
