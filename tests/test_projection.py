"""The month-by-month projection: growth, start months, totals, breakdowns, findings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.plan.findings import Severity
from pricing.plan.models import Assumptions, DeploymentMode, GpuCluster, DedicatedEndpoint
from pricing.plan.money import round_cents, exact_sum
from pricing.costing.projection import Projection, project
from tests.conftest import MAESTRO, plan_of, workload

D = Decimal


def test_growth_compounds_monthly_from_the_start_month():
    p = project(plan_of(workload(requests_per_month=D(1000), monthly_growth=D("0.10"), start_month=date(2026, 3, 1))))
    costs = p.rows[0].costs
    assert costs[0] == costs[1] == 0
    assert costs[2] == D("6.0000")  # 1,000 × $0.0060
    assert costs[3] == round_cents(D("6.0000") * D("1.1"))
    assert costs[5] == round_cents(D("6.0000") * D("1.1") ** 3) == D("7.99")


def test_workload_started_before_the_plan_has_grown_already():
    p = project(plan_of(workload(requests_per_month=D(1000), monthly_growth=D("0.10"), start_month=date(2025, 11, 1))))
    assert p.rows[0].costs[0] == round_cents(D("6.0000") * D("1.1") ** 2)


def test_monthly_totals_add_up_to_the_total(sample_plan):
    p = project(sample_plan)
    assert exact_sum(p.month_totals) == p.total
    assert exact_sum(p.row_total(i) for i in range(len(p.rows))) == p.total


def test_breakdowns_each_add_up_to_the_total(sample_plan):
    p = project(sample_plan)
    for by in ("tenant", "feature", "environment", "model", "mode"):
        assert exact_sum(exact_sum(v) for v in p.breakdown(by).values()) == p.total, by


def test_incremental_update_equals_full_recomputation(sample_plan):
    p = project(sample_plan)
    edited = sample_plan.workloads[3].model_copy(update={"requests_per_month": D(7_777_777), "monthly_growth": D("0.07")})
    new_plan = sample_plan.model_copy(update={"workloads": sample_plan.workloads[:3] + (edited,) + sample_plan.workloads[4:]})
    changed = p.update(new_plan, [3])
    fresh = project(new_plan)
    assert p.month_totals == fresh.month_totals
    assert [r.costs for r in p.rows] == [r.costs for r in fresh.rows]
    assert changed == set(range(36))


def test_unknown_model_is_a_finding_naming_workload_and_field():
    p = project(plan_of(workload(name="Mystery", model="nobody/none")))
    [finding] = p.findings
    assert (finding.workload, finding.field, finding.severity) == ("Mystery", "model", Severity.ERROR)
    assert p.total == 0


def test_negative_token_count_is_an_error_and_not_priced():
    p = project(plan_of(workload(input_tokens=D(-5))))
    assert [(f.field, f.severity) for f in p.findings] == [("input_tokens", Severity.ERROR)]
    assert p.total == 0


def test_non_integer_token_count_is_a_warning_priced_as_average():
    p = project(plan_of(workload(output_tokens=D("1000.5"))))
    assert [(f.field, f.severity) for f in p.findings] == [("output_tokens", Severity.WARNING)]
    assert p.total > 0


def test_input_plus_output_beyond_context_length_is_flagged():
    p = project(plan_of(workload(input_tokens=D(130_000), output_tokens=D(2_000))))
    assert [f.field for f in p.findings] == ["input_tokens"]
    assert "context length of 131,072" in p.findings[0].message


def test_mode_not_offered_is_priced_as_asked_with_a_warning():
    p = project(plan_of(workload(mode=DeploymentMode.BATCH)))
    assert [(f.field, f.severity) for f in p.findings] == [("mode", Severity.WARNING)]
    assert p.rows[0].costs[0] == D("6000.00")


def test_batch_tokens_over_30_billion_a_month_are_flagged():
    rate = MAESTRO.model_copy(update={"modes": (DeploymentMode.BATCH,)})
    # 4,000 tokens × 8,000,000 requests = 32 billion tokens a month.
    p = project(plan_of(workload(mode=DeploymentMode.BATCH, requests_per_month=D(8_000_000)), rates=(rate,)))
    assert [f.field for f in p.findings] == ["requests_per_month"]
    assert "30,000,000,000" in p.findings[0].message


def test_batch_tokens_at_the_limit_are_not_flagged():
    rate = MAESTRO.model_copy(update={"modes": (DeploymentMode.BATCH,)})
    p = project(plan_of(workload(mode=DeploymentMode.BATCH, requests_per_month=D(7_500_000)), rates=(rate,)))
    assert p.findings == []


def test_dedicated_workload_is_billed_for_capacity_not_per_token():
    endpoint = DedicatedEndpoint(id="ep1", model=MAESTRO.id, monthly_commitment=D(20_000))
    plan = plan_of(workload(mode=DeploymentMode.DEDICATED, capacity="ep1")).model_copy(update={"endpoints": (endpoint,)})
    p = project(plan)
    assert p.rows[0].costs[0] == D(20_000)
    assert p.request_cost(0) is None


def test_capacity_spend_is_shared_in_proportion_to_tokens():
    cluster = GpuCluster(id="c1", gpu_count=8, gpu_hour_rate=D("2.50"), storage_monthly=D(400))
    a = workload(name="a", mode=DeploymentMode.GPU_CLUSTER, capacity="c1", requests_per_month=D(3_000_000))
    b = workload(name="b", mode=DeploymentMode.GPU_CLUSTER, capacity="c1", requests_per_month=D(1_000_000))
    p = project(plan_of(a, b).model_copy(update={"clusters": (cluster,)}))
    assert (p.rows[0].costs[0], p.rows[1].costs[0]) == (D(11_250), D(3_750))
    assert p.month_totals[0] == D(15_000)


def test_idle_capacity_is_still_in_the_totals():
    cluster = GpuCluster(id="c1", gpu_count=8, gpu_hour_rate=D("2.50"), storage_monthly=D(400))
    w = workload(mode=DeploymentMode.GPU_CLUSTER, capacity="c1", start_month=date(2026, 6, 1))
    p = project(plan_of(w).model_copy(update={"clusters": (cluster,)}))
    assert p.month_totals[0] == D(15_000) and p.rows[0].costs[0] == 0
    assert p.breakdown("tenant")["(idle capacity)"][0] == D(15_000)


def test_moving_a_workload_onto_capacity_updates_totals_like_a_fresh_projection():
    cluster = GpuCluster(id="c1", gpu_count=8, gpu_hour_rate=D("2.50"))
    plan = plan_of(workload(name="a"), workload(name="b", mode=DeploymentMode.GPU_CLUSTER, capacity="c1"))
    plan = plan.model_copy(update={"clusters": (cluster,)})
    p = project(plan)
    moved = plan.model_copy(update={"workloads": (plan.workloads[0].model_copy(
        update={"mode": DeploymentMode.GPU_CLUSTER, "capacity": "c1"}), plan.workloads[1])})
    p.update(moved, [0])
    fresh = project(moved)
    assert p.month_totals == fresh.month_totals
    assert [r.costs for r in p.rows] == [r.costs for r in fresh.rows]


volumes = st.decimals(min_value=0, max_value=10**9, places=0)
tokens = st.integers(min_value=0, max_value=100_000)


@settings(max_examples=60, deadline=None)
@given(tin=tokens, tout=tokens, requests=volumes, k=st.integers(min_value=0, max_value=50))
def test_cost_is_linear_in_requests_before_it_is_rounded_to_the_cent(tin, tout, requests, k):
    one = project(plan_of(workload(input_tokens=D(tin), output_tokens=D(tout), requests_per_month=requests)))
    many = project(plan_of(workload(input_tokens=D(tin), output_tokens=D(tout), requests_per_month=requests * k)))
    assert many.rows[0].costs[0] == round_cents(one.request_cost(0).total * requests * k)


@settings(max_examples=60, deadline=None)
@given(tin=st.integers(-1000, 100_000), tout=st.integers(-1000, 100_000), requests=st.decimals(-10**6, 10**9, places=2),
       growth=st.decimals(min_value=-2, max_value=1, places=3), cached=st.decimals(-1, 2, places=2),
       mode=st.sampled_from([DeploymentMode.SERVERLESS, DeploymentMode.BATCH]))
def test_costs_are_never_negative(tin, tout, requests, growth, cached, mode):
    p = project(plan_of(workload(input_tokens=D(tin), output_tokens=D(tout), requests_per_month=requests,
                                 monthly_growth=growth, cached_share=cached, mode=mode)))
    assert all(c >= 0 for c in p.month_totals)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(tokens, tokens, volumes, st.decimals(0, "0.2", places=2)), min_size=1, max_size=8))
def test_monthly_totals_add_up_to_each_months_workloads(specs):
    plan = plan_of(*[workload(name=str(i), input_tokens=D(a), output_tokens=D(b), requests_per_month=r, monthly_growth=g)
                     for i, (a, b, r, g) in enumerate(specs)])
    p = project(plan)
    for m in range(p.horizon):
        assert p.month_totals[m] == exact_sum(row.costs[m] for row in p.rows)
    assert p.total == exact_sum(p.month_totals)


def test_horizon_follows_the_assumptions():
    p = Projection(plan_of(workload(), horizon=24))
    assert len(p.months) == 24 and p.months[-1] == date(2027, 12, 1)


def test_assumptions_refuse_a_horizon_beyond_36_months():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Assumptions(first_month=date(2026, 1, 1), horizon_months=48)


def test_capacity_shares_are_each_rounded_and_add_up_to_the_spend_within_half_a_cent_each():
    cluster = GpuCluster(id="c1", gpu_count=3, gpu_hour_rate=D("2.37"), storage_monthly=D("401.13"))
    ws = [workload(name=str(i), mode=DeploymentMode.GPU_CLUSTER, capacity="c1", requests_per_month=D(1_000_003 * (i + 1)))
          for i in range(3)]
    p = project(plan_of(*ws).model_copy(update={"clusters": (cluster,)}))
    spend = D(3) * 730 * D("2.37") + D("401.13")
    shares = [r.costs[0] for r in p.rows]
    assert shares == [round_cents(spend * (i + 1) / 6) for i in range(3)]
    assert abs(exact_sum(shares) - spend) <= D("0.015")


def test_every_month_amount_is_in_cents_and_every_total_is_their_sum(sample_plan):
    p = project(sample_plan)
    for row in p.rows:
        assert all(c == c.quantize(D("0.01")) for c in row.costs)
    assert p.month_totals == [exact_sum(r.costs[m] for r in p.rows) + exact_sum(i[m] for i in p.idle.values())
                              for m in range(p.horizon)]
    assert p.total == exact_sum(p.row_total(i) for i in range(len(p.rows))) + exact_sum(
        c for line in p.idle.values() for c in line)


def _splice_plan(plan, start, removed, new_workloads):
    w = plan.workloads
    return plan.model_copy(update={"workloads": w[:start] + tuple(new_workloads) + w[start + removed:]})


def _same_as_fresh(p, plan):
    fresh = project(plan)
    assert p.month_totals == fresh.month_totals
    assert [r.costs for r in p.rows] == [r.costs for r in fresh.rows]
    assert [(f.row, f.field, f.message) for f in p.findings] == [(f.row, f.field, f.message) for f in fresh.findings]


def test_inserting_rows_updates_totals_like_a_fresh_projection(sample_plan):
    p = project(sample_plan)
    new = [workload(name="inserted", model="together/arcee-ai/maestro-reasoning", input_tokens=D(-1)),
           sample_plan.workloads[0].model_copy(update={"name": "copy"})]
    plan = _splice_plan(sample_plan, 2, 0, new)
    p.splice(plan, 2, 0, 2)
    _same_as_fresh(p, plan)


def test_deleting_rows_updates_totals_like_a_fresh_projection(sample_plan):
    p = project(sample_plan)
    plan = _splice_plan(sample_plan, 1, 3, [])
    p.splice(plan, 1, 3, 0)
    _same_as_fresh(p, plan)


def test_deleting_a_row_on_shared_capacity_reallocates_the_spend():
    cluster = GpuCluster(id="c1", gpu_count=8, gpu_hour_rate=D("2.50"), storage_monthly=D(400))
    ws = [workload(name=n, mode=DeploymentMode.GPU_CLUSTER, capacity="c1") for n in "abc"]
    plan = plan_of(*ws).model_copy(update={"clusters": (cluster,)})
    p = project(plan)
    smaller = _splice_plan(plan, 0, 1, [])
    p.splice(smaller, 0, 1, 0)
    _same_as_fresh(p, smaller)
    assert p.rows[0].costs[0] == D(7_500)


def test_batch_limit_follows_edits_incrementally():
    rate = MAESTRO.model_copy(update={"modes": (DeploymentMode.BATCH,)})
    plan = plan_of(workload(mode=DeploymentMode.BATCH, requests_per_month=D(4_000_000)),
                   workload(name="b", mode=DeploymentMode.BATCH, requests_per_month=D(3_000_000)), rates=(rate,))
    p = project(plan)
    assert p.findings == []
    bigger = plan.model_copy(update={"workloads": (plan.workloads[0].model_copy(
        update={"requests_per_month": D(5_000_000)}), plan.workloads[1])})
    p.update(bigger, [0])
    assert [f.workload for f in p.findings] == ["w", "b"]
    p.update(plan, [0])
    assert p.findings == []


def test_row_findings_and_counts_agree_with_the_full_list():
    rate = MAESTRO.model_copy(update={"modes": (DeploymentMode.BATCH,)})
    plan = plan_of(workload(name="over", mode=DeploymentMode.BATCH, requests_per_month=D(8_000_000)),
                   workload(name="bad", input_tokens=D(-1)), workload(name="ok"), rates=(rate,))
    p = project(plan)
    everything = p.findings
    assert [f for i in range(3) for f in p.findings_for_row(i)] == sorted(everything, key=lambda f: f.row)
    errors = sum(f.severity is Severity.ERROR for f in everything)
    warnings = sum(f.severity is Severity.WARNING for f in everything)
    assert p.finding_counts() == (errors, warnings)
    assert any(f.workload == "over" and f.field == "requests_per_month" for f in p.findings_for_row(0))


@pytest.mark.parametrize("sample", ["sample-plan.json", "sample-capacity-plan.json"])
def test_a_rate_change_re_prices_only_its_models_rows_and_matches_a_full_projection(sample):
    from pricing.costing.catalog import resources_dir
    from pricing.files.planfile import open_plan

    plan, _ = open_plan(resources_dir() / sample)
    projection = Projection(plan)
    for i, rate in enumerate(plan.rates):
        latest = rate.versions[-1]
        cheaper = latest.model_copy(update={"input_mtok": latest.input_mtok / 2, "output_mtok": latest.output_mtok * 3})
        rates = list(plan.rates)
        rates[i] = rate.model_copy(update={"versions": rate.versions[:-1] + (cheaper,), "batch_discount": Decimal("0.3")})
        plan = plan.model_copy(update={"rates": tuple(rates)})
        assert projection.rates_change_is_local(plan)
        untouched = [k for k, row in enumerate(projection.rows) if row.rate is None or row.rate.id != rate.id]
        kept = {k: projection.rows[k] for k in untouched}
        projection.update(plan, [])
        full = Projection(plan)
        assert projection.month_totals == full.month_totals
        assert [r.costs for r in projection.rows] == [r.costs for r in full.rows]
        assert [str(f) for f in projection.findings] == [str(f) for f in full.findings]
        assert all(projection.rows[k] is kept[k] for k in untouched if not kept[k].capacity_id)  # not re-priced


def test_adding_a_model_to_the_rate_sheet_is_not_a_local_change():
    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import open_plan

    plan, _ = open_plan(sample_plan_path())
    projection = Projection(plan)
    fewer = plan.model_copy(update={"rates": plan.rates[:-1]})
    assert not projection.rates_change_is_local(fewer)  # a workload may now resolve differently: project again


def _counted_afresh(p: Projection) -> tuple[int, int]:
    everything = p.findings
    return (sum(f.severity is Severity.ERROR for f in everything), sum(f.severity is Severity.WARNING for f in everything))


@pytest.mark.parametrize("seed", range(6))
def test_finding_counts_kept_through_edits_rows_in_and_out_and_rate_changes_equal_a_fresh_count(seed):
    import random

    from tests.workbook_helpers import random_plan

    rng = random.Random(seed)
    plan = random_plan(seed, n_workloads=60)
    p = Projection(plan)
    assert p.finding_counts() == _counted_afresh(p)  # counted once, then kept
    for step in range(12):
        workloads = list(plan.workloads)
        kind = step % 4
        if kind == 0:  # an edit that may make or clear findings (a negative count is an error)
            rows = rng.sample(range(len(workloads)), 3)
            for i in rows:
                value = rng.choice([Decimal(-5), Decimal(0), Decimal(rng.randint(1, 10**7))])
                workloads[i] = workloads[i].model_copy(update={"requests_per_month": value})
            plan = plan.model_copy(update={"workloads": tuple(workloads)})
            p.update(plan, rows)
        elif kind == 1:  # rows out
            start = rng.randrange(len(workloads) - 2)
            plan = plan.model_copy(update={"workloads": tuple(workloads[:start] + workloads[start + 2:])})
            p.splice(plan, start, 2, 0)
        elif kind == 2:  # rows in (copies of others)
            start = rng.randrange(len(workloads))
            new = [workloads[rng.randrange(len(workloads))].model_copy(update={"requests_per_month": Decimal(-1)})]
            plan = plan.model_copy(update={"workloads": tuple(workloads[:start] + new + workloads[start:])})
            p.splice(plan, start, 0, 1)
        else:  # a rate's figures change: its rows are priced again
            rates = list(plan.rates)
            k = rng.randrange(len(rates))
            latest = rates[k].versions[-1]
            version = latest.model_copy(update={"output_mtok": latest.output_mtok + 1})
            rates[k] = rates[k].model_copy(update={"versions": rates[k].versions[:-1] + (version,)})
            plan = plan.model_copy(update={"rates": tuple(rates)})
            p.update(plan, [])
        assert p.finding_counts() == _counted_afresh(p) == Projection(plan).finding_counts(), step
