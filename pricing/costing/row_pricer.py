"""Pricing a plan's workloads month by month, each distinct request once.

A workload's cost in month ``m`` is its requests that month (``requests_per_month`` grown by
``monthly_growth`` since its start) times the cost of one request at the rate version in force
on the first day of ``m``, less its discount, rounded to the cent (see ``projection``).  The
request cost depends on the rate version, the mode and the workload's token figures only, so
it is priced once per distinct request (a generated plan of 100,000 workloads has under 2,000)
and a workload with the same figures as a clean one is not checked again.  The amounts are the
same Decimals as pricing and rounding each cell on its own (tests/test_projection_reference.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import repeat
from operator import itemgetter, mul

from pricing.costing.engine import (RequestCost, check_workload, cost_at_rates, plainly_clean, rate_facts, request_rates,
                                    resolve_model)
from pricing.costing.rates import RateBook
from pricing.costing.rows import GrowthTable, Row
from pricing.plan.bounds import MAX_REQUESTS_PER_MONTH
from pricing.plan.findings import Finding
from pricing.plan.models import DeploymentMode, ModelRate, Plan, Workload
from pricing.plan.money import CENT, ONE, ZERO, cents_of, quantize_cents
from pricing.plan.months import months_between


#: What a workload's request costs and checks depend on (all but its volume, start, discount and texts),
#: read from its fields in one call.
_SHAPE = itemgetter("model", "mode", "capacity", "input_tokens", "output_tokens", "cached_share", "cache_write_share",
                    "cache_write_1h_share", "reasoning_tokens", "off_peak_share", "monthly_growth")

#: What one request's cost depends on besides the rate, its version and the mode.
_REQUEST = itemgetter("input_tokens", "output_tokens", "cached_share", "cache_write_share", "cache_write_1h_share",
                      "reasoning_tokens", "off_peak_share")

_ONE = (ONE,)


class RowPricer:
    """The rows of one plan against one rate book, over ``months``; its caches live as long as the
    book (a new rate sheet takes a new pricer).  ``plan`` may be replaced by a plan with other
    workloads and the same assumptions, terms, endpoints and clusters.

    Sharing is given up on a plan whose workloads are nearly all distinct (an imported budget, each
    row with its own token figures): once ``PROBE`` rows have been looked up and under one in
    ``PROBE_HITS`` found a shape already priced, later rows are checked and priced directly, without
    building, looking up and keeping keys no row will meet again (a tenth of such a projection's
    time).  The figures are the same either way: sharing only skips work whose result is known."""

    #: Rows looked up before deciding whether sharing pays, and the share of them found (1 in N) below
    #: which it is given up.
    PROBE = 4096
    PROBE_HITS = 8

    def __init__(self, plan: Plan, book: RateBook, months: list[date], growth: GrowthTable):
        self.plan = plan
        self.book = book
        self.months = months
        self.horizon = len(months)
        self.first_month = plan.assumptions.first_month
        self.growth = growth
        self._runs: dict[str, list[tuple]] = {}
        #: Request cost and its total per distinct request; the rate is kept so that its id stays its own.
        self._priced: dict[tuple, tuple[RequestCost, Decimal, ModelRate]] = {}
        #: The rates a request is billed at per rate, version, prompt tier, mode and off-peak share
        #: (a budget's workloads are mostly distinct requests at a few dozen such rates); the rate is
        #: kept so that its id and its version's stay theirs.
        self._rates: dict[tuple, tuple] = {}
        #: Clean workload figures -> (their priced runs of months, {start index: ``_layout``}).
        self._shapes: dict[tuple, tuple[list[tuple], dict[int, tuple]]] = {}
        self._resolved: dict[str, ModelRate] = {}
        #: Per rate (by id, the rate kept): what the quick test of a clean workload asks of it.
        self._facts: dict[int, tuple] = {}
        self._starts: dict[date | None, int] = {}
        #: The noughts before a start month, one list per start (layouts share them; rows copy them).
        self._zeros: dict[int, list[Decimal]] = {}
        #: Whether rows are looked up in ``_shapes`` and their requests in ``_priced`` (see the class).
        self.sharing = True
        self._looked = self._found = 0

    def copy(self) -> RowPricer:
        """A pricer sharing nothing that either may add to later (for a projection's snapshot).

        Its shapes cache starts empty: copying one layout table per shape took ~0.1 s at 100,000
        workloads, on the GUI thread at every Summary or Modes refresh, and a snapshot is read, not
        re-priced (a working copy re-prices at new rates, with a new pricer).  The cache only
        remembers figures: a copy that does price rows again finds the same ones."""
        other = RowPricer(self.plan, self.book, self.months, self.growth)
        other._runs, other._priced, other._rates = dict(self._runs), dict(self._priced), dict(self._rates)
        other._resolved = dict(self._resolved)
        other.sharing, other._looked, other._found = self.sharing, self._looked, self._found
        return other

    def price(self, w: Workload, rate: ModelRate, version, mode: DeploymentMode | None = None) -> RequestCost:
        """One request of ``w`` at ``version``'s rates, on its own mode or on per-token ``mode``.

        The one place a workload's request is priced (the plan's or the model's batch discount
        included), for the projection and for the mode comparison alike.  Each distinct request
        (rate, version, mode and the workload's token figures) is priced once: a generated plan
        of 100,000 workloads has under 2,000 of them.  Equal figures written with other trailing
        zeros (0.25, 0.250) share one request cost: the same values, and the same cents.
        """
        return self.request(w, rate, version, mode or w.mode)[0]

    def request(self, w: Workload, rate: ModelRate, version, mode: DeploymentMode) -> tuple[RequestCost, Decimal]:
        """(request cost, its total) of one request of ``w`` on per-token ``mode``, priced once per
        distinct request."""
        key = (id(rate), id(version), mode, *_REQUEST(w.__dict__))  # its fields, not through pydantic's hook
        got = self._priced.get(key)
        if got is None:
            # The rate is kept with its request cost (which keeps the version) so their ids stay theirs.
            got = self._priced[key] = (*self._price(w, rate, version, mode), rate)
        return got[0], got[1]

    def _price(self, w: Workload, rate: ModelRate, version, mode: DeploymentMode) -> tuple[RequestCost, Decimal]:
        """(request cost, its total) of one request of ``w``, priced now."""
        f = w.__dict__  # its fields, not through pydantic's hook
        tokens, off_peak = f["input_tokens"], f["off_peak_share"]
        tier = version.tier_for(tokens) if version.tiers else None
        key = (id(rate), id(version), id(tier), mode, off_peak)
        got = self._rates.get(key)
        if got is None:
            got = self._rates[key] = (request_rates(rate, version, tokens, mode, self.plan.batch_discount_for(rate),
                                                    off_peak), rate, tier)
        cost = cost_at_rates(got[0], tokens, f["output_tokens"], f["cached_share"], f["cache_write_share"],
                             f["cache_write_1h_share"], f["reasoning_tokens"])
        return cost, cost.total

    def _priced_runs(self, w: Workload, rate: ModelRate) -> list[tuple]:
        """[(version, first month, end month, request cost, its total)] for each run of months at one
        rate version (none for a capacity's workload)."""
        mode = w.__dict__["mode"]
        if not mode.per_token:
            return []
        # Without sharing, priced on its own: no row will ask for this request again.
        price = self.request if self.sharing else self._price
        return [(version, lo, hi, *price(w, rate, version, mode)) for version, lo, hi in self.version_runs(rate)]

    def _facts_of(self, rate: ModelRate) -> tuple:
        """``rate_facts(rate)``, worked out once per rate (kept with the rate, so its id stays its own)."""
        got = self._facts.get(id(rate))
        if got is None:
            got = self._facts[id(rate)] = (rate_facts(rate), rate)
        return got[0]

    def _count_lookup(self, found: bool) -> None:
        """Count a row's shape looked up; after ``PROBE`` of them, give sharing up if it rarely pays."""
        self._looked += 1
        if found:
            self._found += 1
        if self._looked == self.PROBE and self._found * self.PROBE_HITS < self._looked:
            self.sharing = False

    def rate_of(self, w: Workload, index: int) -> tuple[ModelRate | None, Finding | None]:
        rate = self._resolved.get(w.model)
        if rate is not None:
            return rate, None
        rate, missing = resolve_model(self.book, w, index)
        if rate is not None:
            self._resolved[w.model] = rate
        return rate, missing

    def row(self, index: int, w: Workload) -> Row:
        """The workload's row: its findings and each month's cost, in cents.

        A workload whose figures (model, mode, capacity, tokens, shares, growth) a clean workload
        already had is not checked again (the checks compare values, the requests only against
        their bounds, and a clean result names no row), and reuses that workload's request costs.
        """
        fields = w.__dict__
        rate = self._resolved.get(fields["model"])
        missing = None
        if rate is None:
            rate, missing = self.rate_of(w, index)
        start_month = fields["start_month"]
        start = self._starts.get(start_month)
        if start is None:
            start = self._starts[start_month] = months_between(self.first_month, start_month) if start_month else 0
        r = fields["requests_per_month"]
        shape = key = None
        if rate is not None and self.sharing:
            # The model names its rate (``_resolved``, kept as long as ``_shapes``).
            key = _SHAPE(fields)
            shape = self._shapes.get(key)
            if self._looked < self.PROBE:
                self._count_lookup(shape is not None)
        if shape is not None and r.is_finite() and ZERO <= r <= MAX_REQUESTS_PER_MONTH:
            findings, priceable = [], True
            runs, layouts = shape
        else:
            if rate is not None and plainly_clean(fields, self._facts_of(rate)):
                findings, priceable = [], True
            else:
                findings, priceable = check_workload(self.plan, w, rate, index)
            if missing:
                findings.insert(0, missing)
            runs = layouts = None
            if priceable and rate is not None:
                runs = self._priced_runs(w, rate)
                if not findings and key is not None:
                    runs, layouts = self._shapes.setdefault(key, (runs, {}))
        horizon = self.horizon
        if not runs or start >= horizon:
            return Row(w, rate, findings, priceable, start, [ZERO] * horizon)
        layout = layouts.get(start) if layouts is not None else None
        if layout is None:
            layout = self._layout(runs, start, fields["monthly_growth"])
            if layouts is not None:
                layouts[start] = layout
        request_costs, zeros, segments = layout
        discount = fields["discount"]
        keep = 1 - discount if discount else None
        costs = zeros[:]
        try:  # cents_of's work, inline: one call less a run of months
            for total, factors, count in segments:
                base = total * r
                if keep is not None:
                    base = base * keep
                if factors is None:  # (1 + 0) ** k is one for every k: one amount, every month of the run
                    costs += [quantize_cents(base * ONE, CENT)] * count
                else:
                    costs += map(quantize_cents, map(mul, repeat(base), factors), repeat(CENT))
        except InvalidOperation:  # an amount too wide for the cents context: cents_of sizes one to it
            costs = zeros[:]
            for total, factors, count in segments:
                base = total * r * keep if keep is not None else total * r
                costs += cents_of(base, _ONE) * count if factors is None else cents_of(base, factors)
        return Row(w, rate, findings, priceable, start, costs, request_costs)

    def _layout(self, runs: list[tuple], start: int, growth: Decimal) -> tuple:
        """What a row of these priced runs growing by ``growth`` and starting at ``start`` shares with
        every other such row (a clean shape keeps it in ``_shapes``): its request cost per rate
        version (one dict for all of them, never changed), its noughts before the start, and per run
        of months (request cost total, the growth factors of its months or None when growth is
        nought, count)."""
        first = start if start > 0 else 0
        run_of = self.growth.run if growth else None
        request_costs: dict = {}
        segments = []
        for version, run_start, run_end, rc, total in runs:
            lo = run_start if run_start > first else first
            if lo >= run_end:
                continue
            request_costs[version.effective_from] = rc
            factors = run_of(growth, lo - start, run_end - start) if run_of is not None else None
            segments.append((total, factors, run_end - lo))
        zeros = self._zeros.get(first)
        if zeros is None:
            zeros = self._zeros[first] = [ZERO] * first  # only ever copied from
        return request_costs, zeros, tuple(segments)

    def version_runs(self, rate: ModelRate) -> list[tuple]:
        """[(version, first month index, end month index)] over the horizon, cached per rate."""
        runs = self._runs.get(rate.id)
        if runs is None:
            runs = []
            for m, month in enumerate(self.months):
                version = rate.version_on(month)
                if runs and runs[-1][0] is version:
                    runs[-1][2] = m + 1
                else:
                    runs.append([version, m, m + 1])
            runs = self._runs[rate.id] = [tuple(r) for r in runs]
        return runs
