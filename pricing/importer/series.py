"""Requests written month by month, as one workload: a start month, a volume and a growth.

A plan's workload is ``requests_per_month`` from ``start_month``, growing at a constant
``monthly_growth`` (see ``pricing.costing.projection``).  A budget that writes the requests of each
month in its own column is fitted to that shape:

* start month: the first month with requests (> 0); blank or zero months before it are
  months before the workload starts;
* requests per month: that month's requests, exactly as written;
* monthly growth: the constant rate that takes the first month's requests to the last
  month with requests, ``(last / first) ** (1 / k) - 1`` over the ``k`` months between
  them, rounded to ``GROWTH_PLACES`` (6 decimal places: 0.0001% a month).

A constant growth cannot always reproduce every month.  The fit says which month the
projection misses most (when it misses any by more than ``TOLERANCE``) and which months
after the start have no requests (a workload that pauses or stops: the plan keeps it
running).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation, localcontext

from pricing.plan.money import ZERO
from pricing.plan.months import months_between

GROWTH_PLACES = Decimal("0.000001")
#: A month the projection misses by more than this share of the file's value is reported.
TOLERANCE = Decimal("0.005")


@dataclass(frozen=True)
class MonthValue:
    month: date
    #: The requests written for the month; None when the cell is blank (or could not be read).
    value: Decimal | None
    cell: str


@dataclass(frozen=True)
class Miss:
    """The month a constant growth reproduces worst."""

    at: MonthValue
    planned: Decimal
    #: (planned - written) / written.
    deviation: Decimal


@dataclass
class SeriesFit:
    start: date | None
    requests: Decimal
    growth: Decimal
    first: MonthValue | None = None
    #: The last month with requests (> 0): the growth reaches it.
    last: MonthValue | None = None
    #: The worst month, only when it is off by more than TOLERANCE.
    worst: Miss | None = None
    #: Months after the start with no requests (0 or blank).
    gaps: list[MonthValue] = field(default_factory=list)

    @property
    def reproduced(self) -> bool:
        return self.worst is None


def planned(requests: Decimal, growth: Decimal, k: int) -> Decimal:
    """The requests the projection gives ``k`` months after the start (as ``Projection.requests``)."""
    return requests * (1 + growth) ** k


def _rate(last: Decimal, first: Decimal, k: int) -> Decimal:
    """(last / first) ** (1 / k) - 1, to GROWTH_PLACES.

    The k-th root is found by Newton's method in 28-digit Decimal arithmetic, seeded by a
    binary estimate (only a starting point: each step is exact Decimal arithmetic, and two
    steps from 15 good digits give all 28).  Ten times faster than a fractional power.
    """
    with localcontext() as ctx:
        ctx.prec = 28
        ratio = last / first
        try:
            x = Decimal(repr(float(ratio) ** (1.0 / k)))  # float ok: a seed, refined below
        except (OverflowError, ValueError):
            x = ratio ** (Decimal(1) / k)
        if not x.is_finite() or x <= 0:
            x = ratio ** (Decimal(1) / k)
        for _ in range(3):
            power = x ** (k - 1)
            step = (x * power - ratio) / (k * power)
            x -= step
            if abs(step) < Decimal("1e-24"):
                break
        try:
            return (x - 1).quantize(GROWTH_PLACES)
        except InvalidOperation:  # an absurd ratio (1e30 in a month) has more digits than the context
            return x - 1


def fit_series(points: list[MonthValue]) -> SeriesFit:
    """Start month, requests and growth for requests written month by month."""
    points = sorted(points, key=lambda p: p.month)
    begun = next((i for i, p in enumerate(points) if p.value is not None and p.value > 0), None)
    if begun is None:
        return SeriesFit(start=None, requests=ZERO, growth=ZERO)
    first = points[begun]
    later = points[begun + 1:]
    last = next((p for p in reversed(later) if p.value is not None and p.value > 0), first)
    assert first.value is not None and last.value is not None
    k = months_between(first.month, last.month)
    growth = ZERO
    if k > 0 and last.value != first.value:
        growth = _rate(last.value, first.value, k)
    fit = SeriesFit(start=first.month, requests=first.value, growth=growth, first=first, last=last)
    for point in later:
        if point.value is None or point.value <= 0:
            fit.gaps.append(point)
            continue
        value = planned(first.value, growth, months_between(first.month, point.month))
        if abs(value - point.value) <= TOLERANCE * point.value:
            continue
        deviation = (value - point.value) / point.value
        if fit.worst is None or abs(deviation) > abs(fit.worst.deviation):
            fit.worst = Miss(point, value, deviation)
    return fit
