"""Autosave every minute while there are unsaved changes (a large plan on a worker), and at
start the offer to restore work a crashed session left behind."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer

from desktop import files
from desktop.file_context import FileContext
from desktop.jobs import Job, wait_for
from desktop.undo import ReplacePlan

#: Plans with more workloads than this are autosaved on a worker (their JSON is ~27 MB at 100,000).
AUTOSAVE_IN_BACKGROUND_WORKLOADS = 20_000
AUTOSAVE_MS = 60_000


class Autosaving:
    def __init__(self, context: FileContext, autosaver: files.Autosaver):
        self.context = context
        self.autosaver = autosaver
        self.job: Job | None = None  # the recovery file being written on a worker, if any
        self.timer = QTimer(context.window)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    def autosave(self) -> Path | None:
        """Write the recovery file if there are unsaved changes.  A large plan (its JSON is
        ~27 MB at 100,000 workloads) is written on a worker, quietly; the plan is an immutable
        record, so the copy written is the one of this moment.  Returns the file when written here."""
        doc = self.context.document
        if not doc.dirty or (self.job is not None and not self.job.done.is_set()):
            return None
        plan, original = doc.plan, doc.path
        if len(plan.workloads) > AUTOSAVE_IN_BACKGROUND_WORKLOADS:
            job = self.job = Job(lambda _cancel: self.autosaver.save(plan, original))
            job.signals.failed.connect(lambda message: self.context.status(f"Autosave failed: {message}"))
            job.start()
            return None
        try:
            return self.autosaver.save(plan, original)
        except OSError as exc:
            self.context.status(f"Autosave failed: {exc}")
            return None

    def offer_recovery(self, claim: Callable[[Path], bool]) -> bool:
        """At start: offer back work left by a crashed session (newest first)."""
        context = self.context
        for recovery in files.orphaned_recoveries():
            name = recovery.original.name if recovery.original else "an untitled plan"
            when = time.strftime("%d %b %Y %H:%M", time.localtime(recovery.saved_at))
            answer = context.prompts.ask_restore(f"the unsaved changes to {name} (autosaved {when})")
            if answer == "later":  # kept as it is: offered again at the next start
                continue
            if answer == "restore":
                try:  # on a worker, the window painting meanwhile (100,000 workloads take ~0.7 s)
                    plan = wait_for(lambda _cancel: recovery.load(), "Restoring unsaved changes…")
                except RuntimeError as exc:  # the recovery file's own message (wait_for's failure)
                    kept = recovery.set_aside()
                    where = f" It is kept as {kept}, and not offered again." if kept else ""
                    context.prompts.error(f"The recovery file cannot be read: {exc}.{where}")
                    continue
                doc = context.document
                doc.load(doc.plan, recovery.original)
                doc.undo_stack.push(ReplacePlan(doc, doc.plan, plan, "Restore unsaved changes"))
                if recovery.original:
                    claim(recovery.original)
                recovery.discard()
                self.autosave()
                return True
            recovery.discard()
        return False

    def stop(self) -> None:
        """Stop autosaving; a recovery file being written lands first, then it is cleared."""
        self.timer.stop()
        if self.job is not None:
            self.job.done.wait(30)
        self.autosaver.clear()
