"""The Qt shell of Token Budget: it adapts the pure ``pricing`` core to windows and grids."""

from desktop.qt_refcount import keep_none_alive

keep_none_alive()  # before any PySide6 call: see desktop/qt_refcount.py
