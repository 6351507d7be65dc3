"""QApplication setup and opening a window on a plan."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import crash_guard
from pricing.costing.catalog import resources_dir


#: Seconds a thread holding the interpreter lock runs before another waiting for it gets it.
GUI_SWITCH_INTERVAL = 0.0005

#: C extension modules the window's workers would load on first use (saving a workbook, reading
#: one's XML).  Loading one keeps the interpreter lock until its file is in memory: a worker's
#: first save once paused the window 650 ms so (run AQ, ``docs/speed.md``).  The window loads them
#: on its own thread from a second after it opens, when nothing waits on it: one module an event
#: loop turn, 100 ms apart (2-7 ms each), so none lands in the same turn as a paint of a large grid.
WORKER_EXTENSIONS = ("isal.isal_zlib", "pyexpat", "xml.etree.ElementTree")
EXTENSIONS_AFTER_MS = 1000
EXTENSIONS_APART_MS = 100


def load_worker_extensions(names: tuple[str, ...] = WORKER_EXTENSIONS) -> None:
    """Load the first of ``names`` now and the rest one by one, ``EXTENSIONS_APART_MS`` apart."""
    if not names:
        return
    try:
        importlib.import_module(names[0])
    except ImportError:  # an optional speed-up missing: its worker falls back on its own
        pass
    if names[1:]:
        QTimer.singleShot(EXTENSIONS_APART_MS, lambda: load_worker_extensions(names[1:]))


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Token Budget")
        app.setOrganizationName("tokenbudget")
        app.setStyle("Fusion")
        app.setDesktopFileName("org.tokenbudget.TokenBudget")
        crash_guard.install()
        _install_translations(app)
        from pricing import gc_pause

        gc_pause.freeze_on_resume = True  # a window lives long: keep what big builds make out of the collector's walks
        icon = resources_dir() / "icons" / "tokenbudget-256.png"
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    # While a worker prices, the GUI thread takes the interpreter lock back each time Qt calls into
    # Python (a grid's data(), a paint): at the default 5 ms a switch, a repaint of hundreds of
    # calls waited seconds' worth of switches.  0.5 ms took the longest pause of an edit with the
    # Modes tab in view at 100,000 workloads from about 450 ms to about 180 ms.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
    from desktop import gui_first

    gui_first.install()  # and the core's long loops on workers wait while a grid paints
    return app


def _install_translations(app: QApplication) -> None:
    """Qt's own dialogs in the user's language (Qt ships them), and ours where a translation
    exists (``resources/translations/tokenbudget_<locale>.qm``, made with pyside6-lupdate and
    pyside6-lrelease from the ``tr()`` strings)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    locale = QLocale.system()
    for name, folder in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         ("tokenbudget", str(resources_dir() / "translations"))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)


def open_window(path: Path | None, *, offer_recovery: bool = True):
    """A main window on ``path`` (the sample plan when None); plan errors are shown, not raised."""
    from desktop.document import PlanDocument
    from desktop.main_window import MainWindow
    from pricing.costing.catalog import sample_plan_path
    from pricing.files.planfile import open_plan

    application()
    target = Path(path) if path else sample_plan_path()
    plan, findings = open_plan(sample_plan_path())
    document = PlanDocument(plan, None)
    window = MainWindow(document)
    QTimer.singleShot(EXTENSIONS_AFTER_MS, load_worker_extensions)
    if offer_recovery and window.files.offer_recovery():
        return window
    if path is not None:
        window.files.open_path(target)
    return window


def run(path: Path | None) -> int:
    app = application()
    window = open_window(path)
    window.show()
    return app.exec()


def ensure_offscreen_for_screenshots() -> None:
    if "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
