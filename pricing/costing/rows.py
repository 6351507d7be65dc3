"""What the projection keeps of each workload: its row (rate, findings, start, monthly costs,
request cost per rate version), the growth factors rows share, and a row's tokens per month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal
from itertools import repeat
from operator import mul

from pricing.costing.engine import RequestCost
from pricing.plan.money import ZERO
from pricing.plan.findings import Finding
from pricing.plan.models import ModelRate, Workload
from pricing.yielding import give_way


#: The context growth factors are worked out in, whoever asks first (a row's pricing, or the Batch
#: tally in the 80-digit sum context): Python's default, 28 digits, so a factor never depends on
#: which caller extended the table.
_FACTORS = Context(prec=28, rounding=ROUND_HALF_EVEN)


class GrowthTable:
    """(1 + g) ** k, computed once per growth rate."""

    def __init__(self) -> None:
        self._tables: dict[Decimal, list[Decimal]] = {}
        self._runs: dict[tuple[Decimal, int, int], tuple[Decimal, ...]] = {}

    def run(self, growth: Decimal, lo: int, hi: int) -> tuple[Decimal, ...]:
        """(1+g)**lo ... (1+g)**(hi-1), one tuple shared by every caller asking for the same run of months
        (each distinct row of a budget would otherwise keep its own copy of the same 36 factors)."""
        key = (growth, lo, hi)
        got = self._runs.get(key)
        if got is None:
            got = self._runs[key] = tuple(self.table(growth, hi)[lo:hi])
        return got

    def table(self, growth: Decimal, length: int) -> list[Decimal]:
        """[(1+g)**0, (1+g)**1, ...] with at least ``length`` entries."""
        table = self._tables.get(growth)
        if table is None:
            table = self._tables[growth] = [Decimal(1)]
        if len(table) < length:
            base = _FACTORS.add(1, growth)
            table.extend(_FACTORS.power(base, k) for k in range(len(table), length))
        return table

    def factor(self, growth: Decimal, k: int) -> Decimal:
        return self.table(growth, k + 1)[k]


class RowTokens:
    """A row's tokens in each month of a horizon: its first month's tokens (requests × tokens per
    request), grown month by month from its start; the noughts before.  ``weight`` and ``spread``
    split that in two, what rows share (growth and start) and what is the row's own, for the Batch
    ledger's whole-plan count (``BatchLimitLedger``)."""

    def __init__(self, growth: GrowthTable, horizon: int):
        self.growth = growth
        self.horizon = horizon

    def __call__(self, row: Row) -> list[Decimal]:
        return self.spread(*self.weight(row))

    @staticmethod
    def weight(row: Row) -> tuple[tuple[Decimal, int], Decimal]:
        """((growth, start), tokens in the first month)."""
        w = row.workload
        return (w.monthly_growth, row.start), w.requests_per_month * (w.input_tokens + w.output_tokens + w.reasoning_tokens)

    def spread(self, profile: tuple[Decimal, int], base: Decimal) -> list[Decimal]:
        """Tokens in each month of ``base`` tokens a month growing by ``growth`` from ``start``, the
        products taken in the caller's context."""
        growth, start = profile
        first = max(start, 0)
        horizon = self.horizon
        if first >= horizon:
            return [ZERO] * horizon
        table = self.growth.table(growth, horizon - start)
        tokens = [ZERO] * first
        tokens += map(mul, repeat(base), table[first - start:horizon - start])
        return tokens


@dataclass(slots=True)
class Row:
    """What the projection knows of one workload."""

    workload: Workload
    rate: ModelRate | None
    findings: list[Finding]
    priceable: bool
    #: Index into the horizon of the workload's first month (may be negative or past the end).
    start: int
    costs: list[Decimal]
    #: Request cost per distinct rate version, keyed by the version's start date.
    request_costs: dict[date | None, RequestCost] = field(default_factory=dict)

    def first_month(self, horizon: int) -> int:
        """The month the workload's figures are quoted for: its first month with traffic, held
        within the horizon (the first month when it started before the plan, the last when it
        starts after the horizon ends: the month nearest its start)."""
        return first_month_with_traffic(self.start, horizon)

    def runs_within(self, horizon: int) -> bool:
        """Whether the workload has traffic in any month of the horizon."""
        return self.start < horizon

    @property
    def capacity_id(self) -> str | None:
        w = self.workload
        return None if w.mode.per_token or not self.priceable else w.capacity


def first_month_with_traffic(start: int, horizon: int) -> int:
    """The one rule for "the first month with traffic" as an index into a horizon of
    ``horizon`` months: ``start`` held within the horizon."""
    return min(max(start, 0), horizon - 1)


def rows_priced_by(rows: list[Row], rate_ids: set[str]) -> set[int]:
    """The indices of ``rows`` priced by a rate whose id is in ``rate_ids`` (a rate edit's rows).

    Rows share a few rate objects: each object's id (a property) is read once.  Gives way to a
    thread the application puts first every few thousand rows (``pricing.yielding``)."""
    hit: dict[int, bool] = {}
    out: set[int] = set()
    for i, row in enumerate(rows):
        if not i % 2048:
            give_way()
        rate = row.rate
        if rate is not None:
            found = hit.get(id(rate))
            if found is None:
                found = hit[id(rate)] = rate.id in rate_ids
            if found:
                out.add(i)
    return out
