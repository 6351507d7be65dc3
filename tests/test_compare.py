"""Comparing two versions of a plan: per-workload differences and a bridge that adds up exactly."""

from __future__ import annotations

from decimal import Decimal, localcontext

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MAESTRO, plan_of, workload
from pricing.costing.projection import Projection
from pricing.plan.models import DeploymentMode, ModelRate, RateVersion
from pricing.plan.money import SUM_CONTEXT, exact_sum
from pricing.plan.scenario_records import Scenario
from pricing.scenarios import apply_scenario, compare_plans

CHEAP = ModelRate(provider="together", model_id="cheap", modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
                  versions=(RateVersion(input_mtok=Decimal("0.10"), output_mtok=Decimal("0.20")),))


def base_plan():
    return plan_of(workload(name="a", tenant="Acme"), workload(name="b", requests_per_month=Decimal(1000)),
                   rates=(MAESTRO, CHEAP))


def scaled(rate: ModelRate, factor: Decimal) -> ModelRate:
    versions = tuple(v.model_copy(update={"input_mtok": v.input_mtok * factor, "output_mtok": v.output_mtok * factor})
                     for v in rate.versions)
    return rate.model_copy(update={"versions": versions})


def test_identical_versions_have_no_change_and_every_workload_unchanged():
    c = compare_plans(base_plan(), base_plan())
    assert c.change == 0 and all(part == 0 for _, part in c.bridge.parts())
    assert {d.status for d in c.workloads} == {"unchanged"}


def test_added_removed_and_changed_workloads_are_listed_with_the_fields_that_changed():
    base = base_plan()
    other = base.model_copy(update={"workloads": (
        base.workloads[0].model_copy(update={"requests_per_month": Decimal(3_000_000), "model": CHEAP.id}),
        workload(name="c"))})
    c = compare_plans(base, other)
    status = {d.name: (d.status, d.fields) for d in c.workloads}
    assert status == {"a": ("changed", ("model", "requests_per_month")), "b": ("removed", ()), "c": ("added", ())}
    assert c.bridge.removed == -Projection(base).row_total(1)
    assert c.bridge.new == Projection(other).row_total(1)


def test_price_change_lands_in_price_and_volume_change_in_volume():
    base = base_plan()
    dearer = base.model_copy(update={"rates": (scaled(MAESTRO, Decimal(2)), CHEAP)})
    c = compare_plans(base, dearer)
    assert c.bridge.price == c.change == Projection(base).total
    more = base.model_copy(update={"workloads": tuple(
        w.model_copy(update={"requests_per_month": w.requests_per_month * 3}) for w in base.workloads)})
    c = compare_plans(base, more)
    assert c.bridge.volume == c.change and c.bridge.price == 0


def test_a_workload_whose_fields_are_the_same_but_whose_cost_moved_is_listed_as_repriced():
    base = base_plan()
    dearer = base.model_copy(update={"rates": (scaled(MAESTRO, Decimal(2)), CHEAP)})
    c = compare_plans(base, dearer)
    status = {d.name: (d.status, d.fields, d.change) for d in c.workloads}
    assert {name: s[:2] for name, s in status.items()} == {"a": ("repriced", ()), "b": ("repriced", ())}
    assert exact_sum(d.change for d in c.workloads) == c.change > 0


def test_model_move_lands_in_mix():
    base = base_plan()
    moved = base.model_copy(update={"workloads": (base.workloads[0].model_copy(update={"model": CHEAP.id}),
                                                  base.workloads[1])})
    c = compare_plans(base, moved)
    assert c.bridge.mix == c.change < 0 and c.bridge.volume == c.bridge.price == 0


def test_month_bridges_add_up_to_the_horizon_bridge():
    base = base_plan()
    other = apply_scenario(base.model_copy(update={"scenarios": (Scenario.model_validate(
        {"name": "S", "changes": [{"change": "Growth set to", "value": "3%"}, {"change": "Discount", "value": "5%"}]}),)}),
        "S").plan
    c = compare_plans(base, other)
    for part in ("removed", "volume", "mix", "price", "new"):
        assert exact_sum(getattr(b, part) for b in c.month_bridges) == getattr(c.bridge, part)


# ------------------------------------------------------------------ properties
factors = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(5), places=2)
shares = st.decimals(min_value=Decimal(0), max_value=Decimal("0.9"), places=2)
growths = st.decimals(min_value=Decimal("-0.05"), max_value=Decimal("0.1"), places=3)


@st.composite
def versions(draw):
    base = base_plan()
    workloads = []
    for w in base.workloads:
        if draw(st.booleans()):
            continue  # removed
        workloads.append(w.model_copy(update={
            "requests_per_month": w.requests_per_month * draw(factors),
            "input_tokens": w.input_tokens * draw(st.integers(1, 3)),
            "monthly_growth": draw(growths),
            "model": draw(st.sampled_from([MAESTRO.id, CHEAP.id])),
            "mode": draw(st.sampled_from([DeploymentMode.SERVERLESS, DeploymentMode.BATCH])),
            "discount": draw(shares),
        }))
    for k in range(draw(st.integers(0, 2))):
        workloads.append(workload(name=f"new{k}", requests_per_month=Decimal(draw(st.integers(0, 10**7)))))
    rates = (scaled(MAESTRO, draw(factors)), scaled(CHEAP, draw(factors)))
    assumptions = base.assumptions.model_copy(update={"batch_discount": draw(shares)})
    return base, base.model_copy(update={"workloads": tuple(workloads), "rates": rates, "assumptions": assumptions})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions())
def test_bridge_parts_always_add_up_to_the_total_change(pair):
    base, other = pair
    c = compare_plans(base, other)
    assert exact_sum(part for _, part in c.bridge.parts()) == c.change
    other_total, base_total = Projection(other).total, Projection(base).total
    with localcontext(SUM_CONTEXT):  # exact differences
        assert c.change == other_total - base_total
        for m, b in enumerate(c.month_bridges):
            assert exact_sum(part for _, part in b.parts()) == c.other_totals[m] - c.base_totals[m]


@settings(max_examples=30, deadline=None)
@given(factors, factors, shares)
def test_a_price_only_change_has_no_volume_part(f1, f2, discount):
    base = base_plan()
    other = base.model_copy(update={
        "rates": (scaled(MAESTRO, f1), scaled(CHEAP, f2)),
        "workloads": tuple(w.model_copy(update={"discount": discount}) for w in base.workloads)})
    c = compare_plans(base, other)
    assert c.bridge.volume == 0 and c.bridge.mix == 0 and c.bridge.price == c.change


@settings(max_examples=30, deadline=None)
@given(factors, growths, st.integers(1, 4))
def test_a_volume_only_change_has_no_price_part(requests, growth, tokens):
    base = base_plan()
    other = base.model_copy(update={"workloads": tuple(w.model_copy(update={
        "requests_per_month": w.requests_per_month * requests, "monthly_growth": growth,
        "output_tokens": w.output_tokens * tokens}) for w in base.workloads)})
    c = compare_plans(base, other)
    assert c.bridge.price == 0 and c.bridge.mix == 0 and c.bridge.volume == c.change


def test_comparing_gives_way_a_slice_at_a_time_and_hands_its_projections_to_be_let_go(monkeypatch):
    from benchmarks.plans import make_plan
    from pricing import yielding
    from pricing.scenarios import compare as compare_module

    base = make_plan(300, months=12, seed=3)
    other = base.model_copy(update={"workloads": base.workloads[:250]})
    calls, handed = [], []
    monkeypatch.setattr(yielding, "hook", lambda: calls.append(1))
    monkeypatch.setattr(yielding, "PASS_SLICE", 25)
    monkeypatch.setattr(compare_module, "let_go", lambda *objects: handed.extend(objects))
    c = compare_plans(base, other)
    # each of the two workload passes over the 250 pairs, and the differences over the 300 base workloads
    assert len(calls) >= 2 * 250 // 25 + 300 // 25
    steps = handed[0]  # the six projections, the versions of the workloads made, the other plan
    assert len(steps) == 6 and all(isinstance(p, Projection) for p in steps)
    assert len(handed) == 4 and len(handed[1]) == len(handed[2]) == 250
    assert c.change == exact_sum(c.other_totals) - exact_sum(c.base_totals)
