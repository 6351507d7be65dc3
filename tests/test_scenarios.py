"""Scenarios: named changes on top of a plan, applied plan -> plan and priced by the one projection."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.conftest import MAESTRO, plan_of, workload
from pricing.costing.projection import Projection
from pricing.plan.findings import Severity
from pricing.plan.models import DedicatedEndpoint, DeploymentMode, ModelRate, RateVersion
from pricing.plan.money import exact_sum
from pricing.plan.scenario_records import ChangeKind, Scenario, ScenarioChange, ScenarioScope
from pricing.scenarios import (
    UnknownScenario, apply_scenario, fiscal_year, reprice_with_catalog, scenario_totals,
)

CHEAP = ModelRate(provider="together", model_id="cheap", context_length=4096,
                  modes=(DeploymentMode.SERVERLESS,),
                  versions=(RateVersion(input_mtok=Decimal("0.10"), output_mtok=Decimal("0.20")),))


def change(kind, value, scope="all", name=""):
    return ScenarioChange(applies_to=scope, name=name, change=kind, value=value)


def with_scenario(plan, *changes, name="S"):
    return plan.model_copy(update={"scenarios": (Scenario(name=name, changes=changes),)})


def two_tenants():
    return plan_of(workload(name="a", tenant="Acme"), workload(name="b", tenant="Globex"), rates=(MAESTRO, CHEAP))


def test_scenario_without_changes_is_the_plan_itself():
    plan = with_scenario(two_tenants())
    assert apply_scenario(plan, "S").plan == plan


def test_requests_factor_applies_to_the_named_tenant_only():
    plan = with_scenario(two_tenants(), change(ChangeKind.REQUESTS, "1.5", "tenant", "acme"))
    out = apply_scenario(plan, "S").plan
    assert out.workloads[0].requests_per_month == Decimal(3_000_000)
    assert out.workloads[1].requests_per_month == Decimal(2_000_000)


def test_changes_apply_in_order_to_the_workloads_as_they_stand():
    plan = with_scenario(two_tenants(), change(ChangeKind.MODEL, "cheap", "workload", "a"),
                         change(ChangeKind.DISCOUNT, "50%", "model", "together/cheap"))
    out = apply_scenario(plan, "S").plan
    assert out.workloads[0].model == "together/cheap" and out.workloads[0].discount == Decimal("0.5")
    assert out.workloads[1].discount == 0


def test_two_discounts_stack():
    plan = with_scenario(two_tenants(), change(ChangeKind.DISCOUNT, "10%"), change(ChangeKind.DISCOUNT, "10%"))
    assert apply_scenario(plan, "S").plan.workloads[0].discount == Decimal("0.19")


def test_discount_takes_its_share_off_the_cost():
    base = two_tenants()
    plan = with_scenario(base, change(ChangeKind.DISCOUNT, "25%", "workload", "a"))
    cost = Projection(apply_scenario(plan, "S").plan).rows[0].costs[0]
    assert cost == Decimal("12000.00") * Decimal("0.75")


def test_growth_set_and_shifted_and_start_shifted():
    plan = with_scenario(two_tenants(), change(ChangeKind.GROWTH, "2%"), change(ChangeKind.GROWTH_SHIFT, "1%"),
                         change(ChangeKind.START_SHIFT, "3", "workload", "b"))
    a, b = apply_scenario(plan, "S").plan.workloads
    assert a.monthly_growth == b.monthly_growth == Decimal("0.03")
    assert b.start_month == date(2026, 4, 1) and a.start_month is None


def test_tokens_factor_scales_input_and_output():
    plan = with_scenario(two_tenants(), change(ChangeKind.TOKENS, "0.5"))
    w = apply_scenario(plan, "S").plan.workloads[0]
    assert (w.input_tokens, w.output_tokens) == (Decimal(1500), Decimal(500))


def test_mode_change_to_batch_and_to_an_endpoint_by_id():
    base = two_tenants().model_copy(update={"endpoints": (
        DedicatedEndpoint(id="ep1", model=MAESTRO.id, gpu_hour_rate=Decimal("3.5")),)})
    plan = with_scenario(base, change(ChangeKind.MODE, "Batch", "workload", "a"),
                         change(ChangeKind.MODE, "ep1", "workload", "b"))
    a, b = apply_scenario(plan, "S").plan.workloads
    assert a.mode is DeploymentMode.BATCH
    assert (b.mode, b.capacity) == (DeploymentMode.DEDICATED, "ep1")


def test_model_swap_that_does_not_fit_the_context_or_mode_is_a_finding():
    base = plan_of(workload(name="a", input_tokens=Decimal(8000), mode=DeploymentMode.BATCH), rates=(MAESTRO, CHEAP))
    applied = apply_scenario(with_scenario(base, change(ChangeKind.MODEL, "cheap")), "S")
    messages = [f.message for f in applied.findings]
    assert any("context length of 4,096" in m for m in messages)
    assert any("does not offer Batch" in m for m in messages)


def test_model_swap_to_a_catalog_model_adds_its_rate(catalog):
    plan = with_scenario(two_tenants(), change(ChangeKind.MODEL, "together/openai/gpt-oss-120b", "workload", "a"))
    applied = apply_scenario(plan, "S", catalog)
    assert any(r.id == "together/openai/gpt-oss-120b" for r in applied.plan.rates)
    assert Projection(applied.plan).rows[0].priceable


def test_model_swap_to_an_unknown_model_is_an_error_finding_never_a_zero():
    applied = apply_scenario(with_scenario(two_tenants(), change(ChangeKind.MODEL, "nobody/nothing")), "S")
    assert any(f.severity is Severity.ERROR for f in applied.findings)
    projection = Projection(applied.plan)
    assert not projection.rows[0].priceable and any(f.field == "model" for f in projection.findings)


def test_a_scope_that_matches_nothing_is_a_warning():
    applied = apply_scenario(with_scenario(two_tenants(), change(ChangeKind.REQUESTS, "2", "tenant", "Nobody")), "S")
    assert [f.severity for f in applied.findings] == [Severity.WARNING]
    assert "no workload has tenant 'Nobody'" in applied.findings[0].message


def test_unknown_scenario_names_the_ones_there_are():
    with pytest.raises(UnknownScenario, match="it has Base, S"):
        apply_scenario(with_scenario(two_tenants()), "High")


@pytest.mark.parametrize("kw, message", [
    (dict(applies_to="tenant", change="Requests ×", value="2"), "must name it"),
    (dict(change="Requests ×", value="lots"), "not a number"),
    (dict(change="Discount", value="150%"), "between 0% and 100%"),
    (dict(change="Start shifted by (months)", value="1.5"), "whole number"),
    (dict(change="teleport", value="1"), "unknown change"),
])
def test_bad_change_is_refused_with_the_reason(kw, message):
    with pytest.raises(ValidationError, match=message):
        ScenarioChange(**kw)


def test_scenario_names_are_unique_and_base_is_reserved():
    with pytest.raises(ValidationError, match="duplicate scenario"):
        two_tenants().model_copy(update={"scenarios": ()}).model_validate(
            two_tenants().model_dump() | {"scenarios": [{"name": "High"}, {"name": "high"}]})
    with pytest.raises(ValidationError, match="is the plan itself"):
        Scenario(name="base")


def test_change_words_people_write_are_understood():
    assert ScenarioChange(applies_to="Tenants", name="x", change="requests x", value="2").change is ChangeKind.REQUESTS
    assert ScenarioScope.parse("") is ScenarioScope.ALL


def test_scenario_totals_list_the_base_first_with_differences():
    plan = with_scenario(two_tenants(), change(ChangeKind.REQUESTS, "2"), name="Double")
    base, double = scenario_totals(plan)
    assert (base.name, double.name) == ("Base", "Double")
    assert double.difference(base) == base.total
    assert exact_sum(double.fiscal_years.values()) == double.total


def test_fiscal_year_is_named_by_the_year_it_ends_in():
    assert fiscal_year(date(2026, 3, 1), 4) == "FY2026"
    assert fiscal_year(date(2026, 4, 1), 4) == "FY2027"
    assert fiscal_year(date(2026, 12, 1), 1) == "FY2026"


def test_catalog_repricing_keeps_models_the_catalog_does_not_list(catalog):
    plan = two_tenants()
    repriced, findings = reprice_with_catalog(plan, catalog)
    assert repriced.rates[1] == CHEAP and "not in the bundled catalog" in findings[0].message


# ------------------------------------------------------------------ properties
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NEUTRAL = [(ChangeKind.REQUESTS, "1"), (ChangeKind.TOKENS, "1"), (ChangeKind.GROWTH_SHIFT, "0"),
           (ChangeKind.START_SHIFT, "0"), (ChangeKind.DISCOUNT, "0%")]
scopes = st.sampled_from([("all", ""), ("tenant", "Acme"), ("workload", "b"), ("model", MAESTRO.id),
                          ("environment", "nowhere")])


@st.composite
def plans(draw):
    rows = [workload(name=f"w{i}", tenant=draw(st.sampled_from(["Acme", "Globex"])),
                     requests_per_month=Decimal(draw(st.integers(0, 10**8))),
                     monthly_growth=draw(st.decimals(Decimal("-0.1"), Decimal("0.2"), places=3)),
                     start_month=draw(st.sampled_from([None, date(2025, 11, 1), date(2026, 5, 1)])),
                     mode=draw(st.sampled_from([DeploymentMode.SERVERLESS, DeploymentMode.BATCH])),
                     model=draw(st.sampled_from([MAESTRO.id, CHEAP.id])))
            for i in range(draw(st.integers(0, 5)))]
    return plan_of(*rows, rates=(MAESTRO, CHEAP), horizon=draw(st.integers(12, 36)))


@settings(max_examples=40, deadline=None)
@given(plans(), st.lists(st.tuples(st.sampled_from(NEUTRAL), scopes), max_size=6))
def test_an_empty_or_neutral_scenario_equals_the_base_to_the_cent(plan, neutral):
    base = Projection(plan)
    for changes in ((), tuple(change(kind, value, scope, name) for (kind, value), (scope, name) in neutral)):
        scenario = Projection(apply_scenario(with_scenario(plan, *changes), "S").plan)
        assert scenario.month_totals == base.month_totals
        assert scenario.total == base.total
