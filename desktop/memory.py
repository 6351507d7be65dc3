"""What the window remembers between sessions, kept with ``QSettings``: its geometry and state,
every named splitter's position, and the recent files.

``QSettings`` stores them where the platform expects (the registry on Windows, a plist on
macOS, ``~/.config/tokenbudget/Token Budget.conf`` on Linux).  With ``TOKENBUDGET_DATA_DIR``
set (tests, a portable install) they go to ``settings.ini`` in that folder instead, so a test
never reads or writes the user's own settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

MAX_RECENT = 8


def settings() -> QSettings:
    override = os.environ.get("TOKENBUDGET_DATA_DIR")
    if override:
        Path(override).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(override) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings("tokenbudget", "Token Budget")


def recent_files() -> list[Path]:
    value = settings().value("recentFiles", [])
    items = [value] if isinstance(value, str) else list(value or [])
    return [Path(p) for p in items if isinstance(p, str) and p][:MAX_RECENT]


def add_recent(path: Path) -> None:
    path = Path(path).resolve()
    items = [str(path)] + [str(p) for p in recent_files() if Path(p) != path]
    store = settings()
    store.setValue("recentFiles", items[:MAX_RECENT])
    store.sync()


def restore_window(window: QMainWindow) -> None:
    """Put the window back where and as it was; nothing happens the first time."""
    store = settings()
    geometry = store.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = store.value("window/state")
    if state is not None:
        window.restoreState(state)
    for splitter in window.findChildren(QSplitter):
        if splitter.objectName():
            saved = store.value(f"splitters/{splitter.objectName()}")
            if saved is not None:
                splitter.restoreState(saved)


def remember_window(window: QMainWindow) -> None:
    store = settings()
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/state", window.saveState())
    for splitter in window.findChildren(QSplitter):
        if splitter.objectName():
            store.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
    store.sync()
