"""Which deployment mode a workload belongs on: Serverless, Batch or a capacity, and why.

For a workload in a month (its requests ``r``, ``T`` tokens a request):

* ``serverless_monthly`` = r × the request's Serverless cost (cache hits at the cached rate);
* ``batch_monthly``      = r × the request's Batch cost (None when the model has no Batch);
* ``endpoint_monthly``   = what the candidate capacity costs this workload:
    - the workload already runs on it: its **allocated share** of the spend (the projection's
      figure: spend × its tokens ÷ all tokens served there; ``endpoint_is_share``);
    - otherwise: the candidate's **full spend were this workload alone on it**, at its configured
      size, with replicas (GPUs) added in whole units when the demand exceeds it
      (``endpoint_alone_monthly``, always given, is this figure in both cases).
* the candidate: the ``endpoint_id`` asked for; else the capacity the workload runs on; else the
  plan's endpoint serving the model that would cost least alone; else a one-replica reference
  endpoint from ``resources/gpu_rates.json`` (``candidate_source`` says which).
* ``blended_serverless_rate_per_mtok`` = Serverless cost of a request ÷ its tokens × 1M, which is
  ``(T_in × P_in + T_out × P_out) / (T_in + T_out)`` when nothing is cached.  A capacity beats
  Serverless exactly when its effective $/1M is below this rate.
* break-even, always on the alone basis (the candidate sized for this workload by itself):
  ``break_even_requests`` the least volume at which the capacity costs no more than Serverless
  (equal there, Serverless cheaper below) and ``break_even_utilization`` the candidate's
  utilization at it; ``break_even_until`` the volume where it needs one more replica (GPU) and
  becomes dearer again (None: it stays ahead), ``stays_ahead_from`` the volume from which it is
  never dearer (None: never).  See ``pricing.capacity.breakeven`` for the exact solution.

``cheapest`` is the lowest cost of all modes offered.  ``recommended`` is the cheapest mode the
workload can use: Batch only when the workload is offline-capable (it is on Batch already, or
its name, feature or notes say offline, nightly, batch, async, overnight, backfill or synthetic).
Ties go to the simpler mode: Serverless, then Batch, then the capacity.
"""

from __future__ import annotations

from decimal import Decimal

from pricing.costing import capacity as cap
from pricing.capacity.breakeven import BreakEven, break_even, terms
from pricing.capacity.comparison import OFFLINE, ModeComparison, draft
from pricing.capacity.plan_modes import compare_month
from pricing.capacity.mode_costs import ModeChoice, ModeCosts, cost_in_mode
from pricing.capacity.report import CapacityFigures, capacity_report
from pricing.plan.findings import Finding, Severity
from pricing.capacity.gpu_rates import reference_endpoint
from pricing.plan.models import DedicatedEndpoint, DeploymentMode, ModelRate, Plan
from pricing.plan.money import MILLION, exact_sum, round_cents
from pricing.costing.projection import Projection
from pricing.gc_pause import gc_paused

__all__ = ["CapacityFigures", "ModeChoice", "ModeComparison", "ModeComparer", "ModeCosts", "capacity_report", "chart_volumes",
           "compare_plan", "compare_workload", "cost_curve", "cost_in_mode"]

S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH
D_MILLION = Decimal(1_000_000)
_ORDER = {S: 0, B: 1, DeploymentMode.DEDICATED: 2, DeploymentMode.GPU_CLUSTER: 3}


class _Chooser:
    """The plan's endpoints serving one model, and the one that would cost least serving a demand
    alone: exactly ``min(endpoints, key=spend)`` (the first of the cheapest, in plan order).

    Endpoints priced alike (same size, unit, spend and overage) cost the same at any demand, so
    only the first of each kind can win.  Without overage an endpoint's spend depends on the
    units the demand needs only, so the winner is kept per units needed at each unit size.
    """

    def __init__(self, endpoints: list[cap.ScaledCapacity]):
        kinds: dict[tuple, cap.ScaledCapacity] = {}
        for s in endpoints:
            kinds.setdefault((s.base_units, s.unit_tokens, s.base_spend, s.unit_spend, s.included_tokens,
                              s.overage_mtok), s)
        self.kinds = list(kinds.values())
        self.stepped = all(s.overage_mtok is None for s in self.kinds)
        self.unit_sizes = sorted({s.unit_tokens for s in self.kinds if s.unit_tokens > 0})
        # When every unit size is a whole multiple of the least (replicas of 2,000, 6,000 and 10,000
        # tokens a second), the units needed at the least size tell the units needed at each:
        # ⌈⌈x / u⌉ / m⌉ = ⌈x / (m × u)⌉ for a whole m, so one division finds the winner's key.
        self._step = None
        if self.unit_sizes:
            least = self.unit_sizes[0]
            try:
                if all(u % least == 0 for u in self.unit_sizes):
                    self._step = least
            except ArithmeticError:  # (a quotient beyond the context's digits: one division per size)
                pass
        self._best: dict[object, cap.ScaledCapacity] = {}

    def best(self, tokens: Decimal) -> cap.ScaledCapacity:
        if len(self.kinds) == 1:
            return self.kinds[0]
        if not self.stepped:
            return min(self.kinds, key=lambda s: s.spend(tokens))
        if tokens > 0:
            if self._step is not None:
                key = cap.ceil_div(tokens, self._step)
            else:
                key = tuple(cap.ceil_div(tokens, u) for u in self.unit_sizes)
        else:
            key = ()
        got = self._best.get(key)
        if got is None:
            got = self._best[key] = min(self.kinds, key=lambda s: s.spend(tokens))
        return got

def _cheapest(costs: dict[DeploymentMode, Decimal]) -> DeploymentMode | None:
    return min(costs, key=lambda m: (costs[m], _ORDER[m])) if costs else None


class ModeComparer:
    """Compares modes for the workloads of one plan, sharing one projection and its look-ups."""

    def __init__(self, plan: Plan, projection: Projection | None = None):
        self.plan = plan
        self.projection = projection or Projection(plan)
        self.capacities = {c.id: c for c in (*plan.endpoints, *plan.clusters)}
        self._scaled: dict[str, cap.ScaledCapacity] = {}
        self._by_model: dict[str, list[DedicatedEndpoint]] = {}
        for e in plan.endpoints:
            rate = self.projection.book.get(e.model)
            self._by_model.setdefault((rate.id if rate else e.model).lower(), []).append(e)
        self._reference: dict[str, tuple[DedicatedEndpoint, str, cap.ScaledCapacity]] = {}
        self._choosers: dict[str, _Chooser] = {}
        self._versions: dict[tuple[int, int], tuple] = {}  # (id of a rate, month) -> (its version then, the rate)
        self._costs: dict[tuple, tuple[ModelRate, Decimal, Decimal | None]] = {}
        self._terms: dict[int, tuple[tuple, cap.ScaledCapacity]] = {}
        self._break_even: dict[tuple, tuple[BreakEven, Decimal]] = {}
        self._members: dict[str, list[int]] = {}
        self._served_cache: dict[tuple[str, int], Decimal] = {}
        members = self._members
        for i, r in enumerate(self.projection.rows):
            if r.workload.capacity:  # the plain field first: most rows have none
                capacity_id = r.capacity_id
                if capacity_id:
                    members.setdefault(capacity_id, []).append(i)

    def scaled(self, item) -> cap.ScaledCapacity:
        got = self._scaled.get(item.id)
        if got is None or got.capacity is not item:
            got = self._scaled[item.id] = cap.ScaledCapacity(item, self.plan.hours_per_month(item))
        return got

    def _candidate(self, rate: ModelRate, capacity_id: str | None, endpoint_id: str | None, tokens: Decimal):
        """(capacity, source, description) or (None, '', reason)."""
        if endpoint_id is not None:
            item = self.capacities.get(endpoint_id)
            if item is None:
                return None, "", f"no endpoint or cluster with id {endpoint_id!r} in the plan"
            return item, "requested", item.name or item.id
        if capacity_id is not None and capacity_id in self.capacities:
            item = self.capacities[capacity_id]
            return item, "workload", item.name or item.id
        chooser = self.chooser(rate.id.lower())
        if chooser is not None:
            best = chooser.best(tokens).capacity
            return best, "plan", best.name or best.id
        endpoint, how, _ = self._reference_for(rate)
        return endpoint, "reference", how

    def chooser(self, model: str) -> _Chooser | None:
        """What picks the cheapest of the plan's endpoints serving ``model`` (lowercase id) at a
        volume, made once per model; None when no endpoint of the plan serves it."""
        chooser = self._choosers.get(model)
        if chooser is None and model in self._by_model:
            chooser = self._choosers[model] = _Chooser([self.scaled(e) for e in self._by_model[model]])
        return chooser

    def _reference_for(self, rate: ModelRate) -> tuple[DedicatedEndpoint, str, cap.ScaledCapacity]:
        got = self._reference.get(rate.id)
        if got is None:
            endpoint, how = reference_endpoint(rate)
            got = self._reference[rate.id] = endpoint, how, cap.ScaledCapacity(endpoint, self.plan.hours_per_month(endpoint))
        return got

    def break_even(self, scaled: cap.ScaledCapacity, c: Decimal, per_request: Decimal) -> BreakEven:
        """``break_even(scaled, c, per_request)``, solved once per kind of capacity and request: capacities
        with the same terms as written (``breakeven.terms``) have the same break-even, and figures with
        other trailing zeros are solved apart."""
        got = self._terms.get(id(scaled))
        if got is None:  # (the capacity is kept with its terms, so that its id stays its own)
            got = self._terms[id(scaled)] = terms(scaled), scaled
        key = (got[0], id(c), str(per_request))
        got = self._break_even.get(key)
        if got is None:  # (the cost is kept with it, so that its id stays its own)
            got = self._break_even[key] = break_even(scaled, c, per_request), c
        return got[0]

    def _served(self, capacity_id: str, month: int) -> Decimal:
        key = (capacity_id, month)
        got = self._served_cache.get(key)
        if got is None:
            members = self._members.get(capacity_id, ())
            got = self._served_cache[key] = exact_sum(self.projection.tokens(i, month) for i in members)
        return got

    def request_costs(self, index: int, month: int) -> tuple[ModelRate, Decimal, Decimal | None] | None:
        """(rate, Serverless cost of a request, Batch cost or None) in ``month``; None if not priceable."""
        row = self.projection.rows[index]
        rate = row.rate
        if rate is None or (row.findings and any(f.severity is Severity.ERROR and f.field != "capacity"
                                                 for f in row.findings)):
            return None
        w = row.workload
        got = self._versions.get((id(rate), month))
        if got is None:  # (the rate is kept with its version, so that its id stays its own)
            got = self._versions[(id(rate), month)] = rate.version_on(self.projection.months[month]), rate
        version = got[0]
        key = (id(rate), id(version), w.input_tokens, w.output_tokens, w.cached_share, w.cache_write_share,
               w.cache_write_1h_share, w.reasoning_tokens, w.off_peak_share)
        got = self._costs.get(key)
        if got is None:  # (the rate, which holds the version, is kept: their ids stay theirs)
            request = self.projection.pricer.request
            got = self._costs[key] = (rate, request(w, rate, version, S)[1],
                                      request(w, rate, version, B)[1] if B in rate.modes else None)
        return got

    def compare(self, index: int, endpoint_id: str | None = None, month: int = 0) -> ModeComparison:
        p = self.projection
        if not 0 <= month < p.horizon:
            raise ValueError(f"month {month + 1} is outside the plan's {p.horizon} months")
        row = p.rows[index]
        w = row.workload
        fields = dict(index=index, workload=w.name, model=row.rate.id if row.rate else w.model, month=month,
                      month_start=p.months[month], current_mode=w.mode)
        priced = self.request_costs(index, month)
        if priced is None:
            problem = next((f for f in row.findings if f.severity is Severity.ERROR), None)
            why = problem.message if problem else "the workload cannot be priced"
            return draft(**fields, findings=tuple(row.findings), _recommendation=f"cannot compare: {why}")
        rate, c, cb = priced
        requests = p.requests(index, month)
        per_request = w.input_tokens + w.output_tokens + w.reasoning_tokens
        tokens = requests * per_request
        # Month amounts in cents, as the projection's (so a saving is the difference of two shown figures).
        costs: dict[DeploymentMode, Decimal] = {S: round_cents(c * requests)}
        if cb is not None:
            costs[B] = round_cents(cb * requests)
        findings = tuple(row.findings)
        capacity_id = row.capacity_id
        item, source, description = self._candidate(rate, capacity_id, endpoint_id, tokens)
        if item is None:
            findings += (Finding(description, Severity.ERROR, "capacity", w.name, index),)
        else:
            scaled = self.scaled(item) if source != "reference" else self._reference_for(rate)[2]
            alone = scaled.spend(tokens)
            units = scaled.units_for(tokens)
            mode = DeploymentMode.GPU_CLUSTER if cap.kind_of(item) == "gpu_cluster" else DeploymentMode.DEDICATED
            shared = capacity_id == item.id
            if shared:
                spend_here = row.costs[month]
                served = self._served(item.id, month)
                units = scaled.base_units
                util = cap.utilization(served, scaled.capacity_tokens())
            else:
                spend_here = alone
                util = cap.utilization(tokens, scaled.capacity_tokens(units))
            costs[mode] = spend_here
            be = self.break_even(scaled, c, per_request)
            fields.update(
                endpoint_monthly=spend_here, endpoint_alone_monthly=alone, endpoint_is_share=shared,
                endpoint_mode=mode, candidate_id=item.id, candidate_source=source,
                candidate_description=description, endpoint_replicas=units, endpoint_utilization=util,
                endpoint_effective_rate_per_mtok=cap.effective_rate_per_mtok(spend_here, tokens),
                break_even_requests=be.requests, break_even_utilization=be.utilization,
                break_even_until=be.until, stays_ahead_from=be.stays_ahead_from, break_even_note=be.reason,
            )
        offline = w.mode is B or OFFLINE.search(f"{w.name} {w.feature} {w.notes}".lower()) is not None
        cheapest = _cheapest(costs)
        # Batch fits offline work only: without it the cheapest of the rest.
        recommended = cheapest if offline or cheapest is not B else _cheapest({m: v for m, v in costs.items() if m is not B})
        a = self.plan.assumptions
        starts = p.months[row.first_month(p.horizon)] if row.runs_within(p.horizon) else None
        return draft(
            **fields, findings=findings,
            requests=requests, tokens_per_request=per_request, tokens=tokens,
            serverless_cost_per_request=c,
            blended_serverless_rate_per_mtok=c * MILLION / per_request if per_request > 0 else None,
            serverless_monthly=costs[S], batch_monthly=costs.get(B), offline_capable=offline,
            cheapest=cheapest, recommended=recommended,
            _recommendation=(starts, a.currency, a.locale),  # written when first read
        )

    def curve(self, index: int, volumes: list[Decimal], endpoint_id: str | None = None,
              month: int = 0) -> dict[DeploymentMode, list[Decimal]]:
        priced = self.request_costs(index, month)
        if priced is None:
            return {}
        rate, c, cb = priced
        row = self.projection.rows[index]
        w = row.workload
        per_request = w.input_tokens + w.output_tokens + w.reasoning_tokens
        out: dict[DeploymentMode, list[Decimal]] = {S: [c * v for v in volumes]}
        if cb is not None:
            out[B] = [cb * v for v in volumes]
        item, _, _ = self._candidate(rate, row.capacity_id, endpoint_id, self.projection.tokens(index, month))
        if item is not None:
            scaled = cap.ScaledCapacity(item, self.plan.hours_per_month(item))
            mode = DeploymentMode.GPU_CLUSTER if cap.kind_of(item) == "gpu_cluster" else DeploymentMode.DEDICATED
            out[mode] = [scaled.spend(v * per_request) for v in volumes]
        return out

def compare_workload(plan: Plan, index: int, endpoint_id: str | None = None, month: int = 0,
                     projection: Projection | None = None) -> ModeComparison:
    return ModeComparer(plan, projection).compare(index, endpoint_id, month)


def cost_curve(plan: Plan, index: int, volumes: list[Decimal], endpoint_id: str | None = None,
               month: int = 0, projection: Projection | None = None) -> dict[DeploymentMode, list[Decimal]]:
    """Monthly cost against requests a month for each mode (the capacity sized for the workload alone).

    The capacity's line is a step function: a replica (GPU) is added each time the volume
    passes a multiple of one unit's capacity.  Serverless and Batch are straight lines.
    """
    return ModeComparer(plan, projection).curve(index, volumes, endpoint_id, month)


def chart_volumes(comparison: ModeComparison, points: int = 60) -> list[Decimal]:
    """Volumes (requests a month) for a cost-against-volume chart: 0 to twice the larger of this
    month's volume and the break-even, evenly spaced, with the break-even itself included."""
    marks = [v for v in (comparison.requests, comparison.break_even_requests, comparison.break_even_until) if v]
    top = 2 * max(marks) if marks else D_MILLION
    step = top / (points - 1)
    volumes = [step * i for i in range(points)]
    volumes += [v for v in (comparison.break_even_requests, comparison.break_even_until) if v is not None]
    return sorted(set(volumes))


def compare_plan(plan: Plan, month: int = 0, projection: Projection | None = None) -> list[ModeComparison]:
    """``compare_workload`` of every workload in ``month``, in one pass (``pricing.capacity.plan_modes``)."""
    comparer = ModeComparer(plan, projection)
    # 100,000 comparisons and no cycles: the collector would only walk the heap again and again, and
    # once more at its first pass after (settle: they go to the oldest generation).
    with gc_paused(settle=True):
        return compare_month(comparer, month)
