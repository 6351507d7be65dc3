"""Reading a column at speed gives exactly what reading it cell by cell gives: the same values
(the same Decimals, digit for digit), the same cells refused with the same reasons."""

from __future__ import annotations

import math
import random
from datetime import date, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.importer.converters import INT_FIELDS, convert_cells, convert_column, converter_for, number_converter, text_of
from pricing.importer.headers import COUNT_FIELDS, DATE_FIELDS, FRACTION_FIELDS, PRICE_FIELDS
from pricing.importer.units import cell_text, to_number
from pricing.plan import bounds

#: What people type: plain digits, units, percentages, locale separators, errors, blanks, padding.
TEXTS = ["", " ", "\t", "0", "00", "7", "340607", "1.5", "0.25", " 42 ", "1.2M", "25k", "3 k", "2m", "45%", "4.5 %",
         "1,200", "1.200", "1.200,50", "1 200", "1\u00a0200", "1'200", "$0.90", "0,90 €", "USD 12", "n/a", "TBD", "—",
         "#DIV/0!", "#N/A", "-5", "1e3", "NaN", "inf", "١٢٣", "99999999999999999999", "123456789012345678901",
         "1" * 25, "2026-03", "Mar 2026", "Q2 2026", "gpt-4o", "Total", "TRUE"]
NUMBERS = [0, 1, 7, -3, 10**9, 10**16, 10**25, 0.0, -0.0, 1.0, 2.5, 1e15, 1e16, 340607.0, 0.1, float("nan"),
           float("inf"), -float("inf"), True, False, Decimal("1.5"), Decimal("NaN"), date(2026, 3, 4),
           datetime(2026, 3, 4, 12, 0), None]
FIELDS = sorted(COUNT_FIELDS | PRICE_FIELDS | FRACTION_FIELDS | DATE_FIELDS | INT_FIELDS) + [
    "name", "model", "tenant", "gpu_hour_rate", "stated_monthly_cost"]
UNITS = [None, "count", "per_1m", "per_1k", "per_token", "thousands", "millions", "percent"]


class _Text(str):
    """A text cell of a str subclass: told blank or not as a plain text is."""


def _cell(rnd: random.Random) -> object:
    pick = rnd.random()
    if pick < 0.03:
        return _Text(rnd.choice(["", " ", "12", "n/a"]))
    if pick < 0.35:
        return rnd.choice(TEXTS)
    if pick < 0.55:
        return rnd.choice(NUMBERS)
    if pick < 0.75:
        return str(rnd.randint(0, 10**rnd.randint(1, 22)))
    if pick < 0.85:
        return f"{rnd.randint(0, 10**6)}.{rnd.randint(0, 10**4)}"
    return rnd.choice([float(rnd.randint(0, 10**7)), rnd.randint(0, 10**13), rnd.random() * 10**rnd.randint(0, 17)])


def _distinct(rnd: random.Random, n: int) -> object:
    return rnd.choice([f"workload {n}", str(1000 + n), 1000 + n, 1000.0 + n, f"{n}.5", f" {n} "])


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, Decimal) and a.is_nan():
        return isinstance(b, Decimal) and b.is_nan()
    return type(a) is type(b) and a == b and str(a) == str(b)


def _reading(convert, raw: object) -> tuple[str, object]:
    try:
        return "value", convert(raw)
    except ValueError as exc:
        return "refused", str(exc)


def _outcome(read):
    try:
        return read()
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        return type(exc)


def _straightforward(name: str):
    """What a number field's converter was before its fast path: to_number, then the bound."""
    if name in bounds.BOUNDS:
        return lambda raw: bounds.check(name, to_number(raw))
    return to_number


def test_a_number_column_reads_every_cell_as_to_number_and_the_bound_do():
    rnd = random.Random(17)
    cells = TEXTS + NUMBERS + [_cell(rnd) for _ in range(3000)]
    for name in sorted(COUNT_FIELDS) + ["gpu_hour_rate", "input_mtok"]:
        fast, plain = number_converter(name), _straightforward(name)
        for raw in cells:
            (kind, got), (want_kind, want) = _reading(fast, raw), _reading(plain, raw)
            assert kind == want_kind and (_same(got, want) if kind == "value" else got == want), (name, raw, got, want)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"\s?\d{1,24}(\.\d{0,22})?\s?", fullmatch=True),
                 st.integers(min_value=-10**30, max_value=10**30), st.floats(allow_nan=True, allow_infinity=True)))
def test_any_cell_reads_as_a_request_count_as_to_number_and_the_bound_read_it(raw):
    (kind, got), (want_kind, want) = (_reading(number_converter("requests_per_month"), raw),
                                      _reading(_straightforward("requests_per_month"), raw))
    assert kind == want_kind and (_same(got, want) if kind == "value" else got == want)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.none(), st.dates()))
def test_a_text_cell_reads_as_its_display_text(raw):
    assert text_of(raw) == cell_text(raw)


def test_a_column_read_at_once_equals_the_column_read_cell_by_cell():
    rnd = random.Random(2026)
    for trial in range(120):
        name, unit = rnd.choice(FIELDS), rnd.choice(UNITS)
        convert = converter_for(name, unit)
        many = trial % 8 == 0  # longer than the probe of a column: a name or request-count column, or not
        pool = [_cell(rnd) for _ in range(rnd.choice([3, 40]) if many else rnd.randint(1, 40))]
        rows = [[rnd.choice(pool) for _ in range(rnd.choice([0, 2, 4, 4, 4]))]
                for _ in range(rnd.randint(2500, 5000) if many else rnd.randint(0, 400))]
        if many and trial % 16 == 0:  # nearly a new value a row, some blank or unreadable
            rows = [[_distinct(rnd, n) if rnd.random() < 0.93 else _cell(rnd) for _ in range(4)] for n in range(4500)]
        lo, hi, i = rnd.randint(0, 3), len(rows), rnd.randint(0, 3)
        fast = _outcome(lambda: convert_column(rows, lo, hi, i, name, convert, set(), 5))
        plain = _outcome(lambda: convert_cells(rows, lo, hi, i, name, converter_for(name, unit), set(), 5))
        if isinstance(plain, type):  # a cell no converter expects (Decimal('NaN')): the same error both ways
            assert fast is plain, (trial, name, unit)
            continue
        assert len(fast[0]) == len(plain[0]) and all(_same(a, b) for a, b in zip(fast[0], plain[0])), (trial, name, unit)
        assert fast[1] == plain[1], (trial, name, unit)


def test_a_column_with_a_stale_formula_reads_it_as_stale():
    rows = [["gpt-4o", "100"], ["gpt-4o", "200"]]
    got, problems = convert_column(rows, 0, 2, 1, "requests_per_month", converter_for("requests_per_month", None),
                                   {2}, 0)
    assert got[0] == Decimal(100) and 1 in problems and "no cached value" in problems[1]
