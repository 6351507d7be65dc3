"""The File menu, one part per job, sharing a :class:`~desktop.file_context.FileContext`:

- :class:`~desktop.opening.Opening`: new, open, open recent;
- :class:`~desktop.saving.Saving`: save, save as, "save your changes?";
- :class:`~desktop.autosaving.Autosaving`: autosave and recovery after a crash;
- :class:`~desktop.importing.Importing`: import a budget or a usage log;
- :class:`~desktop.exporting.Exporting`: export the projection or the workbook.

Work on a worker thread goes through the context's :class:`~desktop.background.Background`.
Every question to the user goes through ``desktop.prompts.Prompts`` so tests can answer it
without a modal dialog.
"""

from __future__ import annotations

from desktop import files
from desktop.autosaving import Autosaving
from desktop.exporting import Exporting
from desktop.file_context import FileContext
from desktop.importing import Importing
from desktop.jobs import Job
from desktop.opening import Opening
from desktop.saving import Saving


class FileActions:
    def __init__(self, window):
        self.context = context = FileContext(window)
        self.autosaver = files.Autosaver()
        self.saving = Saving(context, self.autosaver)
        self.importing = Importing(context)
        self.exporting = Exporting(context)
        self.opening = Opening(context, self.saving.confirm_close, self.importing.import_path)
        self.autosaving = Autosaving(context, self.autosaver)
        # The menu's entry points, as the window and its tests call them.
        self.new, self.open_dialog, self.open_path = self.opening.new, self.opening.open_dialog, self.opening.open_path
        self.fill_recent_menu = self.opening.fill_recent_menu
        self.save, self.save_as, self.save_to = self.saving.save, self.saving.save_as, self.saving.save_to
        self.confirm_close, self.cancel_save = self.saving.confirm_close, self.saving.cancel
        self.import_dialog, self.import_path = self.importing.import_dialog, self.importing.import_path
        self.usage_dialog, self.import_usage = self.importing.usage_dialog, self.importing.import_usage
        self.replace_plan = self.importing.replace_plan
        self.export_dialog, self.export_to = self.exporting.export_dialog, self.exporting.export_to
        self.autosave = self.autosaving.autosave
        if context.document.path:
            context.claim(context.document.path)

    @property
    def lock(self) -> files.FileLock:
        return self.context.lock

    @property
    def jobs(self) -> dict[str, Job]:
        """Work running on a worker thread, by its dialog title."""
        return self.context.background.jobs

    @property
    def save_task(self) -> Job | None:
        return self.saving.task

    @property
    def progress(self):
        return self.saving.progress

    @property
    def open_task(self) -> Job | None:
        return self.opening.task

    @property
    def usage_task(self) -> Job | None:
        return self.importing.usage_task

    @property
    def autosave_job(self) -> Job | None:
        return self.autosaving.job

    def offer_recovery(self) -> bool:
        return self.autosaving.offer_recovery(self.context.claim)

    def shutdown(self) -> None:
        self.context.background.cancel_all()  # an open, import or read still running is abandoned
        self.autosaving.stop()
        self.context.lock.release()
