"""Capacity spend is shared by tokens, carried when idle, never billed per token too; demand beyond capacity is flagged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.costing import capacity as cap
from pricing.capacity.report import capacity_report, peak_by_capacity
from pricing.plan.findings import Severity
from pricing.capacity.modes import compare_workload
from pricing.plan.money import exact_sum, round_cents
from pricing.costing.projection import Projection
from tests.capacity_helpers import DED, GPU, capacity_plan, cluster, endpoint, job

D = Decimal


def test_shared_endpoint_spend_is_allocated_by_tokens():
    # 1B, 3B and 6B tokens: 10%, 30% and 60% of $20,000.
    plan = capacity_plan(
        job("a", 250_000, mode=DED, capacity="ep"),
        job("b", 750_000, mode=DED, capacity="ep"),
        job("c", 1_500_000, mode=DED, capacity="ep"),
        endpoints=[endpoint()],
    )
    p = Projection(plan)
    assert [r.costs[0] for r in p.rows] == [D(2000), D(6000), D(12000)]
    assert p.month_totals[0] == D(20_000)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=6),
       st.decimals(min_value=D("0.01"), max_value=D(1_000_000), places=2))
def test_allocations_add_up_to_the_spend_every_month(volumes, commitment):
    plan = capacity_plan(
        *(job(f"w{i}", v, tin=1 + i * 7, tout=i * 3, mode=DED, capacity="ep") for i, v in enumerate(volumes)),
        endpoints=[endpoint(monthly_commitment=commitment)], horizon=12,
    )
    p = Projection(plan)
    for m in range(p.horizon):
        allocated = exact_sum(r.costs[m] for r in p.rows)
        idle = p.idle["ep"][m]
        # Each share is rounded to the cent: together they miss the spend by at most half a cent each.
        assert abs(allocated + idle - commitment) <= D("0.005") * max(len(p.rows), 1)
        assert all(r.costs[m] == round_cents(r.costs[m]) for r in p.rows) and idle == round_cents(idle)
        # Through the report as well: the allocations it lists are the projection's.
        fig = capacity_report(plan, p, m)[0]
        assert fig.allocations == tuple(r.costs[m] for r in p.rows)
        assert p.month_totals[m] == exact_sum([allocated, idle])


def test_capacity_workload_is_never_billed_per_token_as_well():
    plan = capacity_plan(job("on endpoint", 2_000_000, mode=DED, capacity="ep"), endpoints=[endpoint()])
    p = Projection(plan)
    # On Serverless it would be $12,000; on the endpoint it is the $20,000 spend and nothing more.
    assert p.request_cost(0) is None
    assert p.rows[0].costs[0] == D(20_000)
    assert p.month_totals[0] == D(20_000)
    c = compare_workload(plan, 0)
    assert c.serverless_monthly == D(12_000)
    assert c.endpoint_monthly == D(20_000) and c.endpoint_is_share


def test_month_before_a_workload_starts_is_idle_cost_kept_in_the_totals():
    plan = capacity_plan(job("late", 1_000_000, mode=DED, capacity="ep", start_month=date(2026, 4, 1)),
                         endpoints=[endpoint()])
    p = Projection(plan)
    assert p.idle["ep"][:4] == [D(20_000)] * 3 + [D(0)]
    report = capacity_report(plan, p)
    assert [f.idle_spend for f in report[:4]] == [D(20_000)] * 3 + [D(0)]
    assert report[0].effective_rate_per_mtok is None and report[0].tokens_served == 0
    assert p.month_totals[0] == D(20_000)


def test_demand_beyond_capacity_gives_a_finding_with_the_replicas_needed():
    # 1,000 tokens/s × 3,600 × 730 = 2.628B tokens a replica; 2 replicas = 5.256B; demand 8B needs 4.
    plan = capacity_plan(job("big", 2_000_000, mode=DED, capacity="ep"),
                         endpoints=[endpoint(replicas=2, throughput_tokens_per_s=D(1000))])
    fig = capacity_report(plan, month=0)[0]
    assert fig.capacity_tokens == D(5_256_000_000)
    assert fig.replicas == 2 and fig.replicas_needed == 4 and fig.over_capacity
    (finding,) = fig.findings
    assert finding.severity is Severity.WARNING and finding.field == "replicas"
    assert "'ep'" in finding.message and "needs 4 replicas (2 more than its 2)" in finding.message
    assert "Jan 2026" in finding.message


def test_demand_within_capacity_gives_no_finding_and_counts_replicas_needed():
    plan = capacity_plan(job("small", 100_000, mode=DED, capacity="ep"),
                         endpoints=[endpoint(replicas=3, throughput_tokens_per_s=D(1000))])
    fig = capacity_report(plan, month=0)[0]
    assert fig.findings == () and fig.replicas_needed == 1


def test_cluster_needs_whole_gpus():
    # 100 tokens/s a GPU = 262.8M tokens a month; 6B tokens need ⌈22.83⌉ = 23 GPUs.
    plan = capacity_plan(job("c", 1_500_000, mode=GPU, capacity="gc"),
                         clusters=[cluster(throughput_tokens_per_s_per_gpu=D(100))])
    fig = capacity_report(plan, month=0)[0]
    assert fig.unit == "GPU" and fig.replicas == 8 and fig.replicas_needed == 23
    assert "needs 23 GPUs (15 more than its 8)" in fig.findings[0].message


def test_unknown_throughput_leaves_capacity_unchecked():
    plan = capacity_plan(job("x", mode=DED, capacity="ep"), endpoints=[endpoint()])
    fig = capacity_report(plan, month=0)[0]
    assert fig.capacity_tokens == 0 and fig.utilization is None and fig.replicas_needed is None
    assert fig.findings == ()


def test_busiest_month_is_reported_per_capacity():
    plan = capacity_plan(job("g", 1_000_000, mode=DED, capacity="ep", monthly_growth=D("0.1")), endpoints=[endpoint()])
    assert peak_by_capacity(capacity_report(plan))["ep"].month == 11


def test_scaled_spend_at_configured_size_equals_the_monthly_spend_with_overage():
    ep = endpoint(monthly_commitment=D(1500), included_tokens=D(2 * 10**9), overage_mtok=D("0.10"),
                  throughput_tokens_per_s=D(5000))
    scaled = cap.ScaledCapacity(ep, D(730))
    for tokens in (D(0), D(10**9), D(3 * 10**9), D(13_140_000_000)):
        assert scaled.spend(tokens) == cap.monthly_spend(ep, D(730), tokens)
    assert cap.monthly_spend(ep, D(730), D(3 * 10**9)) == D(1600)


def test_scaled_spend_adds_whole_replicas_beyond_capacity():
    ep = endpoint(monthly_commitment=None, gpu_hour_rate=D("3.36"), gpus_per_replica=2,
                  throughput_tokens_per_s=D(1000))
    scaled = cap.ScaledCapacity(ep, D(730))
    one = D(2) * D(730) * D("3.36")  # $4,905.60 a replica
    assert scaled.spend(D(2_628_000_000)) == one
    assert scaled.spend(D(2_628_000_001)) == 2 * one
    assert scaled.units_for(D(3 * 2_628_000_000)) == 3


def test_cluster_storage_and_networking_do_not_scale_with_gpus():
    scaled = cap.ScaledCapacity(cluster(throughput_tokens_per_s_per_gpu=D(100)), D(730))
    assert scaled.fixed_spend == D(400)
    assert scaled.spend(D(9 * 262_800_000)) == D(15_000) + D(730) * D("2.50")
