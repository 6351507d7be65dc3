"""Dates as people type them for a price change: a day, or a month meaning its first day."""

from __future__ import annotations

from datetime import date

import pytest

from pricing.plan.months import find_month, parse_day


@pytest.mark.parametrize("text", ["2027-03-15", "2027/03/15", "15 Mar 2027", "15 March 2027"])
def test_a_typed_day_is_that_day(text):
    assert parse_day(text) == date(2027, 3, 15)


@pytest.mark.parametrize("text", ["2027-03", "Mar 2027", "03/2027"])
def test_a_month_alone_is_its_first_day(text):
    assert parse_day(text) == date(2027, 3, 1)


@pytest.mark.parametrize("text", ["03/04/2027", "next week", "2027-02-30"])
def test_an_ambiguous_or_impossible_date_is_refused(text):
    with pytest.raises(ValueError, match="not a date"):
        parse_day(text)


@pytest.mark.parametrize("text", ["Jan-26", "Jan 26", "Jan '26", "Jan26", "Jan-2026", "January 2026", "January-26"])
def test_a_month_label_with_a_two_or_four_digit_year_is_that_month(text):
    from pricing.plan.months import parse_month

    assert parse_month(text) == date(2026, 1, 1)


@pytest.mark.parametrize("text, month", [
    ("Requests Jan-26", date(2026, 1, 1)), ("Jan 2026 (k)", date(2026, 1, 1)), ("2026-02", date(2026, 2, 1)),
    ("2026-02-01", date(2026, 2, 1)), ("03/2026", date(2026, 3, 1)), ("Sept '26", date(2026, 9, 1)),
    ("März 2026", date(2026, 3, 1)), ("janv. 2026", date(2026, 1, 1)),
])
def test_a_month_is_found_inside_a_header(text, month):
    from pricing.plan.months import find_month

    assert find_month(text)[0] == month


@pytest.mark.parametrize("text", ["Q1 2026", "FY26", "2026", "Mar", "Jan 2026 - Mar 2026", "2026-13", "Junior 2026",
                                  "claude-3-5-sonnet-20241022", "Llama 3.1 70B"])
def test_no_month_is_found_where_none_or_two_are_written(text):
    from pricing.plan.months import find_month

    assert find_month(text) is None


@pytest.mark.parametrize("header, month", [
    ("Anfragen Januar 2026", date(2026, 1, 1)),
    ("gennaio 2026", date(2026, 1, 1)),
    ("mei 2026", date(2026, 5, 1)),
    ("janeiro 2026", date(2026, 1, 1)),
    ("Requêtes févr. 2026", date(2026, 2, 1)),
    ("styczeń 2026", date(2026, 1, 1)),
    ("ocak 2026", date(2026, 1, 1)),
    ("Июнь 2026", date(2026, 6, 1)),
])
def test_month_names_are_read_in_every_language_babel_knows(header, month):
    assert find_month(header)[0] == month


def test_a_month_abbreviation_that_is_an_english_header_word_is_not_a_month():
    assert find_month("Tokens out 2026") is None
    assert find_month("Data set 2026") is None
