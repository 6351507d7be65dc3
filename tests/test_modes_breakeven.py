"""Break-even volume between Serverless and a capacity: exact, and the right side of it wins."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pricing.capacity.breakeven import break_even
from pricing.costing.capacity import ScaledCapacity
from pricing.plan.models import DeploymentMode, ModelRate, RateVersion
from pricing.capacity.modes import compare_workload, cost_curve
from pricing.plan.money import round_cents
from tests.capacity_helpers import MAESTRO_ALL, capacity_plan, endpoint, job

D = Decimal
HOURS = D(730)
money = st.decimals(min_value=D("1.00"), max_value=D(1_000_000), places=2)
rate_mtok = st.decimals(min_value=D("0.01"), max_value=D(30), places=2)
tokens = st.integers(min_value=1, max_value=100_000)  # + output stays within the 131,072 context
fraction = st.decimals(min_value=D("0.000001"), max_value=D("0.999999"), places=6)


def _rate(p_in: Decimal, p_out: Decimal) -> ModelRate:
    return MAESTRO_ALL.model_copy(update={"versions": (RateVersion(input_mtok=p_in, output_mtok=p_out),)})


def test_seed_endpoint_breaks_even_at_20000_over_0_0060_requests():
    # $20,000 a month against $0.0060 a request on Serverless: 3,333,333.33… requests.
    plan = capacity_plan(job("agent"), endpoints=[endpoint()])
    c = compare_workload(plan, 0)
    assert c.serverless_cost_per_request == D("0.0060")
    assert c.break_even_requests == D(20_000) / D("0.0060")
    assert c.break_even_until is None and c.stays_ahead_from == c.break_even_requests
    curve = cost_curve(plan, 0, [c.break_even_requests])
    assert round_cents(curve[c.endpoint_mode][0]) == round_cents(curve[DeploymentMode.SERVERLESS][0]) == D("20000.00")


@settings(max_examples=150, deadline=None)
@given(spend=money, p_in=rate_mtok, p_out=rate_mtok, t_in=tokens, t_out=st.integers(0, 20_000), below=fraction)
def test_at_break_even_both_cost_the_same_below_serverless_above_the_endpoint(spend, p_in, p_out, t_in, t_out, below):
    rate = _rate(p_in, p_out)
    plan = capacity_plan(job("w", 1000, tin=t_in, tout=t_out), endpoints=[endpoint(monthly_commitment=spend)],
                         rates=(rate,))
    c = compare_workload(plan, 0)
    cost = c.serverless_cost_per_request
    assert c.break_even_requests == spend / cost  # exact: fixed spend over the cost of a request
    b = c.break_even_requests
    volumes = [b, b * below, b / below]
    curve = cost_curve(plan, 0, volumes)
    serverless, dedicated = curve[DeploymentMode.SERVERLESS], curve[c.endpoint_mode]
    assert round_cents(serverless[0]) == round_cents(dedicated[0]) == round_cents(spend)
    assert serverless[1] < dedicated[1]
    assert dedicated[2] < serverless[2]


@settings(max_examples=150, deadline=None)
@given(commitment=money, included=st.integers(0, 10**10), over_share=fraction, p_in=rate_mtok, p_out=rate_mtok,
       t_in=tokens, t_out=st.integers(0, 20_000), below=fraction)
def test_with_overage_break_even_solves_the_bent_line(commitment, included, over_share, p_in, p_out, t_in, t_out, below):
    # Overage cheaper per token than Serverless, so the endpoint stays ahead once it gets there.
    blended = (t_in * p_in + t_out * p_out) / (t_in + t_out)
    overage = (blended * over_share).quantize(D("0.000001"), rounding="ROUND_DOWN")
    assume(0 < overage < blended)
    ep = endpoint(monthly_commitment=commitment, included_tokens=D(included), overage_mtok=overage)
    scaled = ScaledCapacity(ep, HOURS)
    t = D(t_in + t_out)
    c = (t_in * p_in + t_out * p_out) / D(1_000_000)
    be = break_even(scaled, c, t)
    b = be.requests
    assert b is not None and be.until is None
    assert round_cents(scaled.spend(b * t)) == round_cents(c * b)
    assert c * b * below < scaled.spend(b * below * t)
    assert scaled.spend(b / below * t) < c * b / below


@settings(max_examples=200, deadline=None)
@given(unit_rate=st.decimals(min_value=D("0.10"), max_value=D(20), places=2), replicas=st.integers(1, 4),
       fixed=st.decimals(min_value=D(0), max_value=D(5000), places=2),
       throughput=st.integers(10, 20_000), p_in=rate_mtok, p_out=rate_mtok, t_in=tokens, t_out=st.integers(0, 5000),
       where=st.decimals(min_value=D("0.001"), max_value=D(50), places=3))
def test_steps_beyond_capacity_keep_the_break_even_meaning(unit_rate, replicas, fixed, throughput, p_in, p_out,
                                                           t_in, t_out, where):
    from tests.capacity_helpers import cluster

    gc = cluster(gpu_count=replicas, gpu_hour_rate=unit_rate, storage_monthly=fixed, networking_monthly=D(0),
                 throughput_tokens_per_s_per_gpu=D(throughput))
    scaled = ScaledCapacity(gc, HOURS)
    t = D(t_in + t_out)
    c = (t_in * p_in + t_out * p_out) / D(1_000_000)
    be = break_even(scaled, c, t)
    if be.requests is None:
        # Never cheaper: one full GPU costs at least what its tokens cost on Serverless.
        assert c * scaled.unit_tokens <= t * scaled.unit_spend
        return
    b = be.requests
    assert round_cents(scaled.spend(b * t)) == round_cents(c * b)
    v = b * where
    endpoint_cost, serverless_cost = scaled.spend(v * t), c * v
    if where < 1:
        assert serverless_cost < endpoint_cost  # below the break-even Serverless is cheaper
    elif be.until is None or v <= be.until:
        assert endpoint_cost <= serverless_cost  # above it the capacity wins, up to the next step
    if be.stays_ahead_from is not None and v >= be.stays_ahead_from * D("1.000001"):
        assert endpoint_cost <= serverless_cost
    assert be.utilization is not None and 0 < be.utilization <= 1


def test_endpoint_that_runs_out_before_serverless_catches_up_wins_in_a_window():
    # $20,000 for 2 replicas of 3,000 tokens/s = 15.768B tokens = 3,942,000 requests of 4,000 tokens.
    ep = endpoint(replicas=2, throughput_tokens_per_s=D(3000))
    be = break_even(ScaledCapacity(ep, HOURS), D("0.0060"), D(4000))
    assert be.requests == D(20_000) / D("0.0060") and be.units == 2
    assert be.until == D(3_942_000)
    # A third replica costs $10,000: 6 replicas ($60,000) is the last step dearer at its start -> 10M requests.
    assert be.stays_ahead_from == D(10_000_000)


def test_no_break_even_when_a_full_replica_costs_more_than_its_tokens_on_serverless():
    # One replica: $20,000 for 13.14B tokens = $1.52/1M, dearer than the blended $1.50/1M.
    ep = endpoint(throughput_tokens_per_s=D(5000))
    be = break_even(ScaledCapacity(ep, HOURS), D("0.0060"), D(4000))
    assert be.requests is None and "costs at least as much" in be.reason


def test_overage_dearer_than_serverless_closes_the_window_again():
    # Commitment $1,000 with 10B included tokens, overage $3.00/1M against a blended $1.50/1M.
    ep = endpoint(monthly_commitment=D(1000), included_tokens=D(10**10), overage_mtok=D(3))
    scaled = ScaledCapacity(ep, HOURS)
    be = break_even(scaled, D("0.0060"), D(4000))
    assert be.requests == D(1000) / D("0.0060")
    assert be.until is not None and be.stays_ahead_from is None
    assert round_cents(scaled.spend(be.until * 4000)) == round_cents(be.until * D("0.0060"))
    assert scaled.spend(be.until * 4001) > be.until * D("0.0060")


@settings(max_examples=300, deadline=None)
@given(replicas=st.integers(1, 4), commitment=st.one_of(st.none(), money),
       gpu_rate=st.decimals(min_value=D("0.10"), max_value=D(20), places=2), gpus=st.integers(1, 8),
       throughput=st.one_of(st.just(0), st.integers(10, 20_000)),
       included=st.one_of(st.none(), st.integers(0, 10**11)), overage=st.decimals(D("0.001"), D(3), places=3),
       t=st.integers(1, 100_000), c_mtok=st.decimals(D("0.001"), D(3), places=3),
       where=st.decimals(min_value=D("0.001"), max_value=D(1000), places=3))
def test_break_even_window_and_stays_ahead_hold_for_any_endpoint(replicas, commitment, gpu_rate, gpus, throughput,
                                                                   included, overage, t, c_mtok, where):
    kw = dict(replicas=replicas, throughput_tokens_per_s=D(throughput), monthly_commitment=commitment)
    if commitment is None:
        kw.update(gpu_hour_rate=gpu_rate, gpus_per_replica=gpus)
    if included is not None:
        kw.update(included_tokens=D(included), overage_mtok=overage)
    scaled = ScaledCapacity(endpoint(**kw), HOURS)
    tokens_each, c = D(t), D(t) * c_mtok / D(1_000_000)
    be = break_even(scaled, c, tokens_each)
    if be.requests is None:
        v = D(10) ** 6 * where
        assert scaled.spend(v * tokens_each) > c * v
        return
    b = be.requests
    assert round_cents(scaled.spend(b * tokens_each)) == round_cents(c * b)
    v = b * where
    endpoint_cost, serverless_cost = scaled.spend(v * tokens_each), c * v
    if where < 1:
        assert serverless_cost < endpoint_cost
    elif where > 1 and (be.until is None or v <= be.until):
        assert endpoint_cost <= serverless_cost
    if be.until is not None:  # just past the window the capacity is dearer again
        past = be.until * (1 + D("1e-12"))
        assert scaled.spend(past * tokens_each) > c * past
    if be.stays_ahead_from is not None and v > be.stays_ahead_from * D("1.000001"):
        assert endpoint_cost <= serverless_cost
