"""Contract terms: discounts reach every price, commitments true up, credits run out, FX converts."""

from __future__ import annotations

import typing
from datetime import date, time
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from pricing.costing.catalog import load_catalog
from pricing.costing.projection import project
from pricing.plan.models import Assumptions, DeploymentMode, ModelRate, Plan, PromptTier, RateVersion, Workload
from pricing.plan.money import exact_sum, round_cents
from pricing.plan.terms import Commitment, Credit, Discount, FxRate, Period, Reservation, Terms
from pricing.terms import TermsPricer, build_ledger, price_paths, read_fx_csv
from tests.conftest import plan_of, workload

D = Decimal
JAN = date(2026, 1, 1)

# A model billing cache reads, cache writes and a long-context tier (Claude Sonnet's shape).
SONNET = ModelRate(
    provider="anthropic", model_id="claude-sonnet-4", modes=(DeploymentMode.SERVERLESS, DeploymentMode.BATCH),
    versions=(RateVersion(
        input_mtok=D(3), output_mtok=D(15), cached_input_mtok=D("0.30"), cache_write_mtok=D("3.75"),
        tiers=(PromptTier(above_input_tokens=200_000, input_mtok=D(6), output_mtok=D("22.5"),
                          cached_input_mtok=D("0.60"), cache_write_mtok=D("7.50")),)),),
)


def sonnet_plan(*, currency="USD", fx=(), discount=D("0.2"), **kw) -> Plan:
    terms = Terms(discounts=(Discount(provider="anthropic", model="claude-sonnet-4*", percent_off=discount),),
                  fx=tuple(FxRate(month=m, per_usd=r) for m, r in fx))
    long = workload(name="long", model=SONNET.id, input_tokens=D(250_000), output_tokens=D(1000),
                    cached_share=D("0.4"), cache_write_share=D("0.1"), requests_per_month=D(1000))
    short = workload(name="short", model=SONNET.id, input_tokens=D(10_000), output_tokens=D(1000),
                     cached_share=D("0.4"), cache_write_share=D("0.1"), requests_per_month=D(1000))
    plan = plan_of(long, short, rates=(SONNET,), currency=currency, **kw)
    return plan.model_copy(update={"terms": terms})


# By hand, at list: above the tier 125,000 × $6 + 100,000 cached × $0.60 + 25,000 written × $7.50
# + 1,000 × $22.50 = $1.02 a request; below it 5,000 × $3 + 4,000 × $0.30 + 1,000 × $3.75 + 1,000 × $15
# = $0.03495.
@pytest.mark.parametrize("currency, fx, factor", [("USD", (), D("0.8")),
                                                  ("EUR", ((JAN, D("0.92")),), D("0.8") * D("0.92"))])
def test_discount_reaches_cache_reads_cache_writes_and_the_long_context_tier(currency, fx, factor):
    plan = sonnet_plan(currency=currency, fx=fx)
    p = project(plan)
    assert not [f for f in p.findings if f.severity == "error"]
    assert p.request_cost(0).total == D("1.02") * factor  # USD 0.816, EUR 0.75072
    assert p.request_cost(1).total == D("0.03495") * factor  # USD 0.02796, EUR 0.0257232
    billed = p.rows[0].rate.versions[0]
    assert (billed.input_mtok, billed.output_mtok, billed.cached_input_mtok, billed.cache_write_mtok) == (
        D(3) * factor, D(15) * factor, D("0.30") * factor, D("3.75") * factor)
    tier = billed.tiers[0]
    assert (tier.input_mtok, tier.output_mtok, tier.cached_input_mtok, tier.cache_write_mtok) == (
        D(6) * factor, D("22.5") * factor, D("0.60") * factor, D("7.50") * factor)


def _filled(cls):
    """An instance of ``cls`` with every Decimal field set and one filled record in each tuple of records,
    whatever fields the rate sheet has grown since this test was written."""
    values = {}
    for name, info in cls.model_fields.items():
        text = str(info.annotation)
        args = [a for a in typing.get_args(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if "Decimal" in text:
            values[name] = D("1.5")
        elif args and "tuple" in text:
            values[name] = (_filled(args[0]),)
        elif info.is_required():
            values[name] = {int: 1000, time: time(1, 0), bool: False}.get(info.annotation, 1000)
    return cls(**values)


def test_every_price_field_of_a_rate_version_is_discounted_whatever_its_name():
    version = _filled(RateVersion)
    rate = SONNET.model_copy(update={"versions": (version,)})
    pricer = TermsPricer(sonnet_plan(), [JAN])
    billed = pricer.version_in(rate, version, JAN)
    paths = price_paths(version)
    assert {"input_mtok", "cached_input_mtok", "cache_write_mtok", "output_mtok", "tiers[0].input_mtok"} <= set(paths)
    for path in paths:
        assert _at(billed, path) == D("1.5") * D("0.8"), path


def _at(record, path):
    for part in path.replace("]", "").replace("[", ".").split("."):
        record = record[int(part)] if part.isdigit() else getattr(record, part)
    return record


def test_contract_rates_for_input_and_output_scale_the_other_prices_by_their_side():
    terms = Terms(discounts=(Discount(model="anthropic/claude-sonnet-4", input_mtok=D("2.40"), output_mtok=D(12)),))
    pricer = TermsPricer(sonnet_plan().model_copy(update={"terms": terms}), [JAN])
    billed = pricer.version_in(SONNET, SONNET.versions[0], JAN)
    assert (billed.input_mtok, billed.cached_input_mtok, billed.cache_write_mtok) == (D("2.40"), D("0.240"), D("3.000"))
    assert billed.output_mtok == D(12) and billed.tiers[0].output_mtok == D("18.0")


def test_the_largest_discount_in_force_applies_and_terms_never_stack():
    terms = Terms(discounts=(Discount(provider="anthropic", percent_off=D("0.1")),
                             Discount(model="claude-sonnet-4", percent_off=D("0.25"), starts=date(2026, 4, 1))))
    plan = sonnet_plan().model_copy(update={"terms": terms})
    p = project(plan)
    assert p.request_cost(1, 0).total == D("0.03495") * D("0.9")
    assert p.request_cost(1, 3).total == D("0.03495") * D("0.75")


def test_fx_table_converts_month_by_month():
    plan = sonnet_plan(currency="EUR", fx=((JAN, D("0.92")), (date(2026, 7, 1), D("0.95"))), discount=D(0))
    p = project(plan)
    # Each workload-month is an amount in cents in the plan's currency (README, "Figures that add up").
    assert p.month_totals[5] == round_cents((D("1.02") + D("0.03495")) * 1000 * D("0.92"))
    assert p.month_totals[6] == round_cents((D("1.02") + D("0.03495")) * 1000 * D("0.95"))


def test_a_eur_plan_of_usd_rates_without_an_fx_table_is_an_error_finding():
    p = project(sonnet_plan(currency="EUR"))
    assert any(f.severity == "error" and "FX table" in f.message for f in p.findings)


def test_rates_in_the_plans_own_currency_are_not_converted():
    plan = sonnet_plan(currency="EUR", fx=((JAN, D("0.92")),), discount=D(0))
    plan = plan.model_copy(update={"terms": plan.terms.model_copy(update={"rates_currency": "EUR"})})
    assert project(plan).request_cost(1).total == D("0.03495")


def test_currency_must_be_an_iso_4217_code():
    with pytest.raises(ValidationError, match="ISO 4217"):
        Assumptions(first_month=JAN, currency="dollars")
    assert Assumptions(first_month=JAN, currency="eur").currency == "EUR"


def test_explain_shows_each_term_step():
    plan = sonnet_plan(currency="EUR", fx=((JAN, D("0.92")),))
    text = TermsPricer(plan, [JAN]).explain(SONNET, "input_mtok", JAN)
    assert text == "list $3.00; × (1 − 20%) = $2.40; × 0.92 EUR/USD = €2.208"


# ------------------------------------------------------------------ commitments and credits
def _flat_plan(amount: Decimal, *terms_kw) -> Plan:
    """One workload costing exactly `amount` a month: 1,000 input tokens at $1/1M."""
    rate = ModelRate(provider="acme", model_id="flat", versions=(RateVersion(input_mtok=D(1), output_mtok=D(0)),))
    w = Workload(name="flat", model="acme/flat", input_tokens=D(1000), output_tokens=D(0),
                 requests_per_month=amount * 1000)
    return Plan(assumptions=Assumptions(first_month=JAN, horizon_months=12), rates=(rate,), workloads=(w,))


def test_monthly_commitment_shortfall_is_billed_as_a_true_up():
    plan = _flat_plan(D(7500))
    plan = plan.model_copy(update={"terms": Terms(commitments=(
        Commitment(provider="acme", amount=D(10_000), period=Period.MONTH, starts=JAN),))})
    ledger = build_ledger(plan, project(plan))
    assert ledger.usage[0] == D(7500)
    assert ledger.lines[0].billed[0] == D(2500)
    assert ledger.billed[0] == ledger.effective[0] == D(10_000)


def test_yearly_commitment_true_up_is_billed_in_its_closing_month_and_spread_as_effective_cost():
    plan = _flat_plan(D(7500))
    plan = plan.model_copy(update={"terms": Terms(commitments=(
        Commitment(amount=D(120_000), period=Period.YEAR, starts=JAN),))})
    ledger = build_ledger(plan, project(plan))
    assert ledger.billed[:11] == [D(7500)] * 11 and ledger.billed[11] == D(7500) + D(30_000)
    assert ledger.effective == [D(10_000)] * 12
    assert exact_sum(ledger.billed) == exact_sum(ledger.effective)


def test_fifty_thousand_of_credits_run_out_in_the_month_computed_by_hand(sample_plan):
    # By hand from the sample plan's workloads (requests × tokens × rates, Batch at half price):
    # January  12,000 + 6,000 + 1,725 + 2,358 + 58.95 + 53.44 + 1,026 + 31.80 + 140 = 23,393.19
    # February 12,000 + 6,000 + 1,776.75 + 2,452.32 + 58.95 + 53.44 + 1,046.52 + 31.80 + 2,058 + 144.20
    #          = 25,621.98, so 49,015.17 is used by the end of February and March crosses 50,000.
    plan = sample_plan.model_copy(update={"terms": Terms(credits=(Credit(amount=D(50_000), starts=JAN),))})
    p = project(plan)
    assert p.month_totals[0] == D("23393.19") and p.month_totals[1] == D("25621.98")
    ledger = build_ledger(plan, p)
    assert [f.message for f in ledger.findings] == ["$50,000.00 of prepaid credits (all providers) run out in Mar 2026"]
    credit = ledger.lines[0]
    assert credit.billed[:3] == [D(50_000) - D("23393.19"), -D("25621.98"), -(D(50_000) - D("49015.17"))]
    assert ledger.billed[2] == p.month_totals[2] - (D(50_000) - D("49015.17"))
    assert ledger.effective[:3] == p.month_totals[:3]


def test_upfront_reservation_is_one_purchase_billed_and_spread_as_effective_cost():
    from pricing.plan.models import GpuCluster
    plan = _flat_plan(D(0))
    cluster = GpuCluster(id="c1", gpu_count=8, gpu_hour_rate=D("2.50"))
    plan = plan.model_copy(update={"clusters": (cluster,), "terms": Terms(reservations=(
        Reservation(capacity="c1", years=1, gpu_hour_rate=D(2), starts=JAN, upfront=True),))})
    ledger = build_ledger(plan, project(plan))
    month = 8 * 730 * D(2)  # 11,680 at the committed rate, not 14,600 at list
    assert ledger.effective == [month] * 12
    assert ledger.billed == [month * 12] + [D(0)] * 11


def test_fx_csv_reads_months_and_decimal_commas(tmp_path):
    path = tmp_path / "fx.csv"
    path.write_text("month;EUR per USD\n2026-01;0,92\nJul 2026;0,95\n", encoding="utf-8")
    assert read_fx_csv(path) == (FxRate(month=JAN, per_usd=D("0.92")), FxRate(month=date(2026, 7, 1), per_usd=D("0.95")))


def test_fx_csv_bad_row_names_file_and_line(tmp_path):
    path = tmp_path / "fx.csv"
    path.write_text("month,rate\n2026-01,0.92\n2026-02,abc\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"fx.csv, line 3: 'abc' is not a rate"):
        read_fx_csv(path)


def test_projection_csv_adds_billed_and_effective_cost_rows_under_a_commitment(tmp_path):
    import csv

    from pricing.files.projection_csv import snapshot, write_projection_csv

    plan = _flat_plan(D(7500))
    plan = plan.model_copy(update={"terms": Terms(commitments=(Commitment(amount=D(10_000), starts=JAN),))})
    write_projection_csv(tmp_path / "p.csv", snapshot(project(plan)))
    rows = list(csv.reader(open(tmp_path / "p.csv", encoding="utf-8-sig")))
    assert [r[0] for r in rows[-3:]] == ["total", "billed cost (FOCUS BilledCost)", "effective cost (FOCUS EffectiveCost)"]
    assert rows[-3][6] == "7500.00" and rows[-2][6] == rows[-1][6] == "10000.00"
    assert rows[-2][-1] == "120000.00"


def test_a_budget_priced_in_euros_becomes_a_eur_plan_whose_rates_are_not_converted(tmp_path):
    from pricing.importer import import_file

    path = tmp_path / "europe.csv"
    path.write_text("Model;Requests per month;Avg input tokens;Avg output tokens;Input price per 1M;Output price per 1M\n"
                    "maestro;2000000;3000;1000;0,90 €;3,30 €\n", encoding="utf-8")
    plan = import_file(path).plan
    assert (plan.assumptions.currency, plan.terms.rates_currency) == ("EUR", "EUR")
    p = project(plan)
    assert p.month_totals[0] == D(12_000)  # 0.90 € and 3.30 € as typed, no FX applied
    assert not [f for f in p.findings if "FX" in f.message]


def test_a_eur_budget_priced_from_the_usd_catalog_says_it_needs_an_fx_table(tmp_path):
    from pricing.importer import import_file

    path = tmp_path / "europe.csv"
    path.write_text("Model;Requests per month;Avg input tokens;Avg output tokens;Budget (EUR)\n"
                    "together/arcee-ai/maestro-reasoning;2000000;3000;1000;11000\n", encoding="utf-8")
    result = import_file(path)
    assert result.plan.assumptions.currency == "EUR" and result.plan.terms.rates_currency == "USD"
    assert any("FX table" in d for d in result.report.decisions)
    assert any(f.severity == "error" and "FX table" in f.message for f in project(result.plan).findings)


def test_editing_a_workload_under_terms_reprices_as_a_fresh_projection_would(sample_plan):
    terms = Terms(discounts=(Discount(provider="together", percent_off=D("0.1"), starts=date(2026, 6, 1)),),
                  fx=(FxRate(month=JAN, per_usd=D("0.92")), FxRate(month=date(2026, 9, 1), per_usd=D("0.97"))))
    a = sample_plan.assumptions.model_copy(update={"currency": "EUR"})
    plan = sample_plan.model_copy(update={"assumptions": a, "terms": terms})
    p = project(plan)
    edited = plan.workloads[3].model_copy(update={"requests_per_month": D(7_000_000)})
    plan2 = plan.model_copy(update={"workloads": plan.workloads[:3] + (edited,) + plan.workloads[4:]})
    p.update(plan2, [3])
    fresh = project(plan2)
    assert p.month_totals == fresh.month_totals and p.rows[3].costs == fresh.rows[3].costs


def test_contract_rates_on_a_model_priced_by_time_of_day_say_how_its_windows_follow():
    deepseek = load_catalog().resolve("deepseek/deepseek-chat")
    assert any(v.windows for v in deepseek.versions)
    plan = plan_of(workload(model=deepseek.id), rates=(deepseek,))
    contract = plan.model_copy(update={"terms": Terms(discounts=(
        Discount(model="deepseek/deepseek-chat", input_mtok=D("0.20"), output_mtok=D("0.80")),))})
    percent = plan.model_copy(update={"terms": Terms(discounts=(
        Discount(model="deepseek/deepseek-chat", percent_off=D("0.2")),))})
    said = [f.message for f in project(contract).findings if "time-of-day prices" in f.message]
    assert len(said) == 1 and "scaled by the same ratio" in said[0]
    assert not [f for f in project(percent).findings if "time-of-day prices" in f.message]
