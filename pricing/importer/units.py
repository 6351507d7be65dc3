"""Units as budgets write them, and turning a cell into the value a field needs.

Prices are held per 1M tokens in the plan; a sheet may give them per token, per 1K or per
1M tokens (in the header, "$/1K tokens", or in a note above the table, "prices per
million tokens").  Percent fields accept 0.5, 50 and "50%".  Counts accept "2M", "3k",
"1,200" and numbers stored as text.  Dates accept date cells, Excel serial numbers and text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from pricing.plan.months import parse_month
from pricing.plan.numbers import parse_number

PRICE_UNITS = {"per_token": Decimal(1_000_000), "per_1k": Decimal(1_000), "per_1m": Decimal(1)}
COUNT_UNITS = {"count": Decimal(1), "thousands": Decimal(1_000), "millions": Decimal(1_000_000)}
PERCENT = "percent"
UNIT_NAMES = {
    "per_token": "per token", "per_1k": "per 1K tokens", "per_1m": "per 1M tokens",
    "count": "as written", "thousands": "in thousands", "millions": "in millions",
    PERCENT: "percent (50, 50% or 0.5 all mean one half)",
}

_PER_TOKEN = re.compile(r"(?i)(?:per|/|each)\s*(?:1\s*)?(?:token|tok)\b(?!s?\s*/)|price per token|\$/token|/ ?tok\b")
_PER_1K = re.compile(r"(?i)(?:per|/)\s*(?:1\s*)?(?:k\b|k\s*tok|kilo|thousand|1[,.\s]?000\b(?![,.\s]?000))|\b1k\s*tokens|/\s*1k|"
                     r"per\s+1,?000\s+tokens|\bktok")
_PER_1M = re.compile(r"(?i)(?:per|/)\s*(?:1\s*)?(?:m\b|m\s*tok|mtok|million|1[,.\s]?000[,.\s]?000\b)|\b1m\s*tokens|/\s*1m|"
                     r"\bmtok|per\s+mil\b")


def price_unit_in(text: str) -> str | None:
    """'per_token', 'per_1k' or 'per_1m' when ``text`` names one, else None."""
    if not text:
        return None
    if _PER_1M.search(text):
        return "per_1m"
    if _PER_1K.search(text):
        return "per_1k"
    if _PER_TOKEN.search(text):
        return "per_token"
    return None


# "(k)", "(000s)", "(k req/mo)", "(thousands of calls)", "k calls / month"; "(M)", "(m tokens)", "(mm)".
_THOUSANDS = re.compile(r"(?i)\((?:k|000s?|thousands?)\b[^)]*\)|\bin thousands\b|\bk (?:tokens|requests|req|calls)\b|"
                        r"\('000\)|\bthousands\b")
_MILLIONS = re.compile(r"(?i)\((?:m|mm|mn|millions?)\b[^)]*\)|\bin millions\b|\bmillions\b|\bmillion tokens\b|\bmtok\b|"
                       r"\b(?:m|mm) (?:tokens|requests|req|calls)\b")


def count_unit_in(text: str) -> str | None:
    if _MILLIONS.search(text or ""):
        return "millions"
    if _THOUSANDS.search(text or ""):
        return "thousands"
    return None


def guess_price_unit(values: list[Decimal]) -> str:
    """Per token when the prices are tiny (a millionth of a dollar), else per 1M."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return "per_1m"
    median = positive[len(positive) // 2]
    if median < Decimal("0.0005"):
        return "per_token"
    return "per_1m"


# --------------------------------------------------------------------------- cell values
def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """Display text of a cell value (for previews and text fields)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != datetime.min.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


#: Digits with an optional fraction: a number written plainly, read by ``Decimal(text)`` as is.
PLAIN_NUMBER = _PLAIN = re.compile(r"\d{1,20}(?:\.\d{1,20})?")


def to_number(value: object) -> Decimal:
    """A cell as a Decimal; raises ValueError with the reason."""
    kind = value.__class__
    if kind is str:  # the usual cells first, each as the general path below reads it
        return _number_from_text(value.strip())  # type: ignore[attr-defined]
    if kind is int:
        return Decimal(value)  # type: ignore[arg-type]
    if isinstance(value, bool):
        raise ValueError("a TRUE/FALSE value is not a number")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return Decimal(int(value))
        if value == value and value not in (float("inf"), float("-inf")):  # float ok: Excel stores doubles
            # A binary cell value (.xls/.xlsb, a formula result) is read as Excel shows it:
            # 15 significant digits, so =0.3*3 is 0.9, not 0.8999999999999999.
            return Decimal(format(value, ".15g"))
    if isinstance(value, (int, float, Decimal)):
        return parse_number(value)
    if isinstance(value, (date, datetime, timedelta)):
        raise ValueError(f"a date/time ({cell_text(value)}) is not a number")
    return _number_from_text(str(value).strip())


@lru_cache(maxsize=65536)
def _number_from_text(text: str) -> Decimal:
    if _PLAIN.fullmatch(text):
        return Decimal(text)  # digits with an optional fraction: finite, what D gives
    if text.startswith("#") and text.endswith(("!", "?", "A")):
        raise ValueError(f"the cell holds the error {text}")
    return parse_number(text)


def to_scaled(value: object, unit: str | None) -> Decimal:
    number = to_number(value)
    if unit in PRICE_UNITS:
        return number * PRICE_UNITS[unit]
    if unit in COUNT_UNITS:
        return number * COUNT_UNITS[unit]
    return number


_PRICE_WITH_UNIT = re.compile(r"(?is)^\s*(.*?\d[\d.,\s\u00a0]*?)\s*(?:usd|eur|gbp|[$€£])?\s*((?:/|\bper\b|\beach\b).*)$")


def price_with_unit(value: object, column_unit: str | None) -> Decimal:
    """A price per 1M tokens from a cell that may name its own unit, as rate cards copied from a
    provider's page do ('$0.0025 / 1K tokens', '$15 / MTok', '0.000002 per token'); the cell's
    unit wins over the column's."""
    if isinstance(value, str):
        found = _PRICE_WITH_UNIT.match(value)
        unit = price_unit_in(found.group(2)) if found else None
        if unit is not None:
            return to_number(found.group(1).strip()) * PRICE_UNITS[unit]
    return to_scaled(value, column_unit) if column_unit in PRICE_UNITS else to_number(value)


def to_fraction(value: object) -> Decimal:
    """0.5, 50 and '50%' -> 0.5 (a number above 1 is read as a percentage)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return _number_from_text(value.strip())
    number = to_number(value)
    return number / 100 if abs(number) > 1 else number


_EXCEL_EPOCH = date(1899, 12, 30)


def to_month(value: object) -> date:
    """A date cell, an Excel serial number or text ('2026-03', 'Mar 2026', '03/2026', 'Q2 2026': the
    quarter's first month) -> first of month."""
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # 1954..2119 as a 1900-system serial
            return (_EXCEL_EPOCH + timedelta(days=int(value))).replace(day=1)
        raise ValueError(f"{cell_text(value)} is not a date")
    return _month_from_text(str(value).strip())


_ISO_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?(?:[T ][\d:.]+Z?)?")


#: A calendar quarter, 'Q2 2026', 'Q2-26', '2026 Q2', '2026-Q2': its first month.
_QUARTER = re.compile(r"(?i)q([1-4])\s*[-/ ]?\s*'?(\d{4}|\d{2})|(\d{4})\s*[-/ ]?\s*q([1-4])")


@lru_cache(maxsize=4096)
def _month_from_text(text: str) -> date:
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return to_month(float(text))  # float ok: Excel stores doubles
    quarter = _QUARTER.fullmatch(text)
    if quarter:
        q, year = (quarter.group(1), quarter.group(2)) if quarter.group(1) else (quarter.group(4), quarter.group(3))
        return date(int(year) + (2000 if len(year) == 2 else 0), 3 * int(q) - 2, 1)
    iso = _ISO_MONTH.fullmatch(text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        return date(int(iso.group(1)), int(iso.group(2)), 1)
    try:
        return parse_month(text)
    except ValueError:
        pass
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%B %d, %Y",
                "%b %d, %Y", "%b %y", "%B, %Y"):
        try:
            return datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(f"not a month: {text!r} (write it as 2026-01)")


def currency_in(texts: list[str]) -> str | None:
    """'EUR' or 'GBP' when the prices are written in euros or pounds."""
    joined = " ".join(texts)
    if "€" in joined or re.search(r"\bEUR\b", joined):
        return "EUR"
    if "£" in joined or re.search(r"\bGBP\b", joined):
        return "GBP"
    return None
