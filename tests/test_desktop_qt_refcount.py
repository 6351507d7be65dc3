"""A long session makes hundreds of thousands of void Qt calls; with PySide6 6.12 on Python
3.11 each one takes a reference from None (see desktop/qt_refcount.py).  The window must
survive them.  Run in a child process, since the failure is an interpreter abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SESSION = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import desktop  # installs the guard
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QTableWidgetItem
app = QApplication([])
label, table = QLabel(), QTableWidget(10, 4)
for i in range(60_000):
    label.setText(str(i))
    table.setItem(i % 10, i % 4, QTableWidgetItem("x"))
print("alive")
"""


def test_sixty_thousand_void_qt_calls_do_not_abort_the_interpreter():
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", SESSION], cwd=root, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "alive"
