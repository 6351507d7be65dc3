"""Long work off the GUI thread: a function run on the global QThreadPool whose outcome comes
back to the GUI thread as one queued signal — ``finished(result)``, ``failed(message)`` or
``cancelled()`` — so the window keeps painting and a Cancel button stays live.

The function receives the job's :class:`CancelFlag`; the core's long
operations take it as their ``cancel=`` callable (``pricing.importer.scan``/``import_file``,
``pricing.usage.stats.read_usage``) and stop soon after it is set.  Exceptions the core raises when
cancelled (``ImportCancelled``, ``UsageCancelled``, ``SaveCancelled``, ``ExportCancelled``) and any exception after
Cancel was pressed count as cancelled, never as a failure to show.

Work that knows how far it has come (saving a workbook) reports it through ``job.report``:
the job keeps the fraction done and sends ``progressed(percent)`` to the GUI thread when the
whole percent changes, so a progress bar follows without a polling timer.

A running job is held in a module-level set until its outcome has been delivered, so closing
the dialog that started it never frees a runnable a pool thread is still executing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

CANCELLED_ERRORS = {"ImportCancelled", "UsageCancelled", "SaveCancelled", "ExportCancelled"}
_RUNNING: set[Job] = set()


class CancelFlag(threading.Event):
    """Set by the Cancel button; callable too, so the core may call ``cancel()`` or ``cancel.is_set()``."""

    def __call__(self) -> bool:
        return self.is_set()


class _JobSignals(QObject):
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    settled = Signal()
    progressed = Signal(int)


class Job(QRunnable):
    def __init__(self, work: Callable[[CancelFlag], object]):
        super().__init__()
        self.work = work
        self.cancel = CancelFlag()
        #: Set on the worker when ``work`` has returned or raised (before the outcome is delivered).
        self.done = threading.Event()
        #: How much of the work is done, 0 to 1, as last reported through :meth:`report`.
        self.fraction = 0.0
        self.signals = _JobSignals()
        self.setAutoDelete(False)
        self.signals.settled.connect(lambda: _RUNNING.discard(self))

    def on_outcome(self, settle: Callable[[], bool], finished, failed, cancelled) -> Job:
        """Deliver the outcome: ``settle()`` first (hide the progress, forget the job), then the
        handler for what happened — unless ``settle`` answers False (its window has closed)."""
        self.signals.finished.connect(lambda result: settle() and finished(result))
        self.signals.failed.connect(lambda message: settle() and failed(message))
        self.signals.cancelled.connect(lambda: settle() and cancelled())
        return self

    def report(self, *args) -> None:
        """Progress from the worker: ``report(fraction)`` or ``report(done, total)``."""
        try:
            if len(args) >= 2:
                if not args[1]:
                    return
                fraction = float(args[0]) / float(args[1])  # a ratio for a progress bar, not money
            elif args:
                fraction = float(args[0])
            else:
                return
        except (TypeError, ValueError):
            return
        before, self.fraction = int(self.fraction * 100), min(max(fraction, 0.0), 1.0)
        if int(self.fraction * 100) != before:
            try:
                self.signals.progressed.emit(int(self.fraction * 100))
            except RuntimeError:  # the application is quitting
                pass

    def start(self, pool: QThreadPool | None = None) -> Job:
        """Run on ``pool`` (default: Qt's global pool, a thread per core)."""
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(self)
        return self

    def run(self) -> None:
        try:
            result = self.work(self.cancel)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never a crash
            if self.cancel.is_set() or type(exc).__name__ in CANCELLED_ERRORS:
                outcome = (self.signals.cancelled,)
            else:
                outcome = (self.signals.failed, str(exc) or type(exc).__name__)
        else:
            outcome = (self.signals.cancelled,) if self.cancel.is_set() else (self.signals.finished, result)
        finally:
            self.done.set()
        try:
            outcome[0].emit(*outcome[1:])
            self.signals.settled.emit()
        except RuntimeError:  # the application is quitting and its objects are gone: nobody to tell
            pass


_figures_pool: QThreadPool | None = None


def figures_pool() -> QThreadPool:
    """The one thread the views' figures are worked out on, a job after another: the Summary's pivot,
    the scenarios side by side, the Modes, the Variance, the totals strip's checks.  Two such workers
    at once (the Summary of a 100,000-workload plan with a scenario) took the interpreter lock in
    turns, and the GUI thread, asking for it too, waited 47-70 ms; one at a time, it waits for one.
    Saves, imports and re-pricing keep the global pool."""
    global _figures_pool
    if _figures_pool is None:
        _figures_pool = QThreadPool()
        _figures_pool.setMaxThreadCount(1)
    return _figures_pool


def running_jobs() -> int:
    """Jobs started and not yet settled (tests wait for 0)."""
    return len(_RUNNING)


def wait_for(work: Callable[[CancelFlag], object], label: str, parent=None):
    """Run ``work`` on a worker and return its result, keeping the application painting meanwhile.

    For work that must finish before the caller goes on (re-projecting a 100,000-workload plan
    inside an undo step): a local event loop runs while the worker computes, painting but taking no
    user input (``ExcludeUserInputEvents``: a key or click waits, and reaches the window once the step
    is done), so nothing can change the document under it, not even in the 300 ms before the busy
    dialog shows.  There is no Cancel: the step is already under way.  A failure is raised here.
    """
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    outcome: dict[str, object] = {}
    loop = QEventLoop()
    job = Job(work)
    job.signals.finished.connect(lambda result: outcome.setdefault("result", result))
    job.signals.failed.connect(lambda message: outcome.setdefault("failed", message))
    job.signals.settled.connect(loop.quit)
    dialog = QProgressDialog(label, None, 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)
    job.start()
    # The outcome is queued to this thread, so it arrives inside the loop, which it ends.
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    dialog.reset()
    dialog.deleteLater()
    if "failed" in outcome:
        raise RuntimeError(str(outcome["failed"]))
    return outcome.get("result")
