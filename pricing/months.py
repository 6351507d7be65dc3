"""Calendar months as the projection counts them."""

from __future__ import annotations

from datetime import date


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + (month.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start``'s month to ``end``'s month (negative when end is earlier)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def month_range(first: date, count: int) -> list[date]:
    first = first.replace(day=1)
    return [add_months(first, i) for i in range(count)]


def parse_month(text: str) -> date:
    """'2026-01', '2026-01-01', 'Jan 2026', 'January 2026', '01/2026' -> date(2026, 1, 1)."""
    s = str(text).strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y/%m", "%m/%Y", "%b %Y", "%B %Y", "%b-%Y", "%b-%y", "%Y-%m-%d %H:%M:%S"):
        try:
            from datetime import datetime

            return datetime.strptime(s, fmt).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(f"not a month: {text!r} (write it as 2026-01)")


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


def label(month: date) -> str:
    return month.strftime("%b %Y")
