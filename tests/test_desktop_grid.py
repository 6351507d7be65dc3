"""The Workloads grid behaves like a spreadsheet: edits re-price at once, paste / fill / undo,
sort and filter, bad input refused, selection statistics, findings marked."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_helpers import col, data_dir, plan_path, select, window  # noqa: F401
from pricing.plan.models import DeploymentMode


def figure(window, i):
    return window.totals.figures[i].text()


def test_editing_requests_changes_totals_and_only_signals_the_edited_row(window, qtbot):
    doc, model = window.document, window.workloads_model
    before = figure(window, 2)
    changed = []
    window.projection_model.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    index = model.index(0, col("requests_per_month"))
    assert model.setData(index, "4M")
    assert doc.plan.workloads[0].requests_per_month == Decimal(4_000_000)
    assert doc.projection.rows[0].costs[0] == Decimal("24000")  # 4M × $0.0060
    assert figure(window, 2) != before
    assert model.index(0, col("first_month_cost")).data() == "$24,000.00"
    # Only row 0 and the totals row were signalled; no reset.
    assert changed == [(0, 0), (12, 12)]
    assert window.windowTitle().startswith("plan.json*")


def test_typing_into_the_cell_editor_parses_money_shorthand(window, qtbot):
    view = window.workloads_view
    index = window.workloads_proxy.index(0, col("input_tokens"))
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    qtbot.keyClicks(editor, "4k")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: window.document.plan.workloads[0].input_tokens == Decimal(4000), timeout=2000)
    # Enter moved down, as in Excel.
    assert view.currentIndex().row() == 1


def test_invalid_entry_is_refused_with_a_status_bar_message(window, qtbot):
    model = window.workloads_model
    old = window.document.plan.workloads[0]
    assert not model.setData(model.index(0, col("input_tokens")), "three thousand")
    assert window.document.plan.workloads[0] == old
    message = window.statusBar().currentMessage()
    assert "Input tokens" in message and "not a number" in message
    assert window.document.undo_stack.count() == 0


def test_a_value_the_plan_holds_but_cannot_price_is_kept_and_reported_as_in_a_file(window):
    """One rule for input limits (``models.py``): the grid holds a negative count or a share above
    100% and the engine reports it, as for a plan file; only what a plan may not hold is refused."""
    from pricing.costing.engine import check_workload

    model, doc = window.workloads_model, window.document
    assert model.setData(model.index(0, col("cached_share")), "150%")
    assert model.setData(model.index(1, col("requests_per_month")), "-5")
    assert doc.plan.workloads[0].cached_share == Decimal("1.5") and doc.plan.workloads[1].requests_per_month == -5
    for row, field in ((0, "cached_share"), (1, "requests_per_month")):
        findings = doc.findings_for_row(row)
        assert field in [f.field for f in findings if f.severity.value == "error"]
        assert not doc.projection.rows[row].priceable
        w = doc.plan.workloads[row]
        assert [f.message for f in findings] == [f.message for f in check_workload(doc.plan, w, doc.projection.rows[row].rate, row)[0]]
    assert not model.setData(model.index(0, col("requests_per_month")), "5000000000000")  # beyond the bounds
    assert "requests per month" in window.statusBar().currentMessage()


def test_paste_a_three_by_four_block_is_one_undo_step(window, qtbot):
    doc, view = window.document, window.workloads_view
    first = col("input_tokens")  # Input, Output, Cached, Requests
    select(view, 1, first, 1, first)
    QApplication.clipboard().setText("5,000\t2k\t25%\t1M\n6000\t500\t0\t2.5M\n700\t70\t10%\t3,000\n")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    w1, w2, w3 = doc.plan.workloads[1:4]
    assert (w1.input_tokens, w1.output_tokens, w1.cached_share, w1.requests_per_month) == (
        Decimal(5000), Decimal(2000), Decimal("0.25"), Decimal(1_000_000))
    assert w2.requests_per_month == Decimal(2_500_000) and w3.requests_per_month == Decimal(3000)
    assert doc.undo_stack.count() == 1
    total_after = doc.projection.total
    doc.undo_stack.undo()
    assert doc.plan.workloads[1].input_tokens == Decimal(3000)
    assert doc.plan.workloads[3].requests_per_month == Decimal(6_000_000)
    doc.undo_stack.redo()
    assert doc.plan.workloads[2].input_tokens == Decimal(6000)
    assert doc.projection.total == total_after


def test_paste_with_one_bad_cell_changes_nothing(window, qtbot):
    doc, view = window.document, window.workloads_view
    select(view, 0, col("input_tokens"), 0, col("input_tokens"))
    QApplication.clipboard().setText("100\t200\nabc\t300\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert doc.undo_stack.count() == 0
    assert "row 2" in window.statusBar().currentMessage()


def test_fill_down_copies_the_top_value_and_undoes_in_one_step(window, qtbot):
    doc, view = window.document, window.workloads_view
    c = col("mode")
    select(view, 7, c, 9, c)  # Batch, Serverless, Serverless
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [doc.plan.workloads[i].mode for i in range(7, 10)] == [DeploymentMode.BATCH] * 3
    select(view, 3, col("requests_per_month"), 5, col("requests_per_month"))
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert doc.plan.workloads[5].requests_per_month == doc.plan.workloads[3].requests_per_month
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert doc.plan.workloads[5].requests_per_month == Decimal(3_500_000)
    doc.undo_stack.undo()
    assert doc.plan.workloads[9].mode is DeploymentMode.SERVERLESS
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert doc.plan.workloads[5].requests_per_month == doc.plan.workloads[3].requests_per_month


def test_undo_and_redo_of_a_single_edit_restore_totals_exactly(window):
    doc, model = window.document, window.workloads_model
    total = doc.projection.total
    text = window.totals.figures[2].text()
    model.setData(model.index(3, col("model")), "together/openai/gpt-oss-120b")
    changed = doc.projection.total
    assert changed != total
    doc.undo_stack.undo()
    assert doc.projection.total == total and window.totals.figures[2].text() == text
    assert not doc.dirty and "*" not in window.windowTitle()
    doc.undo_stack.redo()
    assert doc.projection.total == changed


def test_sort_by_requests_and_filter_by_tenant(window, qtbot):
    proxy, view = window.workloads_proxy, window.workloads_view
    c = col("requests_per_month")
    view.sortByColumn(c, Qt.SortOrder.DescendingOrder)
    values = [proxy.index(r, c).data(Qt.ItemDataRole.UserRole) for r in range(proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    assert proxy.index(0, 0).data() == "Statement classification"  # 12,000,000 requests
    window.filter_box.setText("initech")
    assert proxy.rowCount() == 4
    assert all(proxy.index(r, col("tenant")).data() == "Initech Health" for r in range(proxy.rowCount()))
    # An edit through the filtered, sorted view lands on the right workload.
    proxy.setData(proxy.index(0, col("output_tokens")), "99")
    edited = [w for w in window.document.plan.workloads if w.output_tokens == Decimal(99)]
    assert len(edited) == 1 and edited[0].tenant == "Initech Health"


def test_status_bar_shows_sum_average_and_count_of_selection(window):
    view = window.workloads_view
    c = col("input_tokens")
    select(view, 0, c, 2, c)  # 3,000 + 3,000 + 4,000
    text = window.selection_label.text()
    assert "Sum: 10,000" in text and "Average: 3,333.33" in text and "Count: 3" in text
    select(view, 0, col("first_month_cost"), 1, col("first_month_cost"))
    assert "Sum: $18,000.00" in window.selection_label.text()


def test_cells_with_findings_are_marked_with_a_tooltip(window):
    model = window.workloads_model
    index = model.index(1, col("mode"))  # maestro on Batch: not on its rate sheet
    assert "does not list Batch" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    model.setData(model.index(0, col("model")), "acme/unknown-model")
    bad = model.index(0, col("model"))
    assert "not in the rate sheet" in bad.data(Qt.ItemDataRole.ToolTipRole)
    from desktop import colours

    assert bad.data(Qt.ItemDataRole.BackgroundRole).color() == colours.tint("error").color()
    model.setData(model.index(2, col("input_tokens")), "200k")
    assert "context length" in model.index(2, col("input_tokens")).data(Qt.ItemDataRole.ToolTipRole)


def test_insert_and_delete_rows_are_undoable(window, qtbot):
    doc, view = window.document, window.workloads_view
    select(view, 2, 0, 2, 0)
    qtbot.keyClick(view, Qt.Key.Key_Insert)
    assert len(doc.plan.workloads) == 13 and doc.plan.workloads[3].name == "New workload 4"
    select(view, 0, 0, 1, 0)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.plan.workloads) == 11
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert len(doc.plan.workloads) == 12 and window.projection_model.rowCount() == 13


def test_copy_writes_tab_separated_text(window, qtbot):
    view = window.workloads_view
    select(view, 0, col("input_tokens"), 1, col("output_tokens"))
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "3,000\t1,000\n3,000\t1,000\n"


def test_find_selects_the_next_matching_cell(window):
    window.find_box.setText("copilot")
    assert window.find_next()
    assert window.workloads_view.currentIndex().data() == "Code copilot"


def test_delete_clears_text_and_zeroes_numbers_in_one_undo_step(window, qtbot):
    doc, view = window.document, window.workloads_view
    select(view, 0, col("tenant"), 1, col("feature"))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert (doc.plan.workloads[0].tenant, doc.plan.workloads[1].feature) == ("", "")
    select(view, 0, col("requests_per_month"), 0, col("requests_per_month"))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert doc.plan.workloads[0].requests_per_month == 0 and doc.projection.rows[0].costs[0] == 0
    select(view, 0, col("model"), 0, col("model"))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "name the model" in window.statusBar().currentMessage()
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.plan.workloads[0].tenant == "Acme Retail" and doc.projection.rows[0].costs[0] == Decimal(12000)


def test_inserting_and_deleting_rows_signal_exactly_those_rows_without_a_reset(window, qtbot):
    model, view, doc = window.workloads_model, window.workloads_view, window.document
    count = model.rowCount()
    inserted, removed, reset = [], [], []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    model.modelReset.connect(lambda: reset.append(True))
    select(view, 2, 0, 2, 0)
    with qtbot.waitSignal(model.rowsInserted, timeout=2000):
        window.insert_row()
    assert model.rowCount() == count + 1 and doc.plan.workloads[3].name == "New workload 4"
    assert inserted == [(3, 3)]
    with qtbot.waitSignal(model.rowsRemoved, timeout=2000):
        doc.undo_stack.undo()
    assert removed == [(3, 3)] and model.rowCount() == count
    select(view, 1, 0, 2, 0)
    window.delete_rows()
    assert removed == [(3, 3), (1, 2)] and model.rowCount() == count - 2
    assert model.index(1, col("name")).data() == doc.plan.workloads[1].name
    assert reset == []
