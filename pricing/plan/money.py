"""One way in for numbers: money, rates and token counts are ``Decimal`` in the core.

Floats never reach a cost.  ``D`` turns ints, strings and Decimals into Decimals;
floats are accepted only through their shortest ``repr`` (what a user typed), never
through their binary value.
"""

from __future__ import annotations

import copy
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from contextvars import ContextVar
from functools import lru_cache
from itertools import repeat
from operator import mul

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

# Babel (its locale data) is imported when a figure is first written in a locale or a currency
# code checked, not with this module: a command that writes plain decimals never loads it.

ZERO = Decimal(0)
ONE = Decimal(1)
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")

#: Sums of many 28-digit products are taken in this context so that a total is the
#: exact sum of its parts, and an incremental update (total - old + new) equals a
#: full recomputation digit for digit.
SUM_CONTEXT = Context(prec=80)


def D(value: object) -> Decimal:
    """Convert ``value`` to a Decimal, exactly: the one door from a value already a number (a cell,
    a record, a float a library returned) to money.  Text a person typed (``3k``, ``50%``,
    ``1.200,50 €``) goes through ``pricing.plan.numbers.parse_number`` instead.

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


#: Rounds to the cent without a context of its own per call: wide enough for any amount a plan
#: holds (see ``bounds``), and trapping the one thing that could go wrong (an amount too wide
#: for it), so that ``round_cents`` can fall back to a context sized to the amount.
_CENTS_CONTEXT = Context(prec=SUM_CONTEXT.prec, rounding=ROUND_HALF_UP, traps=[InvalidOperation])


#: Rounds a product to the cent, half up (``quantize_cents(value, CENT)``), raising InvalidOperation
#: for an amount too wide for its 80 digits: ``cents_of``'s rounding, for a loop that does its work inline.
quantize_cents = _CENTS_CONTEXT.quantize


def round_cents(value: Decimal) -> Decimal:
    """Round to the cent as Excel's ROUND(x, 2) does: half away from zero.

    The projection's workload-month amounts are rounded so (see README, "Figures that add
    up"); the precision grows with the value so that even absurd amounts round, not raise.
    """
    try:
        return value.quantize(CENT, ROUND_HALF_UP, _CENTS_CONTEXT)
    except InvalidOperation:  # not finite, or wider than 80 digits
        return _round_cents_sized(value)


def cents_of(base: Decimal, factors) -> list[Decimal]:
    """``[round_cents(base * f) for f in factors]``, the products taken in the current context:
    the projection's month amounts of one row, rounded without a call per cell (C-level ``map``
    over ``operator.mul`` and the cents context's ``quantize``, which rounds half-up; ``mul`` is called
    without an argument tuple, ``base.__mul__`` with one: 12% less time a row)."""
    try:
        return list(map(_CENTS_CONTEXT.quantize, map(mul, repeat(base), factors), repeat(CENT)))
    except InvalidOperation:
        return [round_cents(base * f) for f in factors]


def _round_cents_sized(value: Decimal) -> Decimal:
    if not value.is_finite():
        return value
    with localcontext() as ctx:
        ctx.prec = max(SUM_CONTEXT.prec, value.adjusted() + 4)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A Decimal as a plain decimal string (no exponent), trailing zeros kept."""
    return format(value, "f")


#: The locale figures are formatted in when a plan names none.
DEFAULT_LOCALE = "en_US"

#: The currency and locale ``format_money`` uses when a call names none: USD in en_US, or the plan
#: a command works on (``use_money_format``), so a EUR plan's figures never come out in dollars.
_MONEY_FORMAT: ContextVar[tuple[str, str]] = ContextVar("money_format", default=("USD", DEFAULT_LOCALE))


def use_money_format(currency: str, locale: str | None = None) -> None:
    """Format money in ``currency`` and ``locale`` from now on (in this context) when a call names none."""
    _MONEY_FORMAT.set((currency or "USD", locale or DEFAULT_LOCALE))


def currency_code(text: str) -> str:
    """``text`` as an ISO 4217 code ('eur' -> 'EUR'); ValueError for anything else ('dollars')."""
    from babel.numbers import is_currency

    code = str(text or "").strip().upper()
    if not is_currency(code):
        raise ValueError(f"{text!r} is not an ISO 4217 currency code (write USD, EUR, GBP ...)")
    return code


def locale_name(text: str | None) -> str:
    """A locale Babel knows ('de_DE', 'de-DE'), normalised; ValueError otherwise."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse((text or DEFAULT_LOCALE).strip().replace("-", "_")))
    except (ValueError, UnknownLocaleError, TypeError):
        raise ValueError(f"{text!r} is not a locale (write en_US, de_DE, fr_FR ...)") from None


@lru_cache(maxsize=256)
def _pattern(locale: str, places: int, max_places: int) -> tuple[Locale, NumberPattern]:
    from babel import Locale

    loc = Locale.parse(locale)
    pattern = copy.copy(loc.currency_formats["standard"])
    pattern.frac_prec = (places, max_places)
    return loc, pattern


@lru_cache(maxsize=32)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


@lru_cache(maxsize=256)
def _money_layout(locale: str, currency: str, places: int, top: int) -> tuple | None:
    """What Babel's ``NumberPattern.apply`` writes around and between the digits of a money figure
    in ``locale``: (negative?, prefix and suffix; group and decimal symbols; grouping; least integer
    digits); None for a pattern only Babel should apply (scientific, significant digits, scaled,
    plural currency names, or quotes anywhere, which Babel strips from the whole text)."""
    from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

    loc, pattern = _pattern(locale, places, top)
    if pattern.exp_prec or "@" in pattern.pattern or pattern.scale or not pattern.number_pattern:
        return None
    symbol = get_currency_symbol(currency, loc)
    sides = []
    for text in (*pattern.prefix, *pattern.suffix):
        if "¤¤¤" in text:
            return None
        sides.append(text.replace("¤¤", currency.upper()).replace("¤", symbol))
    group, decimal = get_group_symbol(loc, numbering_system="latn"), get_decimal_symbol(loc, numbering_system="latn")
    if any("'" in text or "¤" in text for text in (*sides, group, decimal)):
        return None
    return (sides[0], sides[2]), (sides[1], sides[3]), group, decimal, pattern.grouping, pattern.int_prec[0]


def _write_money(rounded: Decimal, layout: tuple, places: int, top: int) -> str:
    """``rounded`` (already at ``top`` decimals) as ``pattern.apply`` writes it, without its look-ups."""
    positive, negative, group, decimal, (first, rest), least = layout
    prefix, suffix = negative if rounded.is_signed() else positive
    if first == 3 and rest == 3 and least == 1 and top > 0:
        # Groups of three: Python's own grouping writes the digits (C code), and the symbols are the
        # locale's.  '-0.00' is signed as is_signed() says.  Decimals beyond ``places`` are written only
        # up to the last that is not nought (a cost per request: $0.0095867), as below.
        text = f"{rounded:,f}"
        if text[0] == "-":
            text = text[1:]
        if places < top:
            whole, _, frac = text.partition(".")
            frac = _decimals(frac, places)
            text = f"{whole}.{frac}" if frac else whole
        return prefix + (text if group == "," and decimal == "." else text.translate(_symbols(group, decimal))) + suffix
    whole, _, frac = f"{rounded.copy_abs():f}".partition(".")
    if len(whole) < least:
        whole = "0" * (least - len(whole)) + whole
    grouped, size = "", first
    while len(whole) > size:
        grouped = group + whole[-size:] + grouped
        whole = whole[:-size]
        size = rest
    frac = _decimals(frac, places) if top else ""
    return prefix + whole + grouped + (decimal + frac if frac else "") + suffix


def _decimals(frac: str, places: int) -> str:
    """The decimals written of ``frac`` (a figure's digits after the point): at least ``places`` of
    them, and those beyond only up to the last that is not nought."""
    kept = frac.rstrip("0")
    return kept + "0" * (places - len(kept)) if len(kept) < places else kept


@lru_cache(maxsize=64)
def _symbols(group: str, decimal: str) -> dict[int, str]:
    return str.maketrans({",": group, ".": decimal})


def money_writer(places: int = 2, currency: str | None = None, locale: str | None = None,
                 max_places: int | None = None):
    """``format_money`` with every argument but the value fixed: a function writing a column of
    figures, the currency and locale (and their layout) settled once instead of per figure."""
    default_currency, default_locale = _MONEY_FORMAT.get()
    top = max(places, max_places or places)
    locale, currency = locale or default_locale, currency or default_currency
    layout = _money_layout(locale, currency, places, top)
    if layout is None:
        return lambda value: format_money(value, places, currency, locale, max_places)
    quantum, quantize = _quantum(top), Decimal.quantize
    (plus, plus_end), (minus, minus_end), group, decimal, grouping, least = layout
    # Groups of three with Python's own symbols (en_US and many more): the text Python's format writes,
    # between the locale's prefix and suffix (a table of 100,000 rows writes 300,000 figures).
    plain = grouping == (3, 3) and least == 1 and places == top > 0 and group == "," and decimal == "."

    def write(value: Decimal) -> str:
        try:
            rounded = quantize(value, quantum, ROUND_HALF_UP, SUM_CONTEXT)
        except InvalidOperation:  # wider than 80 digits, or infinite
            return format_money(value, places, currency, locale, max_places)
        if not rounded.is_finite():
            return format_money(value, places, currency, locale, max_places)
        if plain:
            text = f"{rounded:,f}"
            return minus + text[1:] + minus_end if text[0] == "-" else plus + text + plus_end
        return _write_money(rounded, layout, places, top)
    return write


def _round_places(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, however many digits that takes (an infinity
    or NaN as it is)."""
    try:
        return value.quantize(_quantum(places), ROUND_HALF_UP, SUM_CONTEXT)
    except InvalidOperation:
        if not value.is_finite():
            return value
        with localcontext(SUM_CONTEXT) as ctx:
            ctx.prec = max(SUM_CONTEXT.prec, value.adjusted() + places + 2)
            return value.quantize(_quantum(places), ROUND_HALF_UP)


def format_money(value: Decimal, places: int = 2, currency: str | None = None, locale: str | None = None,
                 max_places: int | None = None) -> str:
    """``$12,000.00`` (en_US), ``12.000,00 €`` (de_DE): Babel's currency format for the locale,
    rounded half-up to ``places`` (up to ``max_places``) decimals.  Display only.  The text is
    Babel's to the character; a figure is written from the locale's layout, looked up once."""
    default_currency, default_locale = _MONEY_FORMAT.get()
    top = max(places, max_places or places)
    locale, currency = locale or default_locale, currency or default_currency
    # The largest figures within the plan's bounds have 60 digits: rounded in SUM_CONTEXT.  A figure
    # from outside them (a stated cost of 1e300 in a budget being imported) is written in full.
    rounded = _round_places(value, top)
    layout = _money_layout(locale, currency, places, top) if rounded.is_finite() else None
    if layout is not None:
        return _write_money(rounded, layout, places, top)
    with localcontext(SUM_CONTEXT):
        loc, pattern = _pattern(locale, places, top)
        return pattern.apply(rounded, loc, currency=currency, currency_digits=False)


def format_rate(value: Decimal, currency: str | None = None, locale: str | None = None) -> str:
    """A per-1M rate with 2 to 6 decimals, as many as it needs."""
    return format_money(value, 2, currency, locale, max_places=6)


def format_number(value: Decimal, places: int = 0, locale: str | None = None) -> str:
    """A number in the locale's digits, up to ``places`` decimals (``1.500.000``, ``0,92`` in de_DE)."""
    with localcontext(SUM_CONTEXT):
        q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
        from babel.numbers import format_decimal

        return format_decimal(q, format=None, locale=locale or DEFAULT_LOCALE, decimal_quantization=False)


def currency_symbol(currency: str, locale: str | None = None) -> str:
    """'$' for USD, '€' for EUR, 'CHF' ..., as the locale writes it."""
    from babel.numbers import get_currency_symbol

    return get_currency_symbol(currency or "USD", locale=locale or DEFAULT_LOCALE)


def excel_money_format(currency: str = "USD", locale: str | None = None, places: int = 2,
                       max_places: int | None = None) -> str:
    """A spreadsheet number format for money in ``currency``, laid out as the locale writes it
    (``"$"#,##0.00`` for en_US, ``#,##0.00\\ "€"`` for de_DE).  Separators are the reader's own."""
    from babel import Locale

    loc = Locale.parse(locale or DEFAULT_LOCALE)
    pattern = loc.currency_formats["standard"].pattern.split(";")[0]
    top = max(places, max_places or places)
    digits = "0" * places + "#" * (top - places)
    number = "#,##0" + ("." + digits if digits else "")
    body = re.sub(r"[#0,]+(\.[#0]+)?", number, pattern, count=1)
    symbol = '"' + currency_symbol(currency, locale).replace('"', "") + '"'
    return body.replace("\u00a4", symbol).replace("\u00a0", "\\ ")
