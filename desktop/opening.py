"""File > New, Open and Open Recent: a plan into the window (a large one read and projected
on a worker, with Cancel), a spreadsheet that is not a plan through the import wizard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QThreadPool

from desktop import memory
from desktop.file_context import FileContext
from desktop.jobs import Job

PLAN_SUFFIXES = {".json", ".xlsx", ".xlsm"}
#: Plan files larger than this are read and projected on a worker thread, behind a progress dialog
#: shown only if the open outlasts 300 ms.  A .json plan of 1,000 workloads (330 KB) held the GUI thread
#: 45-51 ms, one of 3,000 (1 MB) 78-88 ms and one of 6,000 (2 MB) 135-144 ms on the 2-core VM.
OPEN_IN_BACKGROUND_BYTES = 256_000
#: A plan workbook always opens on a worker: its cells are read by a bounded reader process
#: (``pricing.files.isolated``), whose start alone held the GUI thread 130-160 ms for 1,000 workloads.
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


class Opening:
    def __init__(self, context: FileContext, confirm_close: Callable[[], bool], import_path: Callable[[Path], bool]):
        self.context = context
        self.confirm_close = confirm_close
        self.import_path = import_path

    @property
    def task(self) -> Job | None:
        """The plan being opened on a worker, if any."""
        return self.context.background.jobs.get("Opening")

    def new(self) -> None:
        if not self.confirm_close():
            return
        from pricing.costing.catalog import sample_plan_path
        from pricing.files.planfile import open_plan
        from pricing.plan.models import Assumptions, Plan
        from pricing.plan.months import this_month

        sample, _ = open_plan(sample_plan_path())  # its rate sheet is a starting point
        self.context.lock.release()
        plan = Plan(assumptions=Assumptions(first_month=this_month()), rates=sample.rates)
        self.context.document.load(plan, None)

    def open_dialog(self) -> None:
        path = self.context.prompts.open_path()
        if path:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        from pricing.files.planfile import PlanFileError, open_plan

        path = Path(path)
        if path.suffix.lower() not in PLAN_SUFFIXES:
            return self.import_path(path)
        if not self.confirm_close():
            return False
        if path.suffix.lower() in WORKBOOK_SUFFIXES or (path.exists() and path.stat().st_size > OPEN_IN_BACKGROUND_BYTES):
            return self._open_in_background(path)
        try:
            plan, findings = open_plan(path)
        except PlanFileError as exc:
            if path.suffix.lower() in (".xlsx", ".xlsm") and "not a Token Budget plan" in str(exc):
                self.context.status(f"{path.name} is not a plan workbook; importing it instead")
                return self.import_path(path)
            self.context.prompts.error(str(exc))
            return False
        previous = self.context.lock.path
        return self._take_opened(path, plan, findings, None, self.context.lock.acquire(path), previous)

    def _take_opened(self, path: Path, plan, findings, projection, owner, previous) -> bool:
        """Show the plan read from ``path``, whose lock ``acquire`` has already been asked for
        (``owner``: who else holds it).  The question about a lock comes before the plan replaces
        the one shown, so that its Cancel leaves the window as it was, the lock given back."""
        context = self.context
        if not context.settle(path, owner, previous):
            return False
        context.document.load(plan, path, findings, projection)
        context.show_held(path)
        # The recent-files list is a file too (QSettings): written on a pool thread, as after a save.
        QThreadPool.globalInstance().start(lambda: context.remember(path))
        context.status(f"Opened {path.name}" + (f" with {len(findings)} finding(s)" if findings else "")
                       + (f"; read-only: {context.held_by}" if context.document.read_only and context.held_by else ""))
        return True

    def _open_in_background(self, path: Path) -> bool:
        """Read and project a large plan on a worker; the window stays live and Cancel keeps the current plan."""
        context = self.context
        if self.task is not None:
            context.status("A plan is already being opened")
            return False

        previous = context.lock.path
        moved = []  # the worker took the new file's lock: a Cancel now gives the lock back

        def work(cancel):
            from desktop.document import projected
            from pricing.files.planfile import open_plan

            plan, findings = open_plan(path, cancel=cancel.is_set)
            if cancel.is_set():
                return None
            projection = projected(plan)
            # The lock file is read and written here, not on the GUI thread: on a shared drive
            # that stalls, the window keeps painting (the question about it, if any, comes after).
            # Checked under the lock's guard: a window closing meanwhile (cancel, then release)
            # either stops this or releases what it took.
            with context.lock.guard:
                if cancel.is_set():
                    return None
                owner = context.lock.acquire(path)
                moved.append(True)
            return plan, findings, projection, owner

        def finished(result):
            plan, findings, projection, owner = result
            self._take_opened(path, plan, findings, projection, owner, previous)

        def failed(message):
            if path.suffix.lower() in (".xlsx", ".xlsm") and "not a Token Budget plan" in message:
                context.status(f"{path.name} is not a plan workbook; importing it instead")
                self.import_path(path)
                return
            context.prompts.error(message if path.name in message else f"{path}: cannot open: {message}")

        def cancelled():
            if not moved or context.take_back(previous):
                context.status(f"Opening {path.name} cancelled; nothing changed")

        context.background.run("Opening", f"Opening {path.name}…", work, finished, failed, cancelled)
        return True

    def fill_recent_menu(self) -> None:
        menu = self.context.window.recent_menu
        menu.clear()
        for path in memory.recent_files():
            menu.addAction(str(path), lambda p=path: self.open_path(p))
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)
