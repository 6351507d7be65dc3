"""A rate edit on a large plan re-priced on a worker while the window stays live.

A new rate re-prices every workload of its model: 12,500 rows at 100,000 workloads, over half a
second of Python.  On a plan of more than ``REPRICE_AWAY_WORKLOADS`` the document takes the new
rate sheet at once (the Rates grid and any later edit build on it) and a worker re-prices a
working copy of the projection (``pricing.costing.held.working_copy``); the window keeps showing
the figures it has, marked as updating (``PlanDocument.repricingChanged``), until the copy lands.

Edits made meanwhile are applied to the plan as usual and their rows remembered; when the copy
lands they are priced on it (a few rows, on the GUI thread) before it is shown, so no edit is lost
nor priced at the old rates.  A second rate edit while a worker runs starts another pass from the
first one's result.  Anything that reshapes the plan (rows in or out) waits for the pass to land
(``finish``); a whole new plan (open, import, preferences) abandons it.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, Signal

from desktop.gui_first import painting
from desktop.jobs import Job
from pricing.gc_pause import keep_long_lived

#: A rate edit on a plan of more workloads than this is re-priced on a worker.
REPRICE_AWAY_WORKLOADS = 20_000


class Repricer(QObject):
    #: A pass landed (or was abandoned): the document's figures are current again.
    settled = Signal()

    def __init__(self, document):
        super().__init__(document)
        self.document = document
        self.job: Job | None = None
        #: Rows edited since the running pass took its copy: priced on its result when it lands.
        self.edited: set[int] = set()
        #: The rate sheet changed again while a pass ran: run another from its result.
        self.again = False
        self._generation = 0

    @property
    def running(self) -> bool:
        return self.job is not None

    def wanted(self, plan) -> bool:
        """Whether a rate change of ``plan`` goes to a worker (a large plan, or a pass already running)."""
        return self.running or len(plan.workloads) > REPRICE_AWAY_WORKLOADS

    #: What the status bar says while a pass runs.
    why = "Re-pricing at the new rates…"

    def rates_changed(self) -> None:
        """The document took a new rate sheet: re-price (after the running pass, if any)."""
        self.reprice(f"Re-pricing {len(self.document.plan.workloads):,} workloads at the new rates…")

    def reprice(self, why: str) -> None:
        """Re-price the rows edited (``rows_edited``) and any new rates on a worker, saying ``why``."""
        if self.running:
            self.again = True
            return
        self.why = why
        self._start()
        self.document.repricingChanged.emit(True)

    def rows_edited(self, rows) -> None:
        self.edited.update(rows)

    def _start(self) -> None:
        from pricing.costing.held import working_copy

        doc = self.document
        # The projection shown is left alone while a pass runs (edits wait in ``edited``), so the
        # worker may copy it as well as price the copy.
        projection, plan, rows = doc.projection, doc.plan, set(self.edited)
        self.edited.clear()
        self.again = False
        self._generation += 1
        generation = self._generation

        def work(_cancel):
            base = working_copy(projection)
            base.update(plan, rows)
            base.finding_counts()  # counted here, kept by the projection: the totals strip shows them
            return base

        job = Job(work)
        job.on_outcome(lambda: shiboken6.isValid(self) and generation == self._generation,
                       self._landed, self._failed, lambda: None)
        self.job = job.start()

    def _landed(self, projection) -> None:
        with painting():  # edits priced on the new figures and the grids told, workers waiting
            self._land(projection)

    def _land(self, projection) -> None:
        self.job = None
        doc = self.document
        doc.projection = projection
        if self.again or projection.plan.rates != doc.plan.rates:
            self._start()  # the rates changed again meanwhile: price that from here
            return
        rows, self.edited = sorted(self.edited), set()
        if rows:
            projection.update(doc.plan, rows)
        else:
            projection.plan = doc.plan  # the same workloads; scenarios may have changed meanwhile
        self._done()
        keep_long_lived()
        doc.announce_new_figures()

    def _failed(self, message: str) -> None:
        self.job = None
        self.edited.clear()
        self._done()
        self.document.replace_plan(self.document.plan)  # price it the plain way: never keep old figures
        self.document.stateChanged.emit()

    def _done(self) -> None:
        self.document.repricingChanged.emit(False)
        self.settled.emit()

    def abandon(self) -> None:
        """A whole new plan replaces the one being re-priced: its pass is forgotten."""
        if self.running:
            self._generation += 1
            self.job = None
            self.edited.clear()
            self.again = False
            self._done()

    def finish(self) -> None:
        """Wait (the window painting, input held by a busy dialog) until the figures are current."""
        if not self.running:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        loop = QEventLoop()
        self.settled.connect(loop.quit)
        dialog = QProgressDialog(self.why, None, 0, 0)
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(300)
        try:
            while self.running:
                loop.exec()
        finally:
            self.settled.disconnect(loop.quit)
            dialog.reset()
            dialog.deleteLater()
