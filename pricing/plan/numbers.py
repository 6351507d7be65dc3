"""Reading numbers the way people type them into budgets.

``3000``, ``3,000``, ``3 000``, ``3k``, ``2M``, ``1.5bn``, ``$0.90``, ``USD 0.90``,
``0,90 €``, ``50%``, ``(1,200)`` and ``−5`` all become exact Decimals; anything else is
refused with a message saying why.  Nothing is guessed silently: an ambiguous separator
such as ``1,234`` is read as thousands only when the groups are of three digits.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_CURRENCY = re.compile(r"(?i)^(?:us\$|usd|eur|gbp|chf|cad|aud|jpy|[$€£¥])\s*|\s*(?:usd|eur|gbp|chf|cad|aud|jpy|[$€£¥])$")
_SUFFIX = {
    "k": Decimal(1_000), "thousand": Decimal(1_000),
    "m": Decimal(1_000_000), "mm": Decimal(1_000_000), "mn": Decimal(1_000_000), "million": Decimal(1_000_000),
    "b": Decimal(1_000_000_000), "bn": Decimal(1_000_000_000), "billion": Decimal(1_000_000_000),
    "t": Decimal(10) ** 12, "trillion": Decimal(10) ** 12,
}
_SUFFIX_RE = re.compile(r"(?i)^(.*?\d)\s*(k|thousand|mm|mn|m|million|bn|b|billion|t|trillion)$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3}){2,}(,\d*)?$|^\d{1,3}(\.\d{3})+,\d*$")


def parse_number(text: object, *, percent_is_fraction: bool = True) -> Decimal:
    """Parse ``text`` to a Decimal.  ``50%`` gives 0.5 unless ``percent_is_fraction`` is False."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, bool):
        raise ValueError("a yes/no value is not a number")
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        if not math.isfinite(text):  # float ok: a float cell from a reader, made exact below
            raise ValueError("not a finite number")
        return Decimal(repr(text))
    s = str(text).strip()
    if not s:
        raise ValueError("empty")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = s.replace("\u2212", "-").replace("\u2013", "-")
    if s.startswith("-"):
        negative, s = not negative, s[1:].strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    s = _CURRENCY.sub("", s).strip()
    if s.startswith("-"):  # "$-5"
        negative, s = not negative, s[1:].strip()
    scale = Decimal(1)
    if s.endswith("%"):
        s = s[:-1].strip()
        if percent_is_fraction:
            scale = Decimal("0.01")
    match = _SUFFIX_RE.match(s)
    if match:
        s, scale = match.group(1), scale * _SUFFIX[match.group(2).lower()]
    s = _SPACES.sub("", s)
    s = _normalize_separators(s)
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+|\d+(\.\d*)?[eE][+-]?\d+", s):
        raise ValueError(f"not a number: {str(text).strip()!r}")
    try:
        value = Decimal(s) * scale
    except InvalidOperation:
        raise ValueError(f"not a number: {str(text).strip()!r}") from None
    return -value if negative else value


def parse_count(text: object) -> Decimal:
    """A token count or a number of requests: like ``parse_number``, but money (``$0.50``,
    ``0,90 €``) and percentages are refused, since a count is neither."""
    if isinstance(text, str):
        s = text.strip()
        if _CURRENCY.search(s):
            raise ValueError(f"{s!r} is money, not a count of tokens or requests")
        if s.endswith("%"):
            raise ValueError(f"{s!r} is a percentage, not a count of tokens or requests")
    return parse_number(text)


def _normalize_separators(s: str) -> str:
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # 1.234,56
            return s.replace(".", "").replace(",", ".")
        return s.replace(",", "")  # 1,234.56
    if "," in s:
        if _THOUSANDS_COMMA.match(s):
            return s.replace(",", "")
        if s.count(",") == 1:  # 0,90
            return s.replace(",", ".")
        return s
    if s.count(".") > 1 and _THOUSANDS_DOT.match(s):  # 1.234.567
        return s.replace(".", "")
    return s
