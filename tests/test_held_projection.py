"""A projection held for a save: every breakdown in one pass, and a snapshot edits leave alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pricing.costing.held import breakdowns, snapshot
from pricing.costing.projection import BREAKDOWNS, Projection
from pricing.plan.models import DeploymentMode
from tests.workbook_helpers import random_plan, rich_plan


@pytest.mark.parametrize("seed", range(8))
def test_one_pass_breakdowns_equal_each_projection_breakdown_in_groups_order_and_digits(seed):
    p = Projection(random_plan(seed, n_workloads=120))
    found = breakdowns(p)
    for by in BREAKDOWNS:
        expected = p.breakdown(by)
        assert list(found[by]) == list(expected), by
        assert {k: [str(v) for v in line] for k, line in found[by].items()} == \
            {k: [str(v) for v in line] for k, line in expected.items()}, by


def test_one_pass_breakdowns_keep_idle_capacity_under_its_own_key():
    p = Projection(rich_plan())
    assert breakdowns(p) == {by: p.breakdown(by) for by in BREAKDOWNS}
    assert "(idle capacity)" in breakdowns(p)["tenant"]


def _figures(p: Projection):
    return ([list(r.costs) for r in p.rows], list(p.month_totals), {k: list(v) for k, v in p.idle.items()},
            {by: p.breakdown(by) for by in BREAKDOWNS})


def test_a_snapshot_keeps_its_figures_while_the_projection_is_edited():
    plan = random_plan(3, n_workloads=60)
    p = Projection(plan)
    held = snapshot(p)
    before = _figures(held)
    workloads = list(plan.workloads)
    # an edit of a per-token row and one that moves a row onto a cluster (its shares are re-assigned)
    per_token = next(i for i, w in enumerate(workloads) if w.mode.per_token)
    workloads[per_token] = workloads[per_token].model_copy(update={"requests_per_month": Decimal(987_654)})
    mover = next(i for i, w in enumerate(workloads) if w.mode.per_token and i != per_token)
    workloads[mover] = workloads[mover].model_copy(update={"mode": DeploymentMode.GPU_CLUSTER, "capacity": "cl"})
    edited = plan.model_copy(update={"workloads": tuple(workloads)})
    p.update(edited, [per_token, mover])
    assert _figures(p) != before  # the edit did move the figures
    assert _figures(held) == before
    assert held.plan is plan


def _parts(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_a_save_given_the_held_projection_writes_the_same_workbook_as_one_that_projects(tmp_path):
    from pricing.files.workbook import save_plan

    plan = rich_plan()
    save_plan(plan, tmp_path / "projected.xlsx")
    save_plan(plan, tmp_path / "held.xlsx", projection=snapshot(Projection(plan)))
    assert _parts(tmp_path / "held.xlsx") == _parts(tmp_path / "projected.xlsx")


def test_a_save_projects_again_when_the_held_projection_is_of_another_plan(tmp_path):
    from pricing.files.workbook import save_plan

    plan = rich_plan()
    other = Projection(random_plan(1))
    save_plan(plan, tmp_path / "projected.xlsx")
    save_plan(plan, tmp_path / "held.xlsx", projection=other)
    assert _parts(tmp_path / "held.xlsx") == _parts(tmp_path / "projected.xlsx")


def _batch_state(p: Projection):
    return p.batch_findings, p.finding_counts(), [p.findings_for_row(i) for i in range(len(p.rows))]


@pytest.mark.parametrize("seed", range(6))
def test_a_working_copy_repriced_at_new_rates_equals_a_fresh_projection_and_leaves_the_original(seed):
    from pricing.costing.held import working_copy

    plan = random_plan(seed, n_workloads=80)
    p = Projection(plan)
    before, batch_before = _figures(p), _batch_state(p)
    rates = list(plan.rates)
    first = rates[0]
    version = first.versions[-1].model_copy(update={"output_mtok": first.versions[-1].output_mtok * 2 + 1})
    rates[0] = first.model_copy(update={"versions": first.versions[:-1] + (version,)})
    workloads = list(plan.workloads)
    workloads[5] = workloads[5].model_copy(update={"requests_per_month": Decimal(4_321_000)})
    repriced = plan.model_copy(update={"rates": tuple(rates), "workloads": tuple(workloads)})
    copy_ = working_copy(p)
    copy_.update(repriced, [5])
    fresh = Projection(repriced)
    assert _figures(copy_) == _figures(fresh)
    assert _batch_state(copy_) == _batch_state(fresh)
    assert _figures(p) == before and _batch_state(p) == batch_before
    assert p.plan is plan


def test_row_keys_are_the_projections_keys_of_each_row():
    from pricing.costing.held import row_keys

    p = Projection(random_plan(5))
    assert [row_keys(row) for row in p.rows] == [tuple(p.key_of(row, by) for by in BREAKDOWNS) for row in p.rows]


def _reference_usage_by_provider(p: Projection) -> dict[str, list[Decimal]]:
    """The straightforward sum, row by row and month by month."""
    out: dict[str, list[Decimal]] = {}
    for row in p.rows:
        acc = out.setdefault(row.rate.provider.lower() if row.rate is not None else "", [Decimal(0)] * p.horizon)
        for m, c in enumerate(row.costs):
            acc[m] += c
    return out


@pytest.mark.parametrize("seed", range(6))
def test_usage_by_provider_is_the_row_by_row_sum_whether_or_not_given_the_one_pass_sums(seed):
    from pricing.costing.held import combo_sums, provider_sums
    from pricing.terms.ledger import usage_by_provider

    p = Projection(random_plan(seed, n_workloads=80))
    expected = _reference_usage_by_provider(p)
    assert usage_by_provider(p, provider_sums(combo_sums(p))) == usage_by_provider(p)
    assert provider_sums(combo_sums(p)) == expected


def test_growth_factors_are_the_same_digits_whichever_context_asks_for_them_first():
    """The Batch tally asks for factors in the 80-digit sum context, a row's pricing in the default one:
    a factor must not depend on which came first, or an edit could price a row apart from a fresh projection."""
    from decimal import Context, localcontext

    from pricing.costing.rows import GrowthTable

    growth = Decimal("0.0123456789")
    with localcontext(Context(prec=80)):
        wide_first = GrowthTable().table(growth, 36)
    assert [str(f) for f in wide_first] == [str(f) for f in GrowthTable().table(growth, 36)]
    assert GrowthTable().run(growth, 3, 10) == tuple(GrowthTable().table(growth, 10)[3:10])


@pytest.mark.parametrize("seed", range(6))
def test_a_working_copy_with_rows_taken_out_and_put_in_equals_a_fresh_projection_and_leaves_the_original(seed):
    from pricing.costing.held import working_copy

    plan = random_plan(seed, n_workloads=80)
    workloads = list(plan.workloads)
    for i in (35, 50, 70):  # rows below the splice with findings that name them
        workloads[i] = workloads[i].model_copy(update={"requests_per_month": Decimal(-5)})
    plan = plan.model_copy(update={"workloads": tuple(workloads)})
    p = Projection(plan)
    before, batch_before, findings_before = _figures(p), _batch_state(p), [list(r.findings) for r in p.rows]
    assert findings_before[50][0].row == 50
    spliced_plan = plan.model_copy(update={"workloads": tuple(workloads[:10] + workloads[30:] + workloads[2:5])})
    copy_ = working_copy(p)
    copy_.splice(spliced_plan.model_copy(update={"workloads": spliced_plan.workloads[:-3]}), 10, 20, 0)
    copy_.splice(spliced_plan, len(spliced_plan.workloads) - 3, 0, 3)
    fresh = Projection(spliced_plan)
    assert _figures(copy_) == _figures(fresh)
    assert _batch_state(copy_) == _batch_state(fresh)
    assert _figures(p) == before and _batch_state(p) == batch_before
    assert [list(r.findings) for r in p.rows] == findings_before  # the rows it shares keep their row numbers
