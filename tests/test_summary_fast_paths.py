"""The text summary writes each row once and totals its groups from the rows' totals: pinned,
digit for digit, against the straightforward way (every figure through format_money, each
group's months summed) on seeded random plans of every kind of row, with contract terms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pricing.cli import main
from pricing.costing.projection import BREAKDOWNS, Projection
from pricing.files.planfile import save_plan_json
from pricing.plan.money import exact_sum, format_money
from pricing.plan.months import label
from pricing.plan.terms import Commitment
from pricing.terms import build_ledger
from tests.projection_reference import random_plan


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("by", BREAKDOWNS)
def test_group_totals_from_row_totals_equal_the_sums_of_each_groups_months(seed, by):
    projection = Projection(random_plan(seed, terms=seed % 2 == 0))
    row_totals = [projection.row_total(i) for i in range(len(projection.rows))]
    expected = [(key, str(exact_sum(months))) for key, months in projection.breakdown(by).items()]
    assert [(key, str(total)) for key, total in projection.breakdown_totals(by, row_totals).items()] == expected


def _reference_text(plan, by: str) -> str:
    """The summary as written figure by figure, before the fast path."""
    projection = Projection(plan)
    currency, loc = plan.assumptions.currency, plan.assumptions.locale
    ledger = build_ledger(plan, projection)

    def money(value) -> str:
        return format_money(value, 2, currency, loc)
    months = projection.months
    out = [f"{plan.name} — {len(months)} months from {label(months[0])} to {label(months[-1])} ({currency})",
           f"{'workload':<34} {'model':<38} {'mode':<11} {'per request':>12} {'first month':>14} {'total':>16}"]
    for i, row in enumerate(projection.rows):
        rc = projection.request_cost(i, projection.first_month(i))
        per = format_money(rc.total, 4, currency, loc, max_places=8) if rc else "-"
        model = (row.rate.id if row.rate else row.workload.model)[:38]
        out.append(f"{row.workload.name[:34]:<34} {model:<38} {row.workload.mode.label:<11} {per:>12} "
                   f"{money(row.costs[0]):>14} {money(projection.row_total(i)):>16}")
    out.append(f"\nby {by}:")
    for key, values in sorted(projection.breakdown(by).items(), key=lambda kv: -exact_sum(kv[1])):
        out.append(f"  {key:<40} {money(exact_sum(values)):>18}")
    out.append(f"\nfirst month {money(projection.month_totals[0])}   first 12 months "
               f"{money(projection.total_for(0, 12))}   whole horizon {money(projection.total)}")
    out.append("fiscal years: " + "   ".join(f"{y.label} {money(t)}" for y, t in projection.fiscal_year_totals()))
    if not ledger.empty:
        billed, effective = ledger.billed, ledger.effective
        out.append(f"with commitments, credits and reservations — billed cost (FOCUS BilledCost): first month "
                   f"{money(billed[0])}, whole horizon {money(exact_sum(billed))}; effective cost (EffectiveCost): "
                   f"first month {money(effective[0])}, whole horizon {money(exact_sum(effective))}")
        for line in ledger.lines:
            out.append(f"  {line.label}: billed {money(exact_sum(line.billed))}, effective {money(exact_sum(line.effective))}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed, by, locale", [(0, "tenant", "en_US"), (1, "model", "de_DE"), (2, "mode", "fr_FR"),
                                              (3, "feature", "en_IN"), (4, "environment", "ja_JP")])
def test_the_text_summary_of_a_random_plan_is_the_figure_by_figure_text(tmp_path, capsys, seed, by, locale):
    plan = random_plan(seed, terms=seed % 2 == 0)
    plan = plan.model_copy(update={"assumptions": plan.assumptions.model_copy(update={"locale": locale})})
    if seed % 2 == 0:  # a commitment: the billed and effective cost lines
        commitment = Commitment(provider=plan.rates[0].id.split("/")[0], amount=Decimal(40_000),
                                starts=plan.assumptions.first_month)
        plan = plan.model_copy(update={"terms": plan.terms.model_copy(update={"commitments": (commitment,)})})
    path = tmp_path / "plan.json"
    save_plan_json(plan, path)
    assert main(["summary", str(path), "--by", by]) == 0
    text = capsys.readouterr().out
    expected = _reference_text(plan, by)
    assert text[:len(expected)] == expected
    assert "  (idle capacity)" in text or by == "mode"
    assert ("billed cost (FOCUS BilledCost)" in text) == (seed % 2 == 0)
