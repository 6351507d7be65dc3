"""The File menu's behaviour: new, open, import, save (on a worker thread), autosave,
recovery, locks, recent files, export, preferences and about.

Every question to the user goes through ``desktop.prompts.Prompts`` so tests can answer it
without a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from desktop import files
from desktop.jobs import Job
from desktop.prompts import Prompts
from desktop.transfers import Transfers
from desktop.undo import ReplacePlan

PLAN_SUFFIXES = {".json", ".xlsx", ".xlsm"}
#: Plan files larger than this are read and projected on a worker thread, with a progress dialog.
OPEN_IN_BACKGROUND_BYTES = 2_000_000
#: Plans with more workloads than this are autosaved on a worker (their JSON is ~27 MB at 100,000).
AUTOSAVE_IN_BACKGROUND_WORKLOADS = 20_000
AUTOSAVE_MS = 60_000


class FileActions(Transfers):
    def __init__(self, window):
        self.window = window
        self.document = window.document
        self.lock = files.FileLock()
        self.autosaver = files.Autosaver()
        self.save_task: files.SaveTask | None = None
        self.progress: QProgressDialog | None = None
        self.jobs: dict[str, Job] = {}  # work running on a worker thread, by its dialog title
        self.autosave_job: Job | None = None
        self.timer = QTimer(window)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()
        if self.document.path:
            self._claim(self.document.path)

    @property
    def prompts(self) -> Prompts:
        return self.window.prompts

    def status(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    # ------------------------------------------------------------------ locks
    def _claim(self, path: Path, ask: bool = True) -> bool:
        """Lock ``path`` for this window; if another window holds it, ask (read-only by default)."""
        owner = self.lock.owner_elsewhere(path)
        if owner is not None and ask:
            answer = self.prompts.ask_locked(Path(path), owner.describe())
            if answer == "cancel":
                return False
            if answer == "readonly":
                self.lock.release()
                self.document.read_only = True
                self.document.stateChanged.emit()
                return True
        self.lock.acquire(path)
        self.document.read_only = False
        self.document.stateChanged.emit()
        return True

    # ------------------------------------------------------------------ open / new / import
    def new(self) -> None:
        if not self.confirm_close():
            return
        from datetime import date

        from pricing.costing.catalog import sample_plan_path
        from pricing.plan.models import Assumptions, Plan
        from pricing.files.planfile import open_plan

        sample, _ = open_plan(sample_plan_path())  # its rate sheet is a starting point
        today = date.today().replace(day=1)
        self.lock.release()
        self.document.load(Plan(assumptions=Assumptions(first_month=today), rates=sample.rates), None)

    def open_dialog(self) -> None:
        path = self.prompts.open_path()
        if path:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        from pricing.files.planfile import PlanFileError, open_plan

        path = Path(path)
        if path.suffix.lower() not in PLAN_SUFFIXES:
            return self.import_path(path)
        if not self.confirm_close():
            return False
        if path.exists() and path.stat().st_size > OPEN_IN_BACKGROUND_BYTES:
            return self._open_in_background(path)
        try:
            plan, findings = open_plan(path)
        except PlanFileError as exc:
            if path.suffix.lower() in (".xlsx", ".xlsm") and path.exists():
                self.status(f"{path.name} is not a plan workbook; importing it instead")
                return self.import_path(path)
            self.prompts.error(str(exc))
            return False
        return self._take_opened(path, plan, findings)

    def _take_opened(self, path: Path, plan, findings, projection=None) -> bool:
        self.lock.release()
        self.document.load(plan, path, findings, projection)
        if not self._claim(path):
            return False
        try:
            files.add_recent(path)
        except OSError:
            pass
        self.status(f"Opened {path.name}" + (f" with {len(findings)} finding(s)" if findings else ""))
        return True

    def _background(self, title: str, label: str, work, finished, failed, cancelled) -> Job:
        """Run ``work(cancel)`` on a worker behind a busy progress dialog whose Cancel stops it.

        The dialog appears only if the work outlasts 300 ms; the window keeps painting meanwhile.
        """
        job = Job(work)
        progress = QProgressDialog(label, "Cancel", 0, 0, self.window)
        progress.setWindowTitle(title)
        progress.setMinimumDuration(300)
        # Window-modal: the window keeps painting, but its plan cannot be edited under work that replaces it.
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.canceled.connect(job.cancel.set)
        self.jobs[title] = job

        def done():
            if shiboken6.isValid(progress):
                progress.reset()
                progress.deleteLater()
            if self.jobs.get(title) is job:
                del self.jobs[title]
            return shiboken6.isValid(self.window)  # False once the window has closed

        job.on_outcome(done, finished, failed, cancelled)
        self.status(label)
        return job.start()

    @property
    def open_task(self) -> Job | None:
        """The plan being opened on a worker, if any."""
        return self.jobs.get("Opening")

    @property
    def usage_task(self) -> Job | None:
        """The usage log being read on a worker, if any."""
        return self.jobs.get("Reading usage log")

    def _open_in_background(self, path: Path) -> bool:
        """Read and project a large plan on a worker; the window stays live and Cancel keeps the current plan."""
        if self.open_task is not None:
            self.status("A plan is already being opened")
            return False

        def work(cancel):
            from pricing.files.planfile import open_plan
            from pricing.costing.projection import Projection

            plan, findings = open_plan(path)
            return plan, findings, (None if cancel.is_set() else Projection(plan))

        def finished(result):
            plan, findings, projection = result
            self._take_opened(path, plan, findings, projection)

        def failed(message):
            if path.suffix.lower() in (".xlsx", ".xlsm") and "not a Token Budget plan" in message:
                self.status(f"{path.name} is not a plan workbook; importing it instead")
                self.import_path(path)
                return
            self.prompts.error(message if path.name in message else f"{path}: cannot open: {message}")

        self._background("Opening", f"Opening {path.name}…", work, finished, failed,
                         lambda: self.status(f"Opening {path.name} cancelled; nothing changed"))
        return True

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        for path in files.recent_files():
            menu.addAction(str(path), lambda p=path: self.open_path(p))
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)

    # ------------------------------------------------------------------ save
    def save(self) -> bool:
        doc = self.document
        if doc.path is None or doc.read_only:
            if doc.read_only:
                self.status("This plan is open read-only in this window; choose another name")
            return self.save_as()
        owner = self.lock.owner_elsewhere(doc.path)
        if owner is not None:
            self.prompts.error(f"{doc.path.name} is now open in another window ({owner.describe()}); "
                               "not overwritten. Use Save As.")
            return False
        return self.save_to(doc.path)

    def save_as(self) -> bool:
        suggested = self.document.path.name if self.document.path else "plan.xlsx"
        path = self.prompts.save_path(suggested)
        if not path:
            return False
        if path.suffix.lower() not in PLAN_SUFFIXES:
            path = path.with_suffix(".xlsx")
        owner = self.lock.owner_elsewhere(path)
        if owner is not None:
            self.prompts.error(f"{path.name} is open in another window ({owner.describe()}); not overwritten.")
            return False
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Save on a worker thread with a progress dialog; True once the save has started."""
        if self.save_task is not None:
            self.status("A save is already running")
            return False
        task = files.SaveTask(self.document.plan, path)
        task.signals.finished.connect(self._saved)
        task.signals.failed.connect(self._save_failed)
        task.signals.cancelled.connect(self._save_cancelled)
        self.save_task = task
        self.undo_index = self.document.undo_stack.index()
        progress = QProgressDialog(f"Saving {path.name}…", "Cancel", 0, 100, self.window)
        progress.setWindowTitle("Saving")
        progress.setMinimumDuration(400)
        progress.canceled.connect(task.cancel.set)
        self.progress = progress
        self._poll = QTimer(self.window)
        self._poll.setInterval(100)
        self._poll.timeout.connect(lambda: self._track(task, progress))
        self._poll.start()
        files.start_save(task)
        return True

    @staticmethod
    def _track(task, progress) -> None:
        if progress.wasCanceled():
            task.cancel.set()
        else:
            progress.setValue(int(task.fraction * 100))

    def cancel_save(self) -> None:
        if self.save_task is not None:
            self.save_task.cancel.set()

    def _finish_task(self) -> None:
        self._poll.stop()
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.save_task = None

    def _saved(self, path: str) -> None:
        self._finish_task()
        doc, path = self.document, Path(path)
        if doc.path != path:
            self.lock.acquire(path)
        if doc.undo_stack.index() == self.undo_index:
            doc.mark_saved(path)
        else:  # edited while saving: the file holds the earlier state
            doc.path = path
            doc.stateChanged.emit()
        self.autosaver.clear()
        try:
            files.add_recent(path)
        except OSError:
            pass
        self.status(f"Saved {path.name}")

    def _save_failed(self, message: str) -> None:
        self._finish_task()
        self.prompts.error(f"Not saved: {message}")

    def _save_cancelled(self) -> None:
        self._finish_task()
        self.status("Save cancelled; the file on disk is unchanged")

    # ------------------------------------------------------------------ autosave / recovery / close
    def autosave(self) -> Path | None:
        """Write the recovery file if there are unsaved changes.  A large plan (its JSON is
        ~27 MB at 100,000 workloads) is written on a worker, quietly; the plan is an immutable
        record, so the copy written is the one of this moment.  Returns the file when written here."""
        if not self.document.dirty or (self.autosave_job is not None and not self.autosave_job.done.is_set()):
            return None
        plan, original = self.document.plan, self.document.path
        if len(plan.workloads) > AUTOSAVE_IN_BACKGROUND_WORKLOADS:
            job = self.autosave_job = Job(lambda _cancel: self.autosaver.save(plan, original))
            job.signals.failed.connect(lambda message: self.status(f"Autosave failed: {message}"))
            job.start()
            return None
        try:
            return self.autosaver.save(plan, original)
        except OSError as exc:
            self.status(f"Autosave failed: {exc}")
            return None

    def offer_recovery(self) -> bool:
        """At start: offer back work left by a crashed session (newest first)."""
        for recovery in files.orphaned_recoveries():
            name = recovery.original.name if recovery.original else "an untitled plan"
            if self.prompts.ask_restore(f"unsaved changes to {name}"):
                try:
                    plan = recovery.load()
                except (OSError, ValueError) as exc:
                    self.prompts.error(f"The recovery file cannot be read: {exc}")
                    recovery.discard()
                    continue
                doc = self.document
                doc.load(doc.plan, recovery.original)
                doc.undo_stack.push(ReplacePlan(doc, doc.plan, plan, "Restore unsaved changes"))
                if recovery.original:
                    self._claim(recovery.original)
                recovery.discard()
                self.autosave()
                return True
            recovery.discard()
        return False

    def confirm_close(self) -> bool:
        if not self.document.dirty:
            return True
        answer = self.prompts.ask_save_changes(self.document.display_name)
        if answer == "cancel":
            return False
        if answer == "save":
            doc = self.document
            if doc.path is None or doc.read_only:
                path = self.prompts.save_path("plan.xlsx")
                if not path:
                    return False
            else:
                path = doc.path
            try:
                files.save_plan_file(doc.plan, path)
            except Exception as exc:
                self.prompts.error(f"Not saved: {exc}")
                return False
            doc.mark_saved(path)
        return True

    def shutdown(self) -> None:
        for job in self.jobs.values():  # an open, import or read still running is abandoned
            job.cancel.set()
        self.timer.stop()
        if self.autosave_job is not None:  # let a recovery file being written land before it is cleared
            self.autosave_job.done.wait(30)
        self.lock.release()
        self.autosaver.clear()

    # ------------------------------------------------------------------ export, preferences, about
    def preferences_dialog(self) -> None:
        from desktop.preferences import PreferencesDialog

        PreferencesDialog(self.document, self.window, replace=self._replace_plan).exec()

    def about_dialog(self) -> None:
        from desktop.preferences import about_text

        QMessageBox.about(self.window, "About Token Budget", about_text())
