"""Work of the File menu run on a worker behind a progress dialog whose Cancel stops it.

One :class:`~desktop.jobs.Job` per dialog title at a time (``Opening``, ``Saving``,
``Projecting``, ``Reading usage log``, ``Exporting``); the window keeps painting meanwhile.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from desktop.jobs import CancelFlag, Job


class Background:
    def __init__(self, window, status):
        self.window = window
        self.status = status
        #: Work running on a worker thread, by its dialog title.
        self.jobs: dict[str, Job] = {}
        #: The progress dialog of each job, by the same title.
        self.dialogs: dict[str, QProgressDialog] = {}

    def run(self, title: str, label: str, work, finished, failed, cancelled, *,
            measured: bool = False, delay_ms: int = 300) -> Job:
        """Run ``work(cancel)`` (or ``work(cancel, report)`` when ``measured``) on a worker.

        The dialog appears only if the work outlasts ``delay_ms``; it is a busy bar, or a
        percentage when the work is ``measured`` and reports its progress.  Window-modal: the
        window keeps painting, but its plan cannot be edited under work that replaces it.
        """
        if measured:
            job = Job(lambda cancel: work(cancel, job.report))
        else:
            job = Job(work)
        progress = QProgressDialog(label, "Cancel", 0, 100 if measured else 0, self.window)
        progress.setWindowTitle(title)
        progress.setMinimumDuration(delay_ms)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.canceled.connect(job.cancel.set)
        if measured:
            def progressed(percent: int) -> None:
                if not shiboken6.isValid(progress):
                    return
                if progress.wasCanceled():  # cancel() called on the dialog itself emits no signal
                    job.cancel.set()
                else:
                    progress.setValue(percent)

            job.signals.progressed.connect(progressed)
        self.jobs[title] = job
        self.dialogs[title] = progress

        def done():
            if shiboken6.isValid(progress):
                progress.reset()
                progress.deleteLater()
            if self.jobs.get(title) is job:
                del self.jobs[title]
                del self.dialogs[title]
            return shiboken6.isValid(self.window)  # False once the window has closed

        job.on_outcome(done, finished, failed, cancelled)
        self.status(label)
        return job.start()

    def cancel_all(self) -> None:
        """Abandon every job still running (the window is closing)."""
        for job in self.jobs.values():
            job.cancel.set()


__all__ = ["Background", "CancelFlag"]
