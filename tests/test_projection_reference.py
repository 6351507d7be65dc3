"""The projection's fast path (request costs priced once per distinct request, a row's months rounded
in one pass, clean workloads not checked twice) gives exactly the cells of a straightforward
cell-by-cell computation: the same Decimals, digit for digit and exponent for exponent."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from pricing.costing.projection import Projection
from pricing.plan.money import cents_of, round_cents
from tests.projection_reference import Reference, random_plan, slow_round_cents

D = Decimal


def _same(a: list[Decimal], b: list[Decimal]) -> bool:
    """Equal values written alike (``Decimal('1.10') == Decimal('1.1')``, but they print apart)."""
    return len(a) == len(b) and all(x == y and x.as_tuple() == y.as_tuple() for x, y in zip(a, b))


def _assert_matches(p: Projection, ref: Reference) -> None:
    for i, row in enumerate(p.rows):
        assert _same(row.costs, ref.rows[i]), f"row {i}: {row.costs} != {ref.rows[i]}"
        assert row.findings == ref.findings[i], f"row {i}"
    for capacity_id, line in ref.idle.items():
        assert _same(p.idle[capacity_id], line), capacity_id
    assert _same(p.month_totals, ref.totals)
    for model_id, line in ref.batch_tokens.items():
        assert p.batch_ledger.tokens(model_id) == line, model_id


@pytest.mark.parametrize("seed", range(6))
def test_projection_of_a_random_plan_equals_the_cell_by_cell_reference(seed):
    plan = random_plan(seed, terms=seed % 3 != 0)
    _assert_matches(Projection(plan), Reference(plan))


@pytest.mark.parametrize("seed", range(3))
def test_rows_sharing_their_figures_and_start_month_equal_the_reference(seed):
    """Rows of one shape (model, mode, tokens, shares, growth) and start share their request costs
    and growth factors (one layout); each row's own volume and discount still make its cells."""
    rng = random.Random(seed)
    plan = random_plan(seed + 30, n=40)
    workloads = list(plan.workloads)
    for w in plan.workloads:
        for _ in range(4):
            workloads.append(w.model_copy(update={
                "requests_per_month": D(rng.randrange(0, 4_000_000, 250)) / rng.choice([1, 3, 7]),
                "discount": D(rng.choice(["0", "0.1", "0.125", "0.3333"])),
                "start_month": rng.choice([w.start_month, plan.workloads[rng.randrange(40)].start_month])}))
    plan = plan.model_copy(update={"workloads": tuple(workloads)})
    p = Projection(plan)
    assert max(len(layouts) for _, layouts in p.pricer._shapes.values()) > 1  # noqa: SLF001 - what is shared
    _assert_matches(p, Reference(plan))


@pytest.mark.parametrize("seed", range(3))
def test_a_plan_of_distinct_rows_priced_without_sharing_equals_the_reference(seed, monkeypatch):
    """Once the first rows show that sharing rarely pays (a budget whose every row has its own
    figures), the rest are checked and priced on their own: the same cells, findings and request
    costs as sharing gives, edits included."""
    from pricing.costing.row_pricer import RowPricer

    plan = random_plan(seed + 40, n=160)
    shared = Projection(plan)
    monkeypatch.setattr(RowPricer, "PROBE", 16)
    monkeypatch.setattr(RowPricer, "PROBE_HITS", 1)  # give sharing up unless every row was found
    p = Projection(plan)
    assert shared.pricer.sharing and not p.pricer.sharing
    _assert_matches(p, Reference(plan))
    for a, b in zip(p.rows, shared.rows):
        assert a.findings == b.findings and a.request_costs.keys() == b.request_costs.keys()
        assert all(a.request_costs[k].total == b.request_costs[k].total for k in a.request_costs)
    rng = random.Random(seed)
    for _ in range(4):  # edits are priced without sharing too
        workloads = list(plan.workloads)
        i = rng.randrange(len(workloads))
        workloads[i] = workloads[i].model_copy(update={"input_tokens": D(rng.randrange(1, 9000))})
        plan = plan.model_copy(update={"workloads": tuple(workloads)})
        p.update(plan, [i])
        _assert_matches(p, Reference(plan))


def test_random_plans_reach_every_kind_of_row():
    """The plans the comparison runs on hold what it must cover (or it would prove little)."""
    plan = random_plan(0)
    ref = Reference(plan)
    modes = {w.mode for w in plan.workloads}
    assert len(modes) == 4
    assert any(any(line) for line in ref.idle.values()) and any(len(r.versions) > 1 for r in plan.rates)
    assert any(f for f in ref.findings) and any(w.discount for w in plan.workloads)
    assert len({w.monthly_growth for w in plan.workloads}) > 4
    # rows of one amount from a start inside the horizon (the totals carry them month to month)
    assert any(w.mode.per_token and not w.monthly_growth and (w.start_month or plan.assumptions.first_month) > plan.assumptions.first_month
               for w in plan.workloads)


@pytest.mark.parametrize("seed", range(3))
def test_edits_through_update_and_splice_equal_the_reference(seed):
    rng = random.Random(seed)
    plan = random_plan(seed + 10)
    p = Projection(plan)
    for _ in range(8):
        workloads = list(plan.workloads)
        i = rng.randrange(len(workloads))
        other = workloads[rng.randrange(len(workloads))]
        workloads[i] = workloads[i].model_copy(update={
            "requests_per_month": D(rng.randrange(0, 5_000_000)), "mode": other.mode, "capacity": other.capacity,
            "cached_share": other.cached_share, "model": other.model})
        plan = plan.model_copy(update={"workloads": tuple(workloads)})
        p.update(plan, [i])
        _assert_matches(p, Reference(plan))
    start = rng.randrange(len(plan.workloads))
    inserted = plan.workloads[:3]
    plan = plan.model_copy(update={"workloads": plan.workloads[:start] + inserted + plan.workloads[start + 2:]})
    p.splice(plan, start, 2, 3)
    _assert_matches(p, Reference(plan))


def test_a_rate_edit_reprices_its_rows_as_the_reference_does():
    plan = random_plan(21)
    p = Projection(plan)
    rate = plan.rates[0]
    version = rate.versions[0].model_copy(update={"input_mtok": rate.versions[0].input_mtok + D("0.01")})
    edited = rate.model_copy(update={"versions": (version, *rate.versions[1:])})
    plan = plan.model_copy(update={"rates": (edited, *plan.rates[1:])})
    p.update(plan, [])
    _assert_matches(p, Reference(plan))


@pytest.mark.parametrize("seed", range(2))
def test_a_row_too_wide_for_the_cents_context_is_rounded_as_the_reference_does(seed, monkeypatch):
    """A row's months are rounded inline in the cents context; an amount too wide for it (no plan
    within the input bounds has one) is rounded by ``cents_of``, sized to it: the same cells."""
    from decimal import InvalidOperation

    from pricing.costing import row_pricer

    def too_wide(value, exp):
        raise InvalidOperation("as an amount of more than 80 digits would")

    monkeypatch.setattr(row_pricer, "quantize_cents", too_wide)
    plan = random_plan(seed + 50, n=60)
    _assert_matches(Projection(plan), Reference(plan))


def test_cents_of_rounds_each_product_as_round_cents_does_even_beyond_80_digits():
    for base, factors in [(D("1234.5675"), [D(1), D("1.01"), D("1.0201")]),
                          (D("-0.005"), [D(1), D(3)]),
                          (D("9" * 60), [D("1e25"), D(1)])]:  # the first product is 85 digits wide
        got = cents_of(base, factors)
        want = [slow_round_cents(base * f) for f in factors]
        assert [str(g) for g in got] == [str(x) for x in want]


@pytest.mark.parametrize("value", ["0.005", "-0.005", "2.675", "1e-30", "123456789012345678901234567.125",
                                   "9" * 79 + ".995", "1e85", "NaN", "Infinity", "-0"])
def test_round_cents_without_a_context_per_call_rounds_as_one_sized_to_the_value(value):
    got, want = round_cents(D(value)), slow_round_cents(D(value))
    assert str(got) == str(want)
