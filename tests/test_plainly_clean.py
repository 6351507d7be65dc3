"""``plainly_clean`` is the projection's one-expression test of a workload it need not check: for a
per-token workload with finite figures it must answer exactly what ``check_workload`` does (no
finding, priceable), over figures at and beyond every bound, every mode, and the catalog's rates
with and without context lengths, modes left out and off-peak prices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.costing.catalog import load_catalog
from pricing.costing.engine import check_workload, plainly_clean, rate_facts
from pricing.plan.models import Assumptions, DeploymentMode, Plan, Workload

RATES = load_catalog().rates
#: Rates each with something a workload can fall foul of: a context length, a mode not offered, off-peak hours.
SOME = ([r for r in RATES if r.context_length][:5] + [r for r in RATES if DeploymentMode.BATCH not in r.modes][:5]
        + [r for r in RATES if any(v.windows for v in r.versions)][:5] + [r for r in RATES if r.context_length is None][:3])
PLAN = Plan(assumptions=Assumptions(first_month=date(2026, 1, 1)))
#: Each figure's values at and beyond its bounds.
TOKEN_EDGES = ("-1", "0", "1", "1.5", "4096", "128000", "200000", "1000000000000", "1000000000001", "1E+13", "Infinity")
SHARE_EDGES = ("-0.01", "0", "0.25", "0.5", "0.75", "1", "1.01")
GROWTH_EDGES = ("-1.5", "-1", "-0.99", "0", "0.05", "10", "10.01", "Infinity")
REQUEST_EDGES = ("-5", "0", "1000", "1000000000000", "1000000000001", "Infinity")
TOKENS, SHARE, GROWTH, REQUESTS = (st.sampled_from(edges).map(Decimal)
                                   for edges in (TOKEN_EDGES, SHARE_EDGES, GROWTH_EDGES, REQUEST_EDGES))
PER_TOKEN = st.sampled_from([DeploymentMode.SERVERLESS, DeploymentMode.BATCH])


#: Each figure's edge values, and a plain workload's figures.
EDGES = {
    "input_tokens": TOKEN_EDGES, "output_tokens": TOKEN_EDGES, "reasoning_tokens": TOKEN_EDGES,
    "requests_per_month": REQUEST_EDGES, "monthly_growth": GROWTH_EDGES, "cached_share": SHARE_EDGES,
    "cache_write_share": SHARE_EDGES, "cache_write_1h_share": SHARE_EDGES, "off_peak_share": SHARE_EDGES,
}
PLAIN = {"input_tokens": Decimal(4096), "output_tokens": Decimal(512), "reasoning_tokens": Decimal(0),
         "requests_per_month": Decimal(1000), "monthly_growth": Decimal("0.05"), "cached_share": Decimal("0.25"),
         "cache_write_share": Decimal("0.25"), "cache_write_1h_share": Decimal("0.5"), "off_peak_share": Decimal(0)}


def workload(**fields) -> Workload:
    # built without validation, as check_workload allows: a record may hold any figure
    return Workload.model_construct(name="w", model="m", **fields)


def agree(rate, w: Workload) -> None:
    findings, priceable = check_workload(PLAN, w, rate)
    assert plainly_clean(w.__dict__, rate_facts(rate)) == (not findings and priceable), (findings, priceable)


def test_each_figure_at_each_edge_with_the_others_plain_answers_as_check_workload_does():
    for rate in SOME:
        for mode in (DeploymentMode.SERVERLESS, DeploymentMode.BATCH):
            for field, values in EDGES.items():
                for value in values:
                    agree(rate, workload(mode=mode, **(PLAIN | {field: Decimal(value)})))


@settings(max_examples=600, deadline=None)
@given(rate=st.sampled_from(SOME), mode=PER_TOKEN, inp=TOKENS, out=TOKENS, reasoning=TOKENS, requests=REQUESTS,
       growth=GROWTH, cached=SHARE, writes=SHARE, writes_1h=SHARE, off_peak=SHARE)
def test_plainly_clean_answers_as_check_workload_does(rate, mode, inp, out, reasoning, requests, growth, cached,
                                                      writes, writes_1h, off_peak):
    w = workload(mode=mode, input_tokens=inp, output_tokens=out, reasoning_tokens=reasoning,
                 requests_per_month=requests, monthly_growth=growth, cached_share=cached, cache_write_share=writes,
                 cache_write_1h_share=writes_1h, off_peak_share=off_peak)
    agree(rate, w)


def test_a_plain_serverless_workload_is_plainly_clean():
    rate = next(r for r in RATES if DeploymentMode.SERVERLESS in r.modes and not any(v.windows for v in r.versions))
    w = Workload(name="chat", model=rate.id, input_tokens=Decimal(1200), output_tokens=Decimal(300),
                 requests_per_month=Decimal(50000), monthly_growth=Decimal("0.05"))
    assert plainly_clean(w.__dict__, rate_facts(rate))


def test_a_capacity_workload_is_never_plainly_clean():
    rate = RATES[0]
    w = Workload(name="pinned", model=rate.id, mode=DeploymentMode.DEDICATED, capacity="ep-1",
                 input_tokens=Decimal(1200), output_tokens=Decimal(300), requests_per_month=Decimal(50000))
    assert not plainly_clean(w.__dict__, rate_facts(rate))
