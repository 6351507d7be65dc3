"""Pricing one request: the guide's examples, cached input, tiers, batch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pricing.costing.engine import price_request
from pricing.plan.models import DeploymentMode, ModelRate, PromptTier, RateVersion
from pricing.costing.projection import project
from tests.conftest import MAESTRO, plan_of, workload

D = Decimal


def test_seed_request_4000_in_1000_out_costs_0_0069():
    cost = price_request(MAESTRO, MAESTRO.current, D(4000), D(1000))
    assert (cost.input, cost.output, cost.total) == (D("0.0036"), D("0.0033"), D("0.0069"))


def test_seed_request_3000_in_1000_out_costs_0_0060():
    cost = price_request(MAESTRO, MAESTRO.current, D(3000), D(1000))
    assert (cost.input, cost.output, cost.total) == (D("0.0027"), D("0.0033"), D("0.0060"))


def test_seed_month_of_2m_requests_costs_12000():
    projection = project(plan_of(workload()))
    assert projection.rows[0].costs[0] == D("12000.00")


def test_seed_month_on_batch_at_half_costs_6000():
    projection = project(plan_of(workload(mode=DeploymentMode.BATCH)))
    assert projection.rows[0].costs[0] == D("6000.00")


def test_batch_halves_a_10000_serverless_month_to_5000():
    # 5,000,000 requests of 2,000 in / 0 out at $1.00/1M = $10,000 a month.
    rate = MAESTRO.model_copy(update={"versions": (RateVersion(input_mtok=D(1), output_mtok=D(1)),),
                                      "modes": (DeploymentMode.SERVERLESS, DeploymentMode.BATCH)})
    w = workload(input_tokens=D(2000), output_tokens=D(0), requests_per_month=D(5_000_000))
    s = project(plan_of(w, rates=(rate,)))
    b = project(plan_of(w.model_copy(update={"mode": DeploymentMode.BATCH}), rates=(rate,)))
    assert (s.rows[0].costs[0], b.rows[0].costs[0]) == (D(10_000), D(5_000))


CACHED = ModelRate(
    provider="p", model_id="cached", modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    versions=(RateVersion(input_mtok=D("1.00"), cached_input_mtok=D("0.10"), output_mtok=D("4.00")),),
)


def test_cached_input_billed_at_cache_rate_and_not_again_as_input():
    cost = price_request(CACHED, CACHED.current, D(10_000), D(0), cached_share=D("0.6"))
    assert cost.cached_input_tokens == 6000 and cost.uncached_input_tokens == 4000
    assert cost.input == D("0.004") and cost.cached_input == D("0.0006")
    assert cost.total == D("0.0046")


def test_fully_cached_prompt_costs_a_tenth_not_eleven_times():
    full = price_request(CACHED, CACHED.current, D(10_000), D(0))
    cached = price_request(CACHED, CACHED.current, D(10_000), D(0), cached_share=D(1))
    assert cached.total * 10 == full.total


def test_cached_input_without_a_cache_rate_is_billed_as_input():
    cost = price_request(MAESTRO, MAESTRO.current, D(3000), D(1000), cached_share=D("0.5"))
    assert cost.total == D("0.0060")


def test_batch_discounts_cache_hits_unless_the_model_says_otherwise():
    on = price_request(CACHED, CACHED.current, D(1000), D(0), cached_share=D(1), mode=DeploymentMode.BATCH,
                       batch_discount=D("0.5"))
    keep = CACHED.model_copy(update={"batch_discounts_cached_input": False})
    off = price_request(keep, keep.current, D(1000), D(0), cached_share=D(1), mode=DeploymentMode.BATCH,
                        batch_discount=D("0.5"))
    assert on.cached_input_rate == D("0.05") and off.cached_input_rate == D("0.10")


def test_per_model_batch_discount_overrides_the_plan_default():
    rate = MAESTRO.model_copy(update={"batch_discount": D("0.25"), "modes": (DeploymentMode.BATCH,)})
    projection = project(plan_of(workload(mode=DeploymentMode.BATCH), rates=(rate,)))
    assert projection.rows[0].costs[0] == D("9000.00")


TIERED = ModelRate(
    provider="p", model_id="tiered",
    versions=(RateVersion(
        input_mtok=D(1), output_mtok=D(2), cached_input_mtok=D("0.1"),
        tiers=(PromptTier(above_input_tokens=200_000, input_mtok=D(2), output_mtok=D(3), cached_input_mtok=D("0.2")),),
    ),),
)


def test_tier_cliff_reprices_all_tokens_above_threshold():
    cost = price_request(TIERED, TIERED.current, D(200_001), D(1_000_000))
    assert cost.input_rate == 2 and cost.output_rate == 3
    assert cost.total == D("200_001") * 2 / 1_000_000 + 3


def test_tier_at_threshold_stays_on_base_rates():
    cost = price_request(TIERED, TIERED.current, D(200_000), D(1_000_000))
    assert cost.input_rate == 1 and cost.output_rate == 2


def test_inclusive_tier_applies_at_threshold():
    version = TIERED.current.model_copy(
        update={"tiers": (TIERED.current.tiers[0].model_copy(update={"inclusive": True}),)})
    rate = TIERED.model_copy(update={"versions": (version,)})
    assert price_request(rate, version, D(200_000), D(0)).input_rate == 2


def test_tier_threshold_counts_cached_tokens():
    cost = price_request(TIERED, TIERED.current, D(250_000), D(0), cached_share=D("0.9"))
    assert cost.input_rate == 2 and cost.cached_input_rate == D("0.2")


def test_rate_change_applies_from_the_first_month_starting_after_it():
    rate = ModelRate(provider="p", model_id="dated", versions=(
        RateVersion(input_mtok=D("0.88"), output_mtok=D("0.88")),
        RateVersion(effective_from=date(2026, 10, 19), input_mtok=D("1.04"), output_mtok=D("1.04")),
    ))
    w = workload(model=rate.id, input_tokens=D(1_000_000), output_tokens=D(0), requests_per_month=D(1))
    projection = project(plan_of(w, rates=(rate,)))
    assert projection.rows[0].costs[9] == D("0.88")  # October 2026 keeps the old price
    assert projection.rows[0].costs[10] == D("1.04")  # November 2026 on the new one
