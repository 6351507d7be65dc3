"""The Price changes panel under the Rates grid: a model's dated rate versions, seen, typed
over, added and removed, each one undo step, and the projection pricing each month with the
version in force then."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_helpers import data_dir, plan_path, process, window  # noqa: F401

MAESTRO = "together/arcee-ai/maestro-reasoning"


@pytest.fixture
def panel(window):
    window.show_tab("Rates")
    row = next(i for i, r in enumerate(window.document.plan.rates) if r.id == MAESTRO)
    window.rates_view.setCurrentIndex(window.rates_proxy.mapFromSource(window.rates_model.index(row, 1)))
    process()
    return window.price_changes


def column(key: str) -> int:
    from desktop.rate_versions import VERSION_COLUMNS

    return [c.key for c in VERSION_COLUMNS].index(key)


def test_selecting_a_model_on_the_rates_grid_shows_its_rates_in_the_panel(panel):
    model = panel.model
    assert model.model_id == MAESTRO and model.rowCount() == 1
    assert model.index(0, column("effective_from")).data() == "always"
    assert "first month" in model.index(0, column("status")).data()
    assert "one set of rates" in panel.title.text()


def test_a_price_change_prices_the_months_from_its_date_and_is_one_undo_step(window, panel):
    doc = window.document
    costs_before = list(doc.projection.rows[0].costs)
    panel.day.setText("2026-07-01")
    panel.add_button.click()
    assert panel.model.rowCount() == 2 and doc.undo_stack.count() == 1
    assert list(doc.projection.rows[0].costs) == costs_before  # same rates until typed over
    assert panel.model.setData(panel.model.index(1, column("output_mtok")), "$1.65")
    assert doc.undo_stack.count() == 2
    costs = doc.projection.rows[0].costs
    assert costs[:6] == costs_before[:6]  # January–June: the old rates
    assert costs[6] == Decimal("2") * (3000 * Decimal("0.90") + 1000 * Decimal("1.65"))  # 2M requests, per 1M
    assert "price change" in panel.title.text()
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert list(doc.projection.rows[0].costs) == costs_before and panel.model.rowCount() == 1


def test_a_price_change_dated_mid_month_prices_from_the_next_month(window, panel):
    panel.day.setText("15 Mar 2026")
    panel.add_button.click()
    panel.model.setData(panel.model.index(1, column("input_mtok")), "0")
    costs = window.document.projection.rows[0].costs
    assert costs[2] == costs[1] and costs[3] < costs[2]  # March still old, April new
    assert window.document.plan.rates[0].versions[1].effective_from == date(2026, 3, 15)


def test_two_price_changes_on_one_day_are_refused_with_the_reason(window, panel):
    panel.day.setText("2026-07-01")
    panel.add_button.click()
    plan = window.document.plan
    panel.day.setText("2026-07-01")
    panel.add_button.click()
    assert window.document.plan is plan
    assert "two rate versions start on 2026-07-01" in window.statusBar().currentMessage()


def test_a_negative_rate_or_a_bad_date_is_refused_and_nothing_changes(window, panel):
    plan = window.document.plan
    assert not panel.model.setData(panel.model.index(0, column("input_mtok")), "-1")
    assert not panel.model.setData(panel.model.index(0, column("effective_from")), "03/04/2026")
    assert window.document.plan is plan and window.document.undo_stack.count() == 0
    assert "not a date" in window.statusBar().currentMessage()


def test_a_model_keeps_one_set_of_rates_but_a_change_can_be_removed(window, panel):
    panel.view.setCurrentIndex(panel.model.index(0, 1))
    panel.remove_button.click()
    assert panel.model.rowCount() == 1 and "at least one" in window.statusBar().currentMessage()
    panel.day.setText("2026-07-01")
    panel.add_button.click()
    panel.view.setCurrentIndex(panel.model.index(1, 1))
    panel.remove_button.click()
    assert panel.model.rowCount() == 1 and window.document.undo_stack.count() == 2


def test_a_price_change_on_any_model_but_the_first_is_added_to_that_model_and_the_panel_stays_on_it(window):
    window.show_tab("Rates")
    rates = window.document.plan.rates
    assert len(rates) > 2
    for row in (len(rates) - 1, 1):
        target = window.document.plan.rates[row].id
        window.rates_view.setCurrentIndex(window.rates_proxy.mapFromSource(window.rates_model.index(row, 1)))
        process()
        panel = window.price_changes
        assert panel.model.model_id == target
        panel.day.setText("2027-02-01")
        panel.add_button.click()
        process()
        assert panel.model.model_id == target
        changed = next(r for r in window.document.plan.rates if r.id == target)
        assert [v.effective_from for v in changed.versions][-1] == date(2027, 2, 1)
        assert panel.view.currentIndex().row() == len(changed.versions) - 1
        current = window.rates_proxy.mapToSource(window.rates_view.currentIndex()).row()
        assert window.document.plan.rates[current].id == target
