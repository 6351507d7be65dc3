"""How figures look on screen: money with the plan's currency label, token counts, shares.

Display only: every value shown comes from the plan or the projection as a Decimal and is
rounded here for the eye, never for arithmetic.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pricing.plan.money import format_money, format_rate

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "CAD": "CA$", "AUD": "A$"}


def currency_symbol(currency: str) -> str:
    code = (currency or "USD").strip()
    return _SYMBOLS.get(code.upper(), code + " " if code else "$")


def money(value: Decimal | None, currency: str = "USD", places: int = 2) -> str:
    if value is None:
        return ""
    return format_money(value, places, currency_symbol(currency))


def small_money(value: Decimal | None, currency: str = "USD") -> str:
    """Per-request and per-1M figures: as many decimals as they need (2 to 6)."""
    if value is None:
        return ""
    return format_rate(value, currency_symbol(currency))


def request_money(value: Decimal | None, currency: str = "USD") -> str:
    """The cost of one request: at least four decimals ($0.0060), more when it needs them (up to 8)."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    places = max(4, min(8, -exponent if isinstance(exponent, int) and exponent < 0 else 0))
    return format_money(value, places, currency_symbol(currency))


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
