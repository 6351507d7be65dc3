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
    try:
        from benchmarks.plans import make_plan
    except ImportError:
        return _private_plan(n, months)
    return make_plan(n, months=months)


def _private_plan(n: int, months: int):
    """Used only until benchmarks/plans.py is in this branch: the sample's rates, varied workloads."""
    import random
    from datetime import date
    from decimal import Decimal

    from pricing.catalog import sample_plan_path
    from pricing.models import Assumptions, DeploymentMode, Plan, Workload
    from pricing.planfile import open_plan

    sample, _ = open_plan(sample_plan_path())
    rng = random.Random(0)
    rates = sample.rates
    workloads = []
    for i in range(n):
        rate = rates[i % len(rates)]
        batch = i % 5 == 1 and DeploymentMode.BATCH in rate.modes
        workloads.append(Workload(
            name=f"Workload {i:06d}", model=rate.id, mode=DeploymentMode.BATCH if batch else DeploymentMode.SERVERLESS,
            input_tokens=Decimal(rng.choice([200, 800, 1500, 3000, 6000])), output_tokens=Decimal(rng.choice([50, 400, 1000])),
            cached_share=Decimal(rng.choice(["0", "0.25"])), requests_per_month=Decimal(rng.randrange(1_000, 2_000_000, 500)),
            tenant=f"Tenant {i % 200:03d}", feature=f"Feature {i % 8}", environment=("production", "staging")[i % 2],
            start_month=date(2026, 1 + rng.randrange(12), 1), monthly_growth=Decimal(rng.choice(["0", "0.02"])),
        ))
    return Plan(name=f"Generated ({n})", assumptions=Assumptions(first_month=date(2026, 1, 1), horizon_months=months),
                rates=rates, workloads=tuple(workloads))


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
    from pricing.models import DeploymentMode

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
    return rows


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000]
    for row in run(sizes):
        print(row)
