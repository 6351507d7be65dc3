"""Month-by-month projection of a plan, kept up to date edit by edit.

For each workload and month ``m`` of the horizon:

    requests(m) = requests_per_month × (1 + monthly_growth) ^ (m - start_month)   (0 before start)
    cost(m)     = requests(m) × request cost at the rates in force on the first day of m × (1 - discount)

A price change takes effect from the first month that starts on or after its date: a month
is priced at the rates of its first day.  Dedicated and GPU-cluster workloads are not
billed per token: each month, the capacity's spend is shared among the workloads it serves
in proportion to their tokens; a month in which it serves nothing is idle cost, kept on its
own line so totals still carry it.  Each model's Batch tokens are tallied against the
enqueued-token limit by ``batch_limit.BatchLimitLedger``, which ``update`` and ``splice``
keep current row by row.

Each workload-month is an amount in cents, rounded as Excel's ``ROUND(x, 2)`` rounds (half
away from zero), and every subtotal and total is the sum of those amounts: what finance
re-adds from a printed page is what the app says.  Rates and per-request costs keep their
full precision; only the month amounts are rounded.  A capacity's spend is shared out
share by share, each share rounded, so the shares may add up to a cent more or less than
the spend; a month it serves nothing is its spend, rounded, as idle cost.  Totals are exact
sums of cents, so updating one row and adjusting the totals by the difference gives the
same digits as projecting the whole plan again (``update`` and ``splice``: ``projection_edits``).
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from operator import add

from pricing.costing.batch_limit import BatchLimitLedger
from pricing.costing.allocation import share_capacity
from pricing.costing.engine import RequestCost
from pricing.costing.projection_edits import EditedInPlace
from pricing.plan.findings import Finding, severity_counts
from pricing.gc_pause import gc_paused
from pricing.plan.models import DeploymentMode, ModelRate, Plan, Workload
from pricing.plan.money import SUM_CONTEXT, ZERO, exact_sum
from pricing.plan.months import FiscalYear, add_months, fiscal_years
from pricing.costing.rates import RateBook
from pricing.costing.row_pricer import RowPricer
from pricing.costing.rows import GrowthTable, Row, RowTokens
from pricing.terms.pricer import TermsPricer
from pricing.yielding import EVERY, give_way

#: Rows a new projection prices between two give-ways (a few milliseconds).
_BUILD_SLICE = 8 * EVERY

_BATCH = DeploymentMode.BATCH
_PER_TOKEN = frozenset(m for m in DeploymentMode if m.per_token)
BREAKDOWNS = ("tenant", "feature", "environment", "model", "mode")
IDLE_KEY = "(idle capacity)"


class Projection(EditedInPlace):
    """A plan's monthly costs; ``update`` re-prices edited rows and only what they feed.

    ``horizon`` is a count of months (default: the plan's); ``months`` is the list of those
    months' first days.
    """

    def __init__(self, plan: Plan, horizon: int | None = None):
        # settle: the rows and cells made here go to the collector's oldest generation, so its next
        # pass (at the next allocation) does not walk them all (half a second at 100,000 workloads)
        with gc_paused(settle=True):
            self._build(plan, horizon)

    def _build(self, plan: Plan, horizon: int | None) -> None:
        self.plan = plan
        #: (errors, warnings) among the rows' own findings, counted when first asked for and then
        #: kept in step by ``update`` and ``splice`` (a window shows them after every edit).
        self._row_counts: tuple[int, int] | None = None
        self.horizon = horizon or plan.assumptions.horizon_months
        self.months = [add_months(plan.assumptions.first_month, i) for i in range(self.horizon)]
        self.terms = TermsPricer(plan, self.months)  # discounts, reservations, FX
        self.book = RateBook.of(self.terms.rate_sheet(plan.rates))
        self._growth = GrowthTable()
        #: Each row's tokens per month (capacity shares and the Batch limit).
        self._tokens = RowTokens(self._growth, self.horizon)
        self.pricer = RowPricer(plan, self.book, self.months, self._growth)
        row_of = self.pricer.row
        workloads = plan.workloads
        self.rows: list[Row] = []
        # A window projects a plan it opens on a worker while it paints; between slices the worker
        # gives way (pricing.yielding): built in one go, each of a paint's calls into Python waited
        # for the lock, and opening a second large plan paused the window 128-129 ms.
        for start in range(0, len(workloads), _BUILD_SLICE):
            give_way()
            self.rows += [row_of(i, w) for i, w in enumerate(workloads[start:start + _BUILD_SLICE], start)]
        self.idle: dict[str, list[Decimal]] = {}
        self.capacity_findings: dict[str, list[Finding]] = {}
        members: dict[str, list[int]] = {}
        batch: list[Row] = []
        horizon = self.horizon
        with localcontext(SUM_CONTEXT):  # exact: the same sums in any order
            totals = [ZERO] * horizon
            #: What rows of one amount from their first month on add to each month from that month
            #: on, kept at that month (one sum a row, not one a month) and carried forward below.
            level = [ZERO] * horizon
            for i, row in enumerate(self.rows):
                mode = row.workload.mode
                if mode in _PER_TOKEN:
                    if mode is _BATCH:
                        batch.append(row)
                    first = row.start
                    if first >= horizon:
                        continue
                    if first < 0:
                        first = 0
                    costs = row.costs
                    if costs[first] is costs[-1]:  # one amount every month from the first (no growth, one price)
                        level[first] += costs[first]
                    elif first == 0:
                        totals = list(map(add, totals, costs))
                    else:  # a per-token row's months before its start are ZERO
                        totals[first:] = map(add, totals[first:], costs[first:])
                elif row.capacity_id:
                    members.setdefault(row.capacity_id, []).append(i)
                else:  # not priceable: its zeros, all the same
                    totals = list(map(add, totals, row.costs))
            carried = ZERO
            for m, amount in enumerate(level):
                if amount is not ZERO:
                    carried += amount
                if carried is not ZERO:
                    totals[m] += carried
        for capacity_id in self._capacity_ids():
            self._allocate(capacity_id, members.get(capacity_id, []))
        with localcontext(SUM_CONTEXT):
            for indices in members.values():
                for i in indices:
                    totals = list(map(add, totals, self.rows[i].costs))
            for line in self.idle.values():
                totals = list(map(add, totals, line))
        self.month_totals = totals
        tokens = self._tokens
        self.batch_ledger = BatchLimitLedger(self.months, plan.assumptions.batch_token_limit, tokens,
                                             (tokens.weight, tokens.spread))
        self.batch_ledger.add_many(batch)  # the ledger counts Batch rows only

    # ----------------------------------------------------------------- figures
    @property
    def total(self) -> Decimal:
        return exact_sum(self.month_totals)

    def total_for(self, first: int, count: int) -> Decimal:
        return exact_sum(self.month_totals[first : first + count])

    def row_total(self, index: int) -> Decimal:
        return exact_sum(self.rows[index].costs)

    def requests(self, index: int, month: int) -> Decimal:
        row = self.rows[index]
        k = month - row.start
        if k < 0:
            return ZERO
        w = row.workload
        return w.requests_per_month * self._growth.factor(w.monthly_growth, k)

    def growth_factor(self, growth: Decimal, k: int) -> Decimal:
        """(1 + growth) ** k, the factor ``requests`` and the row costs use ``k`` months after the start."""
        return self._growth.factor(growth, k)

    def tokens(self, index: int, month: int) -> Decimal:
        w = self.rows[index].workload
        return self.requests(index, month) * (w.input_tokens + w.output_tokens + w.reasoning_tokens)

    def fiscal_years(self) -> list[FiscalYear]:
        """The fiscal years the horizon touches (the plan's fiscal-year start month)."""
        return fiscal_years(self.months, self.plan.assumptions.fiscal_year_start)

    def fiscal_year_totals(self, values: list[Decimal] | None = None) -> list[tuple[FiscalYear, Decimal]]:
        """Each fiscal year and the exact sum of ``values`` (default: the month totals) in it."""
        values = self.month_totals if values is None else values
        return [(year, exact_sum(values[year.first:year.first + year.count])) for year in self.fiscal_years()]

    def first_month(self, index: int) -> int:
        """Workload ``index``'s first month with traffic, held within the horizon (see ``Row.first_month``)."""
        return self.rows[index].first_month(self.horizon)

    def request_cost(self, index: int, month: int = 0) -> RequestCost | None:
        """The per-request cost line of a per-token workload in ``month`` (None if not priceable)."""
        row = self.rows[index]
        if row.rate is None or not row.priceable or not row.workload.mode.per_token:
            return None
        version = row.rate.version_on(self.months[month])
        cached = row.request_costs.get(version.effective_from)
        return cached or self.price(row.workload, row.rate, version)

    @property
    def findings(self) -> list[Finding]:
        out = [f for row in self.rows for f in row.findings]
        for items in self.capacity_findings.values():
            out.extend(items)
        return self.terms.findings + out + self.batch_findings

    def breakdown(self, by: str) -> dict[str, list[Decimal]]:
        """Monthly cost per tenant, feature, environment, model or mode (idle capacity apart)."""
        if by not in BREAKDOWNS:
            raise ValueError(f"cannot break down by {by!r}; choose one of {', '.join(BREAKDOWNS)}")
        groups: dict[str, list[Decimal]] = {}
        with localcontext(SUM_CONTEXT):
            for n, row in enumerate(self.rows):
                if not n % EVERY:
                    give_way()
                key = self.key_of(row, by)
                acc = groups.get(key)
                groups[key] = list(row.costs) if acc is None else [a + c for a, c in zip(acc, row.costs)]
            for capacity_id, line in self.idle.items():
                if any(line):
                    key = self._idle_key(capacity_id, by)
                    acc = groups.get(key)
                    groups[key] = list(line) if acc is None else [a + c for a, c in zip(acc, line)]
        return groups

    def breakdown_totals(self, by: str, row_totals: list[Decimal]) -> dict[str, Decimal]:
        """Each group of ``breakdown(by)`` and its whole-horizon total, keys in the same order, from
        the rows' totals (``row_totals[i]`` is ``row_total(i)``): one sum per row, not per month."""
        if by not in BREAKDOWNS:
            raise ValueError(f"cannot break down by {by!r}; choose one of {', '.join(BREAKDOWNS)}")
        totals: dict[str, Decimal] = {}
        key_of, get = self.key_of, totals.get
        with localcontext(SUM_CONTEXT):  # exact: the same digits as summing the months of each group
            for row, total in zip(self.rows, row_totals):
                key = key_of(row, by)
                totals[key] = total if (acc := get(key)) is None else acc + total
            for capacity_id, line in self.idle.items():
                if any(line):
                    key = self._idle_key(capacity_id, by)
                    total = sum(line, ZERO)
                    totals[key] = total if (acc := get(key)) is None else acc + total
        return totals

    def key_of(self, row: Row, by: str) -> str:
        w = row.workload
        if by == "model":
            return row.rate.id if row.rate else w.model
        if by == "mode":
            return w.mode.label
        return getattr(w, by) or "(none)"

    def _idle_key(self, capacity_id: str, by: str) -> str:
        if by == "mode":
            endpoint_ids = {e.id for e in self.plan.endpoints}
            return (DeploymentMode.DEDICATED if capacity_id in endpoint_ids else DeploymentMode.GPU_CLUSTER).label
        return IDLE_KEY

    # ----------------------------------------------------------------- pricing
    def price(self, w: Workload, rate: ModelRate, version, mode: DeploymentMode | None = None) -> RequestCost:
        """One request of ``w`` at ``version``'s rates, on its own mode or on per-token ``mode``
        (see ``RowPricer.price``): for the projection and the mode comparison alike."""
        return self.pricer.price(w, rate, version, mode)

    def _capacity_ids(self) -> list[str]:
        return [e.id for e in self.plan.endpoints] + [c.id for c in self.plan.clusters]

    def _capacity(self, capacity_id: str):
        for item in (*self.plan.endpoints, *self.plan.clusters):
            if item.id == capacity_id:
                return item
        return None

    def _allocate(self, capacity_id: str, members: list[int] | None = None) -> None:
        """Share the capacity's monthly spend among its workloads in proportion to tokens."""
        item = self._capacity(capacity_id)
        if item is None:
            self.idle.pop(capacity_id, None)
            return
        if members is None:
            members = [i for i, r in enumerate(self.rows) if r.capacity_id == capacity_id]
        self.idle[capacity_id], self.capacity_findings[capacity_id] = share_capacity(
            capacity_id, item, lambda m: self.terms.capacity_in(item, self.months[m]), self.plan.hours_per_month(item),
            [self.rows[i] for i in members], self.horizon, self._tokens)

    # ----------------------------------------------------------------- findings
    @property
    def batch_findings(self) -> list[Finding]:
        """A warning on each Batch workload of a model whose Batch tokens in a month exceed the limit."""
        return self.batch_ledger.findings(self.rows)

    def findings_for_row(self, index: int) -> list[Finding]:
        """The row's own findings and its Batch-limit warning, without listing the whole plan's."""
        row = self.rows[index]
        batch = self.batch_ledger.finding(index, row)
        return row.findings + [batch] if batch else row.findings

    def finding_counts(self) -> tuple[int, int]:
        """(errors, warnings) over the whole projection, counted without building the list."""
        if self._row_counts is None:
            self._row_counts = severity_counts(f for row in self.rows for f in row.findings)
        errors, warnings = self._row_counts
        for items in self.capacity_findings.values():
            e, w = severity_counts(items)
            errors, warnings = errors + e, warnings + w
        warnings += self.batch_ledger.warning_count
        return errors, warnings

    def _recount(self, old: Row | None, new: Row | None) -> None:
        """Keep the rows' finding counts in step with a row replaced (taken out, put in)."""
        if self._row_counts is None or (old is not None and new is not None and old.findings == new.findings):
            return
        errors, warnings = self._row_counts
        for row, sign in ((old, -1), (new, 1)):
            if row is not None and row.findings:
                e, w = severity_counts(row.findings)
                errors, warnings = errors + sign * e, warnings + sign * w
        self._row_counts = (errors, warnings)


def project(plan: Plan, horizon: int | None = None) -> Projection:
    return Projection(plan, horizon)
