"""File > Save and Save As (on a worker, with a progress bar and Cancel), and the question
"save your changes?" before the plan is closed or replaced."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import QProgressDialog

from desktop import files
from desktop.file_context import FileContext
from desktop.jobs import Job
from desktop.opening import PLAN_SUFFIXES

TITLE = "Saving"


class Saving:
    def __init__(self, context: FileContext, autosaver: files.Autosaver):
        self.context = context
        self.autosaver = autosaver
        self.undo_index = 0  # the undo step the save started at

    @property
    def task(self) -> Job | None:
        """The save running on a worker, if any."""
        return self.context.background.jobs.get(TITLE)

    @property
    def progress(self) -> QProgressDialog | None:
        """The save's progress dialog, if a save is running."""
        return self.context.background.dialogs.get(TITLE)

    def save(self) -> bool:
        context, doc = self.context, self.context.document
        if doc.path is None or doc.read_only:
            if doc.read_only:
                context.status("This plan is open read-only in this window; choose another name")
            return self.save_as()
        return self.save_to(doc.path)

    def save_as(self) -> bool:
        context = self.context
        suggested = context.document.path.name if context.document.path else "plan.xlsx"
        path = context.prompts.save_path(suggested)
        if not path:
            return False
        if path.suffix.lower() not in PLAN_SUFFIXES:
            path = path.with_suffix(".xlsx")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Save on a worker thread with a progress dialog; True once the save has started."""
        context = self.context
        if self.task is not None:
            context.status("A save is already running")
            return False
        path, plan = Path(path), context.document.plan
        held = files.held_projection(context.document)  # the figures on screen, reused (not projected again)
        self.undo_index = context.document.undo_stack.index()
        moving = context.document.path != path

        def work(cancel, report):
            context.refuse_if_held(path)  # lock files are read here, not on the GUI thread
            files.save_plan_file(plan, path, progress=report, cancel=cancel, projection=held)
            # What follows a save touches the file system too (a call there can wait on a slow disk or a
            # shared drive), so it runs here, not on the GUI thread: the lock follows the plan to its new
            # file, the recovery file goes and the file joins the recent files.  The plan is on disk by
            # now, so none of them may turn the save into a failure (``remember`` lets its errors go).
            with contextlib.suppress(OSError):
                if moving:
                    context.lock.acquire(path)
            with contextlib.suppress(OSError):
                self.autosaver.clear()
            context.remember(path)

        context.background.run(TITLE, f"Saving {path.name}…", work, lambda _result: self._saved(path),
                               lambda message: context.prompts.error(f"Not saved: {message}" if message.startswith(path.name)
                                                                     else f"Not saved: {path}: {message}"),
                               lambda: context.status("Save cancelled; the file on disk is unchanged"),
                               measured=True, delay_ms=400)
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel.set()

    def _saved(self, path: Path) -> None:
        context, doc = self.context, self.context.document
        if doc.undo_stack.index() == self.undo_index:
            doc.mark_saved(path)
        else:  # edited while saving: the file holds the earlier state
            doc.path = path
            doc.stateChanged.emit()
        context.status(f"Saved {path.name}")

    def confirm_close(self) -> bool:
        context, doc = self.context, self.context.document
        if not doc.dirty:
            return True
        answer = context.prompts.ask_save_changes(doc.display_name)
        if answer == "cancel":
            return False
        if answer == "save":
            if doc.path is None or doc.read_only:
                path = context.prompts.save_path("plan.xlsx")
                if not path:
                    return False
            else:
                path = doc.path
            refused = context.held_elsewhere(path)
            if refused:
                context.prompts.error(f"Not saved: {refused}")
                return False
            try:
                files.save_plan_file(doc.plan, path, projection=files.held_projection(doc))
            except Exception as exc:
                context.prompts.error(f"Not saved: {exc}")
                return False
            doc.mark_saved(path)
        return True
