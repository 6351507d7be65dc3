"""A rate edit on a large plan is re-priced on a worker: the window keeps its figures marked as
updating until the new ones land, and edits made meanwhile are neither lost nor priced at the old
rates.  (The threshold is lowered so that the sample plan takes the worker path.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop_helpers import col, data_dir, plan_path, window  # noqa: F401
from pricing.costing.projection import Projection


@pytest.fixture(autouse=True)
def on_a_worker(monkeypatch):
    from desktop import repricing

    monkeypatch.setattr(repricing, "REPRICE_AWAY_WORKLOADS", 0)


def _rate_row(window, model_id="arcee-ai/maestro-reasoning"):
    from desktop.rates_model import RATE_COLUMNS

    row = [r.model_id for r in window.document.plan.rates].index(model_id)
    return row, [c.key for c in RATE_COLUMNS].index("input_mtok")


def _same_figures(a: Projection, b: Projection) -> bool:
    return [r.costs for r in a.rows] == [r.costs for r in b.rows] and a.month_totals == b.month_totals


def test_a_rate_edit_reprices_on_a_worker_and_the_grid_shows_the_new_figures_when_it_lands(window, qtbot):
    doc, rates = window.document, window.rates_model
    row, column = _rate_row(window)
    with qtbot.waitSignal(doc.repricingChanged, timeout=5000) as started:
        assert rates.setData(rates.index(row, column), "$1.20")
    assert started.args == [True]
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    assert doc.projection.rows[0].costs[0] == Decimal("13800")  # (3000×1.20 + 1000×3.30)/1M × 2M
    assert doc.projection.plan is doc.plan
    assert _same_figures(doc.projection, Projection(doc.plan))
    model = window.workloads_model
    assert model.data(model.index(0, col("first_month_cost"))) == "$13,800.00"


def test_figures_being_repriced_are_marked_as_updating(window, qtbot):
    from PySide6.QtCore import Qt

    doc, rates = window.document, window.rates_model
    row, column = _rate_row(window)
    rates.setData(rates.index(row, column), "$1.20")
    model = window.workloads_model
    assert doc.repricing
    assert window.totals.findings.text() == "Updating figures…"
    assert "Re-pricing" in window.statusBar().currentMessage()
    assert model.data(model.index(0, col("first_month_cost")), Qt.ItemDataRole.ForegroundRole) is not None
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    assert window.totals.findings.text() != "Updating figures…"
    assert model.data(model.index(0, col("first_month_cost")), Qt.ItemDataRole.ForegroundRole) is None


def test_an_edit_made_while_a_reprice_runs_is_not_lost_and_is_priced_at_the_new_rates(window, qtbot):
    doc, rates, model = window.document, window.rates_model, window.workloads_model
    row, column = _rate_row(window)
    rates.setData(rates.index(row, column), "$1.20")
    assert doc.repricing
    assert model.setData(model.index(0, col("requests_per_month")), "1000000")
    assert doc.plan.workloads[0].requests_per_month == Decimal("1000000")
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    assert doc.projection.rows[0].costs[0] == Decimal("6900")  # 1M × (3000×1.20 + 1000×3.30)/1M
    assert _same_figures(doc.projection, Projection(doc.plan))


def test_undo_after_a_reprice_restores_the_old_rate_and_the_edit_in_order(window, qtbot):
    doc, rates, model = window.document, window.rates_model, window.workloads_model
    row, column = _rate_row(window)
    rates.setData(rates.index(row, column), "$1.20")
    model.setData(model.index(0, col("requests_per_month")), "1000000")
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    doc.undo_stack.undo()  # the edit
    assert doc.plan.workloads[0].requests_per_month == Decimal("2000000")
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    assert doc.projection.rows[0].costs[0] == Decimal("13800")
    doc.undo_stack.undo()  # the rate
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    assert doc.projection.rows[0].costs[0] == Decimal("12000")
    assert _same_figures(doc.projection, Projection(doc.plan))


def test_a_second_rate_edit_while_the_first_is_repriced_ends_at_the_second_rate(window, qtbot):
    doc, rates = window.document, window.rates_model
    row, column = _rate_row(window)
    rates.setData(rates.index(row, column), "$1.20")
    rates.setData(rates.index(row, column), "$1.50")
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    assert doc.projection.rows[0].costs[0] == Decimal("15600")  # (3000×1.50 + 1000×3.30)/1M × 2M
    assert _same_figures(doc.projection, Projection(doc.plan))


def test_inserting_a_row_while_a_reprice_runs_waits_for_the_new_figures(window, qtbot):
    doc, rates = window.document, window.rates_model
    row, column = _rate_row(window)
    rates.setData(rates.index(row, column), "$1.20")
    count = len(doc.plan.workloads)
    window.insert_row()
    assert not doc.repricing
    assert len(doc.projection.rows) == count + 1
    assert _same_figures(doc.projection, Projection(doc.plan))


def test_a_rate_edit_repaints_the_grids_rows_without_resetting_them_and_their_cells_are_the_cores_figures(window, qtbot):
    from PySide6.QtCore import Qt

    from desktop import display

    doc, rates = window.document, window.rates_model
    proxies = (window.workloads_proxy, window.projection_proxy)
    window.workloads_proxy.sort(col("horizon_cost"), Qt.SortOrder.DescendingOrder)
    order = list(window.workloads_proxy._rows)
    resets = []
    for proxy in proxies:
        proxy.modelReset.connect(lambda p=proxy: resets.append(p))
    repainted = []
    window.workloads_proxy.dataChanged.connect(lambda a, b, *_: repainted.append((a.row(), b.row())))
    row, column = _rate_row(window)
    rates.setData(rates.index(row, column), "$1.20")
    qtbot.waitUntil(lambda: not doc.repricing, timeout=10000)
    assert resets == []
    assert (0, len(doc.plan.workloads) - 1) in repainted  # every row, once the new figures landed
    assert window.workloads_proxy._rows == order  # the order the user sorted stays, as after an edit
    fresh = Projection(doc.plan)
    proxy = window.workloads_proxy
    for r in range(proxy.rowCount()):
        source = proxy.mapToSource(proxy.index(r, 0)).row()
        shown = proxy.data(proxy.index(r, col("first_month_cost")))
        assert shown == display.money(fresh.rows[source].costs[0], doc.currency)
    grid = window.projection_proxy
    total = grid.index(grid.rowCount() - 1, 1)
    assert grid.data(total) == display.money(fresh.month_totals[0], doc.currency)
