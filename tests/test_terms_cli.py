"""summary and cost --plan price with the plan's terms and show its currency."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from pricing.files.planfile import save_plan_json
from pricing.plan.money import round_cents
from pricing.plan.terms import Commitment, Discount, FxRate, Terms
from tests.test_cli import tb

D = Decimal
JAN = date(2026, 1, 1)


def _eur_plan(sample_plan, path):
    terms = Terms(discounts=(Discount(model="together/arcee-ai/maestro-reasoning", percent_off=D("0.2")),),
                  commitments=(Commitment(provider="together", amount=D(40_000), starts=JAN),),
                  fx=(FxRate(month=JAN, per_usd=D("0.92")),))
    a = sample_plan.assumptions.model_copy(update={"currency": "EUR", "locale": "de_DE"})
    save_plan_json(sample_plan.model_copy(update={"assumptions": a, "terms": terms}), path)
    return path


def test_summary_of_a_eur_plan_shows_euros_in_its_locale_and_never_dollars(sample_plan, tmp_path):
    out = tb("summary", str(_eur_plan(sample_plan, tmp_path / "eur.json")))
    assert out.returncode == 0, out.stderr
    assert "€" in out.stdout and "$" not in out.stdout
    # January at list is $23,393.19; the maestro workloads (12,000 + 6,000 + 1,725 = 19,725) lose 20%:
    # 23,393.19 − 3,945 = 19,448.19, × 0.92 EUR/USD = 17,892.33.
    assert "first month 17.892,33\N{NO-BREAK SPACE}€" in out.stdout
    assert "billed cost (FOCUS BilledCost): first month 40.000,00\N{NO-BREAK SPACE}€" in out.stdout


def test_summary_json_carries_billed_and_effective_cost(sample_plan, tmp_path):
    out = tb("summary", str(_eur_plan(sample_plan, tmp_path / "eur.json")), "--json")
    data = json.loads(out.stdout)
    assert data["currency"] == "EUR"
    # Each workload-month is an amount in cents: 17,892.3348 is billed as 17,892.33.
    assert D(data["month_totals"][0]) == round_cents((D("23393.19") - D("19725") * D("0.2")) * D("0.92"))
    assert data["billed_cost"][0] == data["effective_cost"][0] == "40000.00"


def test_cost_with_a_plan_explains_the_discount_and_the_fx_step(sample_plan, tmp_path):
    out = tb("cost", "arcee-ai/maestro-reasoning", "3000", "1000", "--requests", "2M", "--date", "2026-03-01",
             "--plan", str(_eur_plan(sample_plan, tmp_path / "eur.json")))
    assert out.returncode == 0, out.stderr
    assert "list 0,90\N{NO-BREAK SPACE}$; × (1 − 20%) = 0,72\N{NO-BREAK SPACE}$; × 0,92 EUR/USD = 0,6624\N{NO-BREAK SPACE}€" in out.stdout
    assert "8.832,00\N{NO-BREAK SPACE}€ a month" in out.stdout  # 2M × (3,000 × 0.6624 + 1,000 × 2.4288) / 1M


def test_every_command_on_a_eur_plan_writes_euros_never_dollars(sample_plan, tmp_path):
    path = str(_eur_plan(sample_plan, tmp_path / "eur.json"))
    for args in (("modes", path), ("summary", path, "--by", "model")):
        out = tb(*args)
        assert out.returncode == 0, out.stderr
        assert "€" in out.stdout and "$" not in out.stdout, args
