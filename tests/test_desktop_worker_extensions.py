"""The window loads the C extension modules its workers need a second after it opens, on its own
thread, so that no worker keeps the interpreter lock loading one in the middle of a save."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.app import WORKER_EXTENSIONS

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = """
import sys, time
from PySide6.QtWidgets import QApplication
from desktop.app import WORKER_EXTENSIONS, application, open_window
application()
window = open_window(None, offer_recovery=False)
before = [name for name in WORKER_EXTENSIONS if name in sys.modules]
deadline = time.monotonic() + 10
while time.monotonic() < deadline and not all(name in sys.modules for name in WORKER_EXTENSIONS):
    QApplication.processEvents()
    time.sleep(0.01)
print("before", before)
print("after", [name for name in WORKER_EXTENSIONS if name in sys.modules])
"""


def test_the_window_loads_its_workers_extension_modules_soon_after_it_opens(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TOKENBUDGET_DATA_DIR=str(tmp_path),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith(("before", "after")))
    assert done.returncode == 0, done.stderr[-500:]
    assert lines["before"] == "[]"  # not loaded while the window opens
    assert lines["after"] == repr(list(WORKER_EXTENSIONS))
