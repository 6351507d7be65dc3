"""Benchmark the Modes tab with its chart on big plans: a full refresh, and selecting a row.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_modes_chart.py [N ...]   (default 1000 10000)

"refresh Modes tab" is ``ModesView.refresh()``: one pass of ``ModeCosts.batch_savings`` for the
line above the table, the table reset (rows are priced as Qt asks for them), and the selected workload compared and charted.  "select a workload → chart
redrawn" is one ``setCurrentIndex`` on the table plus ``processEvents``: one comparison
(``ModeComparer.compare``) and one ``curve`` over ``chart_volumes`` — it does not grow with
the plan.  Median of several selections, wall seconds, one process.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SELECTIONS = 20


def run(sizes: list[int]) -> list[dict]:
    from PySide6.QtWidgets import QApplication

    from benchmarks.plans import make_plan
    from desktop.document import PlanDocument
    from desktop.modes_view import ModesView

    app = QApplication.instance() or QApplication([])
    rows = []
    for n in sizes:
        plan = make_plan(n, months=36)
        view = ModesView(PlanDocument(plan, None))
        view.resize(1400, 800)
        view.show()
        app.processEvents()
        started = time.perf_counter()
        view.refresh()
        app.processEvents()
        rows.append({"step": "refresh Modes tab (table + chart)", "workloads": n, "months": 36,
                     "seconds": round(time.perf_counter() - started, 4)})
        times = []
        for k in range(SELECTIONS):
            row = (k * 7919) % n
            started = time.perf_counter()
            view.table.setCurrentIndex(view.model.index(row, 0))
            app.processEvents()
            times.append(time.perf_counter() - started)
        rows.append({"step": "select a workload → chart redrawn (median)", "workloads": n, "months": 36,
                     "seconds": round(statistics.median(times), 4)})
        view.close()
        view.deleteLater()
        app.processEvents()
    return rows


if __name__ == "__main__":
    for result in run([int(a) for a in sys.argv[1:]] or [1000, 10000]):
        print(result)
