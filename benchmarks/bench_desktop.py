"""Desktop benchmark: how long each step of using a big plan takes, and the longest pause of the
window meanwhile.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.bench_desktop [sizes...]

Every step runs with a 10 ms ``QTimer`` on the GUI thread; the longest gap between its ticks
(``pause_ms``) is how long the window could not paint or take a key: the figure a user feels.
``seconds`` is the time until the step's result is on screen (figures re-priced on a worker
included).  After each step the window idles a moment, so work a step leaves to a timer (a
Summary refresh, the Explain panel) is counted in that step's pause.  Target: no pause over
100 ms at 100,000 workloads × 36 months.  ``pause_cpu_ms`` is the GUI thread's own CPU time within
that longest pause: the rest of it the thread waited, for the interpreter lock or, on a loaded
machine, for a core (a pause of 300 ms with 40 ms of CPU is mostly the machine's load).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.pause_meter import PauseMeter  # noqa: E402 - after the path is set

EDITS = 30
PAUSE_TARGET = "≤ 100 ms pause"


def _row(step: str, n: int, seconds: float, pause: float, pause_cpu: float | None = None,
         pause_sys: int | None = None, pause_faults: int | None = None, pause_where: str | None = None,
         pause_runnable: int | None = None, **extra) -> dict:
    """``pause_cpu_ms``: what the GUI thread computed within its longest pause (the rest it waited);
    ``pause_sys_ms`` of it in the kernel, and ``pause_faults`` pages it faulted in meanwhile;
    ``pause_where``: where the threads were when that pause passed WATCH_S (``where_paused``)."""
    return {"step": step, "workloads": n, "months": 36, "seconds": round(seconds, 4), "floor_seconds": None,
            "floor": "", "target": PAUSE_TARGET, "pause_ms": float(pause), "pause_cpu_ms": pause_cpu,
            "pause_sys_ms": pause_sys, "pause_faults": pause_faults, "pause_where": pause_where,
            "pause_runnable_ms": pause_runnable, **extra}


def _steps(meter: PauseMeter, rows: list, label: str, n: int, samples: list[tuple[float, int, float, int, int, str | None, int]],
           **extra) -> None:
    times = [s for s, *_ in samples]
    _, *longest = max(samples, key=lambda sample: sample[1])
    rows.append(_row(f"{label} (median)" if len(samples) > 1 else label, n, statistics.median(times),
                     *longest, **({"max_seconds": round(max(times), 4), "samples": len(samples)}
                                    if len(samples) > 1 else {}), **extra))


def _import_wizard(meter: PauseMeter, n: int) -> list[dict]:
    """The import wizard reading and importing an n-row foreign .xlsx on its worker."""
    from benchmarks.bench_import import write_workloads_xlsx
    from desktop import import_wizard
    from desktop.import_wizard import ImportWizard

    import_wizard.BACKGROUND_BYTES = 0  # the worker path at every size, as a large file takes it
    path = write_workloads_xlsx(Path(tempfile.mkdtemp()) / "foreign.xlsx", n)
    holder = {}

    def scan():
        holder["wizard"] = ImportWizard(path)
        holder["wizard"].show()

    scanned = meter.measure(scan, lambda: holder["wizard"].job is None)
    wizard = holder["wizard"]
    imported = meter.measure(wizard.run_import, lambda: wizard.job is None)
    rows = wizard.result.report.rows_imported if wizard.result else 0
    wizard.close()
    path.unlink()
    return [_row("import wizard: read + detect tables (on a worker)", n, *scanned),
            _row("import wizard: import with the mapping (on a worker)", n, *imported, rows_imported=rows)]


def _window_steps(meter: PauseMeter, n: int, months: int = 36) -> list[dict]:
    from PySide6.QtCore import Qt

    from benchmarks.plans import make_plan
    from desktop import files
    from desktop.app import open_window
    from desktop.rates_model import RATE_COLUMNS
    from desktop.undo import ChangeAssumptions
    from desktop.workloads_model import FIELD_COLUMN
    from pricing.plan.models import DeploymentMode

    plan = make_plan(n, months=months)
    folder = Path(tempfile.mkdtemp())
    source = folder / "plan.json"
    files.save_plan_file(plan, source)
    window = open_window(None, offer_recovery=False)
    window.resize(1400, 850)
    window.show()
    out: list[dict] = []
    doc = window.document

    # Plans of the sizes people open most: a workbook someone sent (its cells read by the bounded
    # reader process), and a .json plan just under the 2 MB that once opened on the GUI thread.
    for count, name, label in ((1_000, "plan-1000.xlsx", "open a plan workbook of 1,000 workloads"),
                               (6_000, "plan-6000.json", "open a .json plan of 6,000 workloads (2 MB)")):
        path = folder / name
        files.save_plan_file(make_plan(count, months=months), path)
        out.append(_row(label, count, *meter.measure(lambda p=path: window.files.open_path(p),
                                                     lambda p=path: doc.path == p)))
    # A whole-plan change at that size: once projected on the GUI thread (under 20,000 workloads).
    before = doc.plan.assumptions
    after = before.model_copy(update={"fiscal_year_start": 4 if before.fiscal_year_start != 4 else 7})
    out.append(_row("change a preference, 6,000 workloads (whole plan re-projected)", 6_000, *meter.measure(
        lambda: doc.undo_stack.push(ChangeAssumptions(doc, before, after)), lambda: doc.plan.assumptions == after)))
    doc.undo_stack.setClean()
    opened = meter.measure(lambda: window.files.open_path(source), lambda: len(doc.plan.workloads) == n)
    out.append(_row("open a plan (.json read + projected, grids shown)", n, *opened))
    other = folder / "plan-2.json"
    shutil.copyfile(source, other)
    reopened = meter.measure(lambda: window.files.open_path(other), lambda: doc.path == other)
    out.append(_row("open another plan that size (the one open is let go)", n, *reopened))
    plan = doc.plan
    model = window.workloads_model
    column = FIELD_COLUMN["requests_per_month"]
    totals = window.totals.figures[2]

    def edit(m, row, col, value):
        before = totals.text()
        return meter.measure(lambda: m.setData(m.index(row, col), value), lambda: totals.text() != before)

    rows = [(i * 7919) % n for i in range(EDITS)]
    _steps(meter, out, "edit one cell -> totals repainted", n,
           [edit(model, row, column, str(10_000 + k)) for k, row in enumerate(rows)])
    batch_rows = [i for i, w in enumerate(plan.workloads) if w.mode is DeploymentMode.BATCH][:: max(1, n // 50)][:10]
    _steps(meter, out, "edit a Batch workload -> totals repainted", n,
           [edit(model, row, column, str(30_000 + k)) for k, row in enumerate(batch_rows)])
    rate_column = [c.key for c in RATE_COLUMNS].index("output_mtok")
    _steps(meter, out, "edit a rate -> its model's rows re-priced, repainted", n,
           [edit(window.rates_model, 0, rate_column, f"{3 + k}.10") for k in range(3)])
    stack = doc.undo_stack

    def undo():
        return meter.measure(stack.undo)

    _steps(meter, out, "undo one edit -> repainted", n, [undo() for _ in range(10)])
    before = doc.plan.assumptions
    after = before.model_copy(update={"fiscal_year_start": 4 if before.fiscal_year_start != 4 else 7})
    changed = meter.measure(lambda: stack.push(ChangeAssumptions(doc, before, after)),
                            lambda: doc.plan.assumptions == after)
    out.append(_row("change a preference (whole plan re-projected)", n, *changed))
    out.append(_row("undo of a whole-plan change", n, *meter.measure(stack.undo, lambda: doc.plan.assumptions == before)))

    window.show_tab("Projection")
    meter.measure(lambda: None)
    _steps(meter, out, "edit with Projection grid in view", n,
           [edit(model, row, column, str(20_000 + k)) for k, row in enumerate(rows[:10])])
    window.show_tab("Workloads")
    meter.measure(lambda: None)
    header = window.workloads_view.horizontalHeader()
    proxy = window.workloads_proxy
    out.append(_row("sort the Workloads grid by requests / month", n, *meter.measure(
        lambda: header.setSortIndicator(column, Qt.SortOrder.DescendingOrder), lambda: proxy.sortColumn() == column)))
    out.append(_row("filter the Workloads grid (one keystroke)", n, *meter.measure(
        lambda: window.filter_box.setText("tenant 01"), lambda: proxy.rowCount() < n)))
    meter.measure(lambda: window.filter_box.setText(""))
    meter.measure(lambda: header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder))

    # Summary and Modes: shown after an edit (stale, so they refresh), then an edit while in view.
    for t, (tab, view) in enumerate((("Summary", window.summary), ("Modes", window.modes))):
        edit(model, rows[0], column, str(123_456 + t))
        out.append(_row(f"{tab} refresh (tab shown after an edit)", n,
                        *meter.measure(lambda t=tab: window.show_tab(t), lambda v=view: not v._stale)))
        _steps(meter, out, f"edit with {tab} in view -> {tab} refreshed", n,
               [edit(model, row, column, str(40_000 + 10 * t + k)) for k, row in enumerate(rows[:3])])
    window.show_tab("Workloads")
    meter.measure(lambda: None)

    target = folder / "saved.json"
    out.append(_row("save (.json, on a worker)", n, *meter.measure(
        lambda: window.files.save_to(target), lambda: window.files.save_task is None)))
    workbook = folder / "saved.xlsx"
    out.append(_row("save as a plan workbook (.xlsx, on a worker)", n, *meter.measure(
        lambda: window.files.save_to(workbook), lambda: window.files.save_task is None)))
    exporting = window.files.exporting
    out.append(_row("export the projection as CSV (on a worker)", n, *meter.measure(
        lambda: exporting.export_to(folder / "projection.csv"),
        lambda: exporting.context.background.jobs.get("Exporting") is None)))
    edit(model, rows[1], column, "654321")
    out.append(_row("autosave (on a worker)", n, *meter.measure(
        window.files.autosave, lambda: window.files.autosave_job is None or window.files.autosave_job.done.is_set())))
    # File > Compare with the bundled catalog's rates: six projections of the plan, on a worker.
    out.append(_row("compare with the catalog's rates (File > Compare, on a worker)", n, *meter.measure(
        window.comparing.with_catalog, lambda: window.comparing.dialog is not None)))
    comparison = window.comparing.dialog.comparison
    out.append(_row("export the comparison as a workbook (on a worker)", n, *meter.measure(
        lambda: window.comparing.export(comparison, folder / "comparison.xlsx"))))
    window.comparing.dialog.close()
    out += _sheet_steps(meter, window, n, column)
    out += _monthly_loop_steps(meter, window, n, edit, rows, column)
    window.files.shutdown()
    stack.setClean()
    window.close()
    return out


def _sheet_steps(meter: PauseMeter, window, n: int, column: int) -> list[dict]:
    """What a spreadsheet user does with a whole column: select it (the status bar's Sum and Count),
    copy it, select everything, paste 5,000 values into it and undo that, and look for a text in every cell."""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    from desktop import clipboard

    view, doc, label, out = window.workloads_view, window.document, window.selection_label, []
    stats = window.selection_stats
    out.append(_row("select a whole column -> Sum, Average, Count", n, *meter.measure(
        lambda: view.selectColumn(column), lambda: stats._job is None and label.text().startswith("Sum"))))
    out.append(_row("copy the whole column (Ctrl+C)", n, *meter.measure(lambda: clipboard.copy_selection(view))))
    out.append(_row("select all -> Sum, Average, Count", n, *meter.measure(
        view.selectAll, lambda: stats._job is None and label.text().startswith("Sum"))))
    view.clearSelection()
    view.setCurrentIndex(view.model().index(10, column))
    count = min(5_000, n // 2)
    values = "\n".join(str(70_000 + i) for i in range(count))
    out.append(_row(f"paste {count:,} cells -> re-priced (on workers)", n, *meter.measure(
        lambda: clipboard.paste(view, values), lambda: not doc.repricer.running)))
    out.append(_row("undo the paste", n, *meter.measure(doc.undo_stack.undo, lambda: not doc.repricer.running)))
    view.clearSelection()
    window.find_box.setText("no such text")
    out.append(_row("find a text no cell holds (Ctrl+F, every cell read)", n, *meter.measure(window.find_next)))
    model = view.model()
    view.selectionModel().select(QItemSelection(model.index(10, 0), model.index(9 + count, model.columnCount() - 1)),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect)
    meter.measure(lambda: None, lambda: stats._job is None)
    out.append(_row(f"delete {count:,} selected rows", n, *meter.measure(window.delete_rows)))
    out.append(_row(f"undo the delete of {count:,} rows", n, *meter.measure(doc.undo_stack.undo)))
    meter.measure(lambda: None)
    return out


def _monthly_loop_steps(meter: PauseMeter, window, n: int, edit, rows: list[int], column: int) -> list[dict]:
    """Budget lines and a scenario, as finance keeps them: an edit with budget lines (the checks on a
    worker), the totals switched to a scenario and an edit with it active (its projection on a worker),
    and the Summary's scenarios side by side."""
    from pricing.plan.scenario_records import ChangeKind, ScenarioChange
    from pricing.plan.tracking import BudgetLine

    doc, strip, out = window.document, window.totals, []
    tenant = doc.plan.workloads[0].tenant
    budgets = (BudgetLine(period="fiscal_year", amount=Decimal(10) ** 9),
               BudgetLine(scope="tenant", value=tenant, amount=Decimal(10) ** 6))
    meter.measure(lambda: doc.replace_plan(doc.plan.model_copy(update={"budgets": budgets})))

    def edited(k: int):
        before = strip.figures[2].text()
        return meter.measure(lambda: window.workloads_model.setData(window.workloads_model.index(rows[k], column),
                                                                    str(50_000 + k)),
                             lambda: strip.figures[2].text() != before and not strip.waiting)

    _steps(meter, out, "edit with budget lines -> totals, budget checks", n, [edited(k) for k in range(3)])
    meter.measure(lambda: window.scenarios.add_scenario("Growth"))
    meter.measure(lambda: window.scenarios.add_change(ScenarioChange(change=ChangeKind.REQUESTS, value="1.5")))
    out.append(_row("switch the totals to a scenario (projected on a worker)", n, *meter.measure(
        lambda: strip.scenario.setCurrentText("Growth"), lambda: not strip.waiting)))
    _steps(meter, out, "edit with a scenario active -> its totals", n, [edited(3 + k) for k in range(3)])
    summary = window.scenario_summary
    out.append(_row("Summary with scenarios side by side (on a worker)", n, *meter.measure(
        lambda: window.show_tab("Summary"), lambda: summary.job is None and not summary._stale)))
    window.show_tab("Workloads")
    meter.measure(lambda: None)
    return out


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
            "seconds": round(inner, 3) if inner is not None else None, "process_seconds": round(wall, 3),
            "floor_seconds": None, "floor": "", "target": "≤ 2 s"}


def run(sizes: list[int]) -> list[dict]:
    from desktop.app import application

    rows = [_cold_start()]
    application()
    meter = PauseMeter()
    for n in sizes:
        rows += _window_steps(meter, n)
        rows += _import_wizard(meter, n)
    meter.stop()
    return rows


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000]
    for row in run(sizes):
        print(row)
