"""The command line renders the window offscreen; typed input through the real editor is
refused with a message; views refresh after an edit; pricing.capacity.modes extends Modes."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from desktop_helpers import col, data_dir, plan_path, window  # noqa: F401


def test_gui_screenshot_writes_a_png_of_the_window(tmp_path, data_dir, plan_path):
    from desktop.launcher import main

    out = tmp_path / "shot.png"
    assert main(["gui", str(plan_path), "--screenshot", str(out), "--tab", "Summary"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 850)
    # Not a blank image: the totals strip, in the palette's highlight colour, is near the top.
    from desktop.colours import palette
    from PySide6.QtGui import QPalette

    highlight = palette().color(QPalette.ColorRole.Highlight).name()
    strip = sum(image.pixelColor(x, 30).name() == highlight for x in range(0, 1400, 4))
    assert strip > 200


def test_gui_screenshot_of_a_broken_plan_exits_with_a_message(tmp_path, data_dir, capsys):
    from desktop.launcher import main

    bad = tmp_path / "bad.json"
    bad.write_text('{"assumptions": {"first_month": "soon"}}')
    assert main(["gui", str(bad), "--screenshot", str(tmp_path / "x.png")]) == 3  # bad data
    assert "bad.json" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_text_typed_into_a_number_cell_that_is_not_a_number_is_refused(window, qtbot):
    view = window.workloads_view
    index = window.workloads_proxy.index(0, col("requests_per_month"))
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    qtbot.keyClicks(editor, "lots")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not a number" in window.statusBar().currentMessage(), timeout=2000)
    assert "Requests / month, row 1" in window.statusBar().currentMessage()
    assert window.document.plan.workloads[0].requests_per_month == Decimal(2_000_000)
    assert window.document.undo_stack.count() == 0


def test_summary_and_modes_refresh_after_an_edit_while_visible(window, qtbot):
    window.show_tab("Summary")
    summary = window.summary
    last = summary.table.rowCount() - 1
    before = summary.table.item(last, summary.table.columnCount() - 1).text()
    model = window.workloads_model
    model.setData(model.index(0, col("requests_per_month")), "3M")
    horizon = summary.table.columnCount() - 1
    qtbot.waitUntil(lambda: summary.table.item(summary.table.rowCount() - 1, horizon).text() != before, timeout=3000)
    assert summary.table.item(summary.table.rowCount() - 1, horizon).text() == window.totals.figures[2].text()
    window.show_tab("Modes")
    entries = window.modes.comparisons()
    assert entries[0]["serverless"] == Decimal("18000")


def test_modes_shows_endpoint_cost_and_recommendation_from_pricing_modes(window, qtbot):
    from pricing.capacity.modes import compare_workload

    window.show_tab("Modes")
    window.modes.refresh()
    model = window.modes.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-2:] == ["Dedicated / month", "Recommendation"]
    expected = compare_workload(window.document.plan, 0)
    cell = model.index(0, len(headers) - 1)
    assert expected.recommendation.startswith(cell.data()) and cell.data()  # the headline in the cell
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == expected.recommendation  # the whole reason on hover
    window.modes.table.setCurrentIndex(model.index(0, 0))
    qtbot.waitUntil(lambda: expected.recommendation in window.modes.detail.text(), timeout=3000)  # drawn next turn


def test_gui_screenshot_waits_for_a_plan_opened_on_a_worker(tmp_path, data_dir, plan_path, monkeypatch):
    import json

    from desktop import command_line, opening
    from desktop.launcher import main

    data = json.loads(plan_path.read_text(encoding="utf-8"))
    plan_path.write_text(json.dumps(data | {"name": "The plan asked for"}), encoding="utf-8")
    monkeypatch.setattr(opening, "OPEN_IN_BACKGROUND_BYTES", 0)  # open this small plan as a large one is
    import time

    from pricing.files import planfile

    original = planfile.open_plan

    def slow_open(*args, **kwargs):  # as long as a large plan takes
        time.sleep(1.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(planfile, "open_plan", slow_open)
    seen = {}

    def grab(window, out):
        seen.update(name=window.document.plan.name, jobs=dict(window.files.jobs))
        return True

    monkeypatch.setattr(command_line, "_grab", grab)
    assert main(["gui", str(plan_path), "--screenshot", str(tmp_path / "shot.png")]) == 0
    assert seen == {"name": "The plan asked for", "jobs": {}}


def test_gui_screenshot_waits_for_the_tab_figures_made_on_a_worker(tmp_path, data_dir, plan_path, monkeypatch):
    from desktop import command_line, summary_view
    from desktop.launcher import main

    monkeypatch.setattr(summary_view, "AWAY_WORKLOADS", 0)  # the Summary of this small plan summed as a large one's
    figures = summary_view.summary_figures

    def slow_figures(*args):  # as long as a large plan's pivot takes
        import time

        time.sleep(1.0)
        return figures(*args)

    monkeypatch.setattr(summary_view, "summary_figures", slow_figures)
    seen = {}

    def grab(window, out):
        seen.update(job=window.summary.job, updating=window.summary.updating.isVisibleTo(window.summary),
                    rows=window.summary.table.rowCount())
        return True

    monkeypatch.setattr(command_line, "_grab", grab)
    assert main(["gui", str(plan_path), "--screenshot", str(tmp_path / "shot.png"), "--tab", "Summary"]) == 0
    assert seen["job"] is None and not seen["updating"] and seen["rows"] > 1
