"""Calendar months as the projection counts them."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + (month.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start``'s month to ``end``'s month (negative when end is earlier)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def month_range(first: date, count: int) -> list[date]:
    first = first.replace(day=1)
    return [add_months(first, i) for i in range(count)]


def this_month(today: date | None = None) -> date:
    """The first day of the calendar month ``today`` (default: the clock's) falls in."""
    return (today or date.today()).replace(day=1)


def current_month_index(months: list[date], today: date | None = None) -> int:
    """Which month of a horizon we are in now: the first before it starts, the last after it ends."""
    key = this_month(today)
    if key <= months[0]:
        return 0
    if key >= months[-1]:
        return len(months) - 1
    return months_between(months[0], key)


class FiscalYear(NamedTuple):
    """A fiscal year as a horizon covers it: its label, its first month's index, its months there."""

    label: str   # 'FY2027', or 'FY2027 (part)' when the horizon covers fewer than its 12 months
    first: int
    count: int

    @property
    def name(self) -> str:
        return self.label.removesuffix(" (part)")


def fiscal_year_name(month: date, start: int) -> str:
    """The fiscal year ``month`` falls in, named for the calendar year it ends in: with the year
    starting in April (``start`` 4), April 2026 – March 2027 is FY2027; with January, the calendar year."""
    return f"FY{month.year + (1 if start > 1 and month.month >= start else 0)}"


def fiscal_years(months: list[date], start: int) -> list[FiscalYear]:
    """Each fiscal year the months touch, in order; a year they only partly cover is marked "(part)"."""
    out: list[list] = []
    for i, month in enumerate(months):
        name = fiscal_year_name(month, start)
        if out and out[-1][0] == name:
            out[-1][2] += 1
        else:
            out.append([name, i, 1])
    return [FiscalYear(name if count == 12 else f"{name} (part)", first, count) for name, first, count in out]


def parse_month(text: str) -> date:
    """'2026-01', '2026-01-01', 'Jan 2026', 'January 2026', '01/2026' -> date(2026, 1, 1).

    A month name with a two-digit year is a month too, as spreadsheets label month columns:
    'Jan-26', 'Jan 26', "Jan '26", 'Jan26' -> date(2026, 1, 1).
    """
    s = str(text).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y/%m", "%m/%Y", "%b %Y", "%B %Y", "%b-%Y", "%b-%y", "%Y-%m-%d %H:%M:%S"):
        try:
            from datetime import datetime

            return datetime.strptime(s, fmt).date().replace(day=1)
        except ValueError:
            continue
    named = _named_months(s)
    if len(named) == 1 and named[0][1] == 0 and named[0][2] == len(s):
        return named[0][0]
    raise ValueError(f"not a month: {text!r} (write it as 2026-01)")


#: Languages whose month names are read first, and win when a word names different months in
#: different languages ('mai' is May in French and German, August in another language).
_LEADING_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "tr", "ru",
                      "ja", "zh", "ko")


#: Month abbreviations of some language that are ordinary words in an English header
#: ('Tokens out', 'Data set', 'Gen AI'): never read as months.
_HEADER_WORDS = frozenset({"out", "set", "gen", "ago", "mag", "lip", "sit", "see", "man", "kan", "tot"})


def _names_of(language: str) -> dict[str, int]:
    """Babel's (CLDR's) month names of one language, wide and abbreviated, lowercase, without dots."""
    from babel import Locale

    locale = Locale.parse(language)
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months.get(context, {}).get(width, {}).items():
                word = name.lower().rstrip(".")
                if len(word) >= 3 and word.replace(" ", "").isalpha() and word not in _HEADER_WORDS:
                    names.setdefault(word, number)
    return names


@lru_cache(maxsize=2)
def _month_words(every_language: bool) -> tuple[dict[str, int], re.Pattern, re.Pattern]:
    """Month name -> number, and the patterns that find a name with and without a year.

    The leading languages come first; ``every_language`` adds every other language Babel knows
    (about 330), keeping a word only when it is four letters or more (short words such as 'see'
    or 'man' are month abbreviations somewhere but ordinary words in a header) and only when no
    two languages give it different months.
    """
    number: dict[str, int] = {}
    for language in _LEADING_LANGUAGES:
        for word, n in _names_of(language).items():
            number.setdefault(word, n)
    if every_language:
        from babel import localedata

        others: dict[str, set[int]] = {}
        for language in localedata.locale_identifiers():
            if "_" in language or language in _LEADING_LANGUAGES:
                continue
            for word, n in _names_of(language).items():
                if len(word) >= 4 and word not in number:
                    others.setdefault(word, set()).add(n)
        number.update({word: ns.pop() for word, ns in others.items() if len(ns) == 1})
    alternatives = "|".join(re.escape(w) for w in sorted(number, key=len, reverse=True))
    #: A month name then a year of 4 or 2 digits: 'Jan 2026', 'Jan-26', "Jan '26", 'January, 2026', 'Jan26'.
    named = re.compile(rf"(?<![^\W\d_])({alternatives})\.?(?:[\s,/.-]*['’]|[\s,/.-]*)(\d{{4}}|\d{{2}})(?!\d)",
                       re.IGNORECASE)
    #: A month name with no year near it: 'Jan', 'January', 'Sept.', 'Requests Jan', 'Jan (k)'.
    bare = re.compile(rf"(?<![^\W_])({alternatives})\.?(?![^\W_])", re.IGNORECASE)
    return number, named, bare


def _named_months(text: str) -> list[tuple[date, int, int]]:
    """Every 'month name + year' in ``text``: in the leading languages, else in any language."""
    for every_language in (False, True):
        number, named, _ = _month_words(every_language)
        found = [(date(_year(m.group(2)), number[m.group(1).lower()], 1), m.start(), m.end())
                 for m in named.finditer(text)]
        if found or not _LETTERS_THEN_YEAR.search(text):
            return found
    return found


#: Letters followed by a year: the shape of a month name in a language not read yet.
_LETTERS_THEN_YEAR = re.compile(r"[^\W\d_]{4,}\.?[\s,/.-]*['’]?(?:\d{4}|\d{2})(?!\d)")
#: A year then a month number, optionally a day: '2026-01', '2026/1', '2026-01-01' (a date written as text).
_YEAR_MONTH = re.compile(r"(?<![\d/.-])(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[T ][\d:.]+)?(?![\d/.-])")
#: A month number then a year: '01/2026', '1-2026'.
_MONTH_YEAR = re.compile(r"(?<![\d/.-])(\d{1,2})[-/.](\d{4})(?![\d/.-])")


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def find_month(text: str) -> tuple[date, int, int] | None:
    """The one calendar month written somewhere in ``text``, with where it is written.

    'Requests Jan-26' -> (date(2026, 1, 1), 9, 15).  Finds a month name with a year
    ('Jan 2026', 'Jan-26', "Jan '26", 'January 2026'), a year and month number ('2026-01',
    '2026-01-01') or a month number and year ('01/2026').  None when there is no month, when
    two different months are written (a range), or when the numbers are not a real date.
    """
    found: list[tuple[date, int, int]] = []
    found.extend(_named_months(text))
    for match in _YEAR_MONTH.finditer(text):
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            return None  # '2026-02-30', '2026-13': numbers that are not a date
        found.append((day.replace(day=1), match.start(), match.end()))
    for match in _MONTH_YEAR.finditer(text):
        if 1 <= int(match.group(1)) <= 12:
            found.append((date(int(match.group(2)), int(match.group(1)), 1), match.start(), match.end()))
    found = [f for f in found if 1900 <= f[0].year <= 2199]
    if not found or len({f[0] for f in found}) > 1:
        return None
    return min(found, key=lambda f: f[1])


def parse_day(text: str) -> date:
    """'2027-03-15', '2027/03/15', '15 Mar 2027', '15 March 2027' -> that day; a month alone
    ('2027-03', 'Mar 2027') -> its first day.  Day/month orders like 03/04/2027 are refused
    as ambiguous rather than guessed."""
    from datetime import datetime

    s = str(text).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    try:
        return parse_month(s)
    except ValueError:
        raise ValueError(f"not a date: {text!r} (write it as 2027-03-01)") from None


@lru_cache(maxsize=4096)
def label(month: date) -> str:
    return month.strftime("%b %Y")


#: A fiscal or calendar year: 'FY26', 'FY 2026', "FY'26", 'CY2026'.
_FISCAL_YEAR = re.compile(r"(?<![^\W_])(FY|CY)\s*['’]?(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
#: A year alone, not part of a date: '2026', 'forecast 2026', '2026-2027' (its first year),
#: but not '2026-01', '2026-01-15' or '15/01/2026'.
_PLAIN_YEAR = re.compile(r"(?<!\d[/.-])(?<![\d])(19\d\d|20\d\d|21\d\d)(?!\d)"
                         r"(?![/.-](?:0?[1-9]|1[0-2])(?!\d))(?![/.-]\d{1,2}[/.-]\d)")


def find_month_name(text: str) -> tuple[int, int, int] | None:
    """The one month named in ``text`` without a year, with where it is written.

    'Jan' -> (1, 0, 3); 'Requests Sept.' -> (9, 9, 14).  None when the text names no month,
    two different months, or has a digit in it (a year or a day: see :func:`find_month`).
    """
    if re.search(r"\d", text):
        return None
    number, _, bare = _month_words(False)
    found = [(number[m.group(1).lower()], m.start(), m.end()) for m in bare.finditer(text)]
    if not found or len({f[0] for f in found}) > 1:
        return None
    return found[0]


def find_year(text: str) -> tuple[int, str] | None:
    """The (first) year written in ``text`` and how it was read, '' when plainly.

    'LLM volume forecast 2026' -> (2026, ''); 'Budget FY26' -> (2026, 'FY26 read as calendar
    2026'): a fiscal year is taken as the calendar year of its number (a fiscal year starting
    in January).  'Budget 2026-2027' -> (2026, '').  Dates ('2026-01', '15/01/2026') are not years.
    """
    found: list[tuple[int, int, str]] = []
    for m in _FISCAL_YEAR.finditer(text):
        year = 2000 + int(m.group(2)) if len(m.group(2)) == 2 else int(m.group(2))
        how = f"{m.group(0)} read as calendar {year}" if m.group(1).upper() == "FY" else ""
        found.append((m.start(), year, how))
    for m in _PLAIN_YEAR.finditer(text):
        if not any(start <= m.start() < start + 8 for start, _, _ in found):
            found.append((m.start(), int(m.group(1)), ""))
    found = [f for f in found if 1900 <= f[1] <= 2199]
    if not found:
        return None
    _, year, how = min(found, key=lambda f: (f[1], f[2] != "", f[0]))
    return year, how
