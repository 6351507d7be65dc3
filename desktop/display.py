"""How figures look on screen: money in the plan's currency and locale (Babel), token counts, shares.

Display only: every value shown comes from the plan or the projection as a Decimal and is
rounded here for the eye, never for arithmetic.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pricing.plan.money import DEFAULT_LOCALE, currency_symbol as _symbol, format_money


class Denomination(str):
    """A plan's currency code that also knows the locale its figures are written in.

    ``Document.currency`` returns one, so every ``display.money(value, document.currency)``
    formats with Babel for the plan's currency and locale ("$1,234.50", "1.234,50 €").
    """

    locale: str

    def __new__(cls, code: str, locale: str | None = None) -> Denomination:
        obj = super().__new__(cls, code or "USD")
        obj.locale = locale or DEFAULT_LOCALE
        return obj


def _parts(currency: str) -> tuple[str, str]:
    return str(currency or "USD"), getattr(currency, "locale", DEFAULT_LOCALE)


def currency_symbol(currency: str) -> str:
    code, loc = _parts(currency)
    return _symbol(code, loc)


def axis_label_format(currency: str, unit: str = "k", decimals: int = 0) -> str:
    """A printf format for a chart axis in thousands (or the ``unit`` of ``axis_scale``):
    '$%.0fk' (en_US), '%.0fk €' (de_DE), '$%.1fM'."""
    code, loc = _parts(currency)
    sample = format_money(Decimal(1), 0, code, loc)
    symbol = _symbol(code, loc)
    number = f"%.{decimals}f{unit}"
    return sample.replace("1", number, 1) if symbol in sample else f"{number} {symbol}"


def axis_scale(peak: float) -> tuple[float, str]:
    """(divisor, unit) for a money axis whose largest value is ``peak``: thousands up to a million,
    then millions, then billions, so labels stay short ('$300M', not '$300000k')."""
    for divisor, unit in ((1e9, "B"), (1e6, "M")):
        if abs(peak) >= divisor:
            return divisor, unit
    return 1e3, "k"


def money(value: Decimal | None, currency: str = "USD", places: int = 2) -> str:
    if value is None:
        return ""
    code, loc = _parts(currency)
    return format_money(value, places, code, loc)


def small_money(value: Decimal | None, currency: str = "USD") -> str:
    """Per-request and per-1M figures: as many decimals as they need (2 to 6)."""
    if value is None:
        return ""
    code, loc = _parts(currency)
    return format_money(value, 2, code, loc, max_places=6)


def request_money(value: Decimal | None, currency: str = "USD") -> str:
    """The cost of one request: at least four decimals ($0.0060), more when it needs them (up to 8)."""
    if value is None:
        return ""
    code, loc = _parts(currency)
    return format_money(value, 4, code, loc, max_places=8)


def count(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,}"
    return f"{value.normalize():,f}"


def volume(value: Decimal) -> str:
    """Requests in a month: whole numbers as such, grown volumes to two decimals."""
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,}"
    return f"{value:,.2f}"


def share(value: Decimal | None) -> str:
    """0.25 -> '25%'; 0.035 -> '3.5%'."""
    if value is None:
        return ""
    pct = (value * 100).normalize()
    if pct == pct.to_integral_value():
        pct = pct.to_integral_value()
    return f"{pct:f}%"


def month(value: date | None) -> str:
    return value.strftime("%b %Y") if value else ""


def short_month(value: date) -> str:
    return value.strftime("%b %y")
