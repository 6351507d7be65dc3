"""The FX table: the plan's currency per US dollar, month by month; read from a CSV, never fetched."""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from datetime import date
from decimal import Decimal
from pathlib import Path

from pricing.plan.money import D
from pricing.plan.months import parse_month
from pricing.plan.terms import FxRate


class FxTable:
    """Lookups in a dated FX table: a rate holds from its month until the next one.

    A month before the first rate takes the first (``before_first`` tells which months did).
    """

    def __init__(self, rates: tuple[FxRate, ...]):
        self.rates = tuple(sorted(rates, key=lambda r: r.month))
        self._months = [r.month for r in self.rates]

    def __bool__(self) -> bool:
        return bool(self.rates)

    def entry_on(self, month: date) -> FxRate | None:
        if not self.rates:
            return None
        i = bisect_right(self._months, month) - 1
        return self.rates[max(i, 0)]

    def rate_on(self, month: date) -> Decimal | None:
        entry = self.entry_on(month)
        return entry.per_usd if entry else None

    def before_first(self, month: date) -> bool:
        return bool(self.rates) and month < self._months[0]


def read_fx_csv(source: str | Path, text: str | None = None) -> tuple[FxRate, ...]:
    """FX rates from a CSV of ``month, rate per USD`` rows (a header row is skipped).

    Months are written as 2026-01, 'Jan 2026', 'gennaio 2026'...; rates with a point or a
    decimal comma.  A bad row raises ValueError naming the file and line.
    """
    name = Path(source).name if text is None else str(source)
    if text is None:
        text = Path(source).read_text(encoding="utf-8-sig")
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rates: dict[date, FxRate] = {}
    for line, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [c.strip() for c in cells if c.strip()]
        if not cells:
            continue
        if len(cells) < 2:
            raise ValueError(f"{name}, line {line}: expected a month and a rate per USD")
        try:
            month = parse_month(cells[0])
        except ValueError:
            if line == 1:
                continue  # the header
            raise ValueError(f"{name}, line {line}: {cells[0]!r} is not a month") from None
        raw = cells[1].replace(" ", "")
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            per_usd = D(raw)
        except ValueError:
            raise ValueError(f"{name}, line {line}: {cells[1]!r} is not a rate") from None
        if per_usd <= 0:
            raise ValueError(f"{name}, line {line}: a rate per USD must be above zero (is {cells[1]})")
        if month in rates:
            raise ValueError(f"{name}, line {line}: a second rate for {month:%B %Y}")
        rates[month] = FxRate(month=month, per_usd=per_usd)
    if not rates:
        raise ValueError(f"{name}: no FX rates found (expected rows of month, rate per USD)")
    return tuple(sorted(rates.values(), key=lambda r: r.month))
