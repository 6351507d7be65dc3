"""Contract terms in the workbook: Terms and FX sheets read back, live formulas equal to the app."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pricing.costing.projection import project
from pricing.files.workbook.reader import load_plan
from pricing.files.workbook.writer import save_plan
from pricing.plan.money import round_cents
from pricing.plan.terms import Commitment, Credit, Discount, FxRate, Reservation, Terms
from pricing.terms import build_ledger
from tests.workbook_helpers import recalculate, sheet_values

D = Decimal
JAN = date(2026, 1, 1)


def eur_plan(sample_plan):
    terms = Terms(
        discounts=(Discount(provider="together", model="arcee-ai/*", percent_off=D("0.2")),
                   Discount(provider="together", percent_off=D("0.05"), starts=date(2026, 7, 1))),
        commitments=(Commitment(provider="together", amount=D(30_000), starts=JAN),),
        credits=(Credit(amount=D(50_000), starts=JAN),),
        fx=(FxRate(month=JAN, per_usd=D("0.92")), FxRate(month=date(2026, 10, 1), per_usd=D("0.9"))),
    )
    a = sample_plan.assumptions.model_copy(update={"currency": "EUR", "locale": "de_DE", "horizon_months": 12})
    return sample_plan.model_copy(update={"assumptions": a, "terms": terms})


def _row(values, label):
    for row in values:
        if row and row[0] == label:
            return row
    raise AssertionError(f"no row {label!r}")


def test_terms_and_fx_sheets_are_read_back_on_open(sample_plan, tmp_path):
    plan = eur_plan(sample_plan)
    save_plan(plan, tmp_path / "eur.xlsx")
    again, findings = load_plan(tmp_path / "eur.xlsx")
    assert not findings
    assert again.terms == plan.terms and again.assumptions == plan.assumptions


def test_eur_workbook_money_formats_show_euros_for_the_locale_and_never_dollars(sample_plan, tmp_path):
    import openpyxl

    save_plan(eur_plan(sample_plan), tmp_path / "eur.xlsx")
    book = openpyxl.load_workbook(tmp_path / "eur.xlsx")
    fmt = book["Projection"]["G3"].number_format
    assert fmt == '#,##0.00\\ "€"'  # de_DE writes the sign after the amount
    formats = {c.number_format for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert not [f for f in formats if "$" in f.replace("[$", "")]


@pytest.mark.libreoffice
def test_workbook_recalculated_by_libreoffice_equals_the_app_with_a_discount_a_commitment_and_eur_fx(
        sample_plan, tmp_path):
    plan = eur_plan(sample_plan)
    save_plan(plan, tmp_path / "eur.xlsx")
    out = recalculate(tmp_path / "eur.xlsx", tmp_path / "lo")
    projection = project(plan)
    ledger = build_ledger(plan, projection)
    total = _row(sheet_values(out, "Projection"), "Total")
    billing = sheet_values(out, "Billing")
    billed = _row(billing, "Billed cost (FOCUS BilledCost)")
    effective = _row(billing, "Effective cost (FOCUS EffectiveCost)")
    true_up = _row(billing, "True-up, commitment 1 (billed)")
    for m in range(12):
        assert round_cents(D(repr(total[6 + m]))) == round_cents(projection.month_totals[m]), m
        assert round_cents(D(repr(billed[6 + m]))) == round_cents(ledger.billed[m]), m
        assert round_cents(D(repr(effective[6 + m]))) == round_cents(ledger.effective[m]), m
        assert round_cents(D(repr(true_up[6 + m]))) == round_cents(ledger.lines[0].billed[m]), m
    assert any(ledger.lines[0].billed)  # the commitment is short in some months: a true-up is billed


@pytest.mark.libreoffice
def test_changing_one_fx_cell_moves_every_converted_figure(sample_plan, tmp_path):
    import openpyxl

    plan = eur_plan(sample_plan).model_copy(update={"terms": Terms(fx=(FxRate(month=JAN, per_usd=D("0.92")),))})
    save_plan(plan, tmp_path / "eur.xlsx")
    before = sheet_values(recalculate(tmp_path / "eur.xlsx", tmp_path / "lo1"), "Projection")
    book = openpyxl.load_workbook(tmp_path / "eur.xlsx")
    assert book["FX"]["B2"].value == 0.92
    book["FX"]["B2"] = 0.95
    book.save(tmp_path / "changed.xlsx")
    after = sheet_values(recalculate(tmp_path / "changed.xlsx", tmp_path / "lo2"), "Projection")
    moved = 0
    for old, new in zip(before[2:], after[2:]):
        for a, b in zip(old[6:18], new[6:18]):
            if isinstance(a, float) and a:
                # Month cells are ROUND(x, 2) (and terms lines sums of them): each moves by the FX ratio, to the cents.
                assert b == pytest.approx(a * 0.95 / 0.92, rel=2e-6, abs=0.011)
                moved += 1
    assert moved >= 12 * len(plan.workloads) - 30  # every priced workload month (a few start later)


@pytest.mark.libreoffice
def test_every_formula_cell_under_terms_is_recalculated_by_libreoffice_to_the_apps_figure(tmp_path, monkeypatch):
    from tests.test_workbook_formulas import close, formula_cells
    import tests.test_workbook_formulas as formulas_test
    from tests.workbook_helpers import rich_plan

    plan = rich_plan()
    providers = sorted({r.provider for r in plan.rates})
    terms = Terms(discounts=(Discount(provider=providers[0], percent_off=D("0.15"), starts=date(2026, 3, 1)),),
                  commitments=(Commitment(amount=D(5_000_000), starts=plan.assumptions.first_month),),
                  credits=(Credit(amount=D(20_000), starts=plan.assumptions.first_month, prepaid=False),),
                  reservations=(Reservation(capacity="ep-1", gpu_hour_rate=D("3.00"), starts=date(2026, 3, 1)),
                                Reservation(capacity="gpu-1", gpu_hour_rate=D("2.00"), starts=date(2026, 2, 1),
                                            upfront=True)),
                  fx=(FxRate(month=plan.assumptions.first_month, per_usd=D("0.92")),
                      FxRate(month=date(2026, 6, 1), per_usd=D("0.95"))))
    plan = plan.model_copy(update={"assumptions": plan.assumptions.model_copy(update={"currency": "EUR"}),
                                   "terms": terms})
    path = tmp_path / "terms.xlsx"
    save_plan(plan, path)
    out = recalculate(path, tmp_path / "lo")
    sheets = ("Projection", "Capacity", "Summary", "Modes", "Billing")
    monkeypatch.setattr(formulas_test, "COMPUTED", sheets)
    cells = formula_cells(path)
    checked = 0
    for sheet in sheets:
        ours, theirs = sheet_values(path, sheet), sheet_values(out, sheet)
        for r, c in cells[sheet]:
            cached, lo = ours[r][c], theirs[r][c]
            if isinstance(cached, (int, float)) and not isinstance(cached, bool):
                assert isinstance(lo, (int, float)) and close(float(cached), float(lo)), (sheet, r + 1, c + 1, cached, lo)
                checked += 1
    assert checked > 500
    billing = sheet_values(out, "Billing")
    purchase = _row(billing, "1-year reservation of 'gpu-1', all upfront (billed)")
    cluster = next(c for c in plan.clusters if c.id == "gpu-1")
    monthly = cluster.gpu_count * float(plan.hours_per_month(cluster)) * 2.0
    assert purchase[7] == pytest.approx(monthly * 11)  # 12 months bought in February, less February's own
