"""format_money writes a figure from the locale's layout, looked up once, instead of asking Babel
each time: the text must be Babel's own, character for character, in every locale Babel knows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from babel import Locale, localedata
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.plan.money import SUM_CONTEXT, _pattern, format_money, money_writer


def _has_currency_format(name: str) -> bool:
    try:
        return "standard" in Locale.parse(name).currency_formats
    except Exception:  # noqa: BLE001 - a locale Babel lists but cannot load is simply not one to test
        return False


LOCALES = sorted(name for name in localedata.locale_identifiers() if _has_currency_format(name))
CURRENCIES = ["USD", "EUR", "JPY", "CHF", "INR", "GBP", "BRL", "ILS"]
VALUES = ["0", "-0", "0.004", "-0.005", "1", "12.5", "-1234.5", "1234567.891", "98765432109876543210.123456", "0.1234565"]


def _babel(value: Decimal, places: int, currency: str, locale: str, top: int) -> str:
    """What format_money wrote before: Babel's NumberPattern.apply on the rounded figure."""
    loc, pattern = _pattern(locale, places, top)
    with localcontext(SUM_CONTEXT):
        rounded = value.quantize(Decimal(1).scaleb(-top), rounding=ROUND_HALF_UP)
        return pattern.apply(rounded, loc, currency=currency, currency_digits=False)


def test_every_locale_writes_money_as_babel_does():
    for locale in LOCALES:
        currency = CURRENCIES[hash(locale) % len(CURRENCIES)]
        for value in VALUES:
            for places, top in ((2, 2), (2, 6), (0, 3)):
                assert format_money(Decimal(value), places, currency, locale, top) == \
                    _babel(Decimal(value), places, currency, locale, top), (locale, value, places, top)


@settings(max_examples=300, deadline=None)
@given(value=st.decimals(min_value=Decimal("-1e30"), max_value=Decimal("1e30"), allow_nan=False, places=7),
       locale=st.sampled_from(LOCALES), currency=st.sampled_from(CURRENCIES),
       places=st.integers(0, 4), extra=st.integers(0, 4))
def test_any_figure_in_any_locale_is_written_as_babel_writes_it(value, locale, currency, places, extra):
    assert format_money(value, places, currency, locale, places + extra) == \
        _babel(value, places, currency, locale, places + extra)


@pytest.mark.parametrize("locale", ["de_CH", "it_CH"])
def test_a_locale_grouping_with_apostrophes_is_left_to_babel(locale):
    # Babel strips quoted text from the whole figure, the group apostrophes included: kept as Babel writes it.
    assert format_money(Decimal("1234567.5"), 2, "CHF", locale) == _babel(Decimal("1234567.5"), 2, "CHF", locale, 2)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.decimals(min_value=Decimal("-1e30"), max_value=Decimal("1e30"), allow_nan=False, places=9),
                       min_size=1, max_size=5),
       locale=st.sampled_from(LOCALES), currency=st.sampled_from(CURRENCIES),
       places=st.integers(0, 4), extra=st.integers(0, 4))
def test_a_money_writer_writes_each_figure_as_babel_writes_it(values, locale, currency, places, extra):
    write = money_writer(places, currency, locale, places + extra)
    for value in values:
        assert write(value) == _babel(value, places, currency, locale, places + extra)


def test_a_money_writer_for_every_locale_writes_the_edge_figures_as_babel_does():
    for locale in LOCALES:
        currency = CURRENCIES[hash(locale) % len(CURRENCIES)]
        for places, top in ((2, 2), (4, 8)):
            write = money_writer(places, currency, locale, top)
            for value in VALUES:
                assert write(Decimal(value)) == _babel(Decimal(value), places, currency, locale, top), (locale, value)
