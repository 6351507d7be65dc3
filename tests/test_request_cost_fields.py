"""``price_request`` makes its RequestCost from the fields in order, without the named tuple's keyword
constructor (a budget of distinct workloads makes one per workload): every field must still hold what
its name says.  The expectation here is written field by field, by name, from the same public pieces
(price lists, line rates, tiers, windows), over the catalog's rates: tiers, time-of-day windows,
request fees, cache-write and reasoning prices, Batch with and without its cached-input discount."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.costing.catalog import load_catalog
from pricing.costing.engine import RequestCost, blend, line_rates, price_request, price_sets
from pricing.plan.models import DeploymentMode
from pricing.plan.money import MILLION, ONE, ZERO

RATES = load_catalog().rates
#: Rates whose versions carry what a request may be priced by beyond its two token prices.
SPECIAL = [r for r in RATES if any(v.tiers or v.windows or v.request_fee_kcount or v.cache_write_mtok is not None
                                   or v.reasoning_mtok is not None for v in r.versions)]
SHARE = st.decimals(min_value=0, max_value=1, places=3)
TOKENS = st.one_of(st.integers(0, 400_000).map(Decimal), st.decimals(min_value=0, max_value=10**6, places=2))


def expected(rate, version, input_tokens, output_tokens, cached_share, mode, batch_discount, cache_write_share,
             cache_write_1h_share, reasoning_tokens, off_peak_share, at) -> RequestCost:
    window = version.window_at(at) if at is not None else None
    source, cheap = (window or version, None) if at is not None else price_sets(version)
    tier = version.tier_for(input_tokens) if source is version else None
    rates = line_rates(source, tier)
    off_peak = None
    if cheap is not None and off_peak_share:
        off_peak = cheap
        rates = blend(rates, line_rates(cheap, version.tier_for(input_tokens) if cheap is version else None),
                      off_peak_share)
    discount = ZERO
    if mode is DeploymentMode.BATCH:
        discount = batch_discount
        kept = ("input", "write", "write_1h", "output", "reasoning") + (("cached",) if rate.batch_discounts_cached_input else ())
        rates = {k: v * (ONE - discount) if k in kept else v for k, v in rates.items()}
    cached = input_tokens * cached_share
    writes = input_tokens * cache_write_share
    writes_1h = writes * cache_write_1h_share
    writes_5m = writes - writes_1h
    uncached = input_tokens - cached - writes
    return RequestCost(
        uncached_input_tokens=uncached, cached_input_tokens=cached, output_tokens=output_tokens,
        input_rate=rates["input"], cached_input_rate=rates["cached"], output_rate=rates["output"],
        input=uncached * rates["input"] / MILLION, cached_input=cached * rates["cached"] / MILLION,
        output=output_tokens * rates["output"] / MILLION, mode=mode, discount=discount, tier=tier, version=version,
        cache_write_tokens=writes_5m, cache_write_1h_tokens=writes_1h, reasoning_tokens=reasoning_tokens,
        cache_write_rate=rates["write"], cache_write_1h_rate=rates["write_1h"], reasoning_rate=rates["reasoning"],
        cache_write=writes_5m * rates["write"] / MILLION, cache_write_1h=writes_1h * rates["write_1h"] / MILLION,
        reasoning=reasoning_tokens * rates["reasoning"] / MILLION, request_fee=rates["fee"], window=window,
        off_peak_share=off_peak_share if off_peak is not None else ZERO, off_peak=off_peak)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SPECIAL), st.data(), TOKENS, TOKENS, SHARE, st.sampled_from([DeploymentMode.SERVERLESS, DeploymentMode.BATCH]),
       st.sampled_from([Decimal("0.5"), Decimal("0.25"), ZERO]), SHARE, SHARE, TOKENS, SHARE,
       st.one_of(st.none(), st.times().map(lambda t: time(t.hour, t.minute))), st.booleans())
def test_every_field_of_a_priced_request_holds_what_its_name_says(rate, data, input_tokens, output_tokens, cached_share,
                                                                  mode, batch_discount, cache_write_share,
                                                                  cache_write_1h_share, reasoning_tokens,
                                                                  off_peak_share, at, discounts_cached):
    rate = rate.model_copy(update={"batch_discounts_cached_input": discounts_cached})
    version = data.draw(st.sampled_from(rate.versions))
    args = (input_tokens, output_tokens, cached_share, mode, batch_discount, cache_write_share, cache_write_1h_share,
            reasoning_tokens, off_peak_share, at)
    got = price_request(rate, version, input_tokens, output_tokens, cached_share=cached_share, mode=mode,
                        batch_discount=batch_discount, cache_write_share=cache_write_share,
                        cache_write_1h_share=cache_write_1h_share, reasoning_tokens=reasoning_tokens,
                        off_peak_share=off_peak_share, at=at)
    want = expected(rate, version, *args)
    assert type(got) is RequestCost
    for name in RequestCost._fields:
        a, b = getattr(got, name), getattr(want, name)
        assert a == b and (a.as_tuple() == b.as_tuple() if isinstance(a, Decimal) else a is b or a == b), name
    assert got.total == want.total


def test_the_catalog_reaches_what_the_fields_test_covers():
    versions = [v for r in SPECIAL for v in r.versions]
    assert any(v.tiers for v in versions) and any(v.windows for v in versions)
    assert any(v.request_fee_kcount for v in versions) and any(v.cache_write_1h_mtok is not None for v in versions)
