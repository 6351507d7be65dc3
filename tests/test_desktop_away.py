"""Whole-plan passes of the report tabs run on a worker on a large plan: the tab shows the previous
figures as updating, then the same figures the GUI thread would have computed.  (The thresholds
are lowered so that the sample plan takes the worker path.)"""

from __future__ import annotations

from desktop_helpers import col, data_dir, plan_path, window  # noqa: F401


def _table(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_summary_pivot_is_summed_on_a_worker_and_shows_the_same_figures(window, qtbot, monkeypatch):
    from desktop import summary_view

    window.show_tab("Summary")
    here = _table(window.summary.table)
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "3000000")
    window.summary.refresh()
    expected = _table(window.summary.table)
    assert expected != here
    window.document.undo_stack.undo()
    monkeypatch.setattr(summary_view, "AWAY_WORKLOADS", 0)
    window.document.undo_stack.redo()
    window.summary.refresh()
    assert window.summary.job is not None and not window.summary.table.isEnabled()
    assert window.summary.updating.isVisibleTo(window.summary)
    qtbot.waitUntil(lambda: window.summary.job is None, timeout=10000)
    assert _table(window.summary.table) == expected
    assert window.summary.table.isEnabled()


def test_the_modes_comparison_is_prepared_on_a_worker_and_shows_the_same_rows(window, qtbot, monkeypatch):
    from desktop import modes_view

    window.show_tab("Modes")
    modes = window.modes
    rows = lambda: [[modes.model.data(modes.model.index(r, c)) for c in range(modes.model.columnCount())]  # noqa: E731
                    for r in range(modes.model.rowCount())]
    expected, note = rows(), modes.note.text()
    monkeypatch.setattr(modes_view, "AWAY_WORKLOADS", 0)
    modes.refresh()
    assert modes.job is not None and modes.note.text() == "Updating the comparison…"
    qtbot.waitUntil(lambda: modes.job is None, timeout=10000)
    assert rows() == expected and modes.note.text() == note


def _names(window) -> list[str]:
    proxy = window.workloads_proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_a_large_grid_is_sorted_on_a_worker_and_shows_the_same_order_when_it_lands(window, qtbot, monkeypatch):
    from PySide6.QtCore import Qt

    from desktop import sheet_proxy

    header = window.workloads_view.horizontalHeader()
    header.setSortIndicator(col("requests_per_month"), Qt.SortOrder.DescendingOrder)
    expected = _names(window)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    unsorted = _names(window)
    assert expected != unsorted
    monkeypatch.setattr(sheet_proxy, "AWAY_ROWS", 0)
    with qtbot.waitSignal(window.workloads_proxy.arranging, timeout=5000):
        header.setSortIndicator(col("requests_per_month"), Qt.SortOrder.DescendingOrder)
    assert _names(window) == unsorted  # the old order stands until the new one lands
    qtbot.waitUntil(lambda: _names(window) == expected, timeout=10000)


def test_a_large_grid_is_filtered_on_a_worker_and_an_edit_made_meanwhile_is_kept(window, qtbot, monkeypatch):
    from desktop import sheet_proxy

    window.set_filter("batch")
    expected = _names(window)
    window.set_filter("")
    assert 0 < len(expected) < len(_names(window))
    monkeypatch.setattr(sheet_proxy, "AWAY_ROWS", 0)
    window.set_filter("batch")
    model = window.workloads_model
    assert model.setData(model.index(0, col("requests_per_month")), "1234")
    qtbot.waitUntil(lambda: _names(window) == expected, timeout=10000)
    assert window.document.plan.workloads[0].requests_per_month == 1234


def test_typing_while_a_filter_runs_ends_with_the_last_text(window, qtbot, monkeypatch):
    from desktop import sheet_proxy

    window.set_filter("serverless")
    expected = _names(window)
    window.set_filter("")
    monkeypatch.setattr(sheet_proxy, "AWAY_ROWS", 0)
    for text in ("s", "se", "serverless"):
        window.set_filter(text)
    qtbot.waitUntil(lambda: window.workloads_proxy._job is None, timeout=10000)
    assert _names(window) == expected


def test_the_window_hands_the_interpreter_lock_to_the_gui_thread_every_half_millisecond(qapp):
    import sys

    from desktop.app import GUI_SWITCH_INTERVAL, application

    application()
    assert sys.getswitchinterval() == GUI_SWITCH_INTERVAL < 0.005


def test_summary_figures_landing_while_the_tab_is_hidden_are_laid_out_when_it_is_shown(window, qtbot, monkeypatch):
    from desktop import summary_view

    window.show_tab("Summary")
    summary = window.summary
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "3000000")
    summary.refresh()
    expected = _table(summary.table)  # computed on the GUI thread
    bars = _bars(summary)
    window.document.undo_stack.undo()
    summary.refresh()
    before = _table(summary.table)
    assert before != expected
    monkeypatch.setattr(summary_view, "AWAY_WORKLOADS", 0)
    window.document.undo_stack.redo()
    summary.refresh()
    summary._timer.stop()  # the edit's own coalesced refresh: this test starts the worker itself
    assert summary.job is not None
    window.show_tab("Workloads")
    qtbot.waitUntil(lambda: summary.job is None, timeout=10000)
    assert _table(summary.table) == before  # not laid out while nobody sees it
    window.show_tab("Summary")
    assert _table(summary.table) == expected
    assert summary.job is None  # the figures kept were current: nothing computed again
    qtbot.waitUntil(lambda: _bars(summary) == bars, timeout=5000)  # the chart follows in the next turn


def _bars(summary) -> list[tuple[str, list[float]]]:
    series = summary.chart.series()
    return [(bar.label(), [bar.at(i) for i in range(bar.count())]) for bar in series[0].barSets()] if series else []


def test_scenarios_side_by_side_are_projected_on_a_worker_and_show_the_same_figures(window, qtbot, monkeypatch):
    from desktop import scenario_summary
    from pricing.plan.scenario_records import ChangeKind, ScenarioChange

    window.scenarios.add_scenario("Double")
    window.scenarios.add_change(ScenarioChange(change=ChangeKind.REQUESTS, value="2"))
    window.show_tab("Summary")
    view = window.scenario_summary
    view.refresh()
    expected = _table(view.table)
    assert [row[0] for row in expected] == ["Base", "Double"]
    monkeypatch.setattr(scenario_summary, "PROJECT_AWAY_WORKLOADS", 0)
    view.refresh()
    assert view.job is not None and not view.table.isEnabled() and "updating" in view.caption.text()
    qtbot.waitUntil(lambda: view.job is None, timeout=10000)
    assert _table(view.table) == expected and view.table.isEnabled()
    assert view.caption.text() == "Scenarios side by side"
    assert all(result.projection is None for result in view.results)  # the view keeps figures, not projections


def _strip(window) -> tuple:
    totals = window.totals
    return (tuple(f.text() for f in totals.figures), totals.findings.text(), totals.budget.text())


def _large_strip(window, monkeypatch):
    """The totals strip takes the worker path, as on a plan of more than PROJECT_AWAY_WORKLOADS."""
    from desktop import totals_strip

    monkeypatch.setattr(totals_strip, "PROJECT_AWAY_WORKLOADS", 0)


def test_the_totals_of_an_active_scenario_are_worked_out_on_a_worker_after_an_edit(window, qtbot, monkeypatch):
    from pricing.plan.scenario_records import ChangeKind, ScenarioChange

    window.scenarios.add_scenario("Double")
    window.scenarios.add_change(ScenarioChange(change=ChangeKind.REQUESTS, value="2"))
    window.totals.scenario.setCurrentText("Double")
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "3000000")
    expected = _strip(window)
    window.document.undo_stack.undo()
    before = _strip(window)
    _large_strip(window, monkeypatch)
    window.document.undo_stack.redo()
    assert window.totals.waiting and _strip(window)[0] == before[0]  # the previous figures, greyed
    assert window.totals.findings.text() == "Updating totals…"
    qtbot.waitUntil(lambda: not window.totals.waiting, timeout=10000)
    assert _strip(window) == expected


def test_budget_checks_of_a_large_plan_are_worked_out_on_a_worker_and_the_totals_show_at_once(window, qtbot,
                                                                                              monkeypatch):
    from decimal import Decimal

    from pricing.plan.tracking import BudgetLine

    doc = window.document
    doc.replace_plan(doc.plan.model_copy(update={"budgets": (BudgetLine(period="fiscal_year", amount=Decimal(100000)),
                                                             BudgetLine(amount=Decimal(27000)))}))
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "3000000")
    expected = _strip(window)
    assert "over" in expected[2] and expected[1].startswith("⚠")
    doc.undo_stack.undo()
    _large_strip(window, monkeypatch)
    doc.undo_stack.redo()
    assert window.totals.waiting and _strip(window)[0] == expected[0]  # the Base totals at once
    qtbot.waitUntil(lambda: not window.totals.waiting, timeout=10000)
    assert _strip(window) == expected


def test_the_variance_is_worked_out_on_a_worker_and_shows_the_same_table_and_budgets(window, qtbot, monkeypatch,
                                                                                      tmp_path):
    from decimal import Decimal

    from actuals_helpers import FILES
    from desktop import variance_view
    from pricing.plan.tracking import BudgetLine

    monkeypatch.setenv("TOKENBUDGET_ACTUALS_RULES", str(tmp_path / "rules"))
    doc = window.document
    doc.replace_plan(doc.plan.model_copy(update={"budgets": (BudgetLine(period="fiscal_year", amount=Decimal(100000)),)}))
    window.actuals.load([FILES / "together-usage-2026-q1.csv"])
    window.show_tab("Variance")
    view = window.variance
    view.by.setCurrentIndex(view.by.findData("tenant"))
    view.refresh()
    expected, budgets = _table(view.table), view.budgets.text()
    assert expected and "lands at" in budgets
    monkeypatch.setattr(variance_view, "AWAY_WORKLOADS", 0)
    view.refresh()
    assert view.job is not None and not view.table.isEnabled() and view.budgets.text() == "Updating…"
    qtbot.waitUntil(lambda: view.job is None, timeout=10000)
    assert _table(view.table) == expected and view.budgets.text() == budgets and view.table.isEnabled()


def test_the_views_figures_are_worked_out_one_job_at_a_time_on_their_own_thread(window, qtbot, monkeypatch):
    from desktop import jobs, scenario_summary, summary_view
    from pricing.plan.scenario_records import ChangeKind, ScenarioChange

    window.scenarios.add_scenario("Double")
    window.scenarios.add_change(ScenarioChange(change=ChangeKind.REQUESTS, value="2"))
    monkeypatch.setattr(summary_view, "AWAY_WORKLOADS", 0)
    monkeypatch.setattr(scenario_summary, "PROJECT_AWAY_WORKLOADS", 0)
    pool = jobs.figures_pool()
    assert pool.maxThreadCount() == 1
    started = []
    real_start = jobs.Job.start

    def start(job, given=None):
        started.append(given)
        return real_start(job, given)

    monkeypatch.setattr(jobs.Job, "start", start)
    window.show_tab("Summary")
    window.summary.refresh()
    window.scenario_summary.refresh()
    assert started and all(given is pool for given in started)
    assert len(started) == 2
    qtbot.waitUntil(lambda: window.summary.job is None and window.scenario_summary.job is None, timeout=10000)


def _paste_block(window, qtbot, text: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop_helpers import select

    view = window.workloads_view
    select(view, 1, col("input_tokens"), 1, col("input_tokens"))
    QApplication.clipboard().setText(text)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


BLOCK = "5,000\t2k\t25%\t1M\n6000\t500\t0\t2.5M\n700\t70\t10%\t3,000\n"


def test_a_large_paste_is_checked_and_re_priced_on_workers_with_the_same_figures(window, qtbot, monkeypatch):
    from desktop import document as document_module
    from desktop import workloads_model

    doc = window.document
    _paste_block(window, qtbot, BLOCK)
    expected = (doc.plan.workloads, doc.projection.total, list(doc.projection.month_totals), _strip(window))
    doc.undo_stack.undo()
    before = doc.projection.total
    monkeypatch.setattr(workloads_model, "AWAY_CELLS", 1)
    monkeypatch.setattr(document_module, "REPRICE_AWAY_ROWS", 1)
    monkeypatch.setattr(document_module, "PROJECT_AWAY_WORKLOADS", 1)
    _paste_block(window, qtbot, BLOCK)
    assert doc.plan.workloads == expected[0] and doc.repricer.running
    assert doc.projection.total == before  # the previous figures, marked as updating, until the pass lands
    assert window.statusBar().currentMessage() == "Re-pricing 3 edited workloads…"
    qtbot.waitUntil(lambda: not doc.repricer.running, timeout=10000)
    assert (doc.plan.workloads, doc.projection.total, list(doc.projection.month_totals), _strip(window)) == expected
    doc.undo_stack.undo()  # its undo takes the same way
    qtbot.waitUntil(lambda: not doc.repricer.running, timeout=10000)
    assert doc.projection.total == before


def test_a_large_paste_with_a_bad_cell_checked_on_a_worker_changes_nothing_and_names_it(window, qtbot, monkeypatch):
    from desktop import workloads_model

    monkeypatch.setattr(workloads_model, "AWAY_CELLS", 1)
    _paste_block(window, qtbot, "100\t200\nabc\t300\n")
    assert window.document.undo_stack.count() == 0
    message = window.statusBar().currentMessage()
    assert message.startswith("Not changed — Input") and "row 3" in message


def _displayed_tsv(view, top, bottom, left, right) -> str:
    from PySide6.QtCore import Qt

    from desktop.clipboard import to_tsv

    model = view.model()
    return to_tsv([[str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "") for c in range(left, right + 1)]
                   for r in range(top, bottom + 1)])


def test_copying_a_block_gives_the_cells_as_shown_here_and_on_a_worker(window, monkeypatch):
    from desktop import clipboard
    from desktop_helpers import select

    window.set_filter("Initech")  # the grid's rows, in its order, not the plan's
    for view in (window.workloads_view, window.projection_view):
        bottom, right = view.model().rowCount() - 1, min(view.model().columnCount() - 1, 6)
        select(view, 0, 0, bottom, right)
        shown = _displayed_tsv(view, 0, bottom, 0, right)
        assert clipboard.copy_selection(view) == shown
        monkeypatch.setattr(clipboard, "AWAY_CELLS", 1)
        assert clipboard.copy_selection(view) == shown
        monkeypatch.setattr(clipboard, "AWAY_CELLS", 5_000)


def test_find_on_a_worker_finds_the_same_cells_in_the_same_order_and_says_when_none(window, monkeypatch):
    import desktop.main_window as main_window_module

    def hits(needle: str, count: int) -> list[tuple[int, int]]:
        window.find_box.setText(needle)
        window.workloads_view.setCurrentIndex(window.workloads_proxy.index(0, 0))
        out = []
        for _ in range(count):
            assert window.find_next()
            index = window.workloads_view.currentIndex()
            out.append((index.row(), index.column()))
        return out

    window.set_filter("a")  # the grid's rows only, in its order
    here = hits("e", 6)
    monkeypatch.setattr(main_window_module, "FIND_AWAY_CELLS", 1)
    assert hits("e", 6) == here
    window.find_box.setText("no such text anywhere")
    assert not window.find_next() and "not found" in window.statusBar().currentMessage()



def test_a_step_waiting_on_a_worker_takes_no_user_input_in_its_event_loop(qapp, monkeypatch):
    """Keys and clicks wait (Qt defers the window system's input events) until the step is done, so
    nothing typed meanwhile edits the plan the step is about to replace."""
    import time

    from PySide6.QtCore import QEventLoop

    from desktop.jobs import wait_for

    flags_seen = []
    real_exec = QEventLoop.exec

    def exec_(loop, flags=QEventLoop.ProcessEventsFlag.AllEvents):
        flags_seen.append(flags)
        return real_exec(loop, flags)

    monkeypatch.setattr(QEventLoop, "exec", exec_)
    assert wait_for(lambda _cancel: time.sleep(0.05) or "done", "Working…") == "done"
    assert flags_seen and all(f & QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents for f in flags_seen)


def test_rows_deleted_and_put_back_on_a_worker_leave_the_same_figures(window, monkeypatch):
    from desktop import document as document_module
    from desktop_helpers import select

    doc, view = window.document, window.workloads_view

    def delete_and_undo():
        select(view, 2, 0, 6, view.model().columnCount() - 1)
        window.delete_rows()
        after = (doc.plan.workloads, doc.projection.total, list(doc.projection.month_totals), _strip(window),
                 [doc.findings_for_row(i) for i in range(len(doc.plan.workloads))])
        doc.undo_stack.undo()
        back = (doc.plan.workloads, doc.projection.total, list(doc.projection.month_totals), _strip(window))
        return after, back

    here = delete_and_undo()
    monkeypatch.setattr(document_module, "REPRICE_AWAY_ROWS", 1)
    monkeypatch.setattr(document_module, "PROJECT_AWAY_WORKLOADS", 1)
    projection = doc.projection
    assert delete_and_undo() == here
    assert doc.projection is not projection  # spliced in a working copy, then taken
