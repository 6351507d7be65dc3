"""Seeded random plans of every kind of row, and a straightforward projection of them to check the
fast one against, cell by cell: each cell priced, grown and rounded on its own, as the README's
formula reads, with nothing cached or shared between rows."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from pricing.costing.capacity import monthly_spend
from pricing.costing.engine import check_workload, price_workload_request, resolve_model
from pricing.costing.rates import RateBook
from pricing.plan.models import (Assumptions, DedicatedEndpoint, DeploymentMode, GpuCluster, ModelRate, Plan,
                                 RateVersion, Workload)
from pricing.plan.money import CENT, SUM_CONTEXT, ZERO
from pricing.plan.months import add_months, months_between
from pricing.plan.terms import Discount, FxRate, Terms
from pricing.terms import TermsPricer

D = Decimal
S, B, DED, GPU = (DeploymentMode.SERVERLESS, DeploymentMode.BATCH, DeploymentMode.DEDICATED,
                  DeploymentMode.GPU_CLUSTER)
JAN = date(2026, 1, 1)


def slow_round_cents(value: Decimal) -> Decimal:
    """ROUND(x, 2), half away from zero, in a context sized to the value (one context per cell)."""
    if not value.is_finite():
        return value
    with localcontext() as ctx:
        ctx.prec = max(80, value.adjusted() + 4)
        return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _rates(rng: random.Random) -> tuple[ModelRate, ...]:
    out = []
    for k in range(4):
        versions = [RateVersion(input_mtok=D(rng.choice(["0.90", "3", "0.15", "12.5"])),
                                output_mtok=D(rng.choice(["3.30", "15", "0.60", "0.1234567"])),
                                cached_input_mtok=rng.choice([None, D("0.30"), D("0.075")]),
                                cache_write_mtok=rng.choice([None, D("3.75")]),
                                request_fee_kcount=rng.choice([None, None, D("5")]))]
        for _ in range(rng.randrange(3)):  # price changes, some mid-horizon, one before the plan
            versions.append(RateVersion(effective_from=date(rng.choice([2025, 2026, 2027]), rng.randrange(1, 13), 1),
                                        input_mtok=D(rng.randrange(1, 400)) / 100,
                                        output_mtok=D(rng.randrange(1, 1600)) / 100))
        seen: dict = {}
        for v in versions:
            seen.setdefault(v.effective_from, v)
        out.append(ModelRate(provider="acme" if k % 2 else "zeta", model_id=f"m{k}", context_length=rng.choice([None, 16_000]),
                             modes=(S, B, DED) if k != 3 else (S,),
                             batch_discount=rng.choice([None, D("0.4")]),
                             batch_discounts_cached_input=bool(k % 2), versions=tuple(seen.values())))
    return tuple(out)


def random_plan(seed: int, n: int = 120, horizon: int = 24, terms: bool = True) -> Plan:
    """A plan of ``n`` workloads: Serverless, Batch, dedicated and GPU-cluster rows, price changes,
    growth (some negative), start months before, in and after the horizon, workload discounts,
    shares written with different trailing zeros, a few rows that cannot be priced, and (``terms``)
    a contract discount and an FX table."""
    rng = random.Random(seed)
    rates = _rates(rng)
    endpoints = (DedicatedEndpoint(id="ep-a", model=rates[0].id, replicas=2, gpu_hour_rate=D("3.36"),
                                   throughput_tokens_per_s=D(6000)),
                 DedicatedEndpoint(id="ep-b", model=rates[1].id, monthly_commitment=D(9000), included_tokens=D(10) ** 9,
                                   overage_mtok=D("0.5")),
                 # Rarely used: idle in the months before its few workloads start.
                 DedicatedEndpoint(id="ep-idle", model=rates[2].id, gpu_hour_rate=D("2.10")))
    clusters = (GpuCluster(id="gc", gpu_count=8, gpu_hour_rate=D("2.50"), storage_monthly=D(250),
                           networking_monthly=D(150), throughput_tokens_per_s_per_gpu=D(2500)),)
    workloads = []
    for i in range(n):
        rate = rng.choice(rates)
        mode = rng.choice([S, S, S, B, B, DED, GPU])
        capacity = None
        if mode is DED:
            capacity = rng.choice(["ep-a", "ep-b", "ep-a", "nowhere", "ep-idle"])
        elif mode is GPU:
            capacity = rng.choice(["gc", "gc", None])
        tin = D(rng.choice([200, 800, 1500, 3000, 12_000, 20_000]))
        workloads.append(Workload(
            name=f"w{i}", model=rng.choice([rate.id] * 12 + ["nobody/none", rate.model_id]), mode=mode, capacity=capacity,
            input_tokens=tin if rng.random() > 0.02 else -tin,
            output_tokens=D(rng.choice([50, 150, 400, 1000])) + rng.choice([ZERO, ZERO, D("0.5")]),
            cached_share=D(rng.choice(["0", "0", "0.25", "0.250", "0.6"])),
            cache_write_share=D(rng.choice(["0", "0", "0.1"])),
            reasoning_tokens=D(rng.choice([0, 0, 300])),
            requests_per_month=D(rng.randrange(1_000, 3_000_000, 500)) * rng.choice([1, 1, 1, -1]) ** (i % 7 == 0),
            start_month=(add_months(JAN, rng.randrange(4, horizon + 2)) if capacity == "ep-idle"
                         else rng.choice([None, add_months(JAN, rng.randrange(-6, horizon + 3))])),
            monthly_growth=D(rng.choice(["0", "0.00", "0.01", "0.02", "0.05", "-0.03", "0.0137"])),
            discount=D(rng.choice(["0", "0", "0.1", "0.125"])),
        ))
    plan_terms = Terms()
    if terms:
        plan_terms = Terms(discounts=(Discount(provider="acme", percent_off=D("0.15"), starts=add_months(JAN, 5),
                                               ends=add_months(JAN, 14)),),
                           fx=(FxRate(month=JAN, per_usd=D(1)), FxRate(month=add_months(JAN, 8), per_usd=D("0.97"))))
    return Plan(assumptions=Assumptions(first_month=JAN, horizon_months=horizon), rates=rates,
                workloads=tuple(workloads), endpoints=endpoints, clusters=clusters, terms=plan_terms)


class Reference:
    """The projection of a plan computed cell by cell: ``rows[i]`` the costs of workload i,
    ``idle[capacity id]`` the idle costs, ``totals`` the exact month totals, ``findings[i]`` row i's."""

    def __init__(self, plan: Plan):
        first = plan.assumptions.first_month
        horizon = plan.assumptions.horizon_months
        months = [add_months(first, m) for m in range(horizon)]
        terms = TermsPricer(plan, months)
        book = RateBook.of(terms.rate_sheet(plan.rates))
        self.rows: list[list[Decimal]] = []
        self.batch_tokens: dict[str, list[Decimal]] = {}
        self.findings = []
        tokens: dict[int, list[Decimal]] = {}
        members: dict[str, list[int]] = {}
        for i, w in enumerate(plan.workloads):
            rate, missing = resolve_model(book, w, i)
            findings, priceable = check_workload(plan, w, rate, i)
            self.findings.append(([missing] if missing else []) + findings)
            start = months_between(first, w.start_month) if w.start_month else 0
            costs = [ZERO] * horizon
            self.rows.append(costs)
            if not priceable or rate is None:
                continue
            if w.mode is B:  # Batch tokens against the model's enqueued-token limit, tallied in 80 digits
                line = self.batch_tokens.setdefault(rate.id, [ZERO] * horizon)
                per_request = w.input_tokens + w.output_tokens + w.reasoning_tokens
                for m in range(max(start, 0), horizon):
                    factor = (1 + w.monthly_growth) ** (m - start)
                    with localcontext(SUM_CONTEXT):
                        line[m] += w.requests_per_month * per_request * factor
            if not w.mode.per_token:
                members.setdefault(w.capacity, []).append(i)
                per_request = w.input_tokens + w.output_tokens + w.reasoning_tokens
                tokens[i] = [w.requests_per_month * per_request * (1 + w.monthly_growth) ** (m - start)
                             if m >= start else ZERO for m in range(horizon)]
                continue
            for m, month in enumerate(months):
                if m < start:
                    continue
                rc = price_workload_request(rate, rate.version_on(month), w, w.mode, plan.batch_discount_for(rate))
                amount = rc.total * w.requests_per_month
                if w.discount:
                    amount = amount * (1 - w.discount)
                costs[m] = slow_round_cents(amount * (1 + w.monthly_growth) ** (m - start))
        self.idle: dict[str, list[Decimal]] = {}
        for item in (*plan.endpoints, *plan.clusters):
            idle = self.idle[item.id] = [ZERO] * horizon
            hours = plan.hours_per_month(item)
            for m in range(horizon):
                with localcontext(SUM_CONTEXT):
                    served = sum((tokens[i][m] for i in members.get(item.id, [])), ZERO)
                spend = monthly_spend(terms.capacity_in(item, months[m]), hours, served)
                if served <= 0:  # its workloads' shares are rounded noughts
                    idle[m] = slow_round_cents(spend)
                    for i in members.get(item.id, []):
                        self.rows[i][m] = slow_round_cents(ZERO)
                    continue
                for i in members[item.id]:
                    share = spend * tokens[i][m] / served
                    w = plan.workloads[i]
                    if w.discount:
                        share = share * (1 - w.discount)
                    self.rows[i][m] = slow_round_cents(share)
        with localcontext(SUM_CONTEXT):
            self.totals = [sum((r[m] for r in [*self.rows, *self.idle.values()]), ZERO) for m in range(horizon)]
