"""ModeCosts: a workload's cost on a per-token mode, row by row, equals a projection with the mode swapped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pricing.costing.catalog import resources_dir
from pricing.plan.models import DeploymentMode
from pricing.capacity.modes import ModeCosts, cost_in_mode
from pricing.files.planfile import open_plan
from pricing.costing.projection import Projection
from tests.capacity_helpers import capacity_plan, job, sample_capacity_plan
from tests.conftest import MAESTRO

S, B = DeploymentMode.SERVERLESS, DeploymentMode.BATCH


def _swapped(plan, mode):
    workloads = tuple(w.model_copy(update={"mode": mode}) for w in plan.workloads)
    return Projection(plan.model_copy(update={"workloads": workloads, "endpoints": (), "clusters": ()}))


def _same_as_swapped_projection(plan) -> int:
    projection = Projection(plan)
    costs = ModeCosts(projection)
    checked = 0
    for mode in (S, B):
        whole = _swapped(plan, mode)
        for i, row in enumerate(whole.rows):
            for m in range(whole.horizon):
                want = row.costs[m] if row.priceable else None
                got = costs.cost(i, m, mode)
                # The same digits, not merely equal values.
                assert str(got) == str(want), (plan.workloads[i].name, mode, m)
                checked += 1
    return checked


def _sample_plan():
    return open_plan(resources_dir() / "sample-plan.json")[0]


def test_every_workload_of_the_sample_plan_every_month_both_modes():
    assert _same_as_swapped_projection(_sample_plan()) == 2 * 12 * 36


def test_every_workload_of_the_sample_capacity_plan_dedicated_and_clusters_included():
    plan = sample_capacity_plan()
    assert any(not w.mode.per_token for w in plan.workloads)
    assert _same_as_swapped_projection(plan) == 2 * len(plan.workloads) * Projection(plan).horizon


def test_batch_of_a_model_whose_rate_sheet_does_not_list_batch_is_priced_at_the_plan_discount():
    assert B not in MAESTRO.modes
    plan = capacity_plan(job("agent", start_month=date(2026, 3, 1), monthly_growth=Decimal("0.05")),
                         job("idle", requests=0), rates=(MAESTRO,))
    _same_as_swapped_projection(plan)
    p = Projection(plan)
    # 2,000,000 × (3000 × 0.90 + 1000 × 3.30) / 1M at the default 50% Batch discount, from its first month.
    assert cost_in_mode(p, 0, 2, B) == Decimal("6000.00")
    assert cost_in_mode(p, 0, 1, B) == 0


def test_unpriceable_rows_give_none_and_capacity_modes_are_refused():
    plan = capacity_plan(job("no such model", model="nobody/nothing"),
                         job("dedicated with no endpoint", mode=DeploymentMode.DEDICATED, capacity="missing"))
    _same_as_swapped_projection(plan)
    p = Projection(plan)
    assert cost_in_mode(p, 0, 0, S) is None
    assert cost_in_mode(p, 1, 0, B) is not None  # on a per-token mode it needs no endpoint
    with pytest.raises(ValueError):
        cost_in_mode(p, 1, 0, DeploymentMode.DEDICATED)


def test_batch_savings_are_the_serverless_workloads_batch_prices_lower():
    plan = _sample_plan()
    p = Projection(plan)
    costs = ModeCosts(p)
    serverless, batch = _swapped(plan, S), _swapped(plan, B)
    want = []
    for i, w in enumerate(plan.workloads):
        rate = p.rows[i].rate
        if w.mode is not S or rate is None or B not in rate.modes:
            continue
        m = costs.first_month(i)
        s, b = serverless.rows[i].costs[m], batch.rows[i].costs[m]
        if b < s:
            want.append(s - b)
    assert want and costs.batch_savings() == want


def test_answers_stay_those_of_the_projection_it_was_made_from():
    plan = _sample_plan()
    p = Projection(plan)
    costs = ModeCosts(p)
    before = [costs.cost(i, 6, B) for i in range(len(plan.workloads))]
    shorter = plan.model_copy(update={"workloads": plan.workloads[1:]})
    p.splice(shorter, 0, 1, 0)  # a row deleted while the Modes table still shows the old rows
    assert len(costs.rows) == len(plan.workloads)
    assert [costs.cost(i, 6, B) for i in range(len(plan.workloads))] == before


def test_the_cheaper_mode_and_its_saving_are_decided_in_the_core(sample_plan):
    """Batch is the cheaper mode only where the rate sheet lists it; the saving is the difference
    in the first month with traffic; the Modes tab shows exactly this choice."""
    p = Projection(sample_plan)
    costs = ModeCosts(p)
    seen = set()
    for i, row in enumerate(p.rows):
        if not row.priceable or not row.workload.mode.per_token:
            continue
        choice = costs.choice(i)
        month = p.first_month(i)
        s_cost, b_cost = costs.cost(i, month, S), costs.cost(i, month, B)
        assert (choice.month, choice.serverless, choice.batch) == (month, s_cost, b_cost)
        if B in row.rate.modes:
            assert choice.cheaper is (B if b_cost < s_cost else S) and choice.saving == abs(s_cost - b_cost)
            assert choice.marked(None, False) is choice.cheaper
        else:
            assert choice.cheaper is S and choice.saving is None and choice.marked(None, False) is None
        seen.add(B in row.rate.modes)
    assert seen == {True, False}
