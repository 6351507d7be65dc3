"""New records start one way: the workload row the grid inserts, the price change the Rates tab adds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pricing.plan.templates import new_rate_version, new_workload


def test_a_new_workload_follows_the_row_it_is_inserted_after_with_no_traffic(sample_plan):
    like = sample_plan.workloads[2]
    w = new_workload(sample_plan, 3, like)
    assert (w.name, w.model, w.tenant) == ("New workload 4", like.model, like.tenant)
    assert w.requests_per_month == w.input_tokens == w.output_tokens == 0
    assert new_workload(sample_plan, 0).model == sample_plan.rates[0].id


def test_a_new_price_change_starts_from_the_rates_in_force_before_it(sample_plan):
    rate = sample_plan.rates[0]
    changed = new_rate_version(rate, date(2027, 5, 1))
    added = changed.version_on(date(2027, 5, 1))
    assert added.effective_from == date(2027, 5, 1) and len(changed.versions) == len(rate.versions) + 1
    before = rate.version_on(date(2027, 5, 1))
    assert (added.input_mtok, added.output_mtok) == (before.input_mtok, before.output_mtok)
    assert isinstance(added.input_mtok, Decimal)
