"""Desktop benchmark: edit-to-repaint latency on big plans, and cold start to first paint.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_desktop.py [sizes...]

"edit one cell → totals repainted" is one ``setData`` on the Workloads grid (requests per
month of a workload), which goes through the undo stack, ``Projection.update``, the
``dataChanged`` signals and the totals strip, then ``QApplication.processEvents()`` so the
visible window repaints.  Target: under 50 ms at 10,000 workloads × 36 months.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EDITS = 30


def _make_plan(n: int, months: int = 36):
    from benchmarks.plans import make_plan

    return make_plan(n, months=months)


def _import_wizard(n: int) -> list[dict]:
    """The import wizard reading and importing an n-row foreign .xlsx on its worker, while a 10 ms
    timer on the GUI thread measures the longest gap between its ticks (how long the window froze)."""
    import tempfile

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks.bench_import import write_workloads_xlsx
    from desktop import import_wizard
    from desktop.app import application
    from desktop.import_wizard import ImportWizard

    application()
    import_wizard.BACKGROUND_BYTES = 0  # the worker path at every size, as a large file takes it
    path = write_workloads_xlsx(Path(tempfile.mkdtemp()) / "foreign.xlsx", n)
    clock, gaps = QElapsedTimer(), []
    clock.start()
    last = [clock.elapsed()]

    def tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=10, timeout=tick)
    timer.start()

    def wait_for(wizard, start: float) -> tuple[float, int]:
        while wizard.job is not None:
            QApplication.processEvents()
            time.sleep(0.002)
        QApplication.processEvents()  # the page the result fills, painted
        stall = max(gaps, default=0)
        gaps.clear()
        return time.perf_counter() - start, stall

    start = time.perf_counter()
    wizard = ImportWizard(path)
    wizard.show()
    scanned, scan_stall = wait_for(wizard, start)
    start = time.perf_counter()
    wizard.run_import()
    imported, import_stall = wait_for(wizard, start)
    timer.stop()
    rows = wizard.result.report.rows_imported if wizard.result else 0
    wizard.close()
    path.unlink()
    base = {"workloads": n, "months": 36}
    return [
        {"step": "import wizard: read + detect tables (on a worker)", **base, "seconds": round(scanned, 4),
         "longest_gui_stall_ms": scan_stall},
        {"step": "import wizard: import with the mapping (on a worker)", **base, "seconds": round(imported, 4),
         "rows_imported": rows, "longest_gui_stall_ms": import_stall},
    ]


def _edit_latency(n: int, months: int = 36) -> list[dict]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.app import application
    from desktop.document import PlanDocument
    from desktop.main_window import MainWindow
    from desktop.workloads_model import FIELD_COLUMN

    application()
    plan = _make_plan(n, months)
    t0 = time.perf_counter()
    window = MainWindow(PlanDocument(plan, None))
    window.resize(1400, 850)
    window.show()
    QApplication.processEvents()
    opened = time.perf_counter() - t0
    model = window.workloads_model
    column = FIELD_COLUMN["requests_per_month"]
    from pricing.plan.models import DeploymentMode

    rows = [(i * 7919) % n for i in range(EDITS)]
    batch_rows = [i for i, w in enumerate(plan.workloads) if w.mode is DeploymentMode.BATCH][:: max(1, n // 50)][:10]
    edits, undos, batch_edits = [], [], []
    for k, row in enumerate(rows):
        start = time.perf_counter()
        before = window.totals.figures[2].text()
        model.setData(model.index(row, column), str(10_000 + k))
        QApplication.processEvents()
        window.totals.repaint()  # paint the strip now, not at the next idle moment
        edits.append(time.perf_counter() - start)
        assert window.totals.figures[2].text() != before
    for k, row in enumerate(batch_rows):  # a Batch edit also re-checks the per-model batch token limit
        start = time.perf_counter()
        model.setData(model.index(row, column), str(30_000 + k))
        QApplication.processEvents()
        window.totals.repaint()
        batch_edits.append(time.perf_counter() - start)
    # A rate on the Rates grid: re-prices the rows of that model (1/8 of the plan here) and the totals.
    from desktop.rates_model import RATE_COLUMNS

    rate_column = [c.key for c in RATE_COLUMNS].index("output_mtok")
    rate_edits = []
    for k in range(3):
        start = time.perf_counter()
        window.rates_model.setData(window.rates_model.index(0, rate_column), f"{3 + k}.10")
        QApplication.processEvents()
        window.totals.repaint()
        rate_edits.append(time.perf_counter() - start)
    for _ in range(3):
        window.document.undo_stack.undo()
    for _ in range(10):
        start = time.perf_counter()
        window.document.undo_stack.undo()
        QApplication.processEvents()
        undos.append(time.perf_counter() - start)
    # The projection grid in view too: the repaint then includes its visible cells.
    window.show_tab("Projection")
    QApplication.processEvents()
    visible = []
    for k, row in enumerate(rows[:10]):
        start = time.perf_counter()
        model.setData(model.index(row, column), str(20_000 + k))
        QApplication.processEvents()
        window.totals.repaint()
        window.projection_view.viewport().repaint()
        visible.append(time.perf_counter() - start)
    # Sorting by a column (a header click) and filtering (one keystroke in the filter box).
    window.show_tab("Workloads")
    header = window.workloads_view.horizontalHeader()
    start = time.perf_counter()
    header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    QApplication.processEvents()
    sort = time.perf_counter() - start
    start = time.perf_counter()
    window.filter_box.setText("tenant 01")
    QApplication.processEvents()
    filtering = time.perf_counter() - start
    window.filter_box.setText("")
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    # Summary and Modes refresh on a short timer after edits, while visible: time one refresh each.
    window.show_tab("Summary")
    QApplication.processEvents()
    start = time.perf_counter()
    window.summary.refresh()
    QApplication.processEvents()
    summary = time.perf_counter() - start
    window.show_tab("Modes")
    QApplication.processEvents()
    start = time.perf_counter()
    window.modes.refresh()
    QApplication.processEvents()
    modes = time.perf_counter() - start
    window.files.shutdown()
    window.document.undo_stack.setClean()
    window.close()
    base = {"workloads": n, "months": months}
    return [
        {"step": "open plan in window (project + first paint)", **base, "seconds": round(opened, 4)},
        {"step": "edit one cell -> totals repainted (median)", **base, "seconds": round(statistics.median(edits), 4),
         "max_seconds": round(max(edits), 4), "edits": len(edits)},
        {"step": "edit a Batch workload -> totals repainted (median)", **base,
         "seconds": round(statistics.median(batch_edits), 4) if batch_edits else None,
         "max_seconds": round(max(batch_edits), 4) if batch_edits else None, "edits": len(batch_edits)},
        {"step": "edit a rate -> its model's rows re-priced, repainted (median)", **base,
         "seconds": round(statistics.median(rate_edits), 4), "max_seconds": round(max(rate_edits), 4)},
        {"step": "undo one edit -> repainted (median)", **base, "seconds": round(statistics.median(undos), 4),
         "max_seconds": round(max(undos), 4)},
        {"step": "edit with Projection grid in view (median)", **base, "seconds": round(statistics.median(visible), 4),
         "max_seconds": round(max(visible), 4)},
        {"step": "sort the Workloads grid by requests / month", **base, "seconds": round(sort, 4)},
        {"step": "filter the Workloads grid (one keystroke)", **base, "seconds": round(filtering, 4)},
        {"step": "Summary refresh (pivot by tenant + stacked chart)", **base, "seconds": round(summary, 4)},
        {"step": "Modes refresh (rows on screen priced, one pass for the saving)", **base, "seconds": round(modes, 4)},
    ]


COLD_START = """
import time; t0 = time.perf_counter()
import os; os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from desktop.app import open_window
window = open_window(None, offer_recovery=False)
window.show()
QApplication.processEvents()
window.grab()
print("@@", time.perf_counter() - t0)
window.files.shutdown()
"""


def _cold_start() -> dict:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", COLD_START], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    wall = time.perf_counter() - start
    inner = next((float(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("@@")), None)
    return {"step": "cold start to first paint (sample plan)", "workloads": 12, "months": 36,
            "seconds": round(inner, 3) if inner is not None else None, "process_seconds": round(wall, 3)}


def run(sizes: list[int]) -> list[dict]:
    rows = [_cold_start()]
    for n in sizes:
        rows += _edit_latency(n)
        rows += _import_wizard(n)
    return rows


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000]
    for row in run(sizes):
        print(row)
