"""compare_plan shares work between workloads (request costs, the cheapest endpoint per demand step,
break-evens): each comparison must be what comparing that workload on its own gives, and the
endpoint and break-even it names what a plain search and solution give."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from pricing.capacity.breakeven import break_even
from pricing.capacity.modes import ModeComparer, compare_plan
from pricing.costing.capacity import ScaledCapacity
from pricing.costing.projection import Projection
from pricing.plan.models import DeploymentMode
from tests.projection_reference import random_plan
from tests.serving_endpoints import serving_endpoints

D = Decimal


def _plan(seed: int):
    """A random plan whose first two models are served by several endpoints, some alike, one billing overage."""
    rng = random.Random(seed)
    plan = random_plan(seed, n=150)
    endpoints = list(plan.endpoints) + serving_endpoints(rng, [r.id for r in plan.rates[:2]], 8, 5, [0, 800, 2000])
    # Offline words in some names, features and notes (Batch is then recommended where cheapest).
    words = [{}, {}, {"name": "Nightly"}, {"feature": "backfill"}, {"notes": "runs ASYNC"}, {"feature": "chat"}]
    workloads = tuple(w.model_copy(update={k: f"{v} {w.name}" if k == "name" else v
                                           for k, v in words[i % len(words)].items()})
                      for i, w in enumerate(plan.workloads))
    return plan.model_copy(update={"endpoints": tuple(endpoints), "workloads": workloads})


@pytest.mark.parametrize("seed", range(3))
def test_comparing_the_whole_plan_gives_each_workload_compared_on_its_own(seed):
    plan = _plan(seed)
    projection = Projection(plan)
    for month in (0, 7):
        together = compare_plan(plan, month, projection)
        alone = [ModeComparer(plan, projection).compare(i, None, month) for i in range(len(plan.workloads))]
        assert together == alone
        assert [c.recommendation for c in together] == [c.recommendation for c in alone]


def _as_written(c) -> list[str]:
    """Every field of a comparison as its repr (Decimals with their trailing zeros), and its text."""
    import dataclasses

    return [repr(getattr(c, f.name)) for f in dataclasses.fields(c) if f.compare] + [c.recommendation]


@pytest.mark.parametrize("seed", range(4))
def test_the_one_pass_over_the_plan_gives_every_figure_as_written_by_comparing_each_workload(seed):
    """compare_plan shares request costs, candidates and break-evens between workloads in one pass:
    each comparison is, figure for figure and digit for digit, what ``ModeComparer.compare`` gives."""
    plan = _plan(seed)
    projection = Projection(plan)
    for month in (0, 5, projection.horizon - 1):
        comparer = ModeComparer(plan, projection)
        one_by_one = [comparer.compare(i, None, month) for i in range(len(plan.workloads))]
        assert [_as_written(c) for c in compare_plan(plan, month, projection)] == [_as_written(c) for c in one_by_one]


def test_workloads_whose_figures_differ_only_in_trailing_zeros_keep_their_own_figures():
    plan = _plan(6)
    workloads = list(plan.workloads)
    for i in range(0, len(workloads), 3):
        w = workloads[i]
        workloads[i] = w.model_copy(update={"input_tokens": w.input_tokens.quantize(D("0.00")),
                                            "output_tokens": w.output_tokens.quantize(D("0.0"))})
    plan = plan.model_copy(update={"workloads": tuple(workloads)})
    projection = Projection(plan)
    for c in compare_plan(plan, 2, projection):
        own = ModeComparer(plan, projection).compare(c.index, None, 2)
        assert str(c.tokens_per_request) == str(own.tokens_per_request)
        assert str(c.blended_serverless_rate_per_mtok) == str(own.blended_serverless_rate_per_mtok)
        assert str(c.break_even_requests) == str(own.break_even_requests)


@pytest.mark.parametrize("seed", range(3))
def test_the_endpoint_named_is_the_first_cheapest_and_its_break_even_the_plain_solution(seed):
    plan = _plan(seed)
    projection = Projection(plan)
    seen = set()
    for c in compare_plan(plan, 3, projection):
        if c.candidate_source != "plan":
            continue
        serving = [e for e in plan.endpoints if e.model.lower() == c.model.lower()]
        scaled = {e.id: ScaledCapacity(e, plan.hours_per_month(e)) for e in serving}
        best = min(serving, key=lambda e: scaled[e.id].spend(c.tokens))
        assert c.candidate_id == best.id
        be = break_even(scaled[best.id], c.serverless_cost_per_request, c.tokens_per_request)
        # (solved once per kind of endpoint: an alike endpoint's solution is this one's, digit for digit)
        assert [str(v) for v in (c.break_even_requests, c.break_even_utilization, c.break_even_until,
                                 c.stays_ahead_from, c.break_even_note)] == \
            [str(v) for v in (be.requests, be.utilization, be.until, be.stays_ahead_from, be.reason)]
        seen.add(best.id)
    assert len(seen) > 2  # the plans make different endpoints win


def test_a_workload_on_per_token_modes_is_compared_with_serverless_and_batch_costs_of_its_rows():
    plan = _plan(4)
    projection = Projection(plan)
    for i, c in enumerate(compare_plan(plan, 0, projection)):
        row = projection.rows[i]
        if c.serverless_monthly is not None and row.workload.mode is DeploymentMode.SERVERLESS and not row.workload.discount:
            assert c.serverless_monthly == row.costs[0]


def test_a_recommendation_written_when_first_read_is_the_same_text_however_the_comparison_travelled():
    """The text is written on first reading: a comparison read, one not yet read, and one pickled
    to another thread's process and back are equal and give the same text."""
    import pickle

    plan = _plan(4)
    projection = Projection(plan)
    read = compare_plan(plan, 0, projection)
    texts = [c.recommendation for c in read]
    unread = compare_plan(plan, 0, projection)
    assert unread == read
    assert [pickle.loads(pickle.dumps(c)).recommendation for c in unread] == texts
    assert [c.recommendation for c in unread] == texts
    assert all(text and f"recommendation={text!r}" in repr(c) for c, text in zip(read, texts))
    assert len({hash(c) for c in read}) > 1


def test_a_drafted_comparison_is_the_dataclass_made_by_its_own_constructor():
    """``draft`` fills the slots directly: the object is a frozen ModeComparison equal, field for
    field, to what ModeComparison(**the same fields) makes, defaults included."""
    import dataclasses

    from pricing.capacity.comparison import ModeComparison, draft

    plan = _plan(5)
    for c in compare_plan(plan, 3, Projection(plan)):
        given = {f.name: getattr(c, f.name) for f in dataclasses.fields(c)}
        made = ModeComparison(**given)
        assert type(c) is ModeComparison and c == made and hash(c) == hash(made)
        assert [getattr(c, f.name) for f in dataclasses.fields(c)] == [getattr(made, f.name) for f in dataclasses.fields(c)]
    bare = draft(index=0, workload="w", model="m", month=0, month_start=plan.assumptions.first_month,
                 current_mode=DeploymentMode.BATCH)
    assert bare == ModeComparison(index=0, workload="w", model="m", month=0, month_start=plan.assumptions.first_month,
                                  current_mode=DeploymentMode.BATCH)
    with pytest.raises(dataclasses.FrozenInstanceError):
        bare.requests = D(1)
