"""Comparing modes for a workload: costs, the candidate capacity, the blended rate and the recommendation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.plan.findings import Severity
from pricing.capacity.gpu_rates import load_gpu_rates
from pricing.plan.models import DeploymentMode
from pricing.capacity.modes import compare_plan, compare_workload, cost_curve
from pricing.plan.money import round_cents
from pricing.costing.projection import Projection
from tests.capacity_helpers import (
    DED, GPU, MAESTRO_ALL, capacity_plan, cluster, endpoint, job, sample_capacity_plan,
)

D = Decimal
S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH


def test_seed_month_costs_12000_on_serverless_and_6000_on_batch():
    c = compare_workload(capacity_plan(job("agent")), 0)
    assert (c.serverless_monthly, c.batch_monthly) == (D("12000.00"), D("6000.00"))


def test_offline_workload_is_recommended_batch_with_the_reason_in_words():
    c = compare_workload(capacity_plan(job("Ticket summaries (offline)", mode=B)), 0)
    assert c.cheapest is B and c.recommended is B and c.offline_capable
    assert c.recommendation == "Batch: offline-capable and 50% cheaper ($6,000.00 vs $12,000.00 a month)"


def test_interactive_workload_is_not_sent_to_batch_but_told_what_batch_would_cost():
    c = compare_workload(capacity_plan(job("Reasoning agent"), endpoints=[endpoint()]), 0)
    assert c.cheapest is B and not c.offline_capable
    assert c.recommended is S
    assert "Batch would cost $6,000.00 if the work can wait up to 24 hours" in c.recommendation


def test_model_without_batch_has_no_batch_cost():
    rate = MAESTRO_ALL.model_copy(update={"modes": (S, DED)})
    c = compare_workload(capacity_plan(job("agent"), rates=(rate,)), 0)
    assert c.batch_monthly is None and B not in c.costs


def test_blended_serverless_rate_is_the_token_weighted_rate():
    # (3,000 × $0.90 + 1,000 × $3.30) / 4,000 = $1.50 per 1M.
    c = compare_workload(capacity_plan(job("agent")), 0)
    assert c.blended_serverless_rate_per_mtok == (3000 * D("0.90") + 1000 * D("3.30")) / 4000 == D("1.50")


@settings(max_examples=80, deadline=None)
@given(requests=st.integers(min_value=1, max_value=20_000_000),
       spend=st.decimals(min_value=D(100), max_value=D(100_000), places=2))
def test_dedicated_beats_serverless_exactly_when_its_effective_rate_is_below_the_blended_rate(requests, spend):
    plan = capacity_plan(job("agent", requests), endpoints=[endpoint(monthly_commitment=spend)])
    c = compare_workload(plan, 0)
    assert c.endpoint_monthly == spend and not c.endpoint_is_share
    cheaper = c.endpoint_monthly < c.serverless_monthly
    assert cheaper == (c.endpoint_effective_rate_per_mtok < c.blended_serverless_rate_per_mtok)
    if cheaper:
        assert c.recommended is DED and c.recommendation.startswith("Dedicated on 'ep': ")
    else:
        assert c.recommended is S


def test_seed_endpoint_at_10_billion_tokens_is_2_00_per_million_against_1_50_blended():
    plan = capacity_plan(job("copilot", 2_500_000, mode=DED, capacity="ep"), endpoints=[endpoint()])
    c = compare_workload(plan, 0)
    assert c.endpoint_effective_rate_per_mtok == D("2.00") and c.blended_serverless_rate_per_mtok == D("1.50")
    assert c.recommended is S and c.serverless_monthly == D(15_000) and c.endpoint_monthly == D(20_000)
    assert c.recommendation.startswith("Serverless: cheaper than capacity at this volume ($15,000.00 vs $20,000.00")


def test_workload_on_a_shared_endpoint_is_compared_with_its_allocated_share():
    plan = capacity_plan(
        job("a", 1_000_000, mode=DED, capacity="ep"), job("b", 3_000_000, mode=DED, capacity="ep"),
        endpoints=[endpoint()],
    )
    a = compare_workload(plan, 0)
    assert a.endpoint_is_share and a.candidate_source == "workload"
    assert a.endpoint_monthly == D(5000)  # a quarter of the tokens, a quarter of $20,000
    assert a.endpoint_alone_monthly == D(20_000)
    assert a.recommended is DED and "its allocated share" in a.recommendation


def test_candidate_is_the_plans_endpoint_for_the_model_that_costs_least_alone():
    plan = capacity_plan(job("agent"), endpoints=[endpoint(id="dear", monthly_commitment=D(30_000)),
                                                  endpoint(id="cheap", monthly_commitment=D(9_000))])
    c = compare_workload(plan, 0)
    assert (c.candidate_id, c.candidate_source, c.endpoint_monthly) == ("cheap", "plan", D(9000))


def test_requested_endpoint_or_cluster_is_used_and_an_unknown_one_is_a_finding():
    plan = capacity_plan(job("agent"), endpoints=[endpoint()], clusters=[cluster()])
    c = compare_workload(plan, 0, endpoint_id="gc")
    assert c.candidate_id == "gc" and c.endpoint_mode is GPU and c.endpoint_monthly == D(15_000)
    missing = compare_workload(plan, 0, endpoint_id="nope")
    assert missing.endpoint_monthly is None
    assert any(f.field == "capacity" and "'nope'" in f.message for f in missing.findings)


def test_without_an_endpoint_for_the_model_a_reference_configuration_is_proposed():
    table = load_gpu_rates()
    c = compare_workload(capacity_plan(job("agent")), 0)
    assert c.candidate_source == "reference" and c.endpoint_mode is DED
    h100 = table.rate(table.default_gpu)
    # maestro-reasoning names no size: the table's assumed 70B class, 2x H100 per replica.
    assert c.candidate_id == "reference: 2x H100 80GB SXM"
    assert c.endpoint_alone_monthly == 2 * D(730) * h100.gpu_hour_rate * c.endpoint_replicas
    assert "planning assumption" in c.candidate_description and h100.source in c.candidate_description


def test_reference_configuration_adds_replicas_for_demand_beyond_one():
    # 3,000 tokens/s × 3,600 × 730 = 7.884B tokens a replica; 8B tokens need 2 replicas.
    c = compare_workload(capacity_plan(job("agent")), 0)
    assert c.endpoint_replicas == 2


def test_unpriceable_workload_is_not_compared_and_says_why():
    c = compare_workload(capacity_plan(job("bad", requests=-5)), 0)
    assert c.serverless_monthly is None and c.cheapest is None
    assert c.recommendation.startswith("cannot compare: ")
    assert any(f.severity is Severity.ERROR for f in c.findings)


def test_capacity_workload_naming_no_capacity_is_still_compared_with_a_finding():
    c = compare_workload(capacity_plan(job("lost", mode=DED)), 0)
    assert c.serverless_monthly == D(12_000) and c.candidate_source == "reference"
    assert any(f.field == "capacity" for f in c.findings)


def test_month_applies_growth():
    plan = capacity_plan(job("g", 1_000_000, monthly_growth=D("0.10")))
    assert compare_workload(plan, 0, month=2).requests == D(1_210_000)
    with pytest.raises(ValueError):
        compare_workload(plan, 0, month=12)


def test_cost_curve_is_linear_for_per_token_modes_and_a_step_function_for_the_endpoint():
    ep = endpoint(replicas=1, throughput_tokens_per_s=D(1000))  # 2.628B tokens = 657,000 requests a replica
    plan = capacity_plan(job("agent"), endpoints=[ep])
    volumes = [D(0), D(657_000), D(657_001), D(1_314_000), D(1_314_001)]
    curve = cost_curve(plan, 0, volumes)
    assert curve[S] == [v * D("0.0060") for v in volumes]
    assert curve[B] == [v * D("0.0030") for v in volumes]
    assert curve[DED] == [D(20_000), D(20_000), D(40_000), D(40_000), D(60_000)]


def test_compare_plan_covers_every_workload_of_the_sample_capacity_plan():
    plan = sample_capacity_plan()
    comparisons = compare_plan(plan, projection=Projection(plan))
    assert [c.workload for c in comparisons] == [w.name for w in plan.workloads]
    by_name = {c.workload: c for c in comparisons}
    assert by_name["Support chat"].recommended is DED
    assert by_name["Ticket summaries (offline)"].recommended is B
    assert by_name["Reasoning agent"].serverless_monthly == D(12_000)
    assert by_name["Reasoning agent"].break_even_requests == D(20_000) / D("0.0060")
    assert by_name["Voice agent pilot"].recommendation.startswith("Serverless: no traffic in Jan 2026")


def test_chart_volumes_include_the_break_even_so_the_crossing_can_be_marked():
    from pricing.capacity.modes import chart_volumes

    plan = capacity_plan(job("agent"), endpoints=[endpoint()])
    c = compare_workload(plan, 0)
    volumes = chart_volumes(c, points=11)
    assert volumes[0] == 0 and c.break_even_requests in volumes
    assert volumes[-1] == 2 * c.break_even_requests  # 3.33M break-even is above this month's 2M
    curve = cost_curve(plan, 0, volumes)
    i = volumes.index(c.break_even_requests)
    assert round_cents(curve[S][i]) == round_cents(curve[DED][i])


def test_serverless_recommended_over_a_cheaper_batch_never_calls_itself_the_cheapest():
    plan = capacity_plan(job("chat", 2_500_000), endpoints=[endpoint()])
    c = compare_workload(plan, 0, endpoint_id="ep")
    assert c.cheapest is DeploymentMode.BATCH and c.recommended is S and not c.offline_capable
    assert c.recommendation.startswith("Serverless: cheaper than capacity at this volume")
    assert "Batch would cost $7,500.00" in c.recommendation


def test_mode_monthly_costs_are_amounts_in_cents_like_the_projection():
    plan = capacity_plan(job("odd", 1_234_567), endpoints=[endpoint()])
    c = compare_workload(plan, 0, endpoint_id="ep")
    assert c.serverless_monthly == c.serverless_monthly.quantize(D("0.01"))
    assert c.batch_monthly == c.batch_monthly.quantize(D("0.01"))
