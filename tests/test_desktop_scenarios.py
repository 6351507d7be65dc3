"""The Scenarios tab, the scenario switch in the totals strip, scenarios side by side, and File > Compare."""

from __future__ import annotations

from decimal import Decimal

from desktop_helpers import data_dir, plan_path, process, window  # noqa: F401
from pricing.costing.catalog import load_catalog
from pricing.costing.projection import Projection
from pricing.plan.money import exact_sum
from pricing.plan.scenario_records import ChangeKind, ScenarioChange
from pricing.scenarios import apply_scenario


def horizon_figure(window) -> str:
    return window.totals.figures[2].text()


def test_create_a_scenario_switch_to_it_see_the_totals_change_and_undo(window, qtbot):
    window.show_tab("Scenarios")
    view = window.scenarios
    base_text = horizon_figure(window)
    name = view.add_scenario("High volume")
    view.add_change(ScenarioChange(applies_to="tenant", name="Acme Retail", change=ChangeKind.REQUESTS, value="2"))
    assert [s.name for s in window.document.plan.scenarios] == ["High volume"]
    assert window.totals.scenario.isVisible()
    window.totals.scenario.setCurrentText(name)
    process()
    assert window.document.active_scenario == "High volume"
    expected = Projection(apply_scenario(window.document.plan, name, load_catalog()).plan).total
    assert expected > window.document.projection.total
    assert horizon_figure(window) != base_text
    assert window.document.shown_projection().total == expected
    stack = window.document.undo_stack
    stack.undo()  # the change
    process()
    assert horizon_figure(window) == base_text and window.document.active_scenario == "High volume"
    stack.undo()  # the scenario itself: the switch goes back to Base
    process()
    assert window.document.plan.scenarios == () and window.document.active_scenario == "Base"
    assert horizon_figure(window) == base_text and not window.totals.scenario.isVisible()
    stack.redo()
    stack.redo()
    assert window.document.plan.scenarios[0].changes[0].value == "2"


def test_editing_a_change_in_the_grid_is_checked_and_one_undo_step(window, qtbot):
    view = window.scenarios
    view.add_scenario("Cheaper")
    view.add_change()
    index = view.changes.index(0, 3)
    refused = []
    view.refused.connect(refused.append)
    assert not view.changes.setData(index, "lots")
    assert refused and "not a number" in refused[0]
    assert view.changes.setData(view.changes.index(0, 2), "Discount")  # value 1 = 100% off is allowed
    assert view.changes.setData(index, "25%")
    assert window.document.plan.scenarios[0].changes[0].change is ChangeKind.DISCOUNT
    window.document.undo_stack.undo()
    assert window.document.plan.scenarios[0].changes[0].value == "1"


def test_rename_duplicate_and_delete_keep_the_switch_on_a_scenario_that_exists(window):
    view = window.scenarios
    view.add_scenario("Low")
    window.document.set_active_scenario("Low")
    assert view.rename_scenario("Low", "Low case")
    assert window.document.active_scenario == "Low case"
    copy = view.duplicate_scenario("Low case")
    assert [s.name for s in window.document.plan.scenarios] == ["Low case", "Low case copy"] and copy == "Low case copy"
    assert not view.rename_scenario("Low case copy", "low case")
    view.delete_scenario("Low case")
    assert window.document.active_scenario == "Base"
    window.document.undo_stack.undo()
    assert window.document.active_scenario == "Low case"


def test_summary_lays_scenarios_side_by_side_with_a_line_per_scenario(window, qtbot):
    view = window.scenarios
    view.add_scenario("Double")
    view.add_change(ScenarioChange(change=ChangeKind.REQUESTS, value="2"))
    window.show_tab("Summary")
    window.scenario_summary.refresh()
    table = window.scenario_summary.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["Base", "Double"]
    assert len(window.scenario_summary.chart.series()) == 2
    base, double = window.scenario_summary.results
    assert double.total == Projection(apply_scenario(window.document.plan, "Double", load_catalog()).plan).total
    assert double.difference(base) == double.total - base.total > 0


def test_compare_with_a_scenario_draws_the_bridge_as_a_waterfall_and_exports(window, tmp_path):
    view = window.scenarios
    view.add_scenario("Batch")
    view.add_change(ScenarioChange(applies_to="workload", name="Assistant chat", change=ChangeKind.MODE, value="Batch"))
    window.comparing.with_scenario("Batch")
    dialog = window.comparing.dialog
    c = dialog.comparison
    assert exact_sum(part for _n, part in c.bridge.parts()) == c.change == c.bridge.mix < 0
    labels = [b[0] for b in dialog.bars]
    assert labels == ["Base total", "Removed", "Volume", "Mix", "Price", "New", "Other total"]
    mix = dialog.bars[3]
    assert abs(Decimal(repr(mix[2])) * Decimal(repr(dialog.divisor)) + c.bridge.mix) < Decimal("0.01")
    out = window.comparing.export(c, tmp_path / "bridge.csv")
    assert out and "Mix (model, mode moves)" in out.read_text(encoding="utf-8")
    dialog.close()


def test_a_comparison_is_not_exported_over_a_workbook_open_in_libreoffice(window, tmp_path):
    from desktop import files

    window.scenarios.add_scenario("Batch")
    window.comparing.with_scenario("Batch")
    target = tmp_path / "bridge.xlsx"
    target.write_bytes(b"a colleague's workbook")
    files.lock_path(target).write_text("Jane Doe,jane,finance-pc-7,03.12.2026 09:12,file:///home/jane/.config/lo;",
                                       encoding="utf-8")
    assert window.comparing.export(window.comparing.dialog.comparison, target) is None
    assert target.read_bytes() == b"a colleague's workbook"
    assert "Jane Doe" in window.prompts.errors[-1] and "not overwritten" in window.prompts.errors[-1]
    window.comparing.dialog.close()


def test_a_comparison_says_which_version_is_base_and_which_other_and_labels_their_totals(window):
    window.scenarios.add_scenario("Batch")
    window.comparing.with_scenario("Batch")
    dialog = window.comparing.dialog
    assert "Base: the Base scenario. Other: scenario Batch." in dialog.caption.text()
    table = dialog.bridge_table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names[0] == "Base total" and names[-2:] == ["Other total", "Change"]
    assert "Other" not in names
    dialog.close()


def test_a_comparison_at_other_rates_lists_the_workloads_whose_cost_moved_as_repriced(window):
    plan = window.document.plan
    rate = plan.rates[0]
    dearer = tuple(v.model_copy(update={"input_mtok": v.input_mtok * 2}) for v in rate.versions)
    other = plan.model_copy(update={"rates": (rate.model_copy(update={"versions": dearer}),) + plan.rates[1:]})
    window.comparing.show(other, "dearer rates against the plan", ("the open plan", "the plan at dearer rates"))
    dialog = window.comparing.dialog
    moved = {d.name for d in dialog.comparison.workloads if d.change}
    table = dialog.workloads
    listed = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert moved and listed == {name: "repriced" for name in moved}
    dialog.close()


def test_a_comparison_with_nothing_moved_says_so_in_the_workload_table(window):
    window.comparing.with_catalog()  # the sample plan's rates are the catalog's
    dialog = window.comparing.dialog
    assert dialog.comparison.change == 0 and dialog.workloads.rowCount() == 1
    assert dialog.workloads.item(0, 0).text().startswith("No workload moved")
    dialog.close()


def test_a_closed_comparison_is_deleted_with_the_plans_it_holds(window):
    from PySide6.QtCore import QCoreApplication, QEvent

    from desktop.compare_dialog import CompareDialog

    window.scenarios.add_scenario("Batch")
    window.comparing.with_scenario("Batch")
    window.comparing.with_scenario("Batch")  # a second one beside the first: both open
    assert len(window.findChildren(CompareDialog)) == 2
    for dialog in window.findChildren(CompareDialog):
        dialog.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(CompareDialog) == [] and window.comparing.dialog is None


def test_applies_to_and_change_are_picked_from_lists(window):
    from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

    view = window.scenarios
    view.add_scenario("Pick")
    view.add_change()
    delegate = view.grid.itemDelegate()
    index = view.changes.index(0, 2)
    editor = delegate.createEditor(view.grid.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox) and editor.findText("Model swapped to") >= 0
    editor.setCurrentText("Growth set to")
    delegate.setModelData(editor, view.changes, index)
    assert window.document.plan.scenarios[0].changes[0].change is ChangeKind.GROWTH


def test_without_scenarios_the_summary_page_shows_only_their_hint_and_gives_the_room_to_the_summary(window, qtbot):
    window.resize(1400, 850)
    window.show()
    window.show_tab("Summary")
    side = window.scenario_summary
    side.refresh()
    qtbot.wait(10)
    assert not side.body.isVisible() and side.height() < 60
    assert "No scenarios yet" in side.caption.text()
    window.scenarios.add_scenario("Double")
    side.refresh()
    assert side.body.isVisible()
    qtbot.waitUntil(lambda: side.height() > 150)


def test_a_comparison_is_worked_out_on_a_worker_and_a_file_it_cannot_read_is_refused(window, tmp_path, monkeypatch):
    import threading

    import pricing.scenarios

    worked_on = []
    real = pricing.scenarios.compare_plans
    monkeypatch.setattr(pricing.scenarios, "compare_plans",
                        lambda *a, **k: worked_on.append(threading.current_thread()) or real(*a, **k))
    window.scenarios.add_scenario("Batch")
    window.comparing.with_scenario("Batch")
    assert window.comparing.dialog is not None
    assert worked_on and threading.main_thread() not in worked_on
    window.comparing.dialog.close()
    broken = tmp_path / "other.xlsx"
    broken.write_bytes(b"not a workbook")
    window.comparing.with_file(broken)
    assert window.prompts.errors and "other.xlsx" in window.prompts.errors[-1]


def test_a_comparison_exports_as_a_workbook_in_the_plans_currency(window, tmp_path):
    from tests.workbook_helpers import sheet_values

    window.scenarios.add_scenario("Batch")
    window.comparing.with_scenario("Batch")
    c = window.comparing.dialog.comparison
    out = window.comparing.export(c, tmp_path / "bridge.xlsx")
    assert out == tmp_path / "bridge.xlsx"
    rows = sheet_values(out, "Comparison")
    assert rows[0][0] == "Bridge (horizon)" and Decimal(repr(rows[1][1])) == c.base_total
    window.comparing.dialog.close()


def test_a_comparison_that_cannot_be_written_says_why_and_the_window_goes_on(window, tmp_path):
    window.scenarios.add_scenario("Batch")
    window.comparing.with_scenario("Batch")
    assert window.comparing.export(window.comparing.dialog.comparison, tmp_path / "gone" / "bridge.xlsx") is None
    assert "cannot write" in window.prompts.errors[-1] and "bridge.xlsx" in window.prompts.errors[-1]
    window.comparing.dialog.close()
