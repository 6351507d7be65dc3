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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EDITS = 30
PAUSE_TARGET = "≤ 100 ms pause"
#: After a step, the window idles this long so that work it left to a timer is measured too.
SETTLE_S = 0.4
#: A GUI thread that has not ticked for this long has every thread's stack written down, so a pause
#: over the target names the call the GUI thread was in and what the other threads were doing (one
#: held the lock).  A watching thread takes them with the interpreter lock (``sys._current_frames``):
#: faulthandler's watchdog (``dump_traceback_later``), used before, reads the frames without it and
#: crashed the benchmark now and then (SIGSEGV in its ``dump_frame``, a core dump showed) while the
#: GUI thread was freeing frames.  Holding the lock, the watcher sees the GUI thread where it last let
#: the lock go: in a long C call that keeps the lock, the stack is taken when that call returns.
WATCH_S = 0.09
#: How often the watching thread looks at the GUI thread's last tick.
WATCH_EVERY_S = 0.005


class PauseMeter:
    """A 10 ms timer on the GUI thread: the longest gap between its ticks is the longest pause."""

    def __init__(self):
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = self.clock.elapsed()
        self.longest = 0
        #: The GUI thread's CPU time within the longest gap: the rest of the gap it waited (for the
        #: interpreter lock, or for a core on a loaded machine).
        self.longest_cpu = 0.0
        self.last_cpu = time.thread_time()
        #: Within the longest gap: the GUI thread's system CPU ms and the pages it faulted in (a
        #: fresh page is a fault the kernel, or on a virtual machine the host, fills).
        self.longest_sys = self.longest_faults = self.longest_runnable = 0
        self.last_usage = _thread_usage()
        #: Where the threads were WATCH_S into the longest gap, when it was longer than that.
        self.longest_where: str | None = None
        #: The stacks the watcher took in the gap going on (one dump a gap), and when the GUI thread last ticked.
        self._stacks = ""
        self._ticked = time.monotonic()
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="pause-watch", daemon=True)
        self._watcher.start()
        self.timer = QTimer(interval=10, timeout=self._tick)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.start()

    def _watch(self) -> None:
        """On its own thread: once a gap passes WATCH_S, every other thread's stack, as faulthandler writes them."""
        me = threading.get_ident()
        while not self._stop.wait(WATCH_EVERY_S):
            with self._guard:
                due = not self._stacks and time.monotonic() - self._ticked > WATCH_S
            if due:
                text = stacks_text(sys._current_frames(), skip=me)
                with self._guard:
                    self._stacks = self._stacks or text

    def _stacks_written(self) -> str:
        """The stacks taken since the last call (nothing unless a gap passed WATCH_S); the next gap starts afresh."""
        with self._guard:
            text, self._stacks = self._stacks, ""
            self._ticked = time.monotonic()
        return text

    def _tick(self) -> None:
        now, cpu, usage = self.clock.elapsed(), time.thread_time(), _thread_usage()
        gap = now - self.last
        # Stacks taken just after a shorter gap's tick are read now and dropped, not kept for the next one.
        written = self._stacks_written()
        if gap < WATCH_S * 1000:
            written = ""
        if gap > self.longest:
            self.longest, self.longest_cpu = gap, (cpu - self.last_cpu) * 1000
            self.longest_sys = round((usage[0] - self.last_usage[0]) * 1000)
            self.longest_faults = usage[1] - self.last_usage[1]
            self.longest_runnable = round((usage[2] - self.last_usage[2]) * 1000)
            self.longest_where = where_paused(written) if written else None
        self.last, self.last_cpu, self.last_usage = now, cpu, usage

    def measure(self, action, done=None, settle: float = SETTLE_S,
                timeout: float = 300.0) -> tuple[float, int, float, int, int, str | None, int]:
        """Run ``action()``, wait until ``done()`` (and no job is running); (seconds, longest pause in ms,
        the GUI thread's CPU ms within that pause, of which system ms, the pages it faulted in, where the
        threads were (``where_paused``), and the ms the GUI thread was runnable but had no core)."""
        from PySide6.QtWidgets import QApplication

        from desktop.jobs import running_jobs
        from pricing import letting_go

        QApplication.processEvents()
        self.last, self.longest, self.longest_cpu = self.clock.elapsed(), 0, 0.0
        self.last_cpu, self.last_usage = time.thread_time(), _thread_usage()
        self.longest_sys = self.longest_faults = self.longest_runnable = 0
        self.longest_where = None
        self._stacks_written()
        start = time.perf_counter()
        action()
        while not ((done is None or done()) and running_jobs() == 0 and not _busy()):
            QApplication.processEvents()
            time.sleep(0.002)
            if time.perf_counter() - start > timeout:
                raise TimeoutError("step did not finish")
        seconds = time.perf_counter() - start
        until = time.perf_counter() + settle
        # What the step let go is freed on a thread of its own (pricing.letting_go): its pauses count.
        while time.perf_counter() < until or self.last < self.clock.elapsed() - 12 or letting_go.busy():
            QApplication.processEvents()
            time.sleep(0.002)
        return (seconds, self.longest, round(self.longest_cpu, 1), self.longest_sys, self.longest_faults,
                self.longest_where, self.longest_runnable)

    def stop(self) -> None:
        self.timer.stop()
        self._stop.set()
        self._watcher.join()


def stacks_text(frames: dict, skip: int | None = None) -> str:
    """``sys._current_frames()`` written as faulthandler writes every thread's stack (innermost call
    first), the thread ``skip`` left out: what ``where_paused`` reads."""
    out = ["Timeout (watch)!"]
    for ident, frame in frames.items():
        if ident == skip:
            continue
        out.append(f"Thread 0x{ident:016x} (most recent call first):")
        while frame is not None:
            out.append(f'  File "{frame.f_code.co_filename}", line {frame.f_lineno} in {frame.f_code.co_name}')
            frame = frame.f_back
        out.append("")
    return "\n".join(out) + "\n"


#: The innermost call of a thread that is waiting, not working (it holds no interpreter lock).
_IDLE = frozenset({"wait", "_wait_for_tstate_lock", "select", "poll", "get", "accept", "sleep"})


def where_paused(dump: str, frames: int = 3) -> str:
    """faulthandler's dump of every thread, told short: the GUI thread's innermost ``frames``
    calls, then each other thread that was working (not waiting), its innermost calls: one of
    them held the interpreter lock if the GUI thread was waiting for it."""
    gui = f"0x{threading.main_thread().ident:016x}"
    blocks: list[tuple[str, list[str]]] = []
    for line in dump.split("Timeout (")[-1].splitlines():  # the last dump, if two were written
        if line.startswith(("Thread 0x", "Current thread 0x")):
            blocks.append((line, []))
        elif line.startswith("  File ") and blocks:
            blocks[-1][1].append(_frame(line))
    gui_calls = next((calls for head, calls in blocks if gui in head), [])
    working = [calls for head, calls in blocks if gui not in head and calls
               and calls[0].rsplit(" ", 1)[-1] not in _IDLE]
    told = "GUI thread in " + (" < ".join(gui_calls[:frames]) or "no Python call (in Qt)")
    if not working:
        return told + "; no other thread working"
    return told + "; working meanwhile: " + " | ".join(" < ".join(calls[:frames]) for calls in working)


def _frame(line: str) -> str:
    """'  File "/x/desktop/y.py", line 12 in f' -> 'desktop/y.py:12 f'."""
    try:
        path, rest = line.strip()[len('File "'):].split('", line ', 1)
        number, _, function = rest.partition(" in ")
    except ValueError:
        return line.strip()
    return f"{_short(path)}:{number} {function}"


def _short(path: str) -> str:
    for root in (str(ROOT) + os.sep, os.sep + "site-packages" + os.sep, os.sep + "lib" + os.sep):
        if root in path:
            return path.split(root, 1)[1]
    return path


def _thread_usage() -> tuple[float, int, float]:
    """(system CPU seconds, page faults, seconds runnable but waiting for a core) of the calling
    thread so far; zeros where the system does not count them per thread.  The last is Linux's
    ``/proc/thread-self/schedstat`` run delay: a pause the thread spent there was the machine's
    (other threads, other processes, or the host taking the core), not a wait for the lock."""
    try:
        usage = resource.getrusage(resource.RUSAGE_THREAD)
    except (AttributeError, OSError):
        return 0.0, 0, 0.0
    try:
        with open("/proc/thread-self/schedstat", "rb") as stats:
            waited = int(stats.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        waited = 0.0
    return usage.ru_stime, usage.ru_minflt + usage.ru_majflt, waited


def _busy() -> bool:
    """True while the window still has work queued in pieces on the GUI thread."""
    try:
        from desktop.pacing import pending
    except ImportError:
        return False
    return pending() > 0


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
    window.files.shutdown()
    stack.setClean()
    window.close()
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
