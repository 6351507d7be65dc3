"""An unexpected error in the window: the window keeps running and nothing is lost.

Whatever raises in a slot, a menu action or a timer reaches :func:`report` (menu actions
through :func:`doing`, which also names what was being done; everything else through
``sys.excepthook``, which PySide6 calls for an exception a slot let out).  It writes the
traceback to the log file (:mod:`pricing.diagnostics`), autosaves every open plan with unsaved
changes first, and shows one dialog saying what was being done, that the plans were kept, and
where the log is.  A second error while the dialog is up is logged, not stacked.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from pricing import diagnostics

_doing: list[str] = []
_reporting: list[bool] = []


@contextmanager
def doing(what: str):
    """Run a user action: an error inside it is reported as happening while doing ``what``."""
    _doing.append(what)
    try:
        yield
    except Exception:
        report(*sys.exc_info())
    finally:
        _doing.pop()


def install() -> None:
    """Log to the platform's log folder and catch what escapes a slot (once per process)."""
    diagnostics.configure()
    if sys.excepthook is not _hook:
        sys.excepthook = _hook


def _hook(kind, error, trace) -> None:
    if issubclass(kind, (KeyboardInterrupt, SystemExit)):
        sys.__excepthook__(kind, error, trace)
        return
    report(kind, error, trace)


def report(kind, error, trace, what: str | None = None) -> None:
    what = what or (_doing[-1].replace("&", "").rstrip("…") if _doing else "working in the window")
    diagnostics.logger("window").error("unexpected error while %s", what, exc_info=(kind, error, trace))
    if _reporting:
        return
    _reporting.append(True)
    try:
        windows = _open_windows()
        kept = [w for w in windows if _autosave(w)]
        log = diagnostics.log_file()
        text = (f"Something went wrong while {what.lower()}: {kind.__name__}: {error}\n\n"
                + ("Your unsaved changes were saved to a recovery file; " if kept else "")
                + "Token Budget keeps running and your open plans are as they were.\n\n"
                + f"The details are in the log file:\n{log}\n(Help ▸ Open Log Folder)")
        if windows:
            windows[0].prompts.error(text)
    except Exception:  # the report itself failed: never raise from here
        diagnostics.logger("window").exception("could not report an error")
        sys.__excepthook__(kind, error, trace)
    finally:
        _reporting.pop()


def _open_windows() -> list:
    """The plan windows on screen (main windows with their File menu; a closed one is not asked
    anything), the active one first, found without importing the window module, which imports
    this one."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMainWindow) and hasattr(w, "files") and w.isVisible()]
    active = QApplication.activeWindow()
    return sorted(windows, key=lambda w: w is not active)  # the dialog goes over the window in use


def _autosave(window) -> bool:
    try:
        return window.files.autosave() is not None
    except Exception:
        diagnostics.logger("window").exception("autosave after an error failed")
        return False
