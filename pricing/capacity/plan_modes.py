"""Every workload of a plan compared in one month (``compare_plan``), in one pass.

The figures are ``ModeComparer.compare``'s, formula for formula; the pass only shares what is the
same for many workloads instead of finding it again for each: the request costs of a rate and
token shape, a capacity's candidate and its spread, the break-even of a capacity and request, the
offline words of a feature and notes, the text's first month of a start month, and every figure of
a shape on a kind of capacity (its break-even terms) in a month before the workload starts (no
requests: nothing of its own but its row's share, and the capacity's id, name and utilization).  tests/test_modes_plan_reference.py and tests/test_modes_plan_shared.py pin it to
``compare``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pricing.capacity.breakeven import terms
from pricing.capacity.comparison import OFFLINE, ModeComparison, draft
from pricing.costing import capacity as cap
from pricing.costing.rows import first_month_with_traffic
from pricing.plan.findings import Severity
from pricing.plan.models import DeploymentMode
from pricing.plan.money import _CENTS_CONTEXT as CENTS
from pricing.plan.money import CENT, MILLION, ZERO, round_cents

S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH
D, G = DeploymentMode.DEDICATED, DeploymentMode.GPU_CLUSTER
ERROR = Severity.ERROR


def compare_month(comparer, month: int) -> list:
    """``[comparer.compare(i, None, month) for i in range(len(rows))]``, the same objects' figures."""
    p = comparer.projection
    if not 0 <= month < p.horizon:
        raise ValueError(f"month {month + 1} is outside the plan's {p.horizon} months")
    rows = p.rows
    month_start = p.months[month]
    horizon = p.horizon
    months = p.months
    a = comparer.plan.assumptions
    currency, locale = a.currency, a.locale
    capacities = comparer.capacities
    request_costs = comparer.request_costs
    offline_words = OFFLINE.search
    quantize = Decimal.quantize
    shapes: dict = {}  # a workload's rate and token figures, by value -> its shape
    as_written: dict = {}  # (id of a shape, tokens a request as written) -> the shape with those tokens
    per_rate: dict = {}  # id of a rate -> (the chooser of its model's endpoints or None, the reference candidate)
    on_capacity: dict = {}  # a capacity id -> the candidate of the workloads running on it (False: none such)
    chosen: dict = {}  # id of a plan endpoint's scaled capacity -> its candidate
    kinds: dict = {}  # a capacity's break-even terms -> a number for them
    break_evens: dict = {}
    idle: dict = {}
    offline_of: dict = {}
    tables: dict = {}
    written_from: dict = {}
    table = p._growth.table

    def candidate(scaled, source: str, description: str | None = None):
        """(its scaled capacity, its mode, its utilization by all it serves when the workload runs on
        it else None, its description, its id, its source, whether the workload runs on it, a number
        naming its break-even terms: equal terms, equal number), whatever the workload's volume."""
        item = scaled.capacity
        util = None
        if source == "workload":
            util = cap.utilization(comparer._served(item.id, month), scaled.capacity_tokens())
        if description is None:
            description = item.name or item.id
        kind = kinds.setdefault(terms(scaled), len(kinds))
        return (scaled, G if cap.kind_of(item) == "gpu_cluster" else D, util, description, item.id, source,
                source == "workload", kind)

    def shape_of(index: int, w, rate):
        """(the Serverless and Batch costs of a request, its tokens, the blended rate, the model, the
        chooser among the plan's endpoints serving it or None, the reference candidate or None)."""
        _, c, cb = request_costs(index, month)
        per_request = w.input_tokens + w.output_tokens + w.reasoning_tokens
        got = per_rate.get(id(rate))
        if got is None:
            model = rate.id.lower()
            if model in comparer._by_model:
                got = comparer.chooser(model), None, rate
            else:
                _, description, scaled = comparer._reference_for(rate)
                got = None, candidate(scaled, "reference", description), rate
            per_rate[id(rate)] = got
        return (c, cb, per_request, c * MILLION / per_request if per_request > ZERO else None, rate.id,
                got[0], got[1])

    def figures(shape, requests, cand):
        """What a workload of ``shape`` gives at ``requests`` on its capacity's candidate ``cand``
        (None: the cheapest of the plan's endpoints serving the model at that volume, or the
        reference), but its own share of a capacity it runs on and what is the candidate's own:
        (0 requests, 1 the tokens of a request, 2 the tokens, 3 the Serverless cost of a request,
        4 the blended rate, 5 and 6 the Serverless and Batch costs, 7 the candidate's spend alone,
        8 its units, 9 and 10 its utilization and effective rate alone (None on the capacity the
        workload runs on), 11-15 the break-even's figures, 16 and 17 the cheapest per-token mode and
        its cost, 18 the candidate).  On a capacity they depend on its break-even terms alone (its
        sizes, spends and unit), not on which capacity it is."""
        c, cb, per_request, blended, _, chooser, reference = shape
        tokens = requests * per_request
        try:  # (round_cents, inline)
            s_cost = quantize(c * requests, CENT, ROUND_HALF_UP, CENTS)
            b_cost = quantize(cb * requests, CENT, ROUND_HALF_UP, CENTS) if cb is not None else None
        except InvalidOperation:
            s_cost = round_cents(c * requests)
            b_cost = round_cents(cb * requests) if cb is not None else None
        # The candidate, as ``ModeComparer._candidate`` names it.
        if not cand:
            if chooser is None:
                cand = reference
            else:
                scaled = chooser.best(tokens)
                cand = chosen.get(id(scaled))
                if cand is None:
                    cand = chosen[id(scaled)] = candidate(scaled, "plan")
        scaled, shared, kind = cand[0], cand[6], cand[7]
        units = scaled.units_for(tokens)
        alone = scaled.spend_at_units(units, tokens)
        if shared:  # (its utilization by all it serves, and the workload's own share: the row's)
            units = scaled.base_units
            util = effective = None
        else:
            util = cap.utilization(tokens, scaled.capacity_tokens(units))
            effective = alone / (tokens / MILLION) if tokens > ZERO else None
        bkey = (kind, id(shape))  # (a shape's entry lives as long as the pass: its id is its own)
        be = break_evens.get(bkey)
        if be is None:
            be = break_evens[bkey] = comparer.break_even(scaled, c, per_request)
        # The cheapest of the per-token costs (ties to the simpler mode).
        best, best_cost = S, s_cost
        if b_cost is not None and b_cost < best_cost:
            best, best_cost = B, b_cost
        return (requests, per_request, tokens, c, blended, s_cost, b_cost, alone, units, util, effective,
                be.requests, be.utilization, be.until, be.stays_ahead_from, be.reason, best, best_cost, cand)

    out = []
    append = out.append
    for index, row in enumerate(rows):
        w = row.workload
        rate = row.rate
        found = row.findings
        if rate is None or (found and any(f.severity is ERROR and f.field != "capacity" for f in found)):
            append(comparer.compare(index, None, month))
            continue
        key = (id(rate), w.input_tokens, w.output_tokens, w.cached_share, w.cache_write_share,
               w.cache_write_1h_share, w.reasoning_tokens, w.off_peak_share)
        shape = shapes.get(key)
        if shape is None:
            shape = shapes[key] = shape_of(index, w, rate)
        # Equal figures share a request's costs; its tokens are the workload's own as written
        # (800 and 800.00 tokens: 950 and 950.00 a request).
        per_request = w.input_tokens + w.output_tokens + w.reasoning_tokens
        if not (per_request and per_request.same_quantum(shape[2])):
            wkey = (id(shape), str(per_request))
            got = as_written.get(wkey)
            if got is None:
                got = as_written[wkey] = shape if str(shape[2]) == wkey[1] else shape_of(index, w, rate)
            shape = got
        current = w.mode
        cand = None
        if not (current is S or current is B or not row.priceable):
            capacity_id = w.capacity
            if capacity_id is not None:
                cand = on_capacity.get(capacity_id)
                if cand is None:
                    cand = on_capacity[capacity_id] = (capacity_id in capacities
                                                       and candidate(comparer.scaled(capacities[capacity_id]),
                                                                     "workload"))
        start = row.start
        k = month - start
        if k < 0:  # no traffic yet: every figure is the shape's and the candidate's terms'
            zkey = (id(shape), cand[7] if cand else None)
            got = idle.get(zkey)
            if got is None:
                got = idle[zkey] = figures(shape, ZERO, cand)
        else:  # (Projection.requests: the growth factor from the table the projection shares)
            growth = w.monthly_growth
            factors = tables.get(growth)
            if factors is None or k >= len(factors):
                factors = tables[growth] = table(growth, k + 1)
            got = figures(shape, w.requests_per_month * factors[k], cand)
        # (got: the figures in ``figures``' order)
        if cand:  # the capacity it runs on: its share of the spend, and the capacity's utilization
            spend_here = row.costs[month]
            tokens = got[2]
            effective = spend_here / (tokens / MILLION) if tokens > ZERO else None
            util = cand[2]
        else:
            cand = got[18]
            spend_here, util, effective = got[7], got[9], got[10]
        mode = cand[1]
        # Batch only for offline work.
        if current is B:
            offline = True
        else:
            okey = (w.feature, w.notes)
            offline = offline_of.get(okey)
            if offline is None:
                offline = offline_of[okey] = offline_words(f" {w.feature} {w.notes}".lower()) is not None
            offline = offline or offline_words(w.name.lower()) is not None
        cheapest = mode if spend_here < got[17] else got[16]
        if cheapest is B and not offline:
            recommended = mode if spend_here < got[5] else S
        else:
            recommended = cheapest
        written = written_from.get(start)
        if written is None:  # (the first month with traffic, currency and locale the text is written with)
            written = written_from[start] = (
                months[first_month_with_traffic(start, horizon)] if start < horizon else None, currency, locale)
        append(_made(index, w.name, shape[4], month, month_start, current, got, cand, spend_here, util, effective,
                     offline, cheapest, recommended, tuple(found) if found else (), written))
    return out


def _made(index, workload, model, month, month_start, current, figures, cand, spend_here, util, effective, offline,
          cheapest, recommended, findings, written, _new=object.__new__, _Draft=draft, _Made=ModeComparison):
    """The comparison of these fields, ``figures`` and the candidate ``cand`` (``compare_month``'s, in
    their order), stored straight from their tuples into the slots (as ``draft`` stores fields)."""
    self = _new(_Draft)
    self.index = index
    self.workload = workload
    self.model = model
    self.month = month
    self.month_start = month_start
    self.current_mode = current
    (self.requests, self.tokens_per_request, self.tokens, self.serverless_cost_per_request,
     self.blended_serverless_rate_per_mtok, self.serverless_monthly, self.batch_monthly, self.endpoint_alone_monthly,
     self.endpoint_replicas, _, _, self.break_even_requests, self.break_even_utilization, self.break_even_until,
     self.stays_ahead_from, self.break_even_note, _, _, _) = figures
    (_, self.endpoint_mode, _, self.candidate_description, self.candidate_id, self.candidate_source,
     self.endpoint_is_share, _) = cand
    self.endpoint_monthly = spend_here
    self.endpoint_utilization = util
    self.endpoint_effective_rate_per_mtok = effective
    self.offline_capable = offline
    self.cheapest = cheapest
    self.recommended = recommended
    self.findings = findings
    self._recommendation = written
    self.__class__ = _Made
    return self
