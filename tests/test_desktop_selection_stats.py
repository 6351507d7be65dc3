"""The status bar's Sum, Average and Count of the selected cells: the cells' own values, exact, read
through the grid's order and filter; a large selection counted on the figures thread."""

from __future__ import annotations

from desktop_helpers import col, data_dir, plan_path, select, window  # noqa: F401
from pricing.plan.money import exact_sum


def test_a_whole_column_selected_is_summed_exactly(window):
    view = window.workloads_view
    view.selectColumn(col("requests_per_month"))
    workloads = window.document.plan.workloads
    total = exact_sum(w.requests_per_month for w in workloads)
    assert view.selectionModel().isColumnSelected(col("requests_per_month"))
    assert window.selection_label.text() == (f"Sum: {total:,.0f}    Average: {total / len(workloads):,.2f}    "
                                             f"Count: {len(workloads):,}")


def test_only_the_rows_a_filter_shows_are_summed(window):
    window.set_filter("Initech")
    view = window.workloads_view
    shown = view.model().rowCount()
    assert 0 < shown < len(window.document.plan.workloads)
    select(view, 0, col("input_tokens"), shown - 1, col("input_tokens"))
    wanted = exact_sum(w.input_tokens for w in window.document.plan.workloads if "Initech" in w.tenant)
    assert f"Sum: {wanted:,.0f}" in window.selection_label.text()
    assert f"Count: {shown}" in window.selection_label.text()


def test_text_cells_are_counted_not_summed(window):
    view = window.workloads_view
    select(view, 0, col("tenant"), 2, col("tenant"))
    assert window.selection_label.text() == "Count: 3"


def test_a_large_selection_is_counted_on_the_figures_thread_with_the_same_figures(window, qtbot, monkeypatch):
    from desktop import selection_stats

    view = window.projection_view
    select(view, 0, 1, view.model().rowCount() - 1, 3)
    expected = window.selection_label.text()
    assert expected.startswith("Sum: $")
    view.clearSelection()
    monkeypatch.setattr(selection_stats, "AWAY_CELLS", 2)
    select(view, 0, 1, view.model().rowCount() - 1, 3)
    assert window.selection_label.text().startswith("Counting ")
    qtbot.waitUntil(lambda: window.selection_stats._job is None, timeout=10000)
    assert window.selection_label.text() == expected


def test_the_column_headers_paint_without_asking_every_row_whether_it_is_selected(window, qtbot):
    import sys

    from benchmarks.plans import make_plan

    window.document.replace_plan(make_plan(1500, months=12))
    window.resize(1400, 850)
    window.show()
    qtbot.waitExposed(window)
    view = window.workloads_view
    view.selectColumn(col("tenant"))
    qtbot.wait(100)  # the window's own layout and paints after the selection, first
    asked = []

    def calls(frame, event, _arg):  # Python methods Qt calls back from C++ (a class patch would not be seen)
        if event == "call" and frame.f_code.co_name in ("mapToSource", "flags"):
            asked.append(frame.f_code.co_name)

    sys.setprofile(calls)
    try:
        view.horizontalHeader().viewport().repaint()
    finally:
        sys.setprofile(None)
    assert len(asked) < 300  # a few per section painted, not two for each of the 1,500 rows
    assert window.selection_label.text() == "Count: 1,500"


def test_deleting_selected_rows_clears_the_selection_first_and_undo_puts_them_back(window):
    doc, view = window.document, window.workloads_view
    before_total, before = doc.projection.total, doc.plan.workloads
    select(view, 2, 0, 5, view.model().columnCount() - 1)
    window.delete_rows()
    assert len(doc.plan.workloads) == len(before) - 4 and not view.selectionModel().hasSelection()
    doc.undo_stack.undo()
    assert doc.plan.workloads == before and doc.projection.total == before_total
