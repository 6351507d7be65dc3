"""Every workload of a plan compared in one month (``compare_plan``), in one pass.

The figures are ``ModeComparer.compare``'s, formula for formula; the pass only shares what is the
same for many workloads instead of finding it again for each: the request costs of a rate and
token shape, a capacity's candidate and its spread, the break-even of a capacity and request, the
offline words of a feature and notes, the text's first month of a start month, and every figure of
a shape on a capacity in a month before the workload starts (no requests: nothing of its own but
its row's share).  tests/test_modes_plan_reference.py and tests/test_modes_plan_shared.py pin it to
``compare``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pricing.capacity.comparison import OFFLINE, ModeComparison, drafted
from pricing.costing import capacity as cap
from pricing.costing.rows import first_month_with_traffic
from pricing.plan.findings import Severity
from pricing.plan.models import DeploymentMode
from pricing.plan.money import _CENTS_CONTEXT as CENTS
from pricing.plan.money import CENT, MILLION, ZERO, round_cents

S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH
D, G = DeploymentMode.DEDICATED, DeploymentMode.GPU_CLUSTER
ERROR = Severity.ERROR

# ``drafted`` takes the fields by position: the order they are given in below.
assert ModeComparison.__slots__ == (
    "index", "workload", "model", "month", "month_start", "current_mode", "requests", "tokens_per_request", "tokens",
    "serverless_cost_per_request", "blended_serverless_rate_per_mtok", "serverless_monthly", "batch_monthly",
    "endpoint_monthly", "endpoint_alone_monthly", "endpoint_is_share", "endpoint_mode", "candidate_id",
    "candidate_source", "candidate_description", "endpoint_replicas", "endpoint_utilization",
    "endpoint_effective_rate_per_mtok", "break_even_requests", "break_even_utilization", "break_even_until",
    "stays_ahead_from", "break_even_note", "offline_capable", "cheapest", "recommended", "findings", "_recommendation")


def _for_rate(comparer, rate):
    """(the chooser among the plan's endpoints serving the model, None) or (None, the reference endpoint)."""
    model = rate.id.lower()
    if model not in comparer._by_model:
        return None, comparer._reference_for(rate)[0]
    return comparer.chooser(model), None


def _fixed(comparer, item, rate, source: str, month: int):
    """What a candidate gives whatever the workload's volume: (its scaled capacity, its mode, its
    utilization by all it serves when it is the capacity the workload runs on, else None, and its
    description)."""
    if source == "reference":
        _, description, scaled = comparer._reference_for(rate)
    else:
        scaled, description = comparer.scaled(item), item.name or item.id
    mode = G if cap.kind_of(item) == "gpu_cluster" else D
    util = None
    if source == "workload":
        util = cap.utilization(comparer._served(item.id, month), scaled.capacity_tokens())
    return scaled, mode, util, description


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
    costs_of: dict = {}
    fixed: dict = {}
    break_evens: dict = {}
    offline_of: dict = {}
    per_rate: dict = {}
    tables: dict = {}
    idle: dict = {}
    written_from: dict = {}
    table = p._growth.table

    def figures(shape, requests, capacity_id, rate):
        """What a workload of ``shape`` (its rate's request costs and tokens) on ``capacity_id`` gives
        at ``requests``, but the capacity's share of a workload running on it: (requests, tokens,
        the Serverless and Batch costs, the candidate's figures alone and its break-even, the
        cheapest per-token mode and its cost)."""
        c, cb, per_request, blended = shape
        tokens = requests * per_request
        try:  # (round_cents, inline)
            s_cost = quantize(c * requests, CENT, ROUND_HALF_UP, CENTS)
            b_cost = quantize(cb * requests, CENT, ROUND_HALF_UP, CENTS) if cb is not None else None
        except InvalidOperation:
            s_cost = round_cents(c * requests)
            b_cost = round_cents(cb * requests) if cb is not None else None
        # The candidate, as ``ModeComparer._candidate`` names it.
        if capacity_id is not None and capacity_id in capacities:
            item = capacities[capacity_id]
            source = "workload"
        else:
            got = per_rate.get(id(rate))
            if got is None:
                got = per_rate[id(rate)] = _for_rate(comparer, rate), rate
            chooser, item = got[0]
            if chooser is not None:
                item = chooser.best(tokens).capacity
                source = "plan"
            else:
                source = "reference"
        fkey = (id(item), source, id(rate))
        got = fixed.get(fkey)
        if got is None:
            got = fixed[fkey] = _fixed(comparer, item, rate, source, month), item, rate
        scaled, mode, util, description = got[0]
        units = scaled.units_for(tokens)
        alone = scaled.spend_at_units(units, tokens)
        if source == "workload":
            units = scaled.base_units
            effective = None  # (the workload's own share: its row's)
        else:
            util = cap.utilization(tokens, scaled.capacity_tokens(units))
            effective = alone / (tokens / MILLION) if tokens > ZERO else None
        bkey = (id(scaled), id(shape))  # (a shape's entry lives as long as the pass: its id is its own)
        be = break_evens.get(bkey)
        if be is None:
            be = break_evens[bkey] = comparer.break_even(scaled, c, per_request)
        # Cheapest of the per-token costs (ties to the simpler mode).
        best, best_cost = S, s_cost
        if b_cost is not None and b_cost < best_cost:
            best, best_cost = B, b_cost
        return (requests, per_request, tokens, c, blended, s_cost, b_cost, alone, source == "workload", mode,
                item.id, source, description, units, util, effective, be.requests, be.utilization, be.until,
                be.stays_ahead_from, be.reason, best, best_cost)

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
        shape = costs_of.get(key)
        if shape is None:  # (the request costs, the tokens of a request, the blended rate of the shape)
            _, c, cb = request_costs(index, month)
            per_request = w.input_tokens + w.output_tokens + w.reasoning_tokens
            shape = costs_of[key] = (c, cb, per_request, c * MILLION / per_request if per_request > ZERO else None)
        current = w.mode
        capacity_id = None if current is S or current is B or not row.priceable else w.capacity
        start = row.start
        k = month - start
        if k < 0:
            # No traffic yet: every figure is the shape's and the candidate's, the same for each such workload.
            zkey = (id(shape), capacity_id)
            got = idle.get(zkey)
            if got is None:
                got = idle[zkey] = figures(shape, ZERO, capacity_id, rate)
        else:  # (Projection.requests: the growth factor from the table the projection shares)
            growth = w.monthly_growth
            factors = tables.get(growth)
            if factors is None or k >= len(factors):
                factors = tables[growth] = table(growth, k + 1)
            got = figures(shape, w.requests_per_month * factors[k], capacity_id, rate)
        (requests, per_request, tokens, c, blended, s_cost, b_cost, alone, shared, mode, item_id, source,
         description, units, util, effective, be_requests, be_utilization, be_until, be_stays, be_reason,
         best, best_cost) = got
        if shared:
            spend_here = row.costs[month]
            effective = spend_here / (tokens / MILLION) if tokens > ZERO else None
        else:
            spend_here = alone
        # Batch only for offline work.
        if current is B:
            offline = True
        else:
            okey = (w.feature, w.notes)
            offline = offline_of.get(okey)
            if offline is None:
                offline = offline_of[okey] = offline_words(f" {w.feature} {w.notes}".lower()) is not None
            offline = offline or offline_words(w.name.lower()) is not None
        cheapest = mode if spend_here < best_cost else best
        if cheapest is B and not offline:
            recommended = mode if spend_here < s_cost else S
        else:
            recommended = cheapest
        written = written_from.get(start)
        if written is None:  # (the first month with traffic, currency and locale the text is written with)
            written = written_from[start] = (
                months[first_month_with_traffic(start, horizon)] if start < horizon else None, currency, locale)
        append(drafted(
            index, w.name, rate.id, month, month_start, current, requests, per_request, tokens, c,
            blended, s_cost, b_cost, spend_here, alone, shared, mode, item_id, source, description, units, util,
            effective, be_requests, be_utilization, be_until, be_stays, be_reason,
            offline, cheapest, recommended, tuple(found) if found else (), written,
        ))
    return out
