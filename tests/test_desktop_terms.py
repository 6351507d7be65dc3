"""The Terms tab and the plan's currency in the app: edits are undo steps, figures show the plan's currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt

from desktop_helpers import data_dir, plan_path, window  # noqa: F401
from pricing.plan.terms import Discount, FxRate, Terms

D = Decimal
NBSP = "\N{NO-BREAK SPACE}"


def _euro_terms(window):
    doc = window.document
    a = doc.plan.assumptions.model_copy(update={"currency": "EUR", "locale": "de_DE"})
    terms = Terms(discounts=(Discount(model="together/arcee-ai/maestro-reasoning", percent_off=D("0.2")),),
                  fx=(FxRate(month=date(2026, 1, 1), per_usd=D("0.92")),))
    doc.replace_plan(doc.plan.model_copy(update={"assumptions": a, "terms": terms}))
    return doc


def test_a_eur_plan_shows_euros_formatted_for_its_locale_and_never_dollars(window):
    doc = _euro_terms(window)
    model = window.workloads_model
    texts = [model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())
             for c in range(model.columnCount())]
    money = [t for t in texts if isinstance(t, str) and "€" in t]
    assert money and not [t for t in texts if isinstance(t, str) and "$" in t]
    # The reasoning agent: 2M × $0.0060 × (1 − 20%) × 0.92 = 8,832 EUR, written the German way.
    assert f"8.832,00{NBSP}€" in texts
    assert window.totals.figures[0].text().endswith("€")
    assert doc.projection.rows[0].costs[0] == D("8832.00000")


def test_explain_shows_each_terms_step(window):
    from desktop.explain import explain_lines

    _euro_terms(window)
    lines = "\n".join(explain_lines(window.document, 0))
    assert (f"Input under the plan's terms: list 0,90{NBSP}$; × (1 − 20%) = 0,72{NBSP}$; "
            f"× 0,92 EUR/USD = 0,6624{NBSP}€") in lines


def test_typing_a_discount_on_the_terms_tab_reprices_and_is_one_undo_step(window):
    doc = _euro_terms(window)
    window.show_tab("Terms")
    table = window.terms.tables["discounts"]
    before = doc.projection.rows[0].costs[0]
    table.item(0, 4).setText("25%")
    assert doc.plan.terms.discounts[0].percent_off == D("0.25")
    assert doc.projection.rows[0].costs[0] == before / D("0.8") * D("0.75")
    doc.undo_stack.undo()
    assert doc.plan.terms.discounts[0].percent_off == D("0.2")
    assert doc.projection.rows[0].costs[0] == before


def test_a_bad_term_is_refused_with_the_reason(window, qtbot):
    _euro_terms(window)
    with qtbot.waitSignal(window.terms.refused) as caught:
        window.terms.tables["discounts"].item(0, 4).setText("lots")
    assert "Percent off" in caught.args[0]
    assert window.document.plan.terms.discounts[0].percent_off == D("0.2")


def test_fx_table_imported_from_csv_converts_and_undoes(window, tmp_path):
    doc = _euro_terms(window)
    path = tmp_path / "fx.csv"
    path.write_text("month,EUR per USD\n2026-01,0.90\n", encoding="utf-8")
    window.terms.import_fx(path)
    assert doc.plan.terms.fx == (FxRate(month=date(2026, 1, 1), per_usd=D("0.90")),)
    assert doc.projection.rows[0].costs[0] == D("8832.00000") / D("0.92") * D("0.90")
    doc.undo_stack.undo()
    assert doc.plan.terms.fx[0].per_usd == D("0.92")


def test_terms_tab_shows_billed_and_effective_cost_side_by_side(window):
    from pricing.plan.terms import Commitment

    doc = _euro_terms(window)
    window.terms.change("commitments", (Commitment(amount=D(20_000), starts=date(2026, 1, 1)),), "Add")
    window.show_tab("Terms")  # the ledger is made while the tab is shown
    billing = window.terms.billing
    assert [billing.horizontalHeaderItem(c).text() for c in (2, 3)] == ["Billed cost (BilledCost)",
                                                                 "Effective cost (EffectiveCost)"]
    assert billing.item(0, 2).text() == f"20.000,00{NBSP}€"  # January's usage is below 20,000: trued up
    assert billing.item(0, 3).text() == f"20.000,00{NBSP}€"


def test_list_rates_are_shown_in_the_rate_sheets_currency_and_costs_in_the_plans(window):
    doc = _euro_terms(window)
    model = window.rates_model
    texts = [model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())
             for c in range(model.columnCount())]
    assert f"0,90{NBSP}$" in texts  # maestro's USD list price, labelled as dollars, not passed off as euros
    assert doc.plan.terms.rates_currency == "USD"


def test_the_billing_ledger_waits_while_the_terms_tab_is_hidden_and_follows_when_shown(window):
    from pricing.plan.terms import Commitment

    window.show_tab("Terms")
    before = window.terms.billing.item(0, 2).text()
    window.show_tab("Workloads")
    window.terms.change("commitments", (Commitment(amount=D(900_000), starts=date(2026, 1, 1)),), "Add")
    assert window.terms.billing.item(0, 2).text() == before
    window.show_tab("Terms")
    assert window.terms.billing.item(0, 2).text() != before
