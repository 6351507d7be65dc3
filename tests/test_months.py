"""Dates as people type them for a price change: a day, or a month meaning its first day."""

from __future__ import annotations

from datetime import date

import pytest

from pricing.months import parse_day


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
