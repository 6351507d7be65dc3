"""Numbers as people type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pricing.plan.numbers import parse_number

D = Decimal


@pytest.mark.parametrize("text, value", [
    ("3000", D(3000)), ("3,000", D(3000)), ("3 000", D(3000)), ("3\u00a0000", D(3000)), ("3k", D(3000)),
    ("2M", D(2_000_000)), ("1.5bn", D(1_500_000_000)), ("2 million", D(2_000_000)), ("$0.90", D("0.90")),
    ("USD 0.90", D("0.90")), ("0,90 €", D("0.90")), ("€1.234,56", D("1234.56")), ("1,234.56", D("1234.56")),
    ("1.234.567", D(1234567)), ("50%", D("0.50")), ("(1,200)", D(-1200)), ("\u22125", D(-5)), ("1e3", D(1000)),
    (" 42 ", D(42)), ("US$3.30", D("3.30")), ("$-5", D(-5)),
])
def test_parses_numbers_as_people_write_them(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "lots", "1..2", "3kk", "$", "%", "1,2,3", "NaN", "inf", "12abc"])
def test_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_percent_can_be_kept_as_written():
    assert parse_number("50%", percent_is_fraction=False) == D(50)


def test_float_is_read_through_its_shortest_repr():
    assert parse_number(0.1) == D("0.1")
