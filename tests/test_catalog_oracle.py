"""Every model of every provider in the bundled catalog costs what genai-prices says it costs.

The oracle is ``genai_prices``' own ``calc_price`` on the model it lists, at usages with cache
reads, 5-minute and 1-hour cache writes and reasoning tokens, at instants on both sides of every
dated price change and every time-of-day window, request fees included.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

genai_prices = pytest.importorskip("genai_prices")
from genai_prices import Usage  # noqa: E402
from genai_prices import data as genai_data  # noqa: E402

from pricing.costing.catalog import load_catalog_file  # noqa: E402
from pricing.costing.engine import price_request  # noqa: E402

D = Decimal
FROM_GENAI = [r for r in load_catalog_file().models if r.source.startswith("genai-prices")]
MODELS = {(p.id, m.id): (p, m) for p in genai_data.providers for m in p.models}
#: (input, cache reads, cache writes, of which 1-hour, output, of which reasoning)
USAGES = ((3000, 0, 0, 0, 1000, 0), (10_000, 6_000, 2_000, 500, 800, 300), (250_000, 50_000, 10_000, 10_000, 4_000, 1_000))


def _instants(rate) -> list[datetime]:
    """Noon on a plain day, both sides of every dated change, both sides of every window edge."""
    days = {date(2026, 1, 15)}
    for version in rate.versions:
        if version.effective_from:
            days |= {version.effective_from - timedelta(days=1), version.effective_from}
    moments = {time(12)}
    for version in rate.versions:
        for window in version.windows:
            for edge in (window.start, window.end):
                at = datetime.combine(date(2026, 1, 1), edge)
                moments |= {edge, (at - timedelta(minutes=1)).time()}
    return [datetime.combine(day, moment, tzinfo=UTC) for day in sorted(days) for moment in sorted(moments)]


def _ours(rate, when: datetime, tin, cached, writes, writes_1h, tout, reasoning) -> Decimal:
    version = rate.version_on(when.date())
    return price_request(
        rate, version, D(tin), D(tout - reasoning), cached_share=D(cached) / D(tin),
        cache_write_share=D(writes) / D(tin), cache_write_1h_share=D(writes_1h) / D(writes) if writes else D(0),
        reasoning_tokens=D(reasoning), at=when.time(),
    ).total


def _theirs(rate, when: datetime, tin, cached, writes, writes_1h, tout, reasoning) -> Decimal:
    provider, model = MODELS[(rate.provider, rate.model_id)]
    usage = Usage(input_tokens=tin, cache_read_tokens=cached, cache_write_tokens=writes,
                  cache_write_1h_tokens=writes_1h, output_tokens=tout, output_reasoning_tokens=reasoning)
    return model.calc_price(usage, provider, genai_request_timestamp=when).total_price


def test_the_oracle_covers_every_provider_the_catalog_carries():
    assert {r.provider for r in FROM_GENAI} == {p for p, _m in MODELS if any(r.provider == p for r in FROM_GENAI)}
    assert len({r.provider for r in FROM_GENAI}) >= 14 and len(FROM_GENAI) > 500


@pytest.mark.parametrize("provider", sorted({r.provider for r in FROM_GENAI}))
def test_every_model_costs_what_genai_prices_says_at_every_usage_and_instant(provider):
    checked = 0
    for rate in (r for r in FROM_GENAI if r.provider == provider):
        for when in _instants(rate):
            usages = list(USAGES)
            version = rate.version_on(when.date())
            for tier in version.tiers:
                t = tier.above_input_tokens
                usages += [(t, 0, 0, 0, 1000, 0), (t + 1, t // 4, t // 8, 0, 1000, 100)]
            for usage in usages:
                ours, theirs = _ours(rate, when, *usage), _theirs(rate, when, *usage)
                assert ours == theirs, (rate.id, when.isoformat(), usage, ours, theirs)
                checked += 1
    assert checked


def test_request_fees_are_billed_per_request():
    sonar = next(r for r in FROM_GENAI if r.id == "perplexity/sonar")
    cost = price_request(sonar, sonar.current, D(1000), D(100))
    assert cost.request_fee == D("0.012")
    assert cost.total == D(1000) * D(1) / 1_000_000 + D(100) * D(1) / 1_000_000 + D("0.012")


def test_deepseek_chat_keeps_its_peak_price_and_its_off_peak_window():
    chat = next(r for r in FROM_GENAI if r.id == "deepseek/deepseek-chat")
    standard = price_request(chat, chat.current, D(1_000_000), D(0))
    half = price_request(chat, chat.current, D(1_000_000), D(0), off_peak_share=D("0.5"))
    night = price_request(chat, chat.current, D(1_000_000), D(0), at=time(20))
    assert (standard.total, night.total, half.total) == (D("0.27"), D("0.135"), D("0.2025"))
