"""One way in for numbers: money, rates and token counts are ``Decimal`` in the core.

Floats never reach a cost.  ``D`` turns ints, strings and Decimals into Decimals;
floats are accepted only through their shortest ``repr`` (what a user typed), never
through their binary value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

ZERO = Decimal(0)
ONE = Decimal(1)
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")

#: Sums of many 28-digit products are taken in this context so that a total is the
#: exact sum of its parts, and an incremental update (total - old + new) equals a
#: full recomputation digit for digit.
SUM_CONTEXT = Context(prec=80)


def D(value: object) -> Decimal:
    """Convert ``value`` to a Decimal, exactly.

    >>> D("0.90") + D(3)
    Decimal('3.90')
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise TypeError(f"cannot make a Decimal of {type(value).__name__}")


def exact_sum(values) -> Decimal:
    """Sum Decimals without rounding (80 significant digits)."""
    with localcontext(SUM_CONTEXT):
        return sum(values, ZERO)


def round_cents(value: Decimal) -> Decimal:
    """Round half-up to the cent, for display and reports only."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A Decimal as a plain decimal string (no exponent), trailing zeros kept."""
    return format(value, "f")


def format_money(value: Decimal, places: int = 2, currency: str = "$") -> str:
    """``$12,000.00``; negative as ``-$5.00``.  Display only."""
    q = Decimal(1).scaleb(-places)
    rounded = value.quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{currency}{abs(rounded):,.{places}f}"


def format_rate(value: Decimal, currency: str = "$") -> str:
    """A per-1M rate with 2 to 6 decimals, as many as it needs."""
    normalized = value.normalize()
    places = max(2, min(6, -normalized.as_tuple().exponent if normalized.as_tuple().exponent < 0 else 0))
    return format_money(value, places, currency)
