"""Contract rates per 1M tokens in the workbook: LibreOffice's recalculation equals the app's figures.

A contract-rate term sets the input and output rates of a model; its other prices scale by the
ratio of their side (pricing.terms.pricer).  The workbook must price those months the same way,
live, in USD and in a EUR plan with an FX table (contract rates are in the plan's currency and
are not converted).
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.costing.projection import project
from pricing.files.workbook.writer import save_plan
from pricing.plan.money import round_cents
from pricing.plan.terms import Discount, FxRate, Terms
from pricing.terms import build_ledger
from tests.workbook_helpers import recalculate_all, rich_plan, sheet_values

D = Decimal
MONTH0 = 6  # zero-based column G


def contract_plan(currency: str):
    """rich_plan with contract rates on a tiered, cached model, on a dated model (input rate only, over a
    percentage term it wins against, across two price changes), and a percentage term elsewhere."""
    plan = rich_plan()
    terms = Terms(
        discounts=(
            Discount(provider="together", percent_off=D("0.1")),
            Discount(provider="acme", model="long-context", input_mtok=D("1.0"), output_mtok=D("8"),
                     starts=date(2026, 3, 1)),
            Discount(provider="together", model="dated/model", input_mtok=D("0.12"),
                     starts=date(2026, 5, 1), ends=date(2027, 2, 1)),
        ),
        fx=(FxRate(month=date(2026, 1, 1), per_usd=D("0.92")), FxRate(month=date(2026, 6, 1), per_usd=D("0.95")))
        if currency == "EUR" else (),
    )
    a = plan.assumptions.model_copy(update={"currency": currency})
    return plan.model_copy(update={"assumptions": a, "terms": terms})


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    if not shutil.which("soffice") and not Path("/usr/bin/soffice").exists():
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("contract")
    plans = {cur: contract_plan(cur) for cur in ("USD", "EUR")}
    paths = {cur: tmp / f"contract-{cur}.xlsx" for cur in plans}
    for cur, plan in plans.items():
        save_plan(plan, paths[cur])
    outs = dict(zip(paths, recalculate_all(list(paths.values()), tmp / "lo")))
    return plans, paths, outs


def _cents(value) -> Decimal:
    return round_cents(D(repr(value)))


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_contract_rates_change_the_apps_figures_in_the_months_they_are_in_force(currency):
    plan = contract_plan(currency)
    listed = project(plan.model_copy(update={"terms": plan.terms.model_copy(update={"discounts": plan.terms.discounts[:1]})}))
    priced = project(plan)
    names = [w.name for w in plan.workloads]
    for name in ("Cliff above", "Dated batch"):
        i = names.index(name)
        assert listed.rows[i].costs[5] != priced.rows[i].costs[5]  # June 2026: both contracts in force


@pytest.mark.libreoffice
@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_workbook_recalculated_by_libreoffice_equals_the_app_to_the_cent_with_contract_rates(recalculated, currency):
    plans, _paths, outs = recalculated
    plan = plans[currency]
    projection = project(plan)
    values = sheet_values(outs[currency], "Projection")
    for i, row in enumerate(projection.rows):
        for m in range(projection.horizon):
            lo = values[i + 2][MONTH0 + m]
            assert _cents(lo or 0) == round_cents(row.costs[m]), (row.workload.name, m, lo, row.costs[m])
    total = next(r for r in values if r and r[0] == "Total")
    for m in range(projection.horizon):
        assert _cents(total[MONTH0 + m]) == round_cents(projection.month_totals[m]), m
    billed = next(r for r in sheet_values(outs[currency], "Billing") if r and r[0] == "Billed cost (FOCUS BilledCost)")
    ledger = build_ledger(plan, projection)
    for m in range(projection.horizon):
        assert _cents(billed[MONTH0 + m]) == round_cents(ledger.billed[m]), m


@pytest.mark.libreoffice
@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_modes_sheet_recalculated_by_libreoffice_equals_the_app_with_contract_rates(recalculated, currency):
    _plans, paths, outs = recalculated
    ours, theirs = sheet_values(paths[currency], "Modes"), sheet_values(outs[currency], "Modes")
    checked = 0
    for r, row in enumerate(ours[1:], 1):
        for c, cached in enumerate(row):
            if isinstance(cached, float) and c >= 7:
                lo = theirs[r][c]
                assert isinstance(lo, float) and lo == pytest.approx(cached, rel=1e-9, abs=1e-12), (r + 1, c + 1, cached, lo)
                checked += 1
    assert checked > 20


@pytest.mark.libreoffice
@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_every_formula_cell_under_contract_rates_is_recalculated_by_libreoffice_to_the_apps_figure(
        recalculated, currency, monkeypatch):
    import tests.test_workbook_formulas as formulas_test
    from tests.test_workbook_formulas import close, formula_cells

    _plans, paths, outs = recalculated
    sheets = ("Costs", "Projection", "Capacity", "Summary", "Modes", "Billing")
    monkeypatch.setattr(formulas_test, "COMPUTED", sheets)
    cells = formula_cells(paths[currency])
    checked = 0
    for sheet in sheets:
        ours, theirs = sheet_values(paths[currency], sheet), sheet_values(outs[currency], sheet)
        for r, c in cells[sheet]:
            cached, lo = ours[r][c], theirs[r][c]
            if isinstance(cached, (int, float)) and not isinstance(cached, bool):
                assert isinstance(lo, (int, float)) and close(float(cached), float(lo)), (sheet, r + 1, c + 1, cached, lo)
                checked += 1
    assert checked > 1000


def test_billing_sheet_holds_each_versions_input_and_output_side_factors_and_the_contract_term_in_force(tmp_path):
    plan = contract_plan("EUR")
    save_plan(plan, tmp_path / "c.xlsx")
    billing = sheet_values(tmp_path / "c.xlsx", "Billing")
    row = lambda label: next(r for r in billing if r and r[0] == label)  # noqa: E731
    june, jan = MONTH0 + 5, MONTH0
    # long-context: contract input 1.0 over list 1.25, output 8 over list 10, from March; 10% only on together.
    assert row("Input-side factor: acme/long-context")[june] == pytest.approx(0.8)
    assert row("Output-side factor: acme/long-context")[june] == pytest.approx(0.8)
    assert row("Input-side factor: acme/long-context")[jan] == pytest.approx(0.92)  # list × FX before the contract
    assert row("Contract rates in force (Terms row): acme/long-context")[june] == 3
    # dated/model version 1 (input 0.20, output 0.60): an input rate only sets both sides' ratio.
    assert row("Input-side factor: together/dated/model")[june] == pytest.approx(0.6)
    assert row("Output-side factor: together/dated/model")[june] == pytest.approx(0.6)
    assert row("Input-side factor: together/dated/model")[jan] == pytest.approx(0.9 * 0.92)  # the 10% term


@pytest.mark.libreoffice
def test_editing_a_contract_rate_on_the_terms_sheet_moves_the_projection_in_libreoffice(tmp_path):
    import openpyxl

    plan = contract_plan("USD")
    save_plan(plan, tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    terms = book["Terms"]
    header = [c.value for c in terms[1]]
    cell = terms.cell(row=3, column=header.index("Contract output /1M") + 1)
    assert cell.value == 8
    cell.value = 4  # long-context's contract output rate halved
    book.save(tmp_path / "edited.xlsx")
    before, after = (sheet_values(out, "Projection") for out in
                     recalculate_all([tmp_path / "c.xlsx", tmp_path / "edited.xlsx"], tmp_path / "lo"))
    projection = project(plan)
    names = [w.name for w in plan.workloads]
    i = names.index("Cliff below")  # 1,200 requests of 200,000 input and 1,000 output tokens, no cache
    june = MONTH0 + 5
    rc = projection.request_cost(i, 5)
    output_part = float(rc.output + rc.reasoning) * 1200
    assert before[i + 2][june] == pytest.approx(float(projection.rows[i].costs[5]), abs=0.005)
    assert after[i + 2][june] == pytest.approx(before[i + 2][june] - output_part / 2, abs=0.011)
