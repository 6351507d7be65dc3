"""How a cell becomes a field's value: the converter of each field and unit, bounded by the
plan's limits, and remembered per column so a value repeated down a column is converted once."""

from __future__ import annotations

from decimal import Decimal
from itertools import compress, count, repeat
from operator import itemgetter, lt

from pricing.importer.headers import COUNT_FIELDS, DATE_FIELDS, FRACTION_FIELDS, PRICE_FIELDS
from pricing.importer.units import (
    PLAIN_NUMBER, cell_text, price_with_unit, to_fraction, to_month, to_number, to_scaled,
)
from pricing.plan import bounds
from pricing.yielding import mapped

INT_FIELDS = {"context_length", "gpus_per_replica", "replicas", "gpu_count"}
_MISSING = object()


_MONEY_FIELDS = {"gpu_hour_rate", "monthly_commitment", "hours_per_month", "storage_monthly", "networking_monthly",
                 "throughput_tokens_per_s", "throughput_tokens_per_s_per_gpu", "stated_request_cost",
                 "stated_monthly_cost"}


def _whole(raw: object) -> int:
    value = to_scaled(raw, None)
    if value != value.to_integral_value():
        raise ValueError(f"{value} is not a whole number")
    return int(value)


def converter_for(name: str, unit: str | None):
    """The function turning a cell into ``name``'s value (raises ValueError with the reason),
    refusing a value beyond the plan's bounds (``pricing.plan.bounds``)."""
    convert = _converter(name, unit)
    if convert is to_number:
        return number_converter(name)
    if convert is cell_text:
        return text_of
    if name in bounds.BOUNDS:
        return lambda raw: bounds.check(name, convert(raw))
    return convert


def number_converter(name: str):
    """:func:`to_number` within ``name``'s bound, its usual cells (digits as text, whole numbers)
    read in one call: a request-count column has as many distinct values as rows."""
    limit = bounds.limit(name)
    plain = PLAIN_NUMBER.fullmatch

    def number(raw: object) -> Decimal:
        kind = raw.__class__
        if kind is str and plain(raw):  # type: ignore[arg-type]
            value = Decimal(raw)  # type: ignore[arg-type]  # to_number's own reading of plain digits
        elif kind is int:
            value = Decimal(raw)  # type: ignore[arg-type]
        elif kind is float and raw.is_integer() and -1e15 < raw < 1e15:  # type: ignore[attr-defined]
            value = Decimal(int(raw))  # type: ignore[call-overload]
        else:
            value = to_number(raw)
            return value if limit is None else bounds.check(name, value)
        return value if limit is None or value <= limit else bounds.check(name, value)
    _NUMBER_BOUNDS[number] = limit
    return number


#: A converter made by number_converter -> its bound (None: finite is all it asks), for the
#: column reader's whole-column path.
_NUMBER_BOUNDS: dict = {}


def text_of(raw: object) -> str:
    """:func:`cell_text`, a text cell's in one call."""
    return raw.strip() if raw.__class__ is str else cell_text(raw)  # type: ignore[attr-defined]


def _converter(name: str, unit: str | None):
    if name in PRICE_FIELDS:
        return lambda raw: price_with_unit(raw, unit)
    if name in COUNT_FIELDS:
        if unit in (None, "count", "per_1m"):
            return to_number
        return lambda raw: to_scaled(raw, unit)
    if name in FRACTION_FIELDS:
        return to_fraction
    if name in DATE_FIELDS:
        return to_month
    if name in INT_FIELDS:
        return _whole
    if name in _MONEY_FIELDS:
        return to_number
    return cell_text


def stale_rows(uncached: set[str], letter: str) -> set[int]:
    """The rows whose cell in column ``letter`` is a formula without a cached value."""
    return {int(ref[len(letter):]) for ref in uncached
            if ref.startswith(letter) and ref[len(letter):].isdigit()}


def remembered(convert):
    """``convert``, worked out once per distinct text or number of the column (a pure function of
    the cell; the type is part of the key, so 1, 1.0 and TRUE stay apart).  A cell it refuses
    raises on every row, as before."""
    done: dict[tuple[type, object], object] = {}

    def converted(raw: object) -> object:
        kind = raw.__class__
        if kind is not str and kind is not float and kind is not int:
            return convert(raw)
        key = (kind, raw)
        value = done.get(key, _MISSING)
        if value is _MISSING:
            value = done[key] = convert(raw)
        return value
    return converted


#: A cell left empty (or a stated figure whose formula has no cached value): the field is not set.
ABSENT = object()
#: A cell that could not be read: the field is set to this and the cell has a finding.
BAD = object()
STALE = ("the formula has no cached value (the file was saved without calculating); "
         "recalculate and save it in Excel or LibreOffice")


class Columns:
    """The cells of the rows ``part``, column by column, each column taken once (a row shorter than
    the column gives None), and what is told of a column's values once: their types, and each
    value once.  Each is a pass over every cell, and 100,000 cells scattered in memory take 10-20
    ms a pass; a table's conversion and its row checks ask the same of the same columns."""

    def __init__(self, part: list) -> None:
        self.part = part
        self.shortest = min(map(len, part), default=0)
        self._taken: dict[int, list] = {}
        self._kinds: dict[int, set] = {}
        self._distinct: dict[int, list] = {}
        self._full: list | None = None
        self._width = 0

    def kinds(self, i: int) -> set:
        """The types of column ``i``'s cells."""
        got = self._kinds.get(i)
        if got is None:
            col, got = self[i], set()
            for start in range(0, len(col), CELLS_A_PASS):  # a slice a C-level pass (first touch of the cells)
                got.update(map(type, col[start:start + CELLS_A_PASS]))
            self._kinds[i] = got
        return got

    def distinct(self, i: int) -> list:
        """Column ``i``'s values, each once, in the order the column first has them (equal values
        share one entry: 1, 1.0 and TRUE too); or the column itself when nearly every value is new
        (told from its first cells), a table of them costing an entry each and saving nothing."""
        got = self._distinct.get(i)
        if got is None:
            col = self[i]
            probe = col[:_PROBE]
            if len(dict.fromkeys(probe)) > 0.9 * len(probe):
                got = col
            else:  # a slice a C-level pass (see CELLS_A_PASS)
                seen: dict = {}
                for start in range(0, len(col), CELLS_A_PASS):
                    seen.update(zip(col[start:start + CELLS_A_PASS], repeat(None)))
                got = list(seen)
            self._distinct[i] = got
        return got

    def __getitem__(self, i: int) -> list:
        col = self._taken.get(i)
        if col is None:
            if self.shortest > i:
                col = list(map(itemgetter(i), self.part))
            else:
                full = self._padded()
                col = list(map(itemgetter(i), full)) if i < self._width else [None] * len(full)
            self._taken[i] = col
        return col

    def _padded(self) -> list:
        """The rows, each short one (a blank line, a total row) replaced by a copy filled out with
        None to the widest row's length: every column is then taken in one C-level pass, the few
        short rows copied once for all of them instead of every cell asked for its row's length."""
        if self._full is None:
            part = self.part
            self._width = width = max(map(len, part), default=0)
            self._full = full = list(part)
            for k in compress(count(), map(lt, map(len, part), repeat(width))):
                row = part[k]
                full[k] = [*row, *repeat(None, width - len(row))]
        return self._full


def convert_column(rows: list, lo: int, hi: int, i: int, name: str, convert, stale: set[int],
                   row_offset: int, columns: Columns | None = None) -> tuple[list, dict[int, str]]:
    """Column ``i`` of ``rows[lo:hi]`` as ``name``'s values (ABSENT, a value, or BAD), and the
    finding of each row index whose cell is BAD.  Each distinct text or number is converted once
    (its type is part of the key, as in :func:`remembered`), what a refused cell says with it:
    :func:`convert_cells`, in one lookup a cell when the column has no stale formula.  ``columns``:
    the columns of ``rows[lo:hi]`` (:class:`Columns`), shared by every column of a table."""
    if stale:
        return convert_cells(rows, lo, hi, i, name, convert, stale, row_offset)
    whole = _whole_column(columns or Columns(rows[lo:hi]), i, lo, convert) if hi > lo else None
    if whole is not None:
        return whole
    got: list = []
    problems: dict[int, str] = {}
    # One table per type remembered (1, 1.0 and TRUE stay apart): a cell's value alone keys it there.
    blank = (ABSENT, None)
    memo: dict[type, dict] = {str: {"": blank}, int: {}, float: {}, type(None): {None: blank}}
    _convert_part(rows[lo:min(hi, lo + _PROBE)], i, convert, memo, got, problems, lo)
    if len(memo[str]) + len(memo[int]) + len(memo[float]) > 0.9 * len(got):
        # A column of names or request counts: nearly every value is new, so remembering them
        # costs a table entry each and saves nothing (blanks are still told apart).
        memo = {type(None): {None: blank}}
    _convert_part(rows[lo + _PROBE:hi], i, convert, memo, got, problems, lo)
    return got, problems


#: Cells read before a column is judged to hold nearly a new value a row.
_PROBE = 2048
_NONE = type(None)
#: Cell types of which no value equals a value of another: a column of only these is read
#: through one table keyed by the cell's value (1, 1.0 and TRUE would share a key: not here).
_APART = ({str, _NONE, float}, {str, _NONE, int})
#: The cell types of a column of texts, blank cells (None) among them.
TEXTS = frozenset({str, _NONE})


def _whole_column(columns: Columns, i: int, lo: int, convert) -> tuple[list, dict[int, str]] | None:
    """Column ``i`` of ``columns`` (its first cell at row index ``lo``) as :func:`convert_column`
    gives it, each step over the whole column at once, or None when its cells need the cell-by-cell
    reading (a type whose values may equal another type's: TRUE and 1, a text subclass, a date).

    Each distinct value is converted once (equal cells share one value, as they did cell by cell
    with the values remembered) and every cell looked up, or, in a column of nearly all new values,
    every cell converted; plain texts and plain numbers are converted in one pass over them."""
    col, kinds = columns[i], columns.kinds(i)
    if not any(kinds <= apart for apart in _APART):
        return None
    # A column of names or request counts (nearly every value new): every cell is converted.
    distinct = columns.distinct(i)
    values = None
    if convert is text_of:
        if kinds <= TEXTS:  # a blank text (nothing but white space) strips to ""
            values = [ABSENT if v is None else v.strip() or ABSENT for v in distinct]
    elif convert in _NUMBER_BOUNDS:
        values = _plain_numbers(distinct, kinds, _NUMBER_BOUNDS[convert])
    findings: dict = {}
    if values is None:
        values = []
        for raw in distinct:
            if raw is None or raw == "" or (raw.__class__ is str and raw.isspace()):
                values.append(ABSENT)
                continue
            value, finding = _read(raw, convert)
            values.append(value)
            if finding is not None:
                findings[raw] = finding
    got = values if distinct is col else in_slices(dict(zip(distinct, values)).__getitem__, col)
    problems: dict[int, str] = {}
    if findings:
        for r in compress(range(lo, lo + len(col)), map(findings.__contains__, col)):
            problems[r] = findings[col[r - lo]]
    return got, problems


#: Cells of a column one C-level pass takes at a time (here and in ``tables``): a window's import runs
#: on a worker, and the GUI thread waited 103-115 ms for one pass over a column of 100,000.
CELLS_A_PASS = 8192


def in_slices(function, *columns: list) -> list:
    """``list(map(function, *columns))``, ``CELLS_A_PASS`` cells a C-level pass (between passes the
    GUI thread can take the interpreter lock): ``pricing.yielding.mapped`` at the importer's slice."""
    return mapped(function, *columns, size=CELLS_A_PASS)


def _plain_numbers(cells: list, kinds: set, bound: Decimal | None) -> list | None:
    """Each cell as number_converter reads it (ABSENT when blank: "" or None) when every other cell
    is plain digits (text), or every other cell a whole float within ±10^15, or an int, and none is
    beyond ``bound``; None otherwise (the converter reads the column value by value)."""
    kinds = kinds - {_NONE}
    if kinds <= {str}:
        filled = list(filter(None, cells))  # "" and None left out
        if not all(map(str.isdecimal, filled)) or (filled and max(map(len, filled)) > 20):
            return None  # PLAIN_NUMBER's digits, no fraction, or a text that is not one
        numbers = in_slices(Decimal, filled)
        kind = str
    else:
        kind = next(iter(kinds - {str}), None) if len(kinds - {str}) == 1 else None
        if kind is not float and kind is not int:
            return None
        filled = [v for v in cells if v.__class__ is kind]
        if len(filled) + cells.count("") + cells.count(None) != len(cells):
            return None  # a text that is not blank
        if kind is float:
            if not all(map(float.is_integer, filled)) or (filled and not -1e15 < min(filled) <= max(filled) < 1e15):
                return None
            numbers = in_slices(Decimal, list(map(int, filled)))
        else:
            numbers = in_slices(Decimal, filled)
    if bound is not None and numbers and max(numbers) > bound:
        return None  # the cells beyond it are refused one by one
    if len(numbers) == len(cells):
        return numbers
    number = iter(numbers).__next__
    if kind is str:
        return [number() if v else ABSENT for v in cells]
    return [number() if v.__class__ is kind else ABSENT for v in cells]


def _convert_part(part: list, i: int, convert, memo: dict, got: list, problems: dict, lo: int) -> None:
    """Column ``i`` of the rows ``part`` onto ``got`` (their findings into ``problems``), each value
    found in ``memo`` (type -> value -> (value, finding)) worked out once and kept there."""
    blank = (ABSENT, None)
    append = got.append
    for cells in part:
        raw = cells[i] if i < len(cells) else None
        seen = memo.get(raw.__class__)
        hit = seen.get(raw) if seen is not None else None
        if hit is None:
            hit = blank if raw == "" or (isinstance(raw, str) and raw.isspace()) else _read(raw, convert)
            if seen is not None:
                seen[raw] = hit
        if hit[1] is not None:
            problems[lo + len(got)] = hit[1]
        append(hit[0])


def _read(raw: object, convert) -> tuple[object, str | None]:
    """A filled cell's value and no finding, or BAD and what its finding says."""
    try:
        return convert(raw), None
    except ValueError as exc:
        return BAD, f"cannot read {cell_text(raw)!r}: {exc}"


def convert_cells(rows: list, lo: int, hi: int, i: int, name: str, convert, stale: set[int],
                  row_offset: int) -> tuple[list, dict[int, str]]:
    """:func:`convert_column` cell by cell, stale formulas included."""
    got: list = []
    problems: dict[int, str] = {}
    done: dict[tuple[type, object], tuple[object, str | None]] = {}
    stated = name.startswith("stated_")
    append = got.append
    for r in range(lo, hi):
        if stale and r + row_offset + 1 in stale:
            if stated:
                append(ABSENT)  # the budget's own figure, not calculated: nothing to check it against
            else:
                problems[r] = STALE
                append(BAD)
            continue
        cells = rows[r]
        raw = cells[i] if i < len(cells) else None
        if raw is None or raw == "" or (isinstance(raw, str) and raw.isspace()):
            append(ABSENT)
            continue
        kind = raw.__class__
        key = (kind, raw)
        hit = done.get(key) if kind is str or kind is float or kind is int else None
        if hit is None:
            hit = _read(raw, convert)
            if kind is str or kind is float or kind is int:
                done[key] = hit
        if hit[1] is not None:
            problems[r] = hit[1]
        append(hit[0])
    return got, problems
