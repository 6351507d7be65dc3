"""The guide's capacity examples, exactly: effective $/1M of an endpoint and of a GPU cluster."""

from __future__ import annotations

from decimal import Decimal

from pricing.costing import capacity as cap
from pricing.capacity.report import capacity_report
from pricing.costing.projection import Projection
from tests.capacity_helpers import DED, GPU, capacity_plan, cluster, endpoint, job, sample_capacity_plan

D = Decimal
HOURS = D(730)


def test_endpoint_billed_20000_serving_10_billion_tokens_costs_2_00_per_million():
    spend = cap.monthly_spend(endpoint(), HOURS, D(10_000_000_000))
    assert spend == D(20_000)
    assert cap.effective_rate_per_mtok(spend, D(10_000_000_000)) == D("2.00")


def test_same_endpoint_serving_2_5_billion_tokens_costs_8_00_per_million():
    assert cap.effective_rate_per_mtok(D(20_000), D(2_500_000_000)) == D("8.00")


def test_cluster_of_8_gpus_730_hours_at_2_50_plus_400_costs_15000():
    gc = cluster()
    assert gc.gpu_count * HOURS * gc.gpu_hour_rate == D("14600.00")
    spend = cap.monthly_spend(gc, HOURS)
    assert spend == D("15000.00")
    assert cap.effective_rate_per_mtok(spend, D(6_000_000_000)) == D("2.50")


def test_report_of_a_plan_shows_the_seed_figures_for_endpoint_and_cluster():
    # 2,500,000 requests of 4,000 tokens = 10B tokens; 1,500,000 of 4,000 = 6B tokens.
    plan = capacity_plan(
        job("on endpoint", 2_500_000, mode=DED, capacity="ep"),
        job("on cluster", 1_500_000, mode=GPU, capacity="gc"),
        endpoints=[endpoint(throughput_tokens_per_s=D(5000))],
        clusters=[cluster(throughput_tokens_per_s_per_gpu=D(400))],
    )
    figures = {f.capacity_id: f for f in capacity_report(plan, month=0)}
    ep, gc = figures["ep"], figures["gc"]
    assert (ep.monthly_spend, ep.tokens_served, ep.effective_rate_per_mtok) == (D(20_000), D(10**10), D("2.00"))
    assert (gc.monthly_spend, gc.tokens_served, gc.effective_rate_per_mtok) == (D(15_000), D(6 * 10**9), D("2.50"))
    assert gc.kind == "gpu_cluster" and ep.kind == "dedicated"
    # 5,000 tokens/s × 3,600 s × 730 h = 13.14B tokens; 10B of them used.
    assert ep.capacity_tokens == D(13_140_000_000)
    assert ep.utilization == D(10**10) / D(13_140_000_000)


def test_sample_capacity_plan_reproduces_both_seed_examples_every_month():
    plan = sample_capacity_plan()
    projection = Projection(plan)
    for f in capacity_report(plan, projection):
        if f.capacity_id == "ep-maestro":
            assert (f.monthly_spend, f.effective_rate_per_mtok) == (D(20_000), D("2.00"))
        if f.capacity_id == "cluster-h100":
            assert (f.monthly_spend, f.effective_rate_per_mtok) == (D(15_000), D("2.50"))
