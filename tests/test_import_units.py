"""Units and values as budgets write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from pricing.importer.headers import field_for, read_header
from pricing.importer.units import count_unit_in, price_unit_in, to_fraction, to_month, to_number, to_scaled


@pytest.mark.parametrize("text, unit", [
    ("$/1K tokens", "per_1k"), ("Input price per 1,000 tokens", "per_1k"), ("USD per thousand tokens", "per_1k"),
    ("price per token", "per_token"), ("$/token", "per_token"), ("Input ($ per million tokens)", "per_1m"),
    ("$/1M input", "per_1m"), ("Output $/MTok", "per_1m"), ("Input price", None),
])
def test_price_units_from_header_or_note_text(text, unit):
    assert price_unit_in(text) == unit


def test_prices_are_held_per_million_tokens():
    assert to_scaled("0.0009", "per_1k") == Decimal("0.9")
    assert to_scaled(0.0000009, "per_token") == Decimal("0.9")
    assert to_scaled("$0.90", "per_1m") == Decimal("0.90")


@pytest.mark.parametrize("header, unit", [("Requests (M)", "millions"), ("Monthly calls (000s)", "thousands"),
                                          ("Avg tokens (k)", "thousands"), ("Requests per month", None)])
def test_count_units_from_the_header(header, unit):
    assert count_unit_in(header) == unit


@pytest.mark.parametrize("value, expected", [
    ("2M", 2_000_000), ("3k", 3000), ("1,200", 1200), ("USD 0.90", Decimal("0.90")), ("0,90 €", Decimal("0.90")),
    (1000.0, 1000), (" 42 ", 42),
])
def test_numbers_as_people_type_them(value, expected):
    assert to_number(value) == expected


@pytest.mark.parametrize("value", ["n/a", "#DIV/0!", True, date(2026, 1, 1)])
def test_what_is_not_a_number_says_why(value):
    with pytest.raises(ValueError):
        to_number(value)


@pytest.mark.parametrize("value, expected", [("50%", Decimal("0.5")), (0.5, Decimal("0.5")), (50, Decimal("0.5")),
                                             ("5", Decimal("0.05")), (1, Decimal(1))])
def test_percentages_as_fraction_percent_or_text(value, expected):
    assert to_fraction(value) == expected


@pytest.mark.parametrize("value", [46082, 46082.0, "46082", date(2026, 3, 17), datetime(2026, 3, 17, 9, 30),
                                   "2026-03", "2026-03-17", "Mar 2026", "March 2026", "03/2026", "17/03/2026"])
def test_start_months_from_serials_dates_and_text(value):
    assert to_month(value) == date(2026, 3, 1)


@pytest.mark.parametrize("header, field", [
    ("Model name", "model"), ("model_id", "model"), ("Input, $/1M", "input_mtok"), ("Completion price", "output_mtok"),
    ("Monthly calls", "requests_per_month"), ("Volume", "requests_per_month"),
    ("Prompt tokens per request", "input_tokens"), ("Customer", "tenant"), ("Account", "tenant"), ("Env", "environment"),
    ("Deployment", "mode"), ("GPU type", "gpu_type"), ("GPUs", "gpu_count"), ("$/GPU-hour", "gpu_hour_rate"),
    ("Hours", "hours_per_month"), ("Throughput tokens/s", "throughput"), ("Cost per request", "stated_request_cost"),
])
def test_header_synonyms(header, field):
    assert field_for(header)[0] == field


def test_a_bare_input_output_pair_on_a_rate_sheet_is_the_price():
    kind, fields = read_header(["Model", "Input", "Output"])
    assert kind == "rates" and [f for f, _ in fields.values()] == ["model", "input_mtok", "output_mtok"]


def test_binary_cell_values_are_read_to_excels_fifteen_digits():
    assert to_number(0.3 * 3) == Decimal("0.9")
    assert to_number(1e-7) == Decimal("1E-7")
    assert to_number(1234.5678) == Decimal("1234.5678")


@pytest.mark.parametrize("text, expected", [("Q2 2026", date(2026, 4, 1)), ("q4-26", date(2026, 10, 1)),
                                            ("2026 Q1", date(2026, 1, 1)), ("2026-Q3", date(2026, 7, 1))])
def test_a_start_written_as_a_calendar_quarter_is_its_first_month(text, expected):
    assert to_month(text) == expected
