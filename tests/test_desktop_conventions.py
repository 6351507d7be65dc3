"""The window behaves like a well-made desktop app: errors are reported and logged and the window
runs on, it remembers where it was, its help menu names Qt, and a dark palette stays readable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from desktop import colours, crash_guard, help_menu, memory
from desktop_helpers import col, data_dir, make_window, plan_path, window  # noqa: F401


@pytest.fixture
def log_dir(tmp_path, monkeypatch):
    folder = tmp_path / "logs"
    monkeypatch.setenv("TOKENBUDGET_LOG_DIR", str(folder))
    return folder


def _edit_first_requests(window, text="7M"):
    model = window.workloads_model
    assert model.setData(model.index(0, col("requests_per_month")), text)


def test_an_error_inside_a_menu_action_is_logged_reported_and_the_window_runs_on(window, log_dir, data_dir):
    crash_guard.install()
    _edit_first_requests(window)  # unsaved work, to be kept

    def broken():
        raise RuntimeError("planted fault")

    action = window._act(QMenu(window), "&Recalculate everything…", broken)
    action.trigger()
    (message,) = window.prompts.errors
    assert "while recalculate everything: RuntimeError: planted fault" in message
    assert str(log_dir / "tokenbudget.log") in message
    log = (log_dir / "tokenbudget.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "planted fault" in log and "recalculate everything" in log.lower()
    assert list((data_dir / "recovery").glob("*.json")), "the unsaved plan was autosaved first"
    assert window.isVisible()
    _edit_first_requests(window, "8M")  # the window still takes edits
    assert window.document.dirty


@pytest.mark.qt_no_exception_capture
def test_an_error_escaping_a_slot_reaches_the_same_report(window, log_dir, qtbot):
    crash_guard.install()

    def broken_slot():
        raise ValueError("slot fault")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(window.prompts.errors), timeout=5000)
    assert "ValueError: slot fault" in window.prompts.errors[0]
    assert "slot fault" in (log_dir / "tokenbudget.log").read_text(encoding="utf-8")
    assert window.isVisible()


def test_geometry_and_splitter_positions_survive_a_restart(qtbot, data_dir, plan_path):
    first = make_window(qtbot, plan_path)
    screen = first.screen().availableGeometry()  # 800 × 800 offscreen: a restored window fits its screen
    assert first.minimumSizeHint().width() <= screen.width(), "the window must fit a small screen"
    width, height = first.minimumSizeHint().width() + 5, 600  # the default is 1400 × 850
    first.resize(width, height)
    qtbot.waitUntil(lambda: (first.width(), first.height()) == (width, height))
    first.rates_page.setSizes([300, 200])
    sizes = first.rates_page.sizes()
    first.close()
    second = make_window(qtbot, plan_path)
    assert abs(second.width() - width) <= 8 and abs(second.height() - height) <= 8
    assert second.rates_page.sizes() == sizes
    second.close()


def test_recent_files_survive_a_restart_newest_first(qtbot, data_dir, plan_path, tmp_path):
    other = tmp_path / "other.json"
    other.write_bytes(plan_path.read_bytes())
    first = make_window(qtbot, plan_path)
    first.files.open_path(other)
    first.close()
    assert (data_dir / "settings.ini").is_file()  # a temporary scope, never the user's own settings
    second = make_window(qtbot)
    second.files.fill_recent_menu()
    shown = [a.text() for a in second.recent_menu.actions()]
    assert shown[:2] == [str(other.resolve()), str(plan_path.resolve())]
    assert memory.recent_files()[0] == other.resolve()
    second.close()


def test_help_menu_offers_about_qt_third_party_notices_and_the_log_folder(window, log_dir):
    (help_,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    texts = [a.text() for a in help_.actions() if a.text()]
    assert texts == ["&About Token Budget", "About &Qt", "Third-Party &Notices", "Open &Log Folder"]
    assert "GNU LESSER GENERAL PUBLIC LICENSE" not in help_menu.notices_text()  # the notice, not the licence
    assert "LGPL" in help_menu.notices_text()
    assert help_menu.log_folder_url().toLocalFile() == str(log_dir)
    from desktop.preferences import about_text

    assert "Built with Qt 6." in about_text() and "LGPL" in about_text()


def test_the_grids_and_the_totals_strip_have_accessible_names(window):
    assert window.workloads_view.accessibleName() == "Workloads grid"
    assert window.totals.accessibleName() == "Totals"


@pytest.mark.parametrize("kind", ["error", "warning", "derived", "total", "cheaper"])
def test_cell_tints_under_a_dark_palette_are_dark_enough_for_light_text(qtbot, kind):
    app = QApplication.instance()
    before = app.palette()
    try:
        app.setPalette(colours.dark_palette())
        assert colours.is_dark()
        background = colours.tint(kind).color()
        text = app.palette().color(QPalette.ColorRole.Text)
        assert text.lightness() - background.lightness() > 120
    finally:
        app.setPalette(before)


def test_cell_tints_under_a_light_palette_stay_pale(qtbot):
    app = QApplication.instance()
    light = QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    before = app.palette()
    try:
        app.setPalette(light)
        assert not colours.is_dark() and colours.tint("error").color().lightness() > 200
    finally:
        app.setPalette(before)


def test_a_screenshot_under_a_dark_palette_has_light_text_on_dark_grids(qapp, tmp_path, data_dir, plan_path):
    from PySide6.QtGui import QImage

    from desktop.launcher import main

    out = tmp_path / "dark.png"
    before = qapp.palette()
    try:
        assert main(["gui", str(plan_path), "--screenshot", str(out), "--dark"]) == 0
    finally:
        qapp.setPalette(before)  # the other tests share this application
    image = QImage(str(out))
    band = [image.pixelColor(x, y) for y in range(200, 420, 2) for x in range(0, image.width(), 3)]
    dark = sum(c.lightness() < 80 for c in band)
    light = sum(c.lightness() > 170 for c in band)
    assert dark > len(band) // 2, "the grid's background is dark"
    assert light > 200, "and its text is light"
