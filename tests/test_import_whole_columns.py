"""A column read whole (one table of its distinct values, plain digits and plain texts in one pass)
gives every cell exactly what converting that cell alone gives: the same values digit for digit,
the same cells refused with the same reasons, blanks left unset."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from pricing.importer import converters
from pricing.importer.converters import ABSENT, BAD, convert_column, converter_for, number_converter, text_of
from pricing.importer.headers import COUNT_FIELDS, DATE_FIELDS, FRACTION_FIELDS, PRICE_FIELDS
from pricing.importer.units import cell_text

#: Texts as CSV files and spreadsheets give them: blanks, padding, digits of other scripts, 20 and 21
#: digits, numbers with units and separators, errors, totals, dates.
TEXTS = ["", " ", "\t", "\u00a0", "0", "00", "7", "340607", "1.5", " 42 ", "1.2M", "25k", "45%", "1,200", "1.200",
         "1 200", "$0.90", "n/a", "#DIV/0!", "#N/A", "-5", "1e3", "NaN", "inf", "-0", "١٢٣", "²", "12\u00b2",
         "9" * 20, "9" * 21, "1" + "0" * 12, "1000000000001", "2026-03", "Mar 2026", "gpt-4o", "Total", "TRUE",
         "0.0000009", "½"]
FLOATS = [0.0, -0.0, 1.0, 7.0, 340607.0, 2.5, 0.1, 1e15, -1e15, 999999999999999.0, 1e12, 1e12 + 1, -3.0, 1e300,
          float("nan"), float("inf"), -float("inf"), 0.5]
INTS = [0, 1, 7, -3, 10**12, 10**12 + 1, 10**15, 10**25, 2**70]
FIELDS = sorted(COUNT_FIELDS | PRICE_FIELDS | FRACTION_FIELDS | DATE_FIELDS) + [
    "name", "model", "tenant", "context_length", "gpu_hour_rate", "stated_monthly_cost"]
UNITS = [None, "count", "per_1k", "per_token", "thousands", "percent"]


def _alone(convert, raw):
    """What one cell becomes read on its own, as the importer's straightforward loop reads it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ABSENT, None
    try:
        return convert(raw), None
    except ValueError as exc:
        return BAD, f"cannot read {cell_text(raw)!r}: {exc}"


def _shown(value):
    return value if value is ABSENT or value is BAD else (type(value), str(value))


def _column(rnd: random.Random, pool: list, rows: int, width: int = 3) -> list[list]:
    """Rows of ``width`` cells, column 1 drawn from ``pool``; some rows stop before column 1."""
    out = []
    for _ in range(rows):
        row = [rnd.choice(["w", "", None]), rnd.choice(pool), "x"][:width]
        if rnd.random() < 0.05:
            row = row[:1]
        out.append(row)
    return out


def _check(rows, name, unit, lo=2, offset=4):
    convert = converter_for(name, unit)
    got, problems = convert_column(rows, lo, len(rows), 1, name, convert, set(), offset)
    expected = [_alone(convert, row[1] if len(row) > 1 else None) for row in rows[lo:]]
    assert [_shown(v) for v in got] == [_shown(v) for v, _ in expected], (name, unit)
    assert problems == {lo + k: finding for k, (_, finding) in enumerate(expected) if finding is not None}, (name, unit)
    return got, problems


@pytest.fixture
def whole_only(monkeypatch):
    """The cell-by-cell reading made unusable: a column must be read whole to pass."""
    def refuse(*args, **kwargs):
        raise AssertionError("read cell by cell")
    monkeypatch.setattr(converters, "_convert_part", refuse)


@pytest.mark.parametrize("kinds", ["texts", "texts and floats", "texts and ints"])
def test_a_column_read_whole_gives_each_cell_its_own_reading(kinds, whole_only):
    rnd = random.Random(kinds)
    pool = TEXTS + [None] + (FLOATS if "floats" in kinds else INTS if "ints" in kinds else [])
    for name in FIELDS:
        for unit in UNITS:
            _check(_column(rnd, pool, rnd.randint(3, 300)), name, unit)


def test_plain_digit_columns_are_read_in_one_pass_with_their_bound(whole_only):
    rnd = random.Random(5)
    digits = [str(rnd.randint(0, 10**rnd.randint(1, 12))) for _ in range(3000)]
    got, problems = _check([["a", d] for d in digits], "requests_per_month", None)
    assert not problems and all(type(v) is Decimal for v in got)
    beyond = digits + ["1" + "0" * 13]  # one request count beyond the plan's bound: that cell refused
    got, problems = _check([["a", d] for d in beyond], "requests_per_month", None)
    assert list(problems) == [len(beyond) - 1] and "beyond the largest" in problems[len(beyond) - 1]
    wide = digits + ["9" * 21, "١٢٣", "0012"]  # 21 digits (not plain), other scripts' digits, leading zeros
    _check([["a", d] for d in wide], "input_tokens", None)
    floats = [float(rnd.randint(0, 10**9)) for _ in range(3000)]
    got, problems = _check([["a", f] for f in floats + [-0.0, 999999999999999.0, 1e15, 2.5]], "output_tokens", None)
    assert problems and got[-4] == 0
    _check([["a", i] for i in [rnd.randint(0, 10**12) for _ in range(500)] + [10**12 + 1]], "requests_per_month", None)
    # A field with no bound: the edges of the one-pass reading decide alone what a cell becomes.
    for edge in ("1e15", "-1e15", "999999999999999", "-999999999999999", "0.5", "nan", "inf", "-0"):
        _check([["a", f] for f in floats[:300] + [float(edge)]], "gpu_hour_rate", None)
    for edge in ("²", "١٢٣", "9" * 20, "9" * 21, "12.5", " 12", "", "0x10"):
        _check([["a", d] for d in digits[:300] + [edge]], "gpu_hour_rate", None)


def test_text_columns_strip_their_cells_and_leave_blanks_unset(whole_only):
    rows = [["a", v] for v in ["  gpt-4o ", "", "\t", "\u00a0", " \u2003 ", "x", None, "Total"]]
    got, problems = convert_column(rows, 0, len(rows), 1, "model", text_of, set(), 0)
    assert got == ["gpt-4o", ABSENT, ABSENT, ABSENT, ABSENT, "x", ABSENT, "Total"] and problems == {}
    _check(rows, "model", None, lo=0)


def test_a_column_whose_types_may_equal_one_another_is_read_cell_by_cell(monkeypatch):
    """TRUE and 1, or 1 and 1.0, in one column: not one table keyed by value."""
    read = []
    part = converters._convert_part
    monkeypatch.setattr(converters, "_convert_part", lambda *a: read.append(1) or part(*a))
    for pool in ([1, 1.0, "1"], [True, 1.0, "x"], [True, 1, None]):
        rows = [["a", v] for v in pool * 50]
        _check(rows, "requests_per_month", None, lo=0)
        _check(rows, "name", None, lo=0)
    assert read


def test_number_converters_are_known_to_the_whole_column_reader():
    for name in ("requests_per_month", "input_tokens", "gpu_hour_rate"):
        convert = number_converter(name)
        assert convert in converters._NUMBER_BOUNDS


def test_plain_number_columns_with_blank_cells_are_read_in_one_pass(monkeypatch):
    """Digits with blank cells ("" or None), whole floats or ints with blank cells: one pass, no
    value converted alone, and each cell what converting it alone gives (a blank left unset)."""
    rnd = random.Random(8)
    columns = {
        "texts": [rnd.choice(["", None, str(rnd.randint(0, 10**9))]) for _ in range(3000)],
        "floats": [rnd.choice(["", None, float(rnd.randint(0, 10**9)), -0.0, 0.0]) for _ in range(3000)],
        "ints": [rnd.choice(["", None, rnd.randint(0, 10**9)]) for _ in range(3000)],
        "blank": ["", None] * 100,
    }
    expected = {kind: [(k, cells) for k in ("requests_per_month", "gpu_hour_rate")] for kind, cells in columns.items()}
    wanted = {}
    for kind, pairs in expected.items():
        for name, cells in pairs:
            convert = converter_for(name, None)
            wanted[(kind, name)] = [_shown(_alone(convert, v)[0]) for v in cells]
    monkeypatch.setattr(converters, "_read", lambda raw, convert: pytest.fail(f"{raw!r} converted alone"))
    monkeypatch.setattr(converters, "_convert_part", lambda *a: pytest.fail("read cell by cell"))
    for (kind, name), want in wanted.items():
        rows = [["a", v] for v in columns[kind]]
        got, problems = convert_column(rows, 0, len(rows), 1, name, converter_for(name, None), set(), 0)
        assert [_shown(v) for v in got] == want and problems == {}, (kind, name)


def test_a_blank_of_white_space_or_a_text_among_numbers_is_read_value_by_value():
    for pool in (["", 5.0, " "], [5.0, "x", None], ["12", " ", None], ["12", "1.5"], [3, "", "n/a"]):
        _check([["a", v] for v in pool * 40], "requests_per_month", None, lo=0)
        _check([["a", v] for v in pool * 40], "gpu_hour_rate", None, lo=0)
